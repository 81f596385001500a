// The WebAssembly SIMD gemm driver. On one thread: copies A and B into linear memory through a cache-resident
// staging buffer, packing them from it, then multiplies C a row block at a time, copying each out while it is
// in cache. On several: copies A and B in whole and runs the pack and multiply tasks of gemm-tasks.ts shared
// with pool workers. createWasmGemm returns null where wasm SIMD is unavailable; f64x2.relaxed_madd is used
// where it validates.
import { CTL, multiplyRows, runTasks, type TaskExports } from './gemm-tasks.js';
import { canUseThreads, createPool, type Pool } from './gemm-threads.js';
import { Code, moduleBytes, v128 } from './gemm-wasm-asm.js';
import { gemmModule, type TileShape } from './gemm-wasm-kernel.js';
import type { Matrix } from './matrix.js';

type Compact = (src: number, dst: number, rows: number, n: number, np: number) => void;

/** Register tile and cache blocks: kc·nr doubles of B̃ stay in L1, mc·kc doubles of Ã in L2. */
export interface GemmTuning extends TileShape {
  readonly kc: number;
  readonly mc: number;
  /** Whether to pack op(A) into panels (unset: when packing pays, see PACK_A_FROM_PANELS). */
  readonly packA?: boolean;
  /**
   * On one thread, copy operands in through a small cache-resident buffer and pack from there, instead of
   * copying them whole and packing from memory (unset: true).
   */
  readonly staged?: boolean;
}

/** Bound on cached C views per offset, and on offsets (row blocks of C have an offset each). */
const MAX_VIEWS = 128;
/** Linear memory is capped at 2 GiB (i32 byte addresses stay positive): 32768 pages of 64 KiB. */
const MAX_PAGES = 32768;
/** A caller waits this long (ms) for a worker's task before taking the pool for dead and redoing the job. */
const WORKER_TIMEOUT_MS = 30_000;
/** The caller re-reads the finished-task count this often (ms) while it waits. */
const WAIT_MS = 1000;
/** Tasks per thread in each phase, so that a thread slowed by other processes leaves its share to the others. */
const TASKS_PER_THREAD = 4;

let relaxed: boolean | undefined;

