// Kernels for constants and reshapes: fill, eye, vec, diag.
import type { Matrix } from './matrix.js';

export function fill(out: Matrix, v: number): Matrix {
  out.data.fill(v);
  return out;
}
