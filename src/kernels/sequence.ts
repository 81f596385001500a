// Kernels for sequence models and the adjugate: the lower triangle, shift matrices (ones on one
// diagonal), the softmax of each row over the entries a 0/1 mask keeps, the entrywise 1-norm and adj(A).
// Out-parameter style.
import { luInPlace } from './linalg.js';
import type { Matrix } from './matrix.js';

/** out = tril(A): the entries on and below the diagonal, zeros above. */
export function trilInto(out: Matrix, a: Matrix): Matrix {
  const { rows, cols } = a;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out.data[i * cols + j] = j <= i ? a.data[i * cols + j] : 0;
  return out;
}

/** out = the n×n shift matrix with ones at (i, i + offset): (S X) row i is row i + offset of X (0 past the ends). */
export function shiftInto(out: Matrix, offset: number): Matrix {
  const n = out.rows;
  out.data.fill(0);
  for (let i = 0; i < n; i++) {
    const j = i + offset;
    if (j >= 0 && j < n) out.data[i * n + j] = 1;
  }
  return out;
}

/**
 * The softmax of each row of S over the entries where M ≠ 0, weighted by M: P_ij = M_ij e^{S_ij} / Σ_k M_ik e^{S_ik},
 * shifted by the row's max over kept entries; a row that keeps nothing is all zeros.
 */
export function maskedSoftmaxInto(out: Matrix, s: Matrix, m: Matrix): Matrix {
  const { rows, cols } = s;
  for (let i = 0; i < rows; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) {
      if (m.data[i * cols + j] !== 0 && s.data[i * cols + j] > mx) mx = s.data[i * cols + j];
    }
    let total = 0;
    for (let j = 0; j < cols; j++) {
      const w = m.data[i * cols + j];
      const e = w === 0 ? 0 : w * Math.exp(s.data[i * cols + j] - mx);
      out.data[i * cols + j] = e;
      total += e;
    }
    for (let j = 0; j < cols; j++) out.data[i * cols + j] = total > 0 ? out.data[i * cols + j] / total : 0;
  }
  return out;
}

/** out = Σ |a_ij| (1×1). */
export function norm1Into(out: Matrix, a: Matrix): Matrix {
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += Math.abs(a.data[k]);
  out.data[0] = s;
  return out;
}

interface AdjScratch {
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  readonly x: Float64Array;
  readonly minor: Float64Array;
  readonly minorPerm: Int32Array;
}

/** Scratch space per size n, so repeated calls at a size allocate nothing (as kernels/scratch.ts). */
const adjCache = new Map<number, AdjScratch>();

function adjScratch(n: number): AdjScratch {
  let s = adjCache.get(n);
  if (!s) {
    s = {
      lu: new Float64Array(n * n),
      perm: new Int32Array(n),
      x: new Float64Array(n),
      minor: new Float64Array((n - 1) * (n - 1)),
      minorPerm: new Int32Array(n - 1),
    };
    adjCache.set(n, s);
  }
  return s;
}

/** det of the (n−1)×(n−1) minor of A without row r and column c. */
function minorDet(a: Matrix, r: number, c: number, s: AdjScratch): number {
  const n = a.rows;
  const m = n - 1;
  for (let i = 0, p = 0; i < n; i++) {
    if (i === r) continue;
    for (let j = 0; j < n; j++) if (j !== c) s.minor[p++] = a.data[i * n + j];
  }
  const { sign, singularColumn } = luInPlace(s.minor, s.minorPerm, m);
  if (singularColumn > 0) return 0;
  let d = sign;
  for (let i = 0; i < m; i++) d *= s.minor[i * m + i];
  return d;
}

/**
 * out = adj(A), the transposed cofactor matrix: adj(A)_ij = (−1)^{i+j} det(A without row j, column i), so
 * A adj(A) = det(A) I. A well-conditioned A uses adj = det(A) A⁻¹ (O(n³)); a singular or nearly singular
 * one the cofactors themselves (O(n⁵)), which are exact where the inverse does not exist.
 */
export function adjInto(out: Matrix, a: Matrix): Matrix {
  const n = a.rows;
  if (n === 1) {
    out.data[0] = 1;
    return out;
  }
  const s = adjScratch(n);
  const lu = s.lu;
  const perm = s.perm;
  lu.set(a.data);
  const { sign, singularColumn } = luInPlace(lu, perm, n);
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const u = Math.abs(lu[i * n + i]);
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  if (singularColumn > 0 || !(lo > hi * 1e-8)) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out.data[i * n + j] = ((i + j) % 2 ? -1 : 1) * minorDet(a, j, i, s);
    return out;
  }
  let d = sign;
  for (let i = 0; i < n; i++) d *= lu[i * n + i];
  // det(A)·A⁻¹ column by column from PA = LU
  const x = s.x;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let acc = perm[i] === c ? 1 : 0;
      for (let j = 0; j < i; j++) acc -= lu[i * n + j] * x[j];
      x[i] = acc;
    }
    for (let i = n - 1; i >= 0; i--) {
      let acc = x[i];
      for (let j = i + 1; j < n; j++) acc -= lu[i * n + j] * x[j];
      x[i] = acc / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) out.data[i * n + c] = d * x[i];
  }
  return out;
}