/** Whether this runtime validates f64x2.relaxed_madd (Node 20 needs --experimental-wasm-relaxed-simd). */
export function hasRelaxedSimd(): boolean {
  if (relaxed === undefined) {
    const probe = new Code([v128, v128, v128]);
    probe.get(0).get(1).get(2).f64x2RelaxedMadd().drop();
    try {
      const bytes = moduleBytes([{ name: 'madd', params: [v128, v128, v128], body: probe }], { pages: 1 });
      relaxed = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/**
 * The fastest tuning measured (bench/gemm.ts, AMD Zen, V8 12) for fused multiply-adds (default: where the
 * runtime has relaxed SIMD) or mul + add: 10 accumulators hide the 5-cycle latency of a fused multiply-add
 * (the 5×4 tile needs its row groups pinned to stay in 15 registers); mul + add has twice the instructions
 * and runs best on 4×4.
 */
export function bestTuning(fma = hasRelaxedSimd()): GemmTuning {
  return fma
    ? { mr: 5, nr: 4, unroll: 1, pinRows: 2, kc: 512, mc: 60, fma }
    : { mr: 4, nr: 4, unroll: 1, kc: 256, mc: 128, fma };
}

/** Doubles of the staging buffer (128 KiB, a quarter of a 512 KiB L2). */
const STAGE = 16384;
/** Bound on cached chunk views per operand array. */
const MAX_CHUNKS = 64;

/**
 * Packing op(A) costs a pass over it and pays when the kernel reads it often: once per column panel of B̃.
 * Measured (bench/gemm.ts): packing wins for 64 column panels (n = 256), reading in place for 3 (n = 10).
 */
const PACK_A_FROM_PANELS = 8;

/**
 * α: a number, or a Float64Array whose entry 0 is α, read at the call (compiled closures keep their scale
 * factors in one, so that no double is boxed to pass it down to the kernel).
 */
export type Alpha = number | Float64Array;

export const alphaValue = (alpha: Alpha): number => (typeof alpha === 'number' ? alpha : alpha[0]);

/** Linear memory starts with α (an f64, padded to 16 bytes so that the matrices stay 16-byte aligned). */
const ALPHA = 0;
const ALPHA_DOUBLES = 2;

/**
 * out = α·op(A)·op(B) for op(A) m×k and op(B) k×n (m, n, k ≥ 1) on up to `threads` threads; false when linear
 * memory cannot hold them.
 */
export type WasmGemm = (
  out: Matrix,
  a: Matrix,
  b: Matrix,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha?: Alpha,
  threads?: number,
) => boolean;

export interface WasmGemmOptions {
  /** Shared memory and a worker pool, so calls may ask for more than one thread (Node only). */
  readonly threaded?: boolean;
}

/** A wasm gemm for `tuning` (fma unset: where relaxed SIMD validates), or null without wasm SIMD. */
export function createWasmGemm(
  given: GemmTuning = bestTuning(),
  options: WasmGemmOptions = {},
): WasmGemm | null {
  const tuning: GemmTuning = { ...given, fma: given.fma ?? hasRelaxedSimd() };
  const { mr, nr, kc, mc } = tuning;
  const threaded = options.threaded === true && canUseThreads();
  // Row blocks hold whole register tiles.
  const mcRows = Math.max(mr, mc - (mc % mr));
  let memory: WebAssembly.Memory;
  let module: WebAssembly.Module;
  let exports: WebAssembly.Exports;
  try {
    const bytes = gemmModule(tuning, threaded ? { pages: 1, shared: { maxPages: MAX_PAGES } } : { pages: 1 });
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    memory = new WebAssembly.Memory(
      threaded ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1 },
    );
    module = new WebAssembly.Module(bytes);
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch {
    return null;
  }
  const tasks = exports as unknown as TaskExports;
  const compact = exports.compact as Compact;
  const control = threaded ? new SharedArrayBuffer(CTL.length * 4) : new ArrayBuffer(CTL.length * 4);
  const ctl = new Int32Array(control);
  ctl[CTL.mr] = mr;
  ctl[CTL.nr] = nr;
  let pool: Pool | null = null;
  let seq = 0;

  let heap = new Float64Array(memory.buffer);
  // Views of C by offset then length, so a steady sequence of products allocates no typed arrays;
  // dropped when memory grows (a plain buffer detaches, a shared one is replaced) or too many shapes were seen.
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
    if (doubles * 8 > MAX_PAGES * 65536) return false;
    try {
      memory.grow(Math.ceil((doubles * 8 - memory.buffer.byteLength) / 65536));
    } catch {
      return false;
    }
    heap = new Float64Array(memory.buffer);
    cViews.clear();
    return true;
  };

  /** Splits the job for `threads` threads: B̃ column chunks and C row chunks, whole panels each. */
  const post = (mp: number, np: number, threads: number) => {
    const parts = threads === 1 ? 1 : threads * TASKS_PER_THREAD;
    const rows = Math.ceil(mp / mr / parts) * mr;
    const cols = Math.ceil(np / nr / parts) * nr;
    ctl[CTL.rows] = rows;
    ctl[CTL.cols] = cols;
    ctl[CTL.total1] = Math.ceil(np / cols);
    ctl[CTL.total2] = Math.ceil(mp / rows);
    ctl[CTL.done1] = 0;
    ctl[CTL.done2] = 0;
    seq = (seq + 1) | 0;
    // A job for this thread alone starts with its claims exhausted, so that no worker joins it.
    const claims = ((seq & 0xffff) << 16) | (threads === 1 ? 0xffff : 0);
    Atomics.store(ctl, CTL.claim1, claims);
    Atomics.store(ctl, CTL.claim2, claims);
    Atomics.store(ctl, CTL.seq, seq);
  };

  /**
   * Waits until every phase-2 task is done; false when a worker stopped answering (then the pool is closed).
   * Time is counted in waits that timed out with no task finished, not read from a clock: Date.now() returns
   * a boxed double, a heap allocation on every product.
   */
  const awaitWorkers = (): boolean => {
    const total = ctl[CTL.total2];
    let stalled = 0;
    let last = -1;
    for (let d = Atomics.load(ctl, CTL.done2); d < total; d = Atomics.load(ctl, CTL.done2)) {
      if (d !== last) {
        last = d;
        stalled = 0;
      } else if (stalled * WAIT_MS >= WORKER_TIMEOUT_MS) {
        pool?.close();
        return false;
      }
      if (Atomics.wait(ctl, CTL.done2, d, WAIT_MS) === 'timed-out') stalled++;
    }
    return true;
  };

  // Views of chunks of the caller's arrays by start (a small-integer key, so a lookup allocates nothing), so
  // that staging makes no objects in a steady sequence of products (the arrays are usually the same from
  // call to call).
  const chunkViews = new WeakMap<Float64Array, Map<number, Float64Array>>();
  const chunk = (data: Float64Array, start: number, end: number): Float64Array => {
    let byStart = chunkViews.get(data);
    if (byStart === undefined) {
      byStart = new Map();
      chunkViews.set(data, byStart);
    }
    let view = byStart.get(start);
    if (view === undefined || view.length !== end - start) {
      if (byStart.size >= MAX_CHUNKS) byStart.clear();
      view = data.subarray(start, end);
      byStart.set(start, view);
    }
    return view;
  };

  /**
   * Packs X (rows×k; X[i, p] = data[i·k + p] when its row stride rs is k, data[p·rows + i] when rs is 1) into
   * panels of w rows at `dst` (doubles), copying it in through the buffer at `stage` a few whole panels at a
   * time, or, when rs = 1, a few steps of every panel at a time.
   */
  const stagePack = (
    data: Float64Array,
    pack: TaskExports['packA'],
    dst: number,
    stage: number,
    rows: number,
    k: number,
    rs: number,
    w: number,
  ) => {
    const panelBytes = w * k * 8;
    if (rs !== 1 || rows === 1) {
      const chunkRows = Math.max(1, Math.floor(STAGE / (w * k))) * w;
      for (let r0 = 0; r0 < rows; r0 += chunkRows) {
        const r1 = Math.min(rows, r0 + chunkRows);
        heap.set(chunk(data, r0 * k, r1 * k), stage);
        pack(stage * 8, (dst + r0 * k) * 8, r1 - r0, k, k * 8, 8, panelBytes);
      }
    } else {
      const chunkSteps = Math.max(1, Math.floor(STAGE / rows));
      for (let p0 = 0; p0 < k; p0 += chunkSteps) {
        const p1 = Math.min(k, p0 + chunkSteps);
        heap.set(chunk(data, p0 * rows, p1 * rows), stage);
        pack(stage * 8, (dst + p0 * w) * 8, rows, p1 - p0, 8, rows * 8, panelBytes);
      }
    }
  };
  /** Doubles stagePack needs at `stage` for X (rows×k) in panels of w (reads run up to w − 1 past a chunk). */
  const stageSize = (rows: number, k: number, w: number) => Math.max(STAGE, w * k, rows) + w * k;

  const run: WasmGemm = (out, a, b, transA, transB, m, n, k, alpha = 1, threads = 1) => {
    const mp = Math.ceil(m / mr) * mr;
    const np = Math.ceil(n / nr) * nr;
    let helpers = 0;
    if (threaded && threads > 1) {
      pool ??= createPool(module, memory, control as SharedArrayBuffer);
      pool?.grow(threads - 1);
      helpers = Math.min(threads - 1, pool?.size ?? 0);
    }
    const packed = tuning.packA ?? np >= PACK_A_FROM_PANELS * nr;
    const staged = helpers === 0 && tuning.staged !== false;
    // Regions, in doubles, after α: raw A and B (padded, so packing may read past their last row), Ã, B̃, C,
    // and the staging buffer.
    const aRaw = ALPHA_DOUBLES;
    const bRaw = aRaw + mp * k;
    const aPack = bRaw + np * k;
    const bPack = aPack + mp * k;
    const c = bPack + np * k;
    const stage = c + mp * np;
    if (!reserve(stage + (staged ? Math.max(stageSize(m, k, mr), stageSize(n, k, nr)) : 0))) return false;
    if (staged && packed) stagePack(a.data, tasks.packA, aPack, stage, m, k, transA ? 1 : k, mr);
    else heap.set(a.data, aRaw);
    // op(A) read in place reads its padding rows (or, transposed, a few doubles past its end): zeros keep
    // stale NaN and subnormals out of the arithmetic
    if (!packed) heap.fill(0, aRaw + m * k, aRaw + mp * k);
    if (staged) stagePack(b.data, tasks.packB, bPack, stage, n, k, transB ? k : 1, nr);
    else heap.set(b.data, bRaw);
    ctl[CTL.aRaw] = aRaw * 8;
    ctl[CTL.bRaw] = bRaw * 8;
    ctl[CTL.aPack] = aPack * 8;
    ctl[CTL.bPack] = bPack * 8;
    ctl[CTL.c] = c * 8;
    ctl[CTL.m] = m;
    ctl[CTL.n] = n;
    ctl[CTL.k] = k;
    ctl[CTL.mp] = mp;
    ctl[CTL.np] = np;
    // op(A) (m×k): A is m×k row-major, or k×m when transposed; op(B)ᵀ (n×k): B is k×n, or n×k when transposed.
    ctl[CTL.aRs] = transA ? 8 : k * 8;
    ctl[CTL.aCs] = transA ? m * 8 : 8;
    ctl[CTL.bRs] = transB ? k * 8 : 8;
    ctl[CTL.bCs] = transB ? 8 : n * 8;
    // k blocks of equal depth, so no thin last block pays the tile's load and store overhead
    ctl[CTL.kc] = Math.ceil(k / Math.ceil(k / kc));
    ctl[CTL.mc] = mcRows;
    ctl[CTL.packA] = packed ? 1 : 0;
    // two stores rather than a conditional expression, whose phi TurboFan may box
    if (typeof alpha === 'number') heap[ALPHA] = alpha;
    else heap[ALPHA] = alpha[0];
    ctl[CTL.alpha] = ALPHA * 8;
    if (staged) {
      // C in blocks of mc rows, each block's rows copied out while they are still in cache
      for (let r0 = 0; r0 < m; r0 += mcRows) {
        const r1 = Math.min(mp, r0 + mcRows);
        multiplyRows(tasks, ctl, CTL, r0, r1);
        const rows = Math.min(m, r1) - r0;
        if (n !== np) compact((c + r0 * np) * 8, (c + r0 * n) * 8, rows, n, np);
        out.data.set(cView(c + r0 * n, rows * n), r0 * n);
      }
      return true;
    }
    post(mp, np, helpers + 1);
    if (helpers > 0) {
      pool?.wake();
      runTasks(tasks, ctl, CTL, seq, false);
      if (!awaitWorkers()) {
        post(mp, np, 1);
        runTasks(tasks, ctl, CTL, seq, true);
      }
    } else runTasks(tasks, ctl, CTL, seq, true);
    if (n !== np && m > 1) compact(c * 8, c * 8, m, n, np);
    out.data.set(cView(c, m * n));
    return true;
  };
  // V8 runs new wasm code in its baseline tier until about 1.8 MB of it has executed; one 64³ product
  // spends that budget, so the optimized kernel is usually in place before the first real call.
  const warm = { rows: 64, cols: 64, data: new Float64Array(64 * 64) };
  run(warm, warm, warm, false, false, 64, 64, 64);
  return run;
}
