// Reductions: sum and mean (all entries, down columns, across rows — MATLAB's dims) and norm
// (2-norm of a vector, Frobenius norm of a matrix).
import { type Dim, dimMul, isOne, ONE } from '../ir/dim.js';
import type { Expr } from '../ir/expr.js';
import { SCALAR } from '../ir/shape.js';
import { matrix } from '../kernels/matrix.js';
import { meanInto, normInto, sumDim } from '../kernels/reduce.js';
import { dimExpr, div, ones, reduceTangent, vecOf } from './build.js';
import { dimExtra, reducedShape, reducedShapeOf } from './shared.js';
import type { OpSpec } from './spec.js';
import { matmul, mul, transpose } from './tidy.js';

/** ∇ of sum(A, dim) for cotangent G: G spread back over the summed axis — 1·G, G·1ᵀ, or G·𝟏. */
function spread(ct: Expr, a: Expr, dim: number): Expr {
  switch (dim) {
    case 1:
      return matmul(ones(a.shape.rows), ct);
    case 2:
      return matmul(ct, ones(ONE, a.shape.cols));
    default:
      return mul(ct, ones(a.shape.rows, a.shape.cols));
  }
}

/** How many entries each output of a reduction along `dim` combines: m·n, m or n. */
function reducedCount(a: Expr, dim: number): Dim {
  return dim === 1 ? a.shape.rows : dim === 2 ? a.shape.cols : dimMul(a.shape.rows, a.shape.cols);
}

/** NumPy `axis=` argument for a MATLAB dim, keeping 2-D results. */
const npAxis = (dim: number | undefined): string =>
  dim ? `axis=${dim - 1}, keepdims=True` : 'keepdims=True';

export const sum: OpSpec = {
  arity: 1,
  shape: reducedShape,
  // Every entry contributes once: the cotangent is spread back over the summed axis, 1·G or G·1ᵀ.
  vjp: (ct, _out, [a], attrs) => [spread(ct, a, attrs.dim ?? 0)],
  // vec sum(A, dim) = S vec(A): 𝟏ᵀ, I_q ⊗ 𝟏ᵀ_p or 𝟏ᵀ_q ⊗ I_p for A p×q
  jvp: (_out, [a], attrs, [t]) => t && reduceTangent(t, a.shape, attrs.dim ?? 0),
  eval: ([a], attrs) => sumDim(a, attrs.dim ?? 0),
  text: (_s, attrs) => ({ form: 'call', name: 'sum', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({
    form: 'call',
    name: '\\operatorname{sum}',
    sub: attrs.dim ? String(attrs.dim) : undefined,
  }),
  js: { kind: 'kernel', name: 'sumInto', extra: (attrs) => [attrs.dim ?? 0] },
  numpy: ([a], attrs) => `np.sum(${a}, ${npAxis(attrs.dim)})`,
  rule: 'sum: spread the cotangent over the summed entries',
};

export const mean: OpSpec = {
  arity: 1,
  shape: reducedShapeOf('mean'),
  // mean(A, dim) = sum(A, dim) / k with k the entries per output ⇒ ∇ = spread(G) / k
  vjp: (ct, _out, [a], attrs) => {
    const dim = attrs.dim ?? 0;
    return [div(spread(ct, a, dim), dimExpr(reducedCount(a, dim)))];
  },
  // vec mean(A, dim) = S vec(A) / k
  jvp: (_out, [a], attrs, [t]) => {
    const dim = attrs.dim ?? 0;
    return t && div(reduceTangent(t, a.shape, dim), dimExpr(reducedCount(a, dim)));
  },
  eval: ([a], attrs) => {
    const dim = attrs.dim ?? 0;
    return meanInto(dim === 0 ? matrix(1, 1) : dim === 1 ? matrix(1, a.cols) : matrix(a.rows, 1), a, dim);
  },
  text: (_s, attrs) => ({ form: 'call', name: 'mean', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({
    form: 'call',
    name: '\\operatorname{mean}',
    sub: attrs.dim ? String(attrs.dim) : undefined,
  }),
  js: { kind: 'kernel', name: 'meanInto', extra: (attrs) => [attrs.dim ?? 0] },
  numpy: ([a], attrs) => `np.mean(${a}, ${npAxis(attrs.dim)})`,
  rule: 'mean: spread the cotangent over the averaged entries, divided by their count',
};

export const norm: OpSpec = {
  arity: 1,
  shape: () => SCALAR,
  // d‖X‖ = ⟨X, dX⟩ / ‖X‖ ⇒ ∇ = G · X / ‖X‖
  vjp: (ct, out, [a]) => [div(mul(ct, a), out)],
  // d‖X‖ = vec(X)ᵀ vec(dX) / ‖X‖
  jvp: (out, [a], _attrs, [t]) => t && div(matmul(transpose(vecOf(a)), t), out),
  eval: ([a]) => normInto(matrix(1, 1), a),
  text: () => ({ form: 'call', name: 'norm' }),
  // ‖x‖ of a vector is its Euclidean length; of a matrix it is the Frobenius norm, said so (‖X‖_F)
  latex: ([a]) => ({
    form: 'wrap',
    open: '\\left\\lVert ',
    close: isOne(a.cols) || isOne(a.rows) ? ' \\right\\rVert' : ' \\right\\rVert_{F}',
  }),
  js: { kind: 'kernel', name: 'normInto' },
  numpy: ([a]) => `_norm(${a})`,
  rule: 'chain rule through the norm',
};
