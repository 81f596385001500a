// The notation of the field for display: rewrites applied to an expression after simplification (which
// would undo them) and before LaTeX — A.^2 → A ⊙ A, sum(A ⊙ A) → ‖A‖², sum₁(A)ᵀ → Aᵀ𝟏, sum₁(A) → 𝟏ᵀA,
// sum₂(A) → A𝟏, and a constant exponent folded (E^{2−1} → E).
import { isOne } from '../ir/dim.js';
import { type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { isScalar } from '../ir/shape.js';
import { matmul, mul, norm, num, ones, pow, transpose } from '../ops/build.js';
import { rebuild, simplify } from '../simplify/engine.js';

/** Aᵀ, with (Bᵀ)ᵀ written B. */
const transposeOf = (a: Expr): Expr => (a.kind === 'op' && a.op === 'transpose' ? a.args[0] : transpose(a));

/** e in the notation of the field (display only). */
export function fieldNotation(e: Expr): Expr {
  const memo = new Map<number, Expr>();
  for (const n of topoOrder([e])) {
    if (n.kind !== 'op') {
      memo.set(n.id, n);
      continue;
    }
    const args = n.args.map((a) => memo.get(a.id)!);
    const [a, b] = args;
    let out: Expr = rebuild(n, args);
    if (n.op === 'epow' && b.kind !== 'const' && !topoOrder([b]).some((x) => x.kind === 'var')) {
      const folded = simplify(b);
      out = folded.kind === 'const' && folded.value === 1 ? a : pow(a, folded);
      memo.set(n.id, out);
      continue;
    }
    const square = (x: Expr): Expr | undefined => {
      if (x.kind !== 'op') return undefined;
      if (x.op === 'epow' && x.args[1].kind === 'const' && x.args[1].value === 2) return x.args[0];
      if (x.op === 'emul' && x.args[0] === x.args[1]) return x.args[0];
      return undefined;
    };
    const squared = n.op === 'sum' && (n.attrs.dim ?? 0) === 0 ? square(n.args[0]) : undefined;
    if (squared && !isScalar(squared.shape)) out = pow(norm(memo.get(squared.id)!), num(2));
    else if (n.op === 'epow' && b.kind === 'const' && b.value === 2 && !isScalar(a.shape)) out = mul(a, a);
    else if (n.op === 'transpose' && isSum(n.args[0], 1)) {
      const inner = memo.get((n.args[0] as OpExpr).args[0].id)!;
      out = matmul(transposeOf(inner), ones(inner.shape.rows));
    } else if (n.op === 'sum' && n.attrs.dim === 1 && !isOne(a.shape.rows))
      out = matmul(transposeOf(ones(a.shape.rows)), a);
    else if (n.op === 'sum' && n.attrs.dim === 2 && !isOne(a.shape.cols)) out = matmul(a, ones(a.shape.cols));
    memo.set(n.id, out);
  }
  return memo.get(e.id)!;
}

const isSum = (e: Expr, dim: number): boolean => e.kind === 'op' && e.op === 'sum' && e.attrs.dim === dim;
