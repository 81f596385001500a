// General matrix multiply into a preallocated output: out = op(A)·op(B), op = identity or transpose;
// out is overwritten and may share storage with A or B. Small products run plain loops, larger ones the
// WebAssembly SIMD kernel (gemm-wasm.ts), or the register-tiled JS kernel where wasm SIMD is unavailable.
import { gemmLoops } from './gemm-loops.js';
import { gemmTiled } from './gemm-tiled.js';
import { createWasmGemm, type WasmGemm } from './gemm-wasm.js';
import type { Matrix } from './matrix.js';

/** Plain loops win below this many multiply-adds, or for at most 4 dot products (m·n ≤ 4). */
const LOOPS_BELOW = 128;
/** Without wasm SIMD, the tiled kernel needs at least one full 4×4 tile. */
const TILE = 4;

let wasm: WasmGemm | null | undefined;

export function gemm(out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  if ((transB ? b.cols : b.rows) !== k || out.rows !== m || out.cols !== n) {
    const op = (x: Matrix, t: boolean) => `${x.rows}x${x.cols}${t ? "'" : ''}`;
    throw new RangeError(`gemm: ${op(a, transA)} times ${op(b, transB)} into ${out.rows}x${out.cols}`);
  }
  if (m === 0 || n === 0) return out;
  if (k === 0) return zero(out);
  const small = m * n * k < LOOPS_BELOW || m * n <= 4;
  if (!small) {
    // Both kernels pack A and B before writing out, so out may alias them.
    if (wasm === undefined) wasm = createWasmGemm();
    if (wasm?.(out, a, b, transA, transB, m, n, k)) return out;
    if (m >= TILE && n >= TILE) return gemmTiled(out, a, b, transA, transB, m, n, k);
  }
  if (out.data.buffer === a.data.buffer || out.data.buffer === b.data.buffer) {
    const tmp = { rows: m, cols: n, data: new Float64Array(m * n) };
    out.data.set(gemmLoops(tmp, a, b, transA, transB, m, n, k).data);
    return out;
  }
  return gemmLoops(out, a, b, transA, transB, m, n, k);
}

function zero(out: Matrix): Matrix {
  out.data.fill(0);
  return out;
}
