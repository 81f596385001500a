// Neural-network ops over the entries of a vector or along a dim: softmax, logsoftmax, logsumexp.
// attrs.dim: 0 = all entries, 1 = down each column, 2 = across each row (MATLAB's dims, as in sum).
import type { Attrs } from '../ir/expr.js';
import { matrix } from '../kernels/matrix.js';
import { logsoftmaxInto, logsumexpInto, softmaxInto } from '../kernels/nn.js';
import { mul, reduceTangent, softmax as softmaxE, spreadTangent, sub, sum, vecOf } from './build.js';
import { dimExtra, reducedShapeOf, sameShapeAlongDim } from './shared.js';
import type { OpSpec } from './spec.js';

const dimOf = (attrs: Attrs): 0 | 1 | 2 => attrs.dim ?? 0;

/** The `_softmax(x, axis)` helpers' axis: None for all entries, else the NumPy axis of the MATLAB dim. */
const npAxis = (attrs: Attrs): string => (attrs.dim ? String(attrs.dim - 1) : 'None');

const latexSub = (attrs: Attrs): string | undefined => (attrs.dim ? String(attrs.dim) : undefined);

export const softmax: OpSpec = {
  arity: 1,
  shape: sameShapeAlongDim('softmax'),
  // ds = (diag(s) − s sᵀ) dz per line ⇒ ∇z = s ⊙ (G − sum(G ⊙ s, dim))
  vjp: (ct, out, _args, attrs) => [mul(out, sub(ct, sum(mul(ct, out), dimOf(attrs))))],
  // vec ds = s ⊙ (J − spread(S(s ⊙ J))) with S summing each line (softmax's group) of the tangent
  jvp: (out, [z], attrs, [t]) => {
    const s = vecOf(out);
    const dim = dimOf(attrs);
    return t && mul(s, sub(t, spreadTangent(reduceTangent(mul(s, t), z.shape, dim), z.shape, dim)));
  },
  eval: ([a], attrs) => softmaxInto(matrix(a.rows, a.cols), a, dimOf(attrs)),
  text: (_s, attrs) => ({ form: 'call', name: 'softmax', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({ form: 'call', name: '\\operatorname{softmax}', sub: latexSub(attrs) }),
  js: { kind: 'kernel', name: 'softmaxInto', extra: (attrs) => [dimOf(attrs)] },
  numpy: ([a], attrs) => `_softmax(${a}, ${npAxis(attrs)})`,
  rule: 'chain rule through softmax',
};

export const logsoftmax: OpSpec = {
  arity: 1,
  shape: sameShapeAlongDim('logsoftmax'),
  // logsoftmax(z) = z − logsumexp(z) ⇒ ∇z = G − softmax(z, dim) ⊙ sum(G, dim)
  vjp: (ct, _out, [z], attrs) => [sub(ct, mul(softmaxE(z, dimOf(attrs)), sum(ct, dimOf(attrs))))],
  // logsoftmax(z) = z − logsumexp(z) per line ⇒ vec d = J − spread(S(softmax(z) ⊙ J))
  jvp: (_out, [z], attrs, [t]) => {
    const dim = dimOf(attrs);
    const s = vecOf(softmaxE(z, dim));
    return t && sub(t, spreadTangent(reduceTangent(mul(s, t), z.shape, dim), z.shape, dim));
  },
  eval: ([a], attrs) => logsoftmaxInto(matrix(a.rows, a.cols), a, dimOf(attrs)),
  text: (_s, attrs) => ({ form: 'call', name: 'logsoftmax', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({ form: 'call', name: '\\operatorname{logsoftmax}', sub: latexSub(attrs) }),
  js: { kind: 'kernel', name: 'logsoftmaxInto', extra: (attrs) => [dimOf(attrs)] },
  numpy: ([a], attrs) => `_logsoftmax(${a}, ${npAxis(attrs)})`,
  rule: 'chain rule through logsoftmax',
};

export const logsumexp: OpSpec = {
  arity: 1,
  shape: reducedShapeOf('logsumexp'),
  // d logsumexp(z) = ⟨softmax(z), dz⟩ per line ⇒ ∇z = G ⊙ softmax(z, dim), G broadcast along the line
  vjp: (ct, _out, [z], attrs) => [mul(ct, softmaxE(z, dimOf(attrs)))],
  // d logsumexp(z) = softmax(z)ᵀ dz per line ⇒ vec d = S(softmax(z) ⊙ J)
  jvp: (_out, [z], attrs, [t]) =>
    t && reduceTangent(mul(vecOf(softmaxE(z, dimOf(attrs))), t), z.shape, dimOf(attrs)),
  eval: ([a], attrs) => {
    const dim = dimOf(attrs);
    return logsumexpInto(
      dim === 0 ? matrix(1, 1) : dim === 1 ? matrix(1, a.cols) : matrix(a.rows, 1),
      a,
      dim,
    );
  },
  text: (_s, attrs) => ({ form: 'call', name: 'logsumexp', extra: dimExtra(attrs) }),
  latex: (_s, attrs) => ({ form: 'call', name: '\\operatorname{logsumexp}', sub: latexSub(attrs) }),
  js: { kind: 'kernel', name: 'logsumexpInto', extra: (attrs) => [dimOf(attrs)] },
  numpy: ([a], attrs) => `_logsumexp(${a}, ${npAxis(attrs)})`,
  rule: 'chain rule through logsumexp',
};
