// General matrix multiply into a preallocated output: out = op(A)·op(B), op = identity or transpose.
import type { Matrix } from './matrix.js';

export function gemm(out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const od = out.data;
  const ad = a.data;
  const bd = b.data;
  od.fill(0);
  // i-k-j order keeps the inner loop contiguous in B and out (row-major).
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = transA ? ad[p * a.cols + i] : ad[i * a.cols + p];
      if (aip === 0) continue;
      const row = i * n;
      if (transB) for (let j = 0; j < n; j++) od[row + j] += aip * bd[j * b.cols + p];
      else {
        const brow = p * n;
        for (let j = 0; j < n; j++) od[row + j] += aip * bd[brow + j];
      }
    }
  }
  return out;
}
