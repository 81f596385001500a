// The adjugate adj(A) (transposed cofactor matrix, A·adj(A) = det(A)·I) and the entrywise 1-norm
// `norm(x, 1)`. adj is what makes the determinant's gradient adj(A)ᵀ exist at singular A.
import { SCALAR } from '../ir/shape.js';
import { matrix } from '../kernels/matrix.js';
import { adjInto, norm1Into } from '../kernels/sequence.js';
import { inv, kron, matmul, mul, sign, sub, sum, transpose, vec, vecOf } from './build.js';
import { requireSquare } from './shared.js';
import type { OpSpec } from './spec.js';

export const adj: OpSpec = {
  arity: 1,
  shape: ([a]) => requireSquare('adj', a),
  // adj = det·A⁻¹ ⇒ d adj = det·tr(A⁻¹dA)·A⁻¹ − det·A⁻¹ dA A⁻¹, so
  // ∇A = ⟨G, A⁻¹⟩·adj(A)ᵀ − adj(A)ᵀ G A⁻ᵀ (where A is invertible)
  vjp: (ct, out, [a]) => {
    const ai = inv(a);
    return [sub(mul(sum(mul(ct, ai)), transpose(out)), matmul(matmul(transpose(out), ct), transpose(ai)))];
  },
  // vec d adj = vec(adj)·vec(A⁻ᵀ)ᵀ J − (A⁻ᵀ ⊗ adj) J
  jvp: (out, [a], _attrs, [t]) => {
    if (!t) return null;
    const ait = transpose(inv(a));
    return sub(matmul(vecOf(out), matmul(transpose(vec(ait)), t)), matmul(kron(ait, out), t));
  },
  eval: ([a]) => adjInto(matrix(a.rows, a.cols), a),
  text: () => ({ form: 'call', name: 'adj' }),
  latex: () => ({ form: 'call', name: '\\operatorname{adj}' }),
  js: { kind: 'kernel', name: 'adjInto' },
  numpy: ([a]) => `_adj(${a})`,
  rule: 'derivative of the adjugate',
};

export const norm1: OpSpec = {
  arity: 1,
  shape: () => SCALAR,
  // d Σ|x_i| = Σ sign(x_i) dx_i ⇒ ∇ = G·sign(x), the subgradient 0 at 0
  vjp: (ct, _out, [a]) => [mul(ct, sign(a))],
  // d‖x‖₁ = vec(sign x)ᵀ J
  jvp: (_out, [a], _attrs, [t]) => t && matmul(transpose(vecOf(sign(a))), t),
  eval: ([a]) => norm1Into(matrix(1, 1), a),
  text: () => ({ form: 'call', name: 'norm', extra: ['1'] }),
  latex: () => ({ form: 'wrap', open: '\\left\\lVert ', close: ' \\right\\rVert_{1}' }),
  js: { kind: 'kernel', name: 'norm1Into' },
  numpy: ([a]) => `np.sum(np.abs(${a}), keepdims=True)`,
  rule: 'chain rule through the 1-norm',
};
