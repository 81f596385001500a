// Register-tiled JS gemm, the fallback for large sizes where WebAssembly SIMD is unavailable:
// op(A) and op(B) are packed into 4-wide panels (absorbing the transposes), then each 4×4 tile of
// out = op(A)·op(B) is accumulated in 16 locals, each loaded A and B value used four times.
import type { Matrix } from './matrix.js';

let aPanels = new Float64Array(0);
let bPanels = new Float64Array(0);
const edgeTile = new Float64Array(16);

/**
 * Packs X (rows×k, X[i, p] = x[i·rs + p·cs]) into panels of 4 rows: dst[r·4k + p·4 + i] = X[4r + i, p],
 * rows past `rows` zero.
 */
function packPanels(
  dst: Float64Array,
  x: Float64Array,
  rs: number,
  cs: number,
  rows: number,
  k: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += 4) {
    for (let i = 0; i < 4; i++) {
      let d = r0 * k + i;
      if (r0 + i < rows) for (let p = 0, s = (r0 + i) * rs; p < k; p++, d += 4, s += cs) dst[d] = x[s];
      else for (let p = 0; p < k; p++, d += 4) dst[d] = 0;
    }
  }
}

export function gemmTiled(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
): Matrix {
  const mp = Math.ceil(m / 4) * 4;
  const np = Math.ceil(n / 4) * 4;
  if (aPanels.length < mp * k) aPanels = new Float64Array(mp * k);
  if (bPanels.length < np * k) bPanels = new Float64Array(np * k);
  const ap = aPanels;
  const bp = bPanels;
  // op(A)[i, p] = a[i·k + p], or a[p·m + i] when transposed; op(B)ᵀ[j, p] = b[p·n + j], or b[j·k + p].
  if (transA) packPanels(ap, a.data, 1, m, m, k);
  else packPanels(ap, a.data, k, 1, m, k);
  if (transB) packPanels(bp, b.data, k, 1, n, k);
  else packPanels(bp, b.data, 1, n, n, k);
  const od = out.data;
  // biome-ignore format: the 4×4 tile reads best as a grid
  for (let jr = 0; jr < np; jr += 4) {
    for (let ir = 0; ir < mp; ir += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ai = ir * k, bi = jr * k; p < k; p++, ai += 4, bi += 4) {
        const b0 = bp[bi];
        const b1 = bp[bi + 1];
        const b2 = bp[bi + 2];
        const b3 = bp[bi + 3];
        const a0 = ap[ai];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        const a1 = ap[ai + 1];
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        const a2 = ap[ai + 2];
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        const a3 = ap[ai + 3];
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const full = ir + 4 <= m && jr + 4 <= n;
      const t = full ? od : edgeTile;
      const stride = full ? n : 4;
      let o = full ? ir * n + jr : 0;
      t[o] = c00; t[o + 1] = c01; t[o + 2] = c02; t[o + 3] = c03; o += stride;
      t[o] = c10; t[o + 1] = c11; t[o + 2] = c12; t[o + 3] = c13; o += stride;
      t[o] = c20; t[o + 1] = c21; t[o + 2] = c22; t[o + 3] = c23; o += stride;
      t[o] = c30; t[o + 1] = c31; t[o + 2] = c32; t[o + 3] = c33;
      if (!full) {
        for (let i = 0; i < Math.min(4, m - ir); i++)
          for (let j = 0; j < Math.min(4, n - jr); j++) od[(ir + i) * n + jr + j] = edgeTile[i * 4 + j];
      }
    }
  }
  return out;
}
