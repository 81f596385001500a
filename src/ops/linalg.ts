// Matrix ops: matmul, transpose, trace, det, logdet, inv, matpow (integer power), kron.
import { ShapeError } from '../ir/errors.js';
import { shape, shapeText } from '../ir/shape.js';
import { gemm } from '../kernels/gemm.js';
import { matrix } from '../kernels/matrix.js';
import { matmul as matmulE, transpose as transposeE } from './build.js';
import type { OpSpec } from './spec.js';

export const matmul: OpSpec = {
  arity: 2,
  shape: ([a, b]) => {
    if (a.cols !== b.rows) {
      throw new ShapeError(
        `cannot multiply ${shapeText(a)} by ${shapeText(b)}: inner dimensions ${a.cols.key} and ${b.rows.key} differ`,
      );
    }
    return shape(a.rows, b.cols);
  },
  // d(AB) = dA B + A dB ⇒ ∇A = G Bᵀ, ∇B = Aᵀ G
  vjp: (ct, _out, [a, b]) => [matmulE(ct, transposeE(b)), matmulE(transposeE(a), ct)],
  eval: ([a, b]) => gemm(matrix(a.rows, b.cols), a, b, false, false),
  text: () => ({ form: 'infix', symbol: '*' }),
  latex: () => ({ form: 'infix', symbol: '' }),
  js: { kind: 'kernel', name: 'gemm', extra: () => ['false', 'false'] },
  numpy: ([a, b]) => `${a} @ ${b}`,
  rule: 'product rule for matmul',
};
