// Identities of particular functions: inverses cancel, softmax rows sum to one, one-hot rows sum to one,
// sums over a size-1 axis do nothing, a factor constant along the summed axis leaves the sum.
import { dimMul, isOne } from '../../ir/dim.js';
import type { Expr } from '../../ir/expr.js';
import { isScalar, sameShape } from '../../ir/shape.js';
import { add, apply, dimExpr, div, mul, neg, ones, sub, transpose } from '../../ops/build.js';
import { constValue, isOp, rule } from '../rule.js';

export const inverseFunctions = rule(
  ['log', 'inv'],
  'inverse functions',
  'log(exp(x)) → x, (A⁻¹)⁻¹ → A',
  (e) => {
    const [a] = e.args;
    if (e.op === 'log' && isOp(a, 'exp')) return a.args[0];
    if (e.op === 'inv' && isOp(a, 'inv')) return a.args[0];
    return null;
  },
);

export const trivialSum = rule(
  ['sum', 'mean'],
  'sum over a size-1 axis',
  'sum(a, 2) → a for a column, sum(s) → s',
  (e) => {
    if (e.op !== 'sum' && e.op !== 'mean') return null;
    const a = e.args[0];
    const dim = e.attrs.dim ?? 0;
    const trivial =
      (dim === 1 && isOne(a.shape.rows)) ||
      (dim === 2 && isOne(a.shape.cols)) ||
      (dim === 0 && sameShape(a.shape, e.shape));
    return trivial ? a : null;
  },
);

export const rowsSumToOne = rule(
  ['sum'],
  'probabilities sum to one',
  'sum(softmax(Z, 2), 2) → 1, sum(Y, 2) → 1 for one-hot rows of Y, sum(y) → 1 for a one-hot vector y',
  (e) => {
    if (e.op !== 'sum') return null;
    const a = e.args[0];
    const dim = e.attrs.dim ?? 0;
    if (isOp(a, 'softmax') && (a.attrs.dim ?? 0) === dim) return ones(e.shape.rows, e.shape.cols);
    if (a.kind === 'var' && a.qualifiers.includes('onehot')) {
      // Rows of a one-hot matrix sum to 1; so do all entries of a one-hot column vector.
      const column = isOne(a.shape.cols);
      if (column ? dim !== 2 : dim === 2) return ones(e.shape.rows, e.shape.cols);
    }
    return null;
  },
);

export const diagonalIdentities = rule(
  ['diagv', 'sum'],
  'diagonal identities',
  'diag(Aᵀ) → diag(A), sum(diag(v), 1) → vᵀ, sum(diag(v), 2) → v',
  (e) => {
    const a = e.args[0];
    if (e.op === 'diagv' && isOp(a, 'transpose')) return apply('diagv', [a.args[0]]);
    if (e.op === 'sum' && isOp(a, 'diagm') && isOne(a.args[0].shape.cols)) {
      const v = a.args[0];
      if (e.attrs.dim === 1) return transpose(v);
      if (e.attrs.dim === 2) return v;
    }
    return null;
  },
);

export const vectorSum = rule(
  ['sum', 'mean'],
  'sum of a vector',
  'sum(r, 2) → sum(r) for a row r, sum(c, 1) → sum(c) for a column c',
  (e) => {
    if (e.op !== 'sum' && e.op !== 'mean') return null;
    const a = e.args[0];
    const dim = e.attrs.dim ?? 0;
    const whole = (dim === 2 && isOne(a.shape.rows)) || (dim === 1 && isOne(a.shape.cols));
    return whole ? apply(e.op, [a], { dim: 0 }) : null;
  },
);

/**
 * Σⱼ Xᵢⱼ cᵢ = cᵢ Σⱼ Xᵢⱼ: a column c multiplying (or dividing) a matrix is constant along its rows, so it
 * leaves a row sum — sum(X ⊙ c, 2) → c ⊙ sum(X, 2); likewise a row r leaves a column sum, sum(X ⊙ r, 1) →
 * r ⊙ sum(X, 1). (With one-hot rows of X the sum is then 1: (A ⊙ adv) 1 → adv.)
 */
