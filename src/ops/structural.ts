// Structural ops: vec, diag (diagm: vector → diagonal matrix; diagv: square matrix → its diagonal), eye,
// ones, zeros (sizes in attrs.rows/cols), and a symbolic dim's size as a scalar.
import { type Dim, dimMul, isOne, ONE } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import type { Expr } from '../ir/expr.js';
import { SCALAR, shape, shapeText } from '../ir/shape.js';
import { matrix, scalar } from '../kernels/matrix.js';
import { diagm as diagmK, diagv as diagvK, eye as eyeK, fill, vec as vecK } from '../kernels/structural.js';
import {
  diagm as diagmE,
  diagv as diagvE,
  eye as eyeE,
  kron,
  matmul,
  mul,
  ones as onesE,
  transpose,
  vec as vecE,
} from './build.js';
import { requireSquare } from './shared.js';
import type { OpSpec } from './spec.js';

/** The value of a symbolic dim as a 1×1 expression (`/n` in a mean); attrs.rows holds the single-symbol dim. */
export const size: OpSpec = {
  arity: 0,
  shape: () => SCALAR,
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) => scalar(ctx.dim(attrs.rows!)),
  text: (_s, attrs) => ({ form: 'atom', text: attrs.rows!.key }),
  latex: (_s, attrs) => ({ form: 'atom', text: attrs.rows!.key }),
  js: { kind: 'kernel', name: 'fill', extra: (attrs) => [attrs.rows!] },
  numpy: (_a, attrs) => attrs.rows!.key,
  rule: 'constant',
};

/** A size attribute of eye/ones/zeros, which the constructors always set. */
function sizeAttr(op: string, d: Dim | undefined): Dim {
  if (!d) throw new RangeError(`internal: ${op} needs its sizes in attrs`);
  return d;
}

/** A dim in LaTeX: `n`, `n \cdot d`. */
const dimLatex = (d: Dim): string => d.key.replaceAll('*', ' \\cdot ');

/** The subscript of ones/zeros: `n` for a column, `m\times n` otherwise. */
const sizeLatex = (rows: Dim, cols: Dim): string =>
  isOne(cols) ? dimLatex(rows) : `${dimLatex(rows)}\\times ${dimLatex(cols)}`;

/**
 * D (d²×d) with D v = vec(diag v): entry (j·d + i, k) is 1 when i = j = k, the Hadamard product of
 * vec(I_d) (i = j) and 𝟏_d ⊗ I_d (i = k).
 */
function diagSelector(d: Dim): Expr {
  return mul(vecE(eyeE(d)), kron(onesE(d), eyeE(d)));
}

export const vec: OpSpec = {
  arity: 1,
  shape: ([a]) => shape(dimMul(a.rows, a.cols), ONE),
  // vec(X)[j·m + i] = x_ij for X m×n. Unstacking g (mn×1): spread it over the n columns with
  // g ⊙ kron(I_n, 1_m), then fold the m-row blocks together with kron(1ᵀ_n, I_m).
  vjp: (ct, _out, [a]) => {
    const [m, n] = [a.shape.rows, a.shape.cols];
    return [matmul(kron(onesE(ONE, n), eyeE(m)), mul(ct, kron(eyeE(n), onesE(m))))];
  },
  // vec(vec A) = vec A
  jvp: (_out, _args, _attrs, [t]) => t,
  eval: ([a]) => vecK(matrix(a.rows * a.cols, 1), a),
  text: () => ({ form: 'call', name: 'vec' }),
  latex: () => ({ form: 'call', name: '\\operatorname{vec}' }),
  js: { kind: 'kernel', name: 'vec' },
  numpy: ([a]) => `${a}.reshape((-1, 1), order='F')`,
  rule: 'vec is a reshape: unstack the cotangent',
};

export const diagm: OpSpec = {
  arity: 1,
  shape: ([a]) => {
    if (isOne(a.cols)) return shape(a.rows, a.rows);
    if (isOne(a.rows)) return shape(a.cols, a.cols);
    throw new ShapeError(`diagm (diag of a vector) needs a d×1 or 1×d vector, got ${shapeText(a)}`);
  },
  // diag(v) places vᵢ at (i, i), so ∇v = the diagonal of G, as a row when v is a row.
  vjp: (ct, _out, [a]) => [isOne(a.shape.cols) ? diagvE(ct) : transpose(diagvE(ct))],
  // vec(diag v) = D v with D the d²×d diagonal selector
  jvp: (out, _args, _attrs, [t]) => t && matmul(diagSelector(out.shape.rows), t),
  eval: ([a]) => {
    const d = a.rows * a.cols;
    return diagmK(matrix(d, d), a);
  },
  text: () => ({ form: 'call', name: 'diag' }),
  latex: () => ({ form: 'call', name: '\\operatorname{diag}' }),
  js: { kind: 'kernel', name: 'diagm' },
  numpy: ([a]) => `np.diagflat(${a})`,
  rule: 'diag of a vector: take the diagonal of the cotangent',
};

