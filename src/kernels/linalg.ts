// Linear-algebra kernels: LU factorization with partial pivoting, inverse, determinant, log|det|, trace,
// integer matrix power, transpose, kron. Out-parameter style: each writes into `out` and returns it.
import { gemm } from './gemm.js';
import type { Matrix } from './matrix.js';

/** An inverse or log|det| was asked of a matrix with an exactly zero pivot (columns counted from 1). */
export class SingularMatrixError extends Error {
  constructor(readonly column: number) {
    super(`matrix is singular (pivot 0 at column ${column})`);
    this.name = 'SingularMatrixError';
  }
}

/** PA = LU packed in one n×n buffer (L unit lower, U upper); `perm[i]` is the row of A in row i of PA. */
export interface LU {
  readonly n: number;
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  /** det(P): +1 or -1. */
  readonly sign: number;
  /** First column (from 1) whose pivot is exactly 0, or 0 when there is none. */
  readonly singularColumn: number;
}

/**
 * LU with partial pivoting. A zero pivot (the whole column below the diagonal is 0) is recorded, not
 * thrown: det is then 0, and inv/logdet throw. Singular means exactly singular, as LAPACK's getrf.
 */
export function luFactor(a: Matrix): LU {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`LU needs a square matrix, got ${a.rows}x${a.cols}`);
  const lu = a.data.slice();
  const perm = new Int32Array(n);
  const { sign, singularColumn } = luInPlace(lu, perm, n);
  return { n, lu, perm, sign, singularColumn };
}

/** The factorization of luFactor, in place in `lu` (holding A on entry) and `perm`, allocating nothing. */
export function luInPlace(
  lu: Float64Array,
  perm: Int32Array,
  n: number,
): { sign: number; singularColumn: number } {
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  let singularColumn = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0 || Number.isNaN(best)) {
      if (singularColumn === 0) singularColumn = k + 1;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      sign = -sign;
    }
    const pivot = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const l = lu[i * n + k] / pivot;
      lu[i * n + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= l * lu[k * n + j];
    }
  }
  return { sign, singularColumn };
}

/** out = A⁻¹, by solving LU X = P I column by column. */
export function inv(out: Matrix, a: Matrix): Matrix {
  const { n, lu, perm, singularColumn } = luFactor(a);
  if (singularColumn > 0) throw new SingularMatrixError(singularColumn);
  const od = out.data;
  const x = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Forward substitution L y = P e_c.
    for (let i = 0; i < n; i++) {
      let s = perm[i] === c ? 1 : 0;
      for (let j = 0; j < i; j++) s -= lu[i * n + j] * x[j];
      x[i] = s;
    }
    // Back substitution U x = y.
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j];
      x[i] = s / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) od[i * n + c] = x[i];
  }
  return out;
}

/** out = det(A) = det(P)·∏ uᵢᵢ; 0 for a singular matrix. */
export function det(out: Matrix, a: Matrix): Matrix {
  const { n, lu, sign, singularColumn } = luFactor(a);
  let d = singularColumn > 0 ? 0 : sign;
  for (let i = 0; i < n && d !== 0; i++) d *= lu[i * n + i];
  out.data[0] = d;
  return out;
}

/** out = log|det(A)| = Σ log|uᵢᵢ|, summed in log space so that it cannot overflow or underflow. */
export function logdet(out: Matrix, a: Matrix): Matrix {
  const { n, lu, singularColumn } = luFactor(a);
  if (singularColumn > 0) throw new SingularMatrixError(singularColumn);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(Math.abs(lu[i * n + i]));
  out.data[0] = s;
  return out;
}

/** out = tr(A) (1×1). */
export function trace(out: Matrix, a: Matrix): Matrix {
  const n = Math.min(a.rows, a.cols);
  let s = 0;
  for (let i = 0; i < n; i++) s += a.data[i * a.cols + i];
  out.data[0] = s;
  return out;
}

/** out = A^k for an integer k ≥ 0, by repeated squaring (A⁰ = I). */
export function matpow(out: Matrix, a: Matrix, k: number): Matrix {
  const n = a.rows;
  let result: Matrix | null = null;
  let base: Matrix = { rows: n, cols: n, data: a.data.slice() };
  let scratch: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      if (result === null) result = { rows: n, cols: n, data: base.data.slice() };
      else {
        gemm(scratch, result, base, false, false);
        [result, scratch] = [scratch, result];
      }
    }
    if (e > 1) {
      gemm(scratch, base, base, false, false);
      [base, scratch] = [scratch, base];
    }
  }
  if (result === null) {
    out.data.fill(0);
    for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  } else out.data.set(result.data);
  return out;
}

/** out = Aᵀ. */
export function transpose(out: Matrix, a: Matrix): Matrix {
  const { rows, cols, data } = a;
  const od = out.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) od[j * rows + i] = data[i * cols + j];
  return out;
}

/** out = A ⊗ B: block (i, j) is a_ij·B. */
export function kron(out: Matrix, a: Matrix, b: Matrix): Matrix {
  const p = b.rows;
  const q = b.cols;
  const width = a.cols * q;
  const od = out.data;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const aij = a.data[i * a.cols + j];
      for (let r = 0; r < p; r++) {
        const row = (i * p + r) * width + j * q;
        for (let c = 0; c < q; c++) od[row + c] = aij * b.data[r * q + c];
      }
    }
  }
  return out;
}