export const constantLeavesSum = rule(
  ['sum'],
  'a factor constant along the summed axis',
  'sum(X ⊙ c, 2) → c ⊙ sum(X, 2) for a column c, sum(X ⊙ r, 1) → r ⊙ sum(X, 1) for a row r, and for ⊘',
  (e) => {
    const dim = e.attrs.dim ?? 0;
    const a = e.args[0];
    if ((dim !== 1 && dim !== 2) || !isOp(a, 'emul', 'ediv')) return null;
    // constant along the summed axis: one column when summing rows (dim 2), one row when summing columns
    const constant = (c: Expr) =>
      dim === 2
        ? isOne(c.shape.cols) && c.shape.rows === a.shape.rows && !isOne(a.shape.cols)
        : isOne(c.shape.rows) && c.shape.cols === a.shape.cols && !isOne(a.shape.rows);
    const [x, c] = a.args;
    const spans = (m: Expr) => sameShape(m.shape, a.shape);
    if (spans(x) && constant(c))
      return a.op === 'emul' ? mul(c, apply('sum', [x], e.attrs)) : div(apply('sum', [x], e.attrs), c);
    if (a.op === 'emul' && spans(c) && constant(x)) return mul(x, apply('sum', [c], e.attrs));
    return null;
  },
);

/** A sum of ones counts: sum(ones(m, n)) → m·n, sum(ones(m, n), 1) → m·ones(1, n), sum(ones(m, n), 2) → n·ones(m, 1). */
export const sumOfOnes = rule(['sum'], 'a sum of ones counts its entries', 'sum(ones(m, n)) → m·n', (e) => {
  const a = e.args[0];
  if (!isOp(a, 'ones')) return null;
  const dim = e.attrs.dim ?? 0;
  const count = dim === 0 ? dimMul(a.shape.rows, a.shape.cols) : dim === 1 ? a.shape.rows : a.shape.cols;
  const n = dimExpr(count);
  return dim === 0 ? n : mul(n, ones(e.shape.rows, e.shape.cols));
});

/**
 * A scalar broadcast over a sum counts: sum(s ± X) → numel(X)·s ± sum(X) for a 1×1 s (whole sums), and the
 * count meets a mean: numel(X)·mean(X) → sum(X). Together Σᵢ (x̄ − xᵢ) = n·x̄ − Σᵢ xᵢ = 0.
 */
export const broadcastScalarInSum = rule(
  ['sum', 'emul'],
  'a broadcast scalar in a sum; a count times a mean',
  'sum(s ± X) → numel(X)·s ± sum(X) for a scalar s; numel(X)·mean(X) → sum(X)',
  (e) => {
    if (e.op === 'emul') {
      const [a, b] = e.args;
      const [m, c] = isOp(a, 'mean') ? [a, b] : isOp(b, 'mean') ? [b, a] : [null, null];
      if (!m || (m.attrs.dim ?? 0) !== 0) return null;
      const x = m.args[0];
      return c === dimExpr(dimMul(x.shape.rows, x.shape.cols)) ? apply('sum', [x], { dim: 0 }) : null;
    }
    const a = e.args[0];
    if ((e.attrs.dim ?? 0) !== 0 || !isOp(a, 'add', 'sub')) return null;
    const [l, r] = a.args;
    const count = dimExpr(dimMul(a.shape.rows, a.shape.cols));
    if (isScalar(a.shape)) return null;
    const whole = (x: Expr) => apply('sum', [x], { dim: 0 });
    if (isScalar(l.shape) && sameShape(r.shape, a.shape))
      return a.op === 'add' ? add(mul(count, l), whole(r)) : sub(mul(count, l), whole(r));
    if (isScalar(r.shape) && sameShape(l.shape, a.shape))
      return a.op === 'add' ? add(whole(l), mul(count, r)) : sub(whole(l), mul(count, r));
    return null;
  },
);

/** σ(u) − 1 = −σ(−u), since σ(u) + σ(−u) = 1: a difference becomes one signed term (the logistic Hessian's σ(m)σ(−m)). */
export const sigmoidMinusOne = rule(['sub'], 'the complement of a sigmoid', 'σ(u) − 1 → −σ(−u)', (e) => {
  const [s, one] = e.args;
  if (!isOp(s, 'sigmoid') || constValue(one) !== 1) return null;
  const u = s.args[0];
  return neg(apply('sigmoid', [isOp(u, 'neg') ? u.args[0] : neg(u)]));
});
