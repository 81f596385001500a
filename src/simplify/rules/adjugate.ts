// The adjugate meets the inverse and the determinant: adj(A) = det(A)·A⁻¹ wherever A is invertible
// (Matrix Cookbook eq. 148), so the determinant's gradient adj(A)ᵀ reads as the textbook's forms.
import type { Expr } from '../../ir/expr.js';
import { det, inv, mul, transpose } from '../../ops/build.js';
import { isOp, rule } from '../rule.js';

const unT = (x: Expr): [Expr, boolean] => (isOp(x, 'transpose') ? [x.args[0], true] : [x, false]);

export const adjugateOfInverse = rule(
  ['adj'],
  'adjugate of an inverse',
  'adj(A⁻¹) → det(A⁻¹)·A (A⁻¹ is invertible, with inverse A)',
  (e) => {
    if (e.op !== 'adj' || !isOp(e.args[0], 'inv')) return null;
    const ai = e.args[0];
    return mul(det(ai), ai.args[0]);
  },
);

export const adjugateOverDeterminant = rule(
  ['ediv'],
  'adjugate over the determinant',
  'adj(A) / det(A) → A⁻¹, adj(A)ᵀ / det(A) → A⁻ᵀ',
  (e) => {
    if (e.op !== 'ediv') return null;
    const [num, den] = e.args;
    const [a, transposed] = unT(num);
    if (!isOp(a, 'adj') || !isOp(den, 'det') || den.args[0] !== a.args[0]) return null;
    const ai = inv(a.args[0]);
    return transposed ? transpose(ai) : ai;
  },
);