export const diagv: OpSpec = {
  arity: 1,
  shape: ([a]) => {
    if (a.rows !== a.cols) {
      throw new ShapeError(`diagv (diag of a matrix) needs a square matrix, got ${shapeText(a)}`);
    }
    return shape(a.rows, ONE);
  },
  // The diagonal picks x_ii, so ∇X = diag(g): the cotangent on the diagonal, zero elsewhere.
  vjp: (ct) => [diagmE(ct)],
  // diag(A) = Dᵀ vec(A) with D the d²×d diagonal selector
  jvp: (_out, [a], _attrs, [t]) => t && matmul(transpose(diagSelector(a.shape.rows)), t),
  eval: ([a]) => diagvK(matrix(a.rows, 1), a),
  text: () => ({ form: 'call', name: 'diag' }),
  latex: () => ({ form: 'call', name: '\\operatorname{diag}' }),
  js: { kind: 'kernel', name: 'diagv' },
  numpy: ([a]) => `np.diag(${a}).reshape(-1, 1)`,
  rule: 'diag of a matrix: place the cotangent on the diagonal',
};

export const eye: OpSpec = {
  arity: 0,
  shape: (_s, attrs) => {
    const n = sizeAttr('eye', attrs.rows);
    return requireSquare('eye', shape(n, attrs.cols ?? n));
  },
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) => {
    const n = ctx.dim(sizeAttr('eye', attrs.rows));
    return eyeK(matrix(n, n));
  },
  text: (_s, attrs) => ({ form: 'call', name: 'eye', extra: [sizeAttr('eye', attrs.rows).key] }),
  latex: (_s, attrs) => ({ form: 'atom', text: `I_{${dimLatex(sizeAttr('eye', attrs.rows))}}` }),
  js: { kind: 'kernel', name: 'eye' },
  numpy: (_a, attrs) => `np.eye(${sizeAttr('eye', attrs.rows).key})`,
  rule: 'constant',
};

export const ones: OpSpec = {
  arity: 0,
  shape: (_s, attrs) => shape(sizeAttr('ones', attrs.rows), sizeAttr('ones', attrs.cols)),
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) =>
    fill(matrix(ctx.dim(sizeAttr('ones', attrs.rows)), ctx.dim(sizeAttr('ones', attrs.cols))), 1),
  text: (_s, attrs) => ({
    form: 'call',
    name: 'ones',
    extra: [sizeAttr('ones', attrs.rows).key, sizeAttr('ones', attrs.cols).key],
  }),
  latex: (_s, attrs) => ({
    form: 'atom',
    text: `\\mathbf{1}_{${sizeLatex(sizeAttr('ones', attrs.rows), sizeAttr('ones', attrs.cols))}}`,
  }),
  js: { kind: 'kernel', name: 'fill', extra: () => [1] },
  numpy: (_a, attrs) => `np.ones((${sizeAttr('ones', attrs.rows).key}, ${sizeAttr('ones', attrs.cols).key}))`,
  rule: 'constant',
};

export const zeros: OpSpec = {
  arity: 0,
  shape: (_s, attrs) => shape(sizeAttr('zeros', attrs.rows), sizeAttr('zeros', attrs.cols)),
  vjp: () => [],
  jvp: () => null,
  eval: (_args, attrs, ctx) =>
    matrix(ctx.dim(sizeAttr('zeros', attrs.rows)), ctx.dim(sizeAttr('zeros', attrs.cols))),
  text: (_s, attrs) => ({
    form: 'call',
    name: 'zeros',
    extra: [sizeAttr('zeros', attrs.rows).key, sizeAttr('zeros', attrs.cols).key],
  }),
  latex: (_s, attrs) => ({
    form: 'atom',
    text: `0_{${sizeLatex(sizeAttr('zeros', attrs.rows), sizeAttr('zeros', attrs.cols))}}`,
  }),
  js: { kind: 'kernel', name: 'fill', extra: () => [0] },
  numpy: (_a, attrs) =>
    `np.zeros((${sizeAttr('zeros', attrs.rows).key}, ${sizeAttr('zeros', attrs.cols).key}))`,
  rule: 'constant',
};
