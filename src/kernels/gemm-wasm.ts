// The WebAssembly SIMD gemm driver: packs op(A), op(B) into linear memory (the packing absorbs the
// transposes), runs the f64x2 kernel, copies C out. `wasmGemm` is null where WebAssembly SIMD is unavailable.
import { gemmModule, type TileShape } from './gemm-wasm-kernel.js';
import type { Matrix } from './matrix.js';

type KernelFn = (a: number, b: number, c: number, mp: number, np: number, k: number, kc: number, mc: number) => void;

/** Register tile and cache blocks: kc·nr doubles of B̃ stay in L1, mc·kc doubles of Ã in L2. */
export interface GemmTuning extends TileShape {
  readonly kc: number;
  readonly mc: number;
}

export const defaultTuning: GemmTuning = { mr: 4, nr: 4, kc: 256, mc: 128 };

export type WasmGemm = (
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
) => Matrix;

/** A wasm gemm for `tuning`, or null when this runtime cannot compile the SIMD module. */
export function createWasmGemm(tuning: GemmTuning = defaultTuning): WasmGemm | null {
  const { mr, nr, kc, mc } = tuning;
  let kernel: KernelFn;
  let memory: WebAssembly.Memory;
  try {
    const bytes = gemmModule(tuning);
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    kernel = instance.exports.gemm as KernelFn;
    memory = instance.exports.memory as WebAssembly.Memory;
  } catch {
    return null;
  }
  let heap = new Float64Array(memory.buffer);

  /** Ensures `doubles` doubles of linear memory; false when the memory cannot grow that far. */
  const reserve = (doubles: number): boolean => {
    if (doubles <= heap.length) return true;
    const pages = Math.ceil((doubles * 8 - memory.buffer.byteLength) / 65536);
    try {
      memory.grow(pages);
    } catch {
      return false;
    }
    heap = new Float64Array(memory.buffer);
    return true;
  };

  return (out, a, b, transA, transB, m, n, k) => {
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    const aAt = 0;
    const bAt = mp * k;
    const cAt = bAt + np * k;
    if (!reserve(cAt + mp * np)) return fallbackLoops(out, a, b, transA, transB, m, n, k);
    const h = heap;
    // Ã[r-panel][p][i mod mr] = op(A)[i, p]; op(A)[i, p] = a[i·k + p], or a[p·m + i] when transposed.
    packPanels(h, aAt, a.data, transA, m, k, mr);
    // B̃[c-panel][p][j mod nr] = op(B)[p, j]; op(B)[p, j] = b[p·n + j], or b[j·k + p] when transposed.
    packPanels(h, bAt, b.data, !transB, n, k, nr);
    kernel(aAt * 8, bAt * 8, cAt * 8, mp, np, k, kc, mc);
    const od = out.data;
    for (let i = 0; i < m; i++) {
      const from = cAt + i * np;
      const to = i * n;
      for (let j = 0; j < n; j++) od[to + j] = h[from + j];
    }
    return out;
  };
}

/**
 * Packs the `rows`×`k` matrix X into panels of `w` rows: dst[at + r·w·k + p·w + i] = X[r·w + i, p], rows
 * beyond `rows` zero. X is stored row-major (x[i·k + p]) or, when `stored` is 'transposed', as k×rows.
 */
function packPanels(
  dst: Float64Array,
  at: number,
  x: Float64Array,
  columnMajor: boolean,
  rows: number,
  k: number,
  w: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += w) {
    const base = at + r0 * k;
    const h = Math.min(w, rows - r0);
    if (columnMajor) {
      for (let p = 0; p < k; p++) {
        const src = p * rows + r0;
        const d = base + p * w;
        for (let i = 0; i < h; i++) dst[d + i] = x[src + i];
        for (let i = h; i < w; i++) dst[d + i] = 0;
      }
    } else {
      for (let i = 0; i < h; i++) {
        const src = (r0 + i) * k;
        for (let p = 0; p < k; p++) dst[base + p * w + i] = x[src + p];
      }
      for (let i = h; i < w; i++) for (let p = 0; p < k; p++) dst[base + p * w + i] = 0;
    }
  }
}

function fallbackLoops(
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
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (transA ? a.data[p * m + i] : a.data[i * k + p]) * (transB ? b.data[j * k + p] : b.data[p * n + j]);
      od[i * n + j] = s;
    }
  return out;
}
