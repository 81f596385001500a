// Gives `grad(f, X)`, `jacobian(f, x)` and `hessian(f, x)` written in the language their meaning:
// each derivative node is replaced, innermost first, by its (unsimplified) derivative expression.
import { type Expr, topoOrder } from '../ir/expr.js';
import { rebuildOp } from './rebuild.js';
import { gradRaw } from './grad.js';
import { hessianRaw } from './hessian.js';
import { jacobianRaw } from './jacobian.js';

export function hasDerivatives(e: Expr): boolean {
  return topoOrder([e]).some((n) => n.kind === 'deriv');
}

export function expandDerivatives(root: Expr): Expr {
  if (!hasDerivatives(root)) return root;
  const memo = new Map<number, Expr>();
  for (const node of topoOrder([root])) {
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
        out =
          node.mode === 'grad'
            ? gradRaw(f, [node.wrt])[0]
            : node.mode === 'jacobian'
              ? jacobianRaw(f, node.wrt)
              : hessianRaw(f, node.wrt);
        break;
      }
      default: {
        const never: never = node;
        throw never;
      }
    }
    memo.set(node.id, out);
  }
  return memo.get(root.id)!;
}
