// Transposes: removed where they cancel or do nothing, and pushed through products only when that
// leaves fewer of them (so Hᵀ stays Hᵀ, but (xᵀA)ᵀ becomes Aᵀx).
import type { Expr } from '../../ir/expr.js';
import { isScalar } from '../../ir/shape.js';
import { apply, div, inv, matmul, mul, neg, ones, transpose, zeros } from '../../ops/build.js';
import { isOp, rule } from '../rule.js';

function isSymmetric(e: Expr): boolean {
  if (e.kind === 'var') return e.qualifiers.includes('symmetric') || e.qualifiers.includes('spd');
  if (e.kind !== 'op') return false;
  switch (e.op) {
    case 'eye':
    case 'diagm':
      return true;
    case 'inv':
      return isSymmetric(e.args[0]);
    case 'add':
    case 'sub':
      return isSymmetric(e.args[0]) && isSymmetric(e.args[1]) && e.args[0].shape === e.args[1].shape;
    default:
      return false;
  }
}

/** The transpose of e without a transpose node where one can be avoided cheaply. */
export function transposeOf(e: Expr): Expr {
  if (isScalar(e.shape) || isSymmetric(e)) return e;
  if (isOp(e, 'transpose')) return e.args[0];
  if (isOp(e, 'ones')) return ones(e.shape.cols, e.shape.rows);
  if (isOp(e, 'zeros')) return zeros(e.shape.cols, e.shape.rows);
  return transpose(e);
}

/** Number of transpose nodes along the top of e (how "transposed" it reads). */
function cost(e: Expr): number {
  return isOp(e, 'transpose') ? 1 : 0;
}

export const transposeSimple = rule('transpose', "(Aᵀ)ᵀ → A, sᵀ → s, Sᵀ → S for symmetric S", (e) => {
  if (e.op !== 'transpose') return null;
  const a = e.args[0];
  const t = transposeOf(a);
  return t === e ? null : t;
});

export const transposeThrough = rule('transpose through', '(−A)ᵀ → −Aᵀ, (sA)ᵀ → sAᵀ, (A/s)ᵀ → Aᵀ/s', (e) => {
  if (e.op !== 'transpose') return null;
  const a = e.args[0];
  if (isOp(a, 'neg')) return neg(transposeOf(a.args[0]));
  if (isOp(a, 'emul') && isScalar(a.args[0].shape)) return mul(a.args[0], transposeOf(a.args[1]));
  if (isOp(a, 'emul') && isScalar(a.args[1].shape)) return mul(transposeOf(a.args[0]), a.args[1]);
  if (isOp(a, 'ediv') && isScalar(a.args[1].shape)) return div(transposeOf(a.args[0]), a.args[1]);
  if (isOp(a, 'inv') && isOp(a.args[0], 'transpose')) return inv(a.args[0].args[0]);
  return null;
});

export const transposeProduct = rule('transpose of a product', '(AB)ᵀ → BᵀAᵀ when that has fewer transposes', (e) => {
  if (e.op !== 'transpose') return null;
  const a = e.args[0];
  if (isOp(a, 'matmul')) {
    const [l, r] = a.args;
    const tl = transposeOf(l);
    const tr = transposeOf(r);
    return cost(tl) + cost(tr) < 1 + cost(l) + cost(r) ? matmul(tr, tl) : null;
  }
  if (isOp(a, 'add', 'sub')) {
    const [l, r] = a.args;
    const tl = transposeOf(l);
    const tr = transposeOf(r);
    return cost(tl) + cost(tr) < 1 + cost(l) + cost(r) ? apply(a.op as 'add', [tl, tr]) : null;
  }
  return null;
});
