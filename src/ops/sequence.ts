// Ops for sequence models: `tril(A)` (the lower triangle; `tril(ones(n, n))` is the causal mask),
// `shift(n, k)` (the n×n matrix with ones at (i, i + k), so shift(n, -1)*X moves X down one row: a causal
// convolution is Σₖ shift(n, −k)·X·Wₖ), and `masked_softmax(S, M)`, the softmax of each row of S over the
// entries a 0/1 mask M keeps (masked entries get probability 0, and their scores no gradient).
import type { Dim } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import { type Expr, freeVars } from '../ir/expr.js';
import { shape, shapeText } from '../ir/shape.js';
import { matrix } from '../kernels/matrix.js';
import { maskedSoftmaxInto, shiftInto, trilInto } from '../kernels/sequence.js';
import {
  addTangents,
  apply,
  div,
  mul,
  onesOf,
  reduceTangent,
  softmax,
  spreadTangent,
  sub,
  sum,
  vecOf,
} from './build.js';
import { sameShape } from './shared.js';
import type { OpSpec } from './spec.js';

const trilE = (a: Expr): Expr => apply('tril', [a]);

export const tril: OpSpec = {
  arity: 1,
  shape: sameShape,
  // tril is linear and self-adjoint under ⟨·,·⟩: ∇A = tril(G)
  vjp: (ct) => [trilE(ct)],
  // vec tril(A) = diag(vec L) vec A, L = tril(𝟏)
  jvp: (_out, [a], _attrs, [t]) => t && mul(vecOf(trilE(onesOf(a.shape))), t),
  eval: ([a]) => trilInto(matrix(a.rows, a.cols), a),
  text: () => ({ form: 'call', name: 'tril' }),
  latex: () => ({ form: 'call', name: '\\operatorname{tril}' }),
  js: { kind: 'kernel', name: 'trilInto' },
  numpy: ([a]) => `np.tril(${a})`,
  rule: 'the lower triangle is linear',
};

/** The size and offset of a shift matrix, which the parser always sets. */
function shiftAttrs(attrs: { rows?: Dim; offset?: number }): [Dim, number] {
  if (!attrs.rows || attrs.offset === undefined)
    throw new RangeError('internal: shift needs rows and offset');
  return [attrs.rows, attrs.offset];
}

export const shift: OpSpec = {
  arity: 0,
  shape: (_s, attrs) => {
    const [n] = shiftAttrs(attrs);
    return shape(n, n);
  },
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) => {
    const [n, k] = shiftAttrs(attrs);
    const size = ctx.dim(n);
    return shiftInto(matrix(size, size), k);
  },
  text: (_s, attrs) => {
    const [n, k] = shiftAttrs(attrs);
    return { form: 'call', name: 'shift', extra: [n.key, String(k)] };
  },
  latex: (_s, attrs) => {
    const [n, k] = shiftAttrs(attrs);
    return { form: 'atom', text: `\\operatorname{shift}_{${n.key.replaceAll('*', ' \\cdot ')}}^{(${k})}` };
  },
  js: { kind: 'kernel', name: 'shiftInto', extra: (attrs) => [shiftAttrs(attrs)[1]] },
  numpy: (_a, attrs) => {
    const [n, k] = shiftAttrs(attrs);
    return `np.eye(${n.key}, k=${k})`;
  },
  rule: 'constant',
};

/** Row-wise masked softmax: P = M ⊙ e^S / rowsum(M ⊙ e^S); Q = e^S / rowsum(M ⊙ e^S), so P = M ⊙ Q. */
const rowsOf = (s: Expr, m: Expr): Expr => {
  const p = softmax(s, 2);
  return div(p, sum(mul(m, p), 2));
};

export const masked_softmax: OpSpec = {
  arity: 2,
  shape: ([s, m]) => {
    if (m.rows !== s.rows || m.cols !== s.cols)
      throw new ShapeError(
        `masked_softmax needs a mask of the scores' shape ${shapeText(s)}, got ${shapeText(m)}`,
      );
    return s;
  },
  // dP = P ⊙ (dS − rowsum(P ⊙ dS)) ⇒ ∇S = P ⊙ (G − sum(G ⊙ P, 2)), zero where M is 0;
  // a mask that depends on a variable: ∇M = Q ⊙ (G − sum(G ⊙ P, 2))
  vjp: (ct, out, [s, m]) => {
    const centred = sub(ct, sum(mul(ct, out), 2));
    const dS = mul(out, centred);
    return [dS, freeVars(m).length === 0 ? null : mul(rowsOf(s, m), centred)];
  },
  jvp: (out, [s, m], _attrs, [ts, tm]) => {
    const p = vecOf(out);
    const centre = (w: Expr, t: Expr) =>
      sub(mul(w, t), mul(p, spreadTangent(reduceTangent(mul(w, t), s.shape, 2), s.shape, 2)));
    return addTangents(ts && centre(p, ts), tm && centre(vecOf(mul(rowsOf(s, m), onesOf(s.shape))), tm));
  },
  eval: ([s, m]) => maskedSoftmaxInto(matrix(s.rows, s.cols), s, m),
  text: () => ({ form: 'call', name: 'masked_softmax' }),
  latex: () => ({ form: 'call', name: '\\operatorname{softmax}_{\\mathrm{mask}}' }),
  js: { kind: 'kernel', name: 'maskedSoftmaxInto' },
  numpy: ([s, m]) => `_masked_softmax(${s}, ${m})`,
  rule: 'chain rule through the masked softmax',
};
