// A Jacobian or Hessian written as the textbook writes a linear operator: a row scaling at the top,
// v ⊙ M (each row i of M times vᵢ), is diag(v)·M, v ⊙ (I − 1rᵀ) is diag(v) − v rᵀ and v ⊙ (A − 1uᵀA) is
// (diag(v) − v uᵀ)·A, and A − r is A − 1r — so the Jacobian of softmax reads diag(p) − ppᵀ, that of softmax(Wx)
// (diag(p) − ppᵀ)W, and that of σ(Wx) diag(σ ⊙ (1 − σ))·W. Applied to the simplified
// result only: inside the rule fixpoint diag(v)·M is the other way round, v ⊙ M.
import { isOne } from '../ir/dim.js';
import type { Expr } from '../ir/expr.js';
import { diagm, matmul, ones, sub, transpose } from '../ops/build.js';
import { rowScaling } from './present.js';
import { isOp } from './rule.js';

/** sum(u ⊙ B, 1) = uᵀB for a column u scaling the rows of B (the column sums of the scaled rows). */
function columnSums(r: Expr): Expr {
  if (!isOp(r, 'sum') || r.attrs.dim !== 1) return r;
  const scaled = rowScaling(r.args[0]);
  return scaled ? matmul(transpose(scaled[0]), scaled[1]) : r;
}

/** r is a row (1×n, n > 1) repeated down the m > 1 rows of a (m×n). */
const broadcastRow = (r: Expr, a: Expr): boolean =>
  isOne(r.shape.rows) && !isOne(r.shape.cols) && !isOne(a.shape.rows) && r.shape.cols === a.shape.cols;

export function operatorForm(e: Expr): Expr {
  // A − r with a row r broadcast down: A − 1·r (I − 1pᵀ, the Jacobian of log-softmax)
  if (isOp(e, 'sub') && broadcastRow(e.args[1], e.args[0]))
    return sub(e.args[0], matmul(ones(e.args[0].shape.rows), columnSums(e.args[1])));
  const scaled = rowScaling(e);
  if (!scaled) return e;
  const [v, matrix] = scaled;
  // v ⊙ (A − r) with a row r broadcast down the rows of A: diag(v)·A − v·r
  if (isOp(matrix, 'sub') && broadcastRow(matrix.args[1], matrix.args[0])) {
    const [a, row] = matrix.args;
    const r = columnSums(row);
    if (isOp(a, 'eye')) return sub(diagm(v), matmul(v, r));
    // r = uᵀA: (diag(v) − v uᵀ)·A
    if (isOp(r, 'matmul') && r.args[1] === a) return matmul(sub(diagm(v), matmul(v, r.args[0])), a);
    return sub(matmul(diagm(v), a), matmul(v, r));
  }
  return matmul(diagm(v), matrix);
}
