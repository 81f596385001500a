// Gives `grad(f, X)`, `jacobian(f, x)` and `hessian(f, x)` written in the language their meaning:
// each derivative node is replaced, innermost first, by its (unsimplified) derivative expression.
import { type Expr, mentionsDerivative, topoOrder } from '../ir/expr.js';
import { substitute } from '../ops/substitute.js';
import { gradRaw } from './grad.js';
import { hessianRaw } from './hessian.js';
import { jacobianRaw } from './jacobian.js';
import { rebuildOp } from './rebuild.js';

export function hasDerivatives(e: Expr): boolean {
  return mentionsDerivative(e);
}

export function expandDerivatives(root: Expr): Expr {
  return expandDerivativesMany([root])[0];
}

/** Expand several roots with one walk over their shared DAG. */
export function expandDerivativesMany(roots: readonly Expr[]): Expr[] {
  if (!roots.some(mentionsDerivative)) return [...roots];
  const order = topoOrder(roots);
  const memo = new Map<number, Expr>();
  for (const node of order) {
    let out: Expr;
    switch (node.kind) {
      case 'var':
      case 'const':
        out = node;
        break;
      case 'op':
        out = rebuildOp(
          node,
          node.args.map((a) => memo.get(a.id)!),
        );
        break;
      case 'deriv': {
        const f = memo.get(node.f.id)!;
        const d =
          node.mode === 'grad'
            ? gradRaw(f, [node.wrt])[0]
            : node.mode === 'jacobian'
              ? jacobianRaw(f, node.wrt)
              : hessianRaw(f, node.wrt);
        // ∂L/∂H for an intermediate H: the derivative with H an input, evaluated at H's definition.
        out = node.at ? substitute(d, node.wrt, memo.get(node.at.id)!) : d;
        break;
      }
      default: {
        const never: never = node;
        throw never;
      }
    }
    memo.set(node.id, out);
  }
  return roots.map((r) => memo.get(r.id)!);
}
