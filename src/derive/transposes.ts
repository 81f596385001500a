// Transposes pushed to the leaves, for showing a rule's result in the other layout.
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar } from '../ir/shape.js';
import { matmul, transpose } from '../ops/build.js';
import { rebuild } from '../simplify/engine.js';

/**
 * Transposes pushed down to the leaves: (Aᵀ)ᵀ → A, (AB)ᵀ → BᵀAᵀ, (A ± B)ᵀ → Aᵀ ± Bᵀ, (cA)ᵀ → c Aᵀ, and the
 * same for elementwise products and quotients; the rule's own form, read in the other layout.
 */
export function cancelDoubleTransposes(e: Expr): Expr {
  const memo = new Map<number, Expr>();
  const t = (x: Expr): Expr => {
    if (isScalar(x.shape)) return x;
    if (x.kind !== 'op') return transpose(x);
    const [a, b] = x.args;
    switch (x.op) {
      case 'transpose':
        return a;
      case 'matmul':
        return matmul(t(b), t(a));
      case 'add':
      case 'sub':
      case 'emul':
      case 'ediv':
        return rebuild(x, [t(a), t(b)]);
      case 'neg':
        return rebuild(x, [t(a)]);
      default:
        return transpose(x);
    }
  };
  for (const n of topoOrder([e])) {
    if (n.kind !== 'op') {
      memo.set(n.id, n);
      continue;
    }
    const args = n.args.map((a) => memo.get(a.id)!);
    memo.set(n.id, n.op === 'transpose' ? t(args[0]) : rebuild(n, args));
  }
  return memo.get(e.id)!;
}
