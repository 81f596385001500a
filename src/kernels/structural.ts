// Kernels for constants and reshapes: fill, eye, vec (column stacking), diagm (vector → diagonal
// matrix), diagv (square matrix → diagonal as a column),
// commutation (K_{m,n}). Out-parameter style.
import type { Matrix } from './matrix.js';

export function fill(out: Matrix, v: number): Matrix {
  out.data.fill(v);
  return out;
}

/** out = I (out square). */
export function eye(out: Matrix): Matrix {
  const n = out.rows;
  out.data.fill(0);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** out = vec(A): the columns of A stacked (Magnus & Neudecker), so vec(A)[j·m + i] = a_ij. */
export function vec(out: Matrix, a: Matrix): Matrix {
  const { rows, cols, data } = a;
  const od = out.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) od[j * rows + i] = data[i * cols + j];
  return out;
}

/** out = diag(v) for a column d×1 or row 1×d vector v (out d×d). */
export function diagm(out: Matrix, v: Matrix): Matrix {
  const n = out.rows;
  out.data.fill(0);
  for (let i = 0; i < n; i++) out.data[i * n + i] = v.data[i];
  return out;
}

/** out = the diagonal of a square A as a column (out d×1). */
export function diagv(out: Matrix, a: Matrix): Matrix {
  const n = out.rows;
  for (let i = 0; i < n; i++) out.data[i] = a.data[i * a.cols + i];
  return out;
}

/** out = K_{m,n} (mn×mn), the commutation matrix: K vec(X) = vec(Xᵀ) for X m×n, K[i·n + j, j·m + i] = 1. */
export function commutation(out: Matrix, m: number, n: number): Matrix {
  const size = m * n;
  out.data.fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[(i * n + j) * size + j * m + i] = 1;
  return out;
}
