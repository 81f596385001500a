// General matrix multiply into a preallocated output: out = α·op(A)·op(B), op = identity or transpose, α a
// number or a one-entry Float64Array holding it; out is overwritten and may share storage with A or B. Small
// products run plain loops, larger ones the WebAssembly SIMD kernel (gemm-wasm.ts), split over worker threads
// from THREADS_FROM multiply-adds, or the register-tiled JS kernel where wasm SIMD is unavailable. Threads:
// setGemmThreads, else MATCALC_THREADS, else every core (at most 8); one where workers are unavailable.
import { gemmLoops } from './gemm-loops.js';
import { availableThreads, canUseThreads, envVar } from './gemm-threads.js';
import { gemmTiled } from './gemm-tiled.js';
import { type Alpha, alphaValue, createWasmGemm, type WasmGemm } from './gemm-wasm.js';
import type { Matrix } from './matrix.js';

export type { Alpha } from './gemm-wasm.js';

/** Plain loops win below this many multiply-adds, or for at most 4 dot products (m·n ≤ 4). */
const LOOPS_BELOW = 128;
/** Without wasm SIMD, the tiled kernel needs at least one full 4×4 tile. */
const TILE = 4;
/** Products of at least this many multiply-adds (about 0.2 ms on one core) are split over threads. */
export const THREADS_FROM = 1 << 21;

/** One-thread products use plain linear memory (copies into a shared buffer cost about twice as much). */
let wasm: WasmGemm | null | undefined;
let sharedWasm: WasmGemm | null | undefined;
let chosenThreads: number | undefined;
let resolvedThreads: number | undefined;

/** A thread count that is not a positive integer (from setGemmThreads or MATCALC_THREADS). */
export class ThreadsError extends RangeError {}

/** A thread count: a positive integer, else a ThreadsError naming where it came from. */
function threadCount(value: unknown, from: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ThreadsError(`${from} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Sets how many threads large products may use (1: the calling thread only); `undefined` restores the
 * default (MATCALC_THREADS, else every core). Returns the count now in effect, which is at most what this
 * runtime offers.
 */
export function setGemmThreads(threads: number | undefined): number {
  chosenThreads = threads === undefined ? undefined : threadCount(threads, 'threads');
  resolvedThreads = undefined;
  return gemmThreads();
}

/** The threads large products use now. */
export function gemmThreads(): number {
  if (resolvedThreads === undefined) {
    const env = envVar('MATCALC_THREADS');
    const wanted =
      chosenThreads ??
      (env !== undefined && env !== '' ? threadCount(env, 'MATCALC_THREADS') : availableThreads());
    resolvedThreads = canUseThreads() ? Math.min(wanted, 64) : 1;
  }
  return resolvedThreads;
}

export function gemm(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  alpha: Alpha = 1,
  threads?: number,
): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  if ((transB ? b.cols : b.rows) !== k || out.rows !== m || out.cols !== n) {
    const op = (x: Matrix, t: boolean) => `${x.rows}x${x.cols}${t ? "'" : ''}`;
    throw new RangeError(`gemm: ${op(a, transA)} times ${op(b, transB)} into ${out.rows}x${out.cols}`);
  }
  // read (and checked) on every call, so that a bad MATCALC_THREADS is reported whatever the size
  const wanted = threads ?? gemmThreads();
  if (m === 0 || n === 0) return out;
  if (k === 0) return zero(out);
  const small = m * n * k < LOOPS_BELOW || m * n <= 4;
  if (!small) {
    // Both kernels pack A and B before writing out, so out may alias them.
    const t = m * n * k >= THREADS_FROM ? wanted : 1;
    if (t > 1 && sharedWasm === undefined) sharedWasm = createWasmGemm(undefined, { threaded: true });
    if (t > 1 && sharedWasm?.(out, a, b, transA, transB, m, n, k, alpha, t)) return out;
    if (wasm === undefined) wasm = createWasmGemm();
    if (wasm?.(out, a, b, transA, transB, m, n, k, alpha)) return out;
    if (m >= TILE && n >= TILE)
      return scale(gemmTiled(out, a, b, transA, transB, m, n, k), alphaValue(alpha));
  }
  if (out.data.buffer === a.data.buffer || out.data.buffer === b.data.buffer) {
    const tmp = { rows: m, cols: n, data: new Float64Array(m * n) };
    out.data.set(gemmLoops(tmp, a, b, transA, transB, m, n, k).data);
    return scale(out, alphaValue(alpha));
  }
  return scale(gemmLoops(out, a, b, transA, transB, m, n, k), alphaValue(alpha));
}

function scale(out: Matrix, alpha: number): Matrix {
  if (alpha !== 1) {
    const d = out.data;
    for (let i = 0; i < d.length; i++) d[i] *= alpha;
  }
  return out;
}

function zero(out: Matrix): Matrix {
  out.data.fill(0);
  return out;
}
