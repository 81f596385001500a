// Reductions: sum and mean (all entries, down columns, across rows — MATLAB's dims) and norm.
import { ONE } from '../ir/dim.js';
import { sumDim } from '../kernels/reduce.js';
import { matmul, mul, ones } from './build.js';
import { dimExtra, reducedShape } from './shared.js';
import type { OpSpec } from './spec.js';

export const sum: OpSpec = {
  arity: 1,
  shape: reducedShape,
  // Every entry contributes once: the cotangent is spread back over the summed axis, 1·G or G·1ᵀ.
  vjp: (ct, _out, [a], attrs) => {
    switch (attrs.dim ?? 0) {
      case 1:
        return [matmul(ones(a.shape.rows), ct)];
      case 2:
        return [matmul(ct, ones(ONE, a.shape.cols))];
      default:
        return [mul(ct, ones(a.shape.rows, a.shape.cols))];
    }
  },
  eval: ([a], attrs) => sumDim(a, attrs.dim ?? 0),
  text: (_s, attrs) => ({ form: 'call', name: 'sum', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({ form: 'call', name: '\\operatorname{sum}', sub: attrs.dim ? String(attrs.dim) : undefined }),
  js: { kind: 'kernel', name: 'sumDim', extra: (attrs) => [attrs.dim ?? 0] },
  numpy: ([a], attrs) => (attrs.dim ? `np.sum(${a}, axis=${attrs.dim - 1}, keepdims=True)` : `np.sum(${a})`),
  rule: 'sum: spread the cotangent over the summed entries',
};
