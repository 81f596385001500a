// Plain-loop gemm for small sizes, where packing and call overheads would dominate: out = op(A)·op(B),
// op(A) m×k and op(B) k×n: dot products into a local, or rows of B streamed when B is wide and untransposed.
import type { Matrix } from './matrix.js';

export function gemmLoops(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
): Matrix {
  const od = out.data;
  const ad = a.data;
  const bd = b.data;
  // op(A)[i, p] = ad[i·aRow + p·aCol], op(B)[p, j] = bd[p·bRow + j·bCol]
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  if (!transB && n >= 8) {
    // out[i, :] = Σ_p op(A)[i, p] · B[p, :], streaming rows of B
    for (let i = 0; i < m; i++) {
      const row = i * n;
      od.fill(0, row, row + n);
      for (let p = 0; p < k; p++) {
        const aip = ad[i * aRow + p * aCol];
        const brow = p * n;
        for (let j = 0; j < n; j++) od[row + j] += aip * bd[brow + j];
      }
    }
    return out;
  }
  // out[i, j] = op(A)[i, :] · op(B)[:, j], accumulated in a local
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, x = i * aRow, y = j * bCol; p < k; p++, x += aCol, y += bRow) s += ad[x] * bd[y];
      od[i * n + j] = s;
    }
  }
  return out;
}
