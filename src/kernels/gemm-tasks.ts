// One wasm gemm as claimable tasks over a control block, so that any number of threads (the caller and pool
// workers sharing the wasm memory) can run it: phase 1 packs column chunks of B̃, phase 2 packs a row chunk
// of Ã (unless op(A) is read in place) and multiplies it by all of B̃. Results do not depend on which thread
// ran what, or on the thread count. `runTasks` and `multiplyRows` close over nothing but each other and the
// claim helpers, because workers get them as source text.

/** Indices into the Int32Array control block. */
export const CTL = {
  /** Job number, bumped by the caller to start a job; workers wait on it. */
  seq: 0,
  /** Claim words: job tag (seq mod 2¹⁶) in the high half, next task index in the low half. */
  claim1: 1,
  done1: 2,
  total1: 3,
  claim2: 4,
  done2: 5,
  total2: 6,
  /** Byte addresses in linear memory. */
  aRaw: 7,
  bRaw: 8,
  aPack: 9,
  bPack: 10,
  c: 11,
  m: 12,
  n: 13,
  k: 14,
  mp: 15,
  np: 16,
  /** Byte strides of op(A) (m×k) and of op(B)ᵀ (n×k): entry (i, p) at base + i·rs + p·cs. */
  aRs: 17,
  aCs: 18,
  bRs: 19,
  bCs: 20,
  kc: 21,
  mc: 22,
  /** Rows of C per phase-2 task (a multiple of mr), columns of B̃ per phase-1 task (a multiple of nr). */
  rows: 23,
  cols: 24,
  /** Set to 1 to make workers exit. */
  stop: 25,
  mr: 26,
  nr: 27,
  /** 1: phase 2 packs Ã, which the kernel reads; 0: the kernel reads op(A) where it was copied. */
  packA: 28,
  /** Byte address of α, an f64 in linear memory that the kernel reads (a double passed from JS is boxed). */
  alpha: 29,
  /** Int32 length of the block. */
  length: 64,
} as const;

export type Ctl = typeof CTL;

/**
 * gemm-wasm-kernel.ts's gemm: C = α·op(A)·B̃ with op(A)[i, p] at a + i·aPerRow + p·aStep and α at alphaAt
 * (byte addresses).
 */
type Kernel = (
  a: number,
  b: number,
  c: number,
  mp: number,
  np: number,
  k: number,
  kc: number,
  mc: number,
  alphaAt: number,
  aPerRow: number,
  aStep: number,
) => void;

export interface TaskExports {
  packA(src: number, dst: number, rows: number, k: number, rs: number, cs: number, panelBytes: number): void;
  packB(src: number, dst: number, rows: number, k: number, rs: number, cs: number, panelBytes: number): void;
  gemm: Kernel;
  gemmRows: Kernel;
}

/** The next task of the claim word at `at` for job tag `tag`, or −1 when none is left or the job changed. */
export function claimTask(ctl: Int32Array, at: number, total: number, tag: number): number {
  for (;;) {
    const w = Atomics.load(ctl, at);
    if ((w & 0xffff0000) !== tag || (w & 0xffff) >= total) return -1;
    if (Atomics.compareExchange(ctl, at, w, w + 1) === w) return w & 0xffff;
  }
}

/** Counts a finished task at `at`, waking the waiters when it is the last of `total`. */
export function finishTask(ctl: Int32Array, at: number, total: number): void {
  if (Atomics.add(ctl, at, 1) + 1 >= total) Atomics.notify(ctl, at);
}

/**
 * Rows r0..r1 of C (padded: r1 ≤ mp, a multiple of mr) = α·op(A)·B̃, from Ã (rows of a panel 8 bytes apart,
 * k steps 8·mr) or op(A) in place through its strides (rows 8 bytes apart when A is transposed, else
 * gemmRows). Self-contained, like runTasks.
 */
export function multiplyRows(ex: TaskExports, ctl: Int32Array, L: Ctl, r0: number, r1: number): void {
  const k = ctl[L.k];
  const np = ctl[L.np];
  const c = ctl[L.c] + r0 * np * 8;
  const kc = ctl[L.kc];
  const mc = ctl[L.mc];
  const bPack = ctl[L.bPack];
  const alpha = ctl[L.alpha];
  const rows = r1 - r0;
  if (ctl[L.packA] === 1) {
    ex.gemm(ctl[L.aPack] + r0 * k * 8, bPack, c, rows, np, k, kc, mc, alpha, k * 8, ctl[L.mr] * 8);
    return;
  }
  const aRaw = ctl[L.aRaw] + r0 * ctl[L.aRs];
  if (ctl[L.aRs] === 8) ex.gemm(aRaw, bPack, c, rows, np, k, kc, mc, alpha, 8, ctl[L.aCs]);
  else ex.gemmRows(aRaw, bPack, c, rows, np, k, kc, mc, alpha, ctl[L.aRs], 8);
}

/**
 * Claims and runs tasks of job `seq` until none is left, then returns; with `all`, runs every task itself
 * regardless of claims (a job for this thread alone, or the recovery path when a worker stopped). The caller
 * waits for done2 = total2. Plain locals only: a product allocates nothing on the JS heap.
 */
export function runTasks(ex: TaskExports, ctl: Int32Array, L: Ctl, seq: number, all: boolean): void {
  const tag = (seq & 0xffff) << 16;
  const m = ctl[L.m];
  const n = ctl[L.n];
  const k = ctl[L.k];
  const mp = ctl[L.mp];
  const rows = ctl[L.rows];
  const cols = ctl[L.cols];
  const total1 = ctl[L.total1];
  const total2 = ctl[L.total2];
  if (Atomics.load(ctl, L.seq) !== seq) return;
  let next = 0;
  for (let t = all ? next++ : claimTask(ctl, L.claim1, total1, tag); t >= 0 && t < total1; ) {
    const j0 = t * cols;
    ex.packB(
      ctl[L.bRaw] + j0 * ctl[L.bRs],
      ctl[L.bPack] + j0 * k * 8,
      Math.min(n - j0, cols),
      k,
      ctl[L.bRs],
      ctl[L.bCs],
      ctl[L.nr] * k * 8,
    );
    if (!all) finishTask(ctl, L.done1, total1);
    t = all ? next++ : claimTask(ctl, L.claim1, total1, tag);
  }
  next = 0;
  for (let t = all ? next++ : claimTask(ctl, L.claim2, total2, tag); t >= 0 && t < total2; ) {
    const r0 = t * rows;
    const r1 = Math.min(mp, r0 + rows);
    if (ctl[L.packA] === 1) {
      const aPack = ctl[L.aPack] + r0 * k * 8;
      const aRaw = ctl[L.aRaw] + r0 * ctl[L.aRs];
      ex.packA(aRaw, aPack, Math.min(m - r0, r1 - r0), k, ctl[L.aRs], ctl[L.aCs], ctl[L.mr] * k * 8);
    }
    // every column chunk of B̃ must be packed before the product
    if (!all)
      for (let d = Atomics.load(ctl, L.done1); d < total1; d = Atomics.load(ctl, L.done1))
        Atomics.wait(ctl, L.done1, d);
    multiplyRows(ex, ctl, L, r0, r1);
    if (!all) finishTask(ctl, L.done2, total2);
    t = all ? next++ : claimTask(ctl, L.claim2, total2, tag);
  }
}
