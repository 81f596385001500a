// Replacing one node of the DAG by another of the same shape, everywhere it occurs: how a named
// intermediate H becomes an input for ∂L/∂H and how the derivative is evaluated back at H's definition.
import { derivNode, type Expr, topoOrder } from '../ir/expr.js';
import { sameShape } from '../ir/shape.js';
import { apply } from './build.js';
import type { OpName } from './index.js';

/** `root` with every occurrence of `from` replaced by `to` (which must have from's shape). */
export function substitute(root: Expr, from: Expr, to: Expr): Expr {
  if (!sameShape(from.shape, to.shape)) throw new RangeError('internal: substitute changes a shape');
  const memo = new Map<number, Expr>([[from.id, to]]);
  const of = (e: Expr) => memo.get(e.id) ?? e;
  for (const node of topoOrder([root])) {
    if (memo.has(node.id)) continue;
    let out: Expr = node;
    if (node.kind === 'op') {
      const args = node.args.map(of);
      if (args.some((a, i) => a !== node.args[i])) out = apply(node.op as OpName, args, node.attrs);
    } else if (node.kind === 'deriv') {
      const [f, at] = [of(node.f), node.at && of(node.at)];
      if (f !== node.f || at !== node.at) out = derivNode(node.mode, f, node.wrt, node.shape, at);
    }
    memo.set(node.id, out);
  }
  return of(root);
}
