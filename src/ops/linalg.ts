// Matrix ops: matmul, transpose, trace, det, logdet, inv, matpow (integer power), kron.
// Square-only ops check square-ness symbolically (rows === cols as Dims) and name themselves in the error.
import { dimMul, ONE } from '../ir/dim.js';
import { LimitError, ShapeError } from '../ir/errors.js';
import type { Expr } from '../ir/expr.js';
import { isVector, SCALAR, type Shape, shape, shapeText } from '../ir/shape.js';
import { gemm } from '../kernels/gemm.js';
import {
  det as detK,
  inv as invK,
  kron as kronK,
  logdet as logdetK,
  matpow as matpowK,
  trace as traceK,
  transpose as transposeK,
} from '../kernels/linalg.js';
import { matrix } from '../kernels/matrix.js';
import {
  add,
  addTangents,
  apply,
  commutation,
  eye,
  inv as invE,
  kron as kronE,
  matpow as matpowE,
  neg,
  ones,
  vec,
  vecOf,
} from './build.js';
import { requireSquare } from './shared.js';
import { matmul as matmulE, mul, transpose as transposeE } from './tidy.js';

const adjE = (a: Expr): Expr => apply('adj', [a]);

import type { OpSpec } from './spec.js';

/** Shape rule of trace/det/logdet: a square matrix to 1×1. */
function scalarOfSquare(op: string) {
  return ([a]: readonly Shape[]): Shape => {
    requireSquare(op, a);
    return SCALAR;
  };
}

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
  vjp: (ct, _out, [a, b], _attrs, needs) => [
    needs?.[0] === false ? null : matmulE(ct, transposeE(b)),
    needs?.[1] === false ? null : matmulE(transposeE(a), ct),
  ],
  // vec(dA B + A dB) = (Bᵀ ⊗ I_m) vec dA + (I_q ⊗ A) vec dB
  jvp: (_out, [a, b], _attrs, [ta, tb]) =>
    addTangents(
      ta && matmulE(kronE(transposeE(b), eye(a.shape.rows)), ta),
      tb && matmulE(kronE(eye(b.shape.cols), a), tb),
    ),
  eval: ([a, b]) => gemm(matrix(a.rows, b.cols), a, b, false, false),
  text: () => ({ form: 'infix', symbol: '*' }),
  latex: () => ({ form: 'infix', symbol: '' }),
  js: { kind: 'kernel', name: 'gemm', extra: () => ['false', 'false'] },
  numpy: ([a, b]) => `${a} @ ${b}`,
  rule: 'product rule for matmul',
};

export const transpose: OpSpec = {
  arity: 1,
  shape: ([a]) => shape(a.cols, a.rows),
  // d(Aᵀ) = (dA)ᵀ ⇒ ∇A = Gᵀ
  vjp: (ct) => [transposeE(ct)],
  // vec(dAᵀ) = K_mn vec(dA), the commutation matrix; for a vector vec(Aᵀ) = vec(A).
  jvp: (_out, [a], _attrs, [t]) =>
    t && (isVector(a.shape) ? t : matmulE(commutation(a.shape.rows, a.shape.cols), t)),
  eval: ([a]) => transposeK(matrix(a.cols, a.rows), a),
  text: () => ({ form: 'postfix', symbol: "'" }),
  latex: () => ({ form: 'postfix', symbol: '^{\\top}' }),
  js: { kind: 'kernel', name: 'transpose' },
  numpy: ([a]) => `${a}.T`,
  rule: 'transpose',
};

export const trace: OpSpec = {
  arity: 1,
  shape: scalarOfSquare('trace'),
  // d tr(A) = tr(I dA) ⇒ ∇A = g·I
  vjp: (ct, _out, [a]) => [mul(ct, eye(a.shape.rows))],
  // d tr(A) = vec(I)ᵀ vec(dA)
  jvp: (_out, [a], _attrs, [t]) => t && matmulE(transposeE(vec(eye(a.shape.rows))), t),
  eval: ([a]) => traceK(matrix(1, 1), a),
  text: () => ({ form: 'call', name: 'trace' }),
  latex: () => ({ form: 'call', name: '\\operatorname{tr}' }),
  js: { kind: 'kernel', name: 'trace' },
  numpy: ([a]) => `np.trace(${a}).reshape(1, 1)`,
  rule: 'derivative of the trace',
};

