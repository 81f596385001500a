// Reductions along MATLAB dims: 0 = all entries (1×1), 1 = down columns (1×n), 2 = across rows (m×1).
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
