// Allocation-free inverse, determinant, log|det| and matrix power for compiled closures: same results as
// linalg.ts, but their scratch space is cached per size n, so repeated calls at a size allocate nothing.
import { gemm } from './gemm.js';
import { luInPlace, SingularMatrixError } from './linalg.js';
import type { Matrix } from './matrix.js';

interface Scratch {
  readonly lu: Float64Array;
  readonly perm: Int32Array;
  readonly x: Float64Array;
  readonly base: Matrix;
  readonly tmp: Matrix;
}

const cache = new Map<number, Scratch>();

function scratchFor(n: number): Scratch {
  let s = cache.get(n);
  if (!s) {
    s = {
      lu: new Float64Array(n * n),
      perm: new Int32Array(n),
      x: new Float64Array(n),
      base: { rows: n, cols: n, data: new Float64Array(n * n) },
      tmp: { rows: n, cols: n, data: new Float64Array(n * n) },
    };
    cache.set(n, s);
  }
  return s;
}

/** Column (from 1) of the first exactly-zero pivot of the last `factor`, or 0. */
let singular = 0;

/**
 * PA = LU with partial pivoting into `s.lu`/`s.perm` (as luFactor in linalg.ts); returns det(P) = ±1, or
 * 0 when a pivot is exactly 0 (then `singular` holds its column).
 */
function factor(a: Matrix, s: Scratch): number {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`LU needs a square matrix, got ${a.rows}x${a.cols}`);
  s.lu.set(a.data);
  const { sign, singularColumn } = luInPlace(s.lu, s.perm, n);
  singular = singularColumn;
  return singular > 0 ? 0 : sign;
}

/** out = A⁻¹: L y = P e_c, U x = y for each column c. */
export function invInto(out: Matrix, a: Matrix): Matrix {
  const n = a.rows;
  const s = scratchFor(n);
  if (factor(a, s) === 0) throw new SingularMatrixError(singular);
  const { lu, perm, x } = s;
  const od = out.data;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let t = perm[i] === c ? 1 : 0;
      for (let j = 0; j < i; j++) t -= lu[i * n + j] * x[j];
      x[i] = t;
    }
    for (let i = n - 1; i >= 0; i--) {
      let t = x[i];
      for (let j = i + 1; j < n; j++) t -= lu[i * n + j] * x[j];
      x[i] = t / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) od[i * n + c] = x[i];
  }
  return out;
}

/** out = det(A) = det(P)·∏ uᵢᵢ; 0 for a singular matrix. */
export function detInto(out: Matrix, a: Matrix): Matrix {
  const n = a.rows;
  const s = scratchFor(n);
  let d = factor(a, s);
  for (let i = 0; i < n && d !== 0; i++) d *= s.lu[i * n + i];
  out.data[0] = d;
  return out;
}

/** out = log|det(A)| = Σ log|uᵢᵢ|, summed in log space so that it cannot overflow or underflow. */
export function logdetInto(out: Matrix, a: Matrix): Matrix {
  const n = a.rows;
  const s = scratchFor(n);
  if (factor(a, s) === 0) throw new SingularMatrixError(singular);
  let t = 0;
  for (let i = 0; i < n; i++) t += Math.log(Math.abs(s.lu[i * n + i]));
  out.data[0] = t;
  return out;
}

/** out = A^k for an integer k ≥ 0 by repeated squaring (A⁰ = I); `out` must not alias `a`. */
export function matpowInto(out: Matrix, a: Matrix, k: number): Matrix {
  const n = a.rows;
  const { base, tmp } = scratchFor(n);
  const od = out.data;
  base.data.set(a.data);
  let started = false;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      if (!started) od.set(base.data);
      else {
        gemm(tmp, out, base, false, false);
        od.set(tmp.data);
      }
      started = true;
    }
    if (e > 1) {
      gemm(tmp, base, base, false, false);
      base.data.set(tmp.data);
    }
  }
  if (!started) {
    od.fill(0);
    for (let i = 0; i < n; i++) od[i * n + i] = 1;
  }
  return out;
}
