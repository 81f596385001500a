// Smart constructors: build op nodes with shapes inferred from the op records (ShapeError on mismatch).
// They do not simplify; simplify/ does. VJP rules are written with these and with ops/tidy.ts, which drops unit factors.
import { type Dim, dimConst, dimSym, ONE } from '../ir/dim.js';
import { type Attrs, constant, type Expr } from '../ir/expr.js';
import { internOp, NO_ATTRS } from '../ir/intern.js';
import { isScalar, type Shape, shape } from '../ir/shape.js';
import { type OpName, specOf } from './index.js';
import type { OpSpec } from './spec.js';

/** The node op(args) with its shape from the op's record; the record is asked only for a new node. */
export function apply(op: OpName, args: readonly Expr[], attrs: Attrs = NO_ATTRS): Expr {
  return make(op, args, attrs, false);
}

/** apply for args and attrs made by the caller for this call alone (kept by the node without a copy). */
function make(op: OpName, args: readonly Expr[], attrs: Attrs, fresh: boolean): Expr {
  const spec = specOf(op);
  if (args.length !== spec.arity)
    throw new RangeError(`${op} takes ${spec.arity} arguments, got ${args.length}`);
  return internOp(op, args, attrs, spec, fresh);
}

/** The constructor of a one-argument op, its record looked up at the first call (records load after this file). */
function unaryOp(op: OpName): (a: Expr) => Expr {
  let spec: OpSpec | undefined;
  return (a) => {
    spec ??= specOfArity(op, 1);
    return internOp(op, [a], NO_ATTRS, spec, true);
  };
}

function binaryOp(op: OpName): (a: Expr, b: Expr) => Expr {
  let spec: OpSpec | undefined;
  return (a, b) => {
    spec ??= specOfArity(op, 2);
    return internOp(op, [a, b], NO_ATTRS, spec, true);
  };
}

function specOfArity(op: OpName, arity: number): OpSpec {
  const spec = specOf(op);
  if (spec.arity !== arity) throw new RangeError(`${op} takes ${spec.arity} arguments, got ${arity}`);
  return spec;
}

/** A 1×1 constant; negative values are built as neg(const) so that printing round-trips. */
export function num(v: number): Expr {
  return v < 0 || Object.is(v, -0) ? neg(constant(-v)) : constant(v);
}

export const matmul = binaryOp('matmul');
export const add = binaryOp('add');
export const sub = binaryOp('sub');
/** Elementwise (Hadamard) product with broadcasting; also scalar × matrix. */
export const mul = binaryOp('emul');
/** Elementwise division with broadcasting; also matrix / scalar. */
export const div = binaryOp('ediv');
export const pow = binaryOp('epow');
export const neg = unaryOp('neg');
export const transpose = unaryOp('transpose');
export const exp = unaryOp('exp');
export const log = unaryOp('log');
export const sqrt = unaryOp('sqrt');
export const sigmoid = unaryOp('sigmoid');
export const tanh = unaryOp('tanh');
export const sum = (a: Expr, dim: 0 | 1 | 2 = 0) => make('sum', [a], { dim }, true);
export const trace = unaryOp('trace');
export const inv = unaryOp('inv');
export const kron = binaryOp('kron');
export const vec = unaryOp('vec');
/** Vector → diagonal matrix. */
export const diagm = unaryOp('diagm');
/** Square matrix → its diagonal as a column. */
export const diagv = unaryOp('diagv');
export const eye = (n: Dim) => make('eye', [], { rows: n, cols: n }, true);
export const ones = (rows: Dim, cols: Dim = ONE) => make('ones', [], { rows, cols }, true);
export const zeros = (rows: Dim, cols: Dim = ONE) => make('zeros', [], { rows, cols }, true);
export const onesOf = (s: Shape) => ones(s.rows, s.cols);
export const zerosOf = (s: Shape) => zeros(s.rows, s.cols);
export const dim = (n: number) => dimConst(n);
export { shape };

/** A symbolic dim as a 1×1 expression: the integer coefficient times one `size` node per symbol factor. */
export function dimExpr(d: Dim): Expr {
  let e: Expr | null = d.coef === 1 ? null : num(d.coef);
  for (const [s, k] of d.factors) {
    for (let i = 0; i < k; i++) {
      const atom = make('size', [], { rows: dimSym(s) }, true);
      e = e ? mul(e, atom) : atom;
    }
  }
  return e ?? num(1);
}

