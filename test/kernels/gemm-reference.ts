// Test helpers for gemm kernels: seeded operands and the plain triple-loop reference with a per-entry error
// scale (the sum of |products|), so that kernels summing in another order are judged fairly.
import type { Matrix } from '../../src/kernels/matrix.js';

/** Uniform values in [−1, 1) from a seeded 32-bit LCG (Numerical Recipes constants). */
export function random(rows: number, cols: number, seed: number): Matrix {
  let s = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { rows, cols, data };
}

export function garbage(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols).fill(Number.NaN) };
}

/** Operands with op(A) m×k and op(B) k×n, stored transposed when the flags say so. */
export function operands(m: number, n: number, k: number, transA: boolean, transB: boolean, seed: number) {
  const a = transA ? random(k, m, seed) : random(m, k, seed);
  const b = transB ? random(n, k, seed + 1) : random(k, n, seed + 1);
  return { a, b };
}

/** out[i, j] = Σ_p op(A)[i, p]·op(B)[p, j], and the scale Σ_p |op(A)[i, p]·op(B)[p, j]| of each entry. */
export function reference(a: Matrix, b: Matrix, transA: boolean, transB: boolean) {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a.data[p * m + i] : a.data[i * k + p];
        const y = transB ? b.data[j * k + p] : b.data[p * n + j];
        s += x * y;
        t += Math.abs(x * y);
      }
      value[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { value, scale };
}

/** Largest |out − ref| / (Σ|products| + tiny): summation order may differ, so error is relative to that. */
export function relError(out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): number {
  const { value, scale } = reference(a, b, transA, transB);
  if (out.data.length !== value.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < value.length; i++) {
    const e = Math.abs(out.data[i] - value[i]) / (scale[i] + 1e-300);
    worst = Math.max(worst, Number.isNaN(e) ? Number.POSITIVE_INFINITY : e);
  }
  return worst;
}