export const det: OpSpec = {
  arity: 1,
  shape: scalarOfSquare('det'),
  // Jacobi: d det(A) = tr(adj(A) dA) ⇒ ∇A = g·adj(A)ᵀ (= g·det(A)·A⁻ᵀ where A is invertible, and defined
  // where it is not)
  vjp: (ct, _out, [a]) => [mul(ct, transposeE(adjE(a)))],
  // d det(A) = vec(adj(A)ᵀ)ᵀ vec(dA)
  jvp: (_out, [a], _attrs, [t]) => t && matmulE(transposeE(vec(transposeE(adjE(a)))), t),
  eval: ([a]) => detK(matrix(1, 1), a),
  text: () => ({ form: 'call', name: 'det' }),
  latex: () => ({ form: 'call', name: '\\det' }),
  js: { kind: 'kernel', name: 'detInto' },
  numpy: ([a]) => `np.linalg.det(${a}).reshape(1, 1)`,
  rule: "Jacobi's formula for the determinant",
  domain: ['full'],
};

export const logdet: OpSpec = {
  arity: 1,
  shape: scalarOfSquare('logdet'),
  // d log|det A| = tr(A⁻¹ dA) ⇒ ∇A = g·A⁻ᵀ
  vjp: (ct, _out, [a]) => [mul(ct, transposeE(invE(a)))],
  // d log|det A| = vec(A⁻ᵀ)ᵀ vec(dA)
  jvp: (_out, [a], _attrs, [t]) => t && matmulE(transposeE(vec(transposeE(invE(a)))), t),
  eval: ([a]) => logdetK(matrix(1, 1), a),
  text: () => ({ form: 'call', name: 'logdet' }),
  latex: () => ({ form: 'wrap', open: '\\log\\left\\lvert\\det\\left(', close: '\\right)\\right\\rvert' }),
  js: { kind: 'kernel', name: 'logdetInto' },
  numpy: ([a]) => `_logdet(${a})`,
  rule: 'derivative of log|det|',
  domain: ['full'],
};

export const inv: OpSpec = {
  arity: 1,
  shape: ([a]) => requireSquare('inv', a),
  // d(A⁻¹) = -A⁻¹ dA A⁻¹ ⇒ ∇A = -A⁻ᵀ G A⁻ᵀ
  vjp: (ct, out) => [neg(matmulE(matmulE(transposeE(out), ct), transposeE(out)))],
  // vec(-A⁻¹ dA A⁻¹) = -(A⁻ᵀ ⊗ A⁻¹) vec(dA)
  jvp: (out, _args, _attrs, [t]) => t && neg(matmulE(kronE(transposeE(out), out), t)),
  eval: ([a]) => invK(matrix(a.rows, a.cols), a),
  text: () => ({ form: 'call', name: 'inv' }),
  latex: () => ({ form: 'postfix', symbol: '^{-1}' }),
  js: { kind: 'kernel', name: 'invInto' },
  numpy: ([a]) => `np.linalg.inv(${a})`,
  rule: 'derivative of the inverse',
  domain: ['full'],
};

/** attrs.power, checked to be an integer ≥ 0. */
function powerOf(power: number | undefined, a: string): number {
  const k = power ?? Number.NaN;
  if (!Number.isInteger(k) || k < 0) {
    throw new ShapeError(`matpow needs an integer power k ≥ 0, got ${String(power)} (of ${a})`);
  }
  return k;
}

/**
 * The largest k whose A^k matcalc differentiates: the product rule expands A^k into k terms (k² under a
 * Hessian), so a larger power would build an expression that does not fit in memory.
 */
const MAX_DIFFERENTIABLE_POWER = 64;

function differentiablePower(k: number): number {
  if (k > MAX_DIFFERENTIABLE_POWER) {
    throw new LimitError(
      `cannot differentiate the matrix power ^${k}: its derivative has ${k} terms, and matcalc differentiates ` +
        `integer matrix powers up to ^${MAX_DIFFERENTIABLE_POWER}`,
    );
  }
  return k;
}

/** (Aᵀ)^i as an expression, or null for i = 0 (the identity, left out of products). */
function transposePower(at: Expr, i: number): Expr | null {
  return i === 0 ? null : i === 1 ? at : matpowE(at, i);
}