/** `A*B` as the language reads it: a scalar times a matrix when either side is 1×1, else a matrix product. */
export function times(a: Expr, b: Expr): Expr {
  return isScalar(a.shape) || isScalar(b.shape) ? mul(a, b) : matmul(a, b);
}
export const abs = unaryOp('abs');
export const relu = unaryOp('relu');
export const softplus = unaryOp('softplus');
export const sin = unaryOp('sin');
export const cos = unaryOp('cos');
export const sign = unaryOp('sign');
export const step = unaryOp('step');
export const mean = (a: Expr, dim: 0 | 1 | 2 = 0) => make('mean', [a], { dim }, true);
export const norm = unaryOp('norm');
export const softmax = (a: Expr, dim: 0 | 1 | 2 = 0) => make('softmax', [a], { dim }, true);
export const logsoftmax = (a: Expr, dim: 0 | 1 | 2 = 0) => make('logsoftmax', [a], { dim }, true);
export const logsumexp = (a: Expr, dim: 0 | 1 | 2 = 0) => make('logsumexp', [a], { dim }, true);
export const det = unaryOp('det');
export const logdet = unaryOp('logdet');
/** Integer matrix power A^k, k ≥ 0. */
export const matpow = (a: Expr, power: number) => make('matpow', [a], { power }, true);

// Forward mode in vec form: a tangent is ∂vec(v)/∂vec(x), a (numel v)×N matrix (see OpSpec.jvp).
import { dimMul } from '../ir/dim.js';

/** Entries of a shape as a dim: rows·cols, the length of its vec and the row count of its tangent. */
export const numel = (s: Shape): Dim => dimMul(s.rows, s.cols);
/** vec(a), leaving a column (or 1×1) as it is, since vec of a column is itself. */
export const vecOf = (a: Expr): Expr => (a.shape.cols === ONE ? a : vec(a));

/** vec of an operand broadcast to the shape `out`; a 1×1 stays 1×1, as it broadcasts by itself. */
export function vecBroadcast(a: Expr, out: Shape): Expr {
  if (isScalar(a.shape) || (a.shape.rows === out.rows && a.shape.cols === out.cols)) return vecOf(a);
  return vec(mul(a, ones(out.rows, out.cols)));
}

/** The sum of two tangents, either of which may be absent (null = no dependence). */
export function addTangents(a: Expr | null, b: Expr | null): Expr | null {
  return a && b ? add(a, b) : (a ?? b);
}

/** A tangent with one row per entry of `out`: a 1×N tangent of a broadcast 1×1 is repeated, 𝟏·t. */
export function fullTangent(t: Expr, out: Shape): Expr {
  const n = numel(out);
  return t.shape.rows === n ? t : matmul(ones(n), t);
}

/** The commutation matrix K_{m,n} (mn×mn) with K vec(X) = vec(Xᵀ) for X m×n (the `commutation` op). */
export function commutation(m: Dim, n: Dim): Expr {
  return apply('commutation', [], { rows: m, cols: n });
}

/**
 * Sums the rows of a tangent of a p×q value within the groups that a reduction along `dim` combines:
 * dim 0 all entries, 𝟏ᵀ t; dim 1 each column, (I_q ⊗ 𝟏ᵀ_p) t; dim 2 each row, (𝟏ᵀ_q ⊗ I_p) t.
 */
export function reduceTangent(t: Expr, s: Shape, dim: 0 | 1 | 2): Expr {
  switch (dim) {
    case 1:
      return matmul(kron(eye(s.cols), ones(ONE, s.rows)), t);
    case 2:
      return matmul(kron(ones(ONE, s.cols), eye(s.rows)), t);
    default:
      return sum(t, 1);
  }
}

/** The transpose of reduceTangent: repeats each group's row over the group; for dim 0 the 1×N row broadcasts. */
export function spreadTangent(t: Expr, s: Shape, dim: 0 | 1 | 2): Expr {
  switch (dim) {
    case 1:
      return matmul(kron(eye(s.cols), ones(s.rows)), t);
    case 2:
      return matmul(kron(ones(s.cols), eye(s.rows)), t);
    default:
      return t;
  }
}
