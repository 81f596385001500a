// Reductions along MATLAB dims: 0 = all entries (1×1), 1 = down columns (1×n), 2 = across rows (m×1);
// plus the 2-norm / Frobenius norm. Each `…Into` writes into a preallocated `out` of the reduced shape.
import { type Matrix, matrix } from './matrix.js';

export function sumInto(out: Matrix, a: Matrix, dim: number): Matrix {
  const { rows, cols, data } = a;
  const od = out.data;
  od.fill(0);
  if (dim === 0) {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i];
    od[0] = s;
  } else if (dim === 1) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) od[j] += data[i * cols + j];
  } else {
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += data[i * cols + j];
      od[i] = s;
    }
  }
  return out;
}

export function sumDim(a: Matrix, dim: number): Matrix {
  const out = dim === 0 ? matrix(1, 1) : dim === 1 ? matrix(1, a.cols) : matrix(a.rows, 1);
  return sumInto(out, a, dim);
}

/** Mean along `dim`: the sum divided by the number of entries reduced (m·n, m or n). */
export function meanInto(out: Matrix, a: Matrix, dim: number): Matrix {
  sumInto(out, a, dim);
  const count = dim === 0 ? a.rows * a.cols : dim === 1 ? a.rows : a.cols;
  const od = out.data;
  for (let i = 0; i < od.length; i++) od[i] /= count;
  return out;
}

/** ‖A‖ = s·sqrt(Σ (a/s)²) with s = max |a|, so huge entries do not overflow nor tiny ones underflow. */
export function normInto(out: Matrix, a: Matrix): Matrix {
  const data = a.data;
  let scale = 0;
  let nan = false;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (v > scale) scale = v;
    else if (Number.isNaN(v)) nan = true;
  }
  if (nan || scale === 0 || scale === Number.POSITIVE_INFINITY) {
    out.data[0] = nan ? Number.NaN : scale;
    return out;
  }
  let s = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] / scale;
    s += v * v;
  }
  out.data[0] = scale * Math.sqrt(s);
  return out;
}
