// Elementwise kernels with NumPy broadcasting of size-1 dims, writing into a preallocated `out`.
import { type Matrix, matrix } from './matrix.js';

/** Shape of broadcasting a and b (numeric); throws when incompatible. */
export function broadcastSize(a: Matrix, b: Matrix): [number, number] {
  const r = a.rows === b.rows ? a.rows : a.rows === 1 ? b.rows : b.rows === 1 ? a.rows : -1;
  const c = a.cols === b.cols ? a.cols : a.cols === 1 ? b.cols : b.cols === 1 ? a.cols : -1;
  if (r < 0 || c < 0) throw new RangeError(`cannot broadcast ${a.rows}x${a.cols} with ${b.rows}x${b.cols}`);
  return [r, c];
}

export function map1(out: Matrix, a: Matrix, f: (x: number) => number): Matrix {
  const n = out.data.length;
  const ad = a.data;
  const od = out.data;
  for (let i = 0; i < n; i++) od[i] = f(ad[i]);
  return out;
}

/** out[i,j] = f(a[i∧, j∧], b[i∧, j∧]) where ∧ pins a size-1 dim to index 0. */
export function map2(out: Matrix, a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  const { rows, cols } = out;
  const od = out.data;
  const ad = a.data;
  const bd = b.data;
  if (a.rows === rows && a.cols === cols && b.rows === rows && b.cols === cols) {
    for (let i = 0; i < od.length; i++) od[i] = f(ad[i], bd[i]);
    return out;
  }
  const ars = a.rows === 1 ? 0 : a.cols;
  const acs = a.cols === 1 ? 0 : 1;
  const brs = b.rows === 1 ? 0 : b.cols;
  const bcs = b.cols === 1 ? 0 : 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) od[i * cols + j] = f(ad[i * ars + j * acs], bd[i * brs + j * bcs]);
  }
  return out;
}

export function mapNew1(a: Matrix, f: (x: number) => number): Matrix {
  return map1(matrix(a.rows, a.cols), a, f);
}

export function mapNew2(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  const [r, c] = broadcastSize(a, b);
  return map2(matrix(r, c), a, b, f);
}
