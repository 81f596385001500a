// One wasm gemm as claimable tasks over a control block, so that any number of threads (the caller and pool
// workers sharing the wasm memory) can run it: phase 1 packs column chunks of B̃, phase 2 packs a row chunk
// of Ã and multiplies it by all of B̃. Results do not depend on which thread ran what, or on the thread count.
// `runTasks` is self-contained (it closes over nothing) because workers get it as source text.

/** Indices into the Int32Array control block; `alpha` indexes its Float64Array view. */
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
  alpha: 16,
  /** Int32 length of the block (the Float64 alpha sits at bytes 128..135). */
  length: 64,
} as const;

export type Ctl = typeof CTL;

export interface TaskExports {
  packA(src: number, dst: number, rows: number, k: number, rs: number, cs: number): void;
  packB(src: number, dst: number, rows: number, k: number, rs: number, cs: number): void;
  gemm(
    a: number,
    b: number,
    c: number,
    mp: number,
    np: number,
    k: number,
    kc: number,
    mc: number,
    alpha: number,
  ): void;
}

/**
 * Claims and runs tasks of job `seq` until none is left, then returns; with `all`, runs every task itself
 * regardless of claims (the recovery path when a worker stopped). The caller waits for done2 = total2.
 */
export function runTasks(
  ex: TaskExports,
  ctl: Int32Array,
  alpha: Float64Array,
  L: Ctl,
  seq: number,
  all: boolean,
): void {
  const tag = (seq & 0xffff) << 16;
  const claim = (at: number, total: number, local: { next: number }): number => {
    if (all) return local.next < total ? local.next++ : -1;
    for (;;) {
      const w = Atomics.load(ctl, at);
      if ((w & 0xffff0000) !== tag || (w & 0xffff) >= total) return -1;
      if (Atomics.compareExchange(ctl, at, w, w + 1) === w) return w & 0xffff;
    }
  };
  const finish = (at: number, total: number) => {
    if (Atomics.add(ctl, at, 1) + 1 >= total) Atomics.notify(ctl, at);
  };
  const [m, n, k, mp, np] = [ctl[L.m], ctl[L.n], ctl[L.k], ctl[L.mp], ctl[L.np]];
  const [rows, cols, total1, total2] = [ctl[L.rows], ctl[L.cols], ctl[L.total1], ctl[L.total2]];
  const [aRaw, bRaw, aPack, bPack, c] = [ctl[L.aRaw], ctl[L.bRaw], ctl[L.aPack], ctl[L.bPack], ctl[L.c]];
  const [aRs, aCs, bRs, bCs, kc, mc] = [ctl[L.aRs], ctl[L.aCs], ctl[L.bRs], ctl[L.bCs], ctl[L.kc], ctl[L.mc]];
  const scale = alpha[L.alpha];
  if (Atomics.load(ctl, L.seq) !== seq) return;
  const local1 = { next: 0 };
  for (let t = claim(L.claim1, total1, local1); t >= 0; t = claim(L.claim1, total1, local1)) {
    const j0 = t * cols;
    ex.packB(bRaw + j0 * bRs, bPack + j0 * k * 8, Math.min(n - j0, cols), k, bRs, bCs);
    if (!all) finish(L.done1, total1);
  }
  const local2 = { next: 0 };
  for (let t = claim(L.claim2, total2, local2); t >= 0; t = claim(L.claim2, total2, local2)) {
    const r0 = t * rows;
    const r1 = Math.min(mp, r0 + rows);
    ex.packA(aRaw + r0 * aRs, aPack + r0 * k * 8, Math.min(m - r0, r1 - r0), k, aRs, aCs);
    // every column chunk of B̃ must be packed before the product
    if (!all)
      for (let d = Atomics.load(ctl, L.done1); d < total1; d = Atomics.load(ctl, L.done1))
        Atomics.wait(ctl, L.done1, d);
    ex.gemm(aPack + r0 * k * 8, bPack, c + r0 * np * 8, r1 - r0, np, k, kc, mc, scale);
    if (!all) finish(L.done2, total2);
  }
}