export const matpow: OpSpec = {
  arity: 1,
  shape: ([a], attrs) => {
    powerOf(attrs.power, shapeText(a));
    return requireSquare('matpow', a);
  },
  // d(A^k) = Σᵢ Aⁱ dA A^{k-1-i} ⇒ ∇A = Σ_{i=0}^{k-1} (Aᵀ)ⁱ G (Aᵀ)^{k-1-i}; A⁰ = I has no dependence.
  vjp: (ct, _out, [a], attrs) => {
    const k = differentiablePower(attrs.power ?? 0);
    if (k === 0) return [null];
    const at = transposeE(a);
    let total: Expr | null = null;
    for (let i = 0; i < k; i++) {
      const left = transposePower(at, i);
      const right = transposePower(at, k - 1 - i);
      let term = left ? matmulE(left, ct) : ct;
      if (right) term = matmulE(term, right);
      total = total ? add(total, term) : term;
    }
    return [total];
  },
  // vec Σᵢ Aⁱ dA A^{k-1-i} = Σ_{i=0}^{k-1} ((A^{k-1-i})ᵀ ⊗ Aⁱ) vec(dA); A⁰ = I.
  jvp: (_out, [a], attrs, [t]) => {
    if (!t) return null;
    const k = differentiablePower(attrs.power ?? 0);
    if (k === 0) return null;
    const n = a.shape.rows;
    const power = (i: number): Expr => (i === 0 ? eye(n) : i === 1 ? a : matpowE(a, i));
    let total: Expr | null = null;
    for (let i = 0; i < k; i++) {
      const term = kronE(transposeE(power(k - 1 - i)), power(i));
      total = total ? add(total, term) : term;
    }
    return total && matmulE(total, t);
  },
  eval: ([a], attrs) => matpowK(matrix(a.rows, a.cols), a, attrs.power ?? 0),
  text: (_s, attrs) => ({ form: 'power', exponent: String(attrs.power) }),
  latex: (_s, attrs) => ({ form: 'postfix', symbol: `^{${attrs.power}}` }),
  js: { kind: 'kernel', name: 'matpowInto', extra: (attrs) => [attrs.power ?? 0] },
  numpy: ([a], attrs) => `np.linalg.matrix_power(${a}, ${attrs.power})`,
  rule: 'product rule for the matrix power',
};

export const kron: OpSpec = {
  arity: 2,
  shape: ([a, b]) => shape(dimMul(a.rows, b.rows), dimMul(a.cols, b.cols)),
  // A m×n, B p×q, G = ∇(A⊗B). Block (i,j) of A⊗B is a_ij B, so ∇a_ij = ⟨G_ij, B⟩ and ∇B = Σ_ij a_ij G_ij.
  // Both as block sums by products: kron(I_m, 1ᵀ_p)·H·kron(I_n, 1_q) sums each p×q block of H to one entry;
  // kron(1ᵀ_m, I_p)·H·kron(1_n, I_q) adds all the p×q blocks of H together.
  vjp: (ct, _out, [a, b]) => {
    const [m, n] = [a.shape.rows, a.shape.cols];
    const [p, q] = [b.shape.rows, b.shape.cols];
    const blocksA = mul(ct, kronE(ones(m, n), b));
    const blocksB = mul(ct, kronE(a, ones(p, q)));
    return [
      matmulE(matmulE(kronE(eye(m), ones(ONE, p)), blocksA), kronE(eye(n), ones(q))),
      matmulE(matmulE(kronE(ones(ONE, m), eye(p)), blocksB), kronE(ones(n), eye(q))),
    ];
  },
  // Magnus & Neudecker Thm 3.10: vec(A ⊗ B) = (I_n ⊗ K_qm ⊗ I_p)(vec A ⊗ vec B), so
  // vec d(A ⊗ B) = (I_n ⊗ K_qm ⊗ I_p)(J_A ⊗ vec B + vec A ⊗ J_B); K_qm = I when q or m is 1.
  jvp: (_out, [a, b], _attrs, [ta, tb]) => {
    const [m, n] = [a.shape.rows, a.shape.cols];
    const [p, q] = [b.shape.rows, b.shape.cols];
    const stacked = addTangents(ta && kronE(ta, vecOf(b)), tb && kronE(vecOf(a), tb));
    if (!stacked || m === ONE || q === ONE) return stacked;
    return matmulE(kronE(kronE(eye(n), commutation(q, m)), eye(p)), stacked);
  },
  eval: ([a, b]) => kronK(matrix(a.rows * b.rows, a.cols * b.cols), a, b),
  text: () => ({ form: 'call', name: 'kron' }),
  latex: () => ({ form: 'infix', symbol: '\\otimes' }),
  js: { kind: 'kernel', name: 'kron' },
  numpy: ([a, b]) => `np.kron(${a}, ${b})`,
  rule: 'product rule for the Kronecker product',
};
