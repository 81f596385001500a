// The commutation matrix K_{m,n} (mn×mn; sizes in attrs.rows = m, attrs.cols = n): the permutation with
// K vec(X) = vec(Xᵀ) for X m×n (Magnus & Neudecker ch. 3 §7). A constant: no arguments, no tangent.
import { type Dim, dimMul } from '../ir/dim.js';
import type { Attrs } from '../ir/expr.js';
import { shape } from '../ir/shape.js';
import { matrix } from '../kernels/matrix.js';
import { commutation as commutationK } from '../kernels/structural.js';
import type { OpSpec } from './spec.js';

function sizes(attrs: Attrs): readonly [Dim, Dim] {
  if (!attrs.rows || !attrs.cols) throw new RangeError('internal: commutation needs its sizes m, n in attrs');
  return [attrs.rows, attrs.cols];
}

/** A dim in LaTeX: `n`, `n \cdot d`. */
const dimLatex = (key: string): string => key.replaceAll('*', ' \\cdot ');

export const commutation: OpSpec = {
  arity: 0,
  shape: (_s, attrs) => {
    const [m, n] = sizes(attrs);
    const mn = dimMul(m, n);
    return shape(mn, mn);
  },
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) => {
    const [m, n] = sizes(attrs).map((d) => ctx.dim(d));
    return commutationK(matrix(m * n, m * n), m, n);
  },
  text: (_s, attrs) => ({ form: 'call', name: 'commutation', extra: sizes(attrs).map((d) => d.key) }),
  latex: (_s, attrs) => {
    const [m, n] = sizes(attrs);
    return { form: 'atom', text: `K_{${dimLatex(m.key)},${dimLatex(n.key)}}` };
  },
  js: { kind: 'kernel', name: 'commutation', extra: (attrs) => [...sizes(attrs)] },
  // Row i·n + j of K is the unit row e_{j·m + i}: rows of I_{mn} picked by arange(mn) read as n×m, transposed.
  numpy: (_a, attrs) => {
    const [m, n] = sizes(attrs).map((d) => d.key);
    return `np.eye(${m} * ${n})[np.arange(${m} * ${n}).reshape((${n}, ${m})).T.ravel()]`;
  },
  rule: 'constant',
};
