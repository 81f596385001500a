// The WebAssembly SIMD gemm driver: packs op(A), op(B) into linear memory (the packing absorbs the
// transposes), runs the f64x2 kernel, copies C out. createWasmGemm returns null where wasm SIMD is unavailable.
import { gemmModule, type TileShape } from './gemm-wasm-kernel.js';
import type { Matrix } from './matrix.js';

type Gemm = (
  a: number,
  b: number,
  c: number,
  mp: number,
  np: number,
  k: number,
  kc: number,
  mc: number,
) => void;
type Pack = (src: number, dst: number, rows: number, k: number, rs: number, cs: number) => void;
type Compact = (c: number, m: number, n: number, np: number) => void;

/** Register tile and cache blocks: kc·nr doubles of B̃ stay in L1, mc·kc doubles of Ã in L2. */
export interface GemmTuning extends TileShape {
  readonly kc: number;
  readonly mc: number;
}

/** Bound on cached C views per offset, and on offsets. */
const MAX_VIEWS = 32;

export const defaultTuning: GemmTuning = { mr: 4, nr: 4, unroll: 1, kc: 256, mc: 128 };

/** out = op(A)·op(B) for op(A) m×k, op(B) k×n (m, n, k ≥ 1); false when linear memory cannot hold them. */
export type WasmGemm = (
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
) => boolean;

/** A wasm gemm for `tuning`, or null when this runtime cannot compile the SIMD module. */
export function createWasmGemm(tuning: GemmTuning = defaultTuning): WasmGemm | null {
  const { mr, nr, kc, mc } = tuning;
  // Row blocks hold whole register tiles.
  const mcRows = Math.max(mr, mc - (mc % mr));
  let exports: WebAssembly.Exports;
  try {
    const bytes = gemmModule(tuning);
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  } catch {
    return null;
  }
  const memory = exports.memory as WebAssembly.Memory;
  const [packA, packB] = [exports.packA as Pack, exports.packB as Pack];
  const kernel = exports.gemm as Gemm;
  const compact = exports.compact as Compact;
  let heap = new Float64Array(memory.buffer);
  // Views of C by offset then length, so a steady sequence of products allocates no typed arrays;
  // dropped when memory grows (the old buffer detaches) or too many shapes have been seen.
  const cViews = new Map<number, Map<number, Float64Array>>();
  const cView = (offset: number, length: number): Float64Array => {
    let byLength = cViews.get(offset);
    if (byLength === undefined) {
      if (cViews.size >= MAX_VIEWS) cViews.clear();
      byLength = new Map();
      cViews.set(offset, byLength);
    }
    let view = byLength.get(length);
    if (view === undefined) {
      if (byLength.size >= MAX_VIEWS) byLength.clear();
      view = heap.subarray(offset, offset + length);
      byLength.set(length, view);
    }
    return view;
  };

  /** Ensures `doubles` doubles of linear memory; false when the memory cannot grow that far. */
  const reserve = (doubles: number): boolean => {
    if (doubles <= heap.length) return true;
    if (doubles * 8 > 2 ** 31) return false;
    try {
      memory.grow(Math.ceil((doubles * 8 - memory.buffer.byteLength) / 65536));
    } catch {
      return false;
    }
    heap = new Float64Array(memory.buffer);
    cViews.clear();
    return true;
  };

  const run: WasmGemm = (out, a, b, transA, transB, m, n, k) => {
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    // Regions, in doubles: raw A and B (padded, so packing may read past their last row), Ã, B̃, C.
    const aRaw = 0;
    const bRaw = mp * k;
    const aPack = bRaw + np * k;
    const bPack = aPack + mp * k;
    const c = bPack + np * k;
    if (!reserve(c + mp * np)) return false;
    heap.set(a.data, aRaw);
    heap.set(b.data, bRaw);
    // Ã = op(A): A is m×k row-major, or k×m when transposed.
    if (transA) packA(aRaw * 8, aPack * 8, m, k, 8, m * 8);
    else packA(aRaw * 8, aPack * 8, m, k, k * 8, 8);
    // B̃ = panels of op(B)ᵀ (n×k): B is k×n row-major, or n×k when transposed.
    if (transB) packB(bRaw * 8, bPack * 8, n, k, k * 8, 8);
    else packB(bRaw * 8, bPack * 8, n, k, 8, n * 8);
    // k blocks of equal depth, so no thin last block pays the tile's load and store overhead
    const kcDepth = Math.ceil(k / Math.ceil(k / kc));
    kernel(aPack * 8, bPack * 8, c * 8, mp, np, k, kcDepth, mcRows);
    if (n !== np && m > 1) compact(c * 8, m, n, np);
    out.data.set(cView(c, m * n));
    return true;
  };
  // V8 runs new wasm code in its baseline tier until about 1.8 MB of it has executed; one 64³ product
  // spends that budget, so the optimized kernel is usually in place before the first real call.
  const warm = { rows: 64, cols: 64, data: new Float64Array(64 * 64) };
  run(warm, warm, warm, false, false, 64, 64, 64);
  return run;
}
