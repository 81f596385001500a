// `node --import tsx bench/gemm.ts [--quick]`: GFLOP/s per shape and transpose case of the naive i-k-j kernel
// (the original gemm), the tiled JS fallback, the wasm gemm with f64x2 mul + add, with f64x2.relaxed_madd (where
// the runtime has relaxed SIMD: Node 20 needs --experimental-wasm-relaxed-simd), on 2 threads, and NumPy's
// OpenBLAS on 1 thread (a python3 child, OPENBLAS_NUM_THREADS=1); every kernel takes its turn in every round,
// medians are reported; then the goal line (≥ 90% of OpenBLAS on the MLP's products) and the wasm phases.
import { loadavg } from 'node:os';
import { gemm } from '../src/kernels/gemm.js';
import { gemmTiled } from '../src/kernels/gemm-tiled.js';
import { bestTuning, createWasmGemm, hasRelaxedSimd } from '../src/kernels/gemm-wasm.js';
import { gemmModule } from '../src/kernels/gemm-wasm-kernel.js';
import type { Matrix } from '../src/kernels/matrix.js';
import { findNumpy, PythonContenders } from './python.js';

/** The original kernel: i-k-j loops, inner loop contiguous in B and out. */
function naiveGemm(out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): void {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const [od, ad, bd] = [out.data, a.data, b.data];
  od.fill(0);
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
}

interface Case {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/** Seconds per call of one kernel on a case, over `inner` calls. */
type Timer = (c: Case, inner: number) => Promise<number>;

const quick = process.argv.includes('--quick');

function random(rows: number, cols: number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  return { rows, cols, data };
}

type Kernel = (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean) => void;

/** A timer for an in-process kernel; operands are made once per case. */
function local(kernel: Kernel): Timer {
  let last: Case | undefined;
  let ops: { a: Matrix; b: Matrix; out: Matrix } | undefined;
  return async (c, inner) => {
    if (c !== last || !ops) {
      const { m, n, k, transA, transB } = c;
      ops = {
        a: transA ? random(k, m) : random(m, k),
        b: transB ? random(n, k) : random(k, n),
        out: random(m, n),
      };
      last = c;
    }
    const start = performance.now();
    for (let q = 0; q < inner; q++) kernel(ops.out, ops.a, ops.b, c.transA, c.transB);
    return (performance.now() - start) / 1e3 / inner;
  };
}

const wasmWith = (fma: boolean): Kernel => {
  const run = createWasmGemm(bestTuning(fma))!;
  return (out, a, b, tA, tB) => {
    run(out, a, b, tA, tB, out.rows, out.cols, tA ? a.rows : a.cols);
  };
};

const KERNELS: [string, Timer][] = [
  ['naive', local(naiveGemm)],
  ['tiled JS', local((o, a, b, tA, tB) => gemmTiled(o, a, b, tA, tB, o.rows, o.cols, tA ? a.rows : a.cols))],
  ['wasm mul+add', local(wasmWith(false))],
];
if (hasRelaxedSimd()) KERNELS.push(['wasm FMA', local(wasmWith(true))]);
/** gemm as compiled code calls it, on one thread and on two. */
const [ONE, TWO] = [KERNELS.length, KERNELS.length + 1];
KERNELS.push(['gemm 1 thread', local((o, a, b, tA, tB) => gemm(o, a, b, tA, tB, 1, 1))]);
KERNELS.push(['gemm 2 threads', local((o, a, b, tA, tB) => gemm(o, a, b, tA, tB, 1, 2))]);
const python = findNumpy();
const numpy = python ? new PythonContenders(python, 'numpy', { OPENBLAS_NUM_THREADS: '1' }) : null;
const BLAS = KERNELS.length;
if (numpy) {
  KERNELS.push([
    'OpenBLAS 1 thread',
    async (c, inner) =>
      (await numpy.time(`gemm ${c.m} ${c.n} ${c.k} ${Number(c.transA)} ${Number(c.transB)} ${inner}`)) / 1e3,
  ]);
}

// The 784→256→10 MLP at batch 256: forward X·W1, H·W2; backward Hᵀ·G, G·W2ᵀ, Xᵀ·D.
const MLP: readonly Case[] = [
  { label: 'X·W1', m: 256, n: 256, k: 784, transA: false, transB: false },
  { label: 'H·W2', m: 256, n: 10, k: 256, transA: false, transB: false },
  { label: 'Hᵀ·G', m: 256, n: 10, k: 256, transA: true, transB: false },
  { label: 'G·W2ᵀ', m: 256, n: 256, k: 10, transA: false, transB: true },
  { label: 'Xᵀ·D', m: 784, n: 256, k: 256, transA: true, transB: false },
];
const SQUARES = quick ? [64] : [8, 32, 128, 256];
const CASES: readonly Case[] = [
  ...MLP,
  ...SQUARES.flatMap((s) =>
    [false, true].flatMap((transA) =>
      [false, true].map((transB) => ({ label: `${s}³`, m: s, n: s, k: s, transA, transB })),
    ),
  ),
];

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds per call of each kernel; kernels take turns within every round. */
async function measure(c: Case): Promise<number[]> {
  const flops = 2 * c.m * c.n * c.k;
  const rounds = quick ? 7 : 11;
  const inner = Math.max(1, Math.round(2e7 / flops)); // ≥ ~1 ms of the fast kernels per sample
  const samples = KERNELS.map(() => [] as number[]);
  for (let r = -3; r < rounds; r++) {
    for (let j = 0; j < KERNELS.length; j++) {
      const i = (j + Math.max(r, 0)) % KERNELS.length;
      const naive = i === 0;
      const t = await KERNELS[i][1](c, naive ? 1 : inner);
      if (r >= 0) samples[i].push(t);
    }
  }
  return samples.map(median);
}

const gflops = (c: Case, seconds: number) => (2 * c.m * c.n * c.k) / seconds / 1e9;
const pad = (s: string, w: number) => s.padStart(w);

const load0 = loadavg()[0];
const widths = [22, 4, ...KERNELS.map(([name]) => Math.max(9, name.length))];
console.log(
  ['shape (m×n×k)', 'op', ...KERNELS.map(([name]) => name)].map((h, i) => pad(h, widths[i])).join(' '),
);
const mlpSeconds = KERNELS.map(() => 0);
for (const c of CASES) {
  const times = await measure(c);
  if (MLP.includes(c)) for (let i = 0; i < times.length; i++) mlpSeconds[i] += times[i];
  const op = `${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'}`;
  const cells = [`${c.label} ${c.m}×${c.n}×${c.k}`, op, ...times.map((t) => gflops(c, t).toFixed(2))];
  console.log(cells.map((s, i) => pad(s, widths[i])).join(' '));
}
console.log(
  `(GFLOP/s; load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} on ${KERNELS.length} contenders)`,
);
console.log(
  `\nMLP gradient products (sum of the 5 medians): ${KERNELS.map(([name], i) => `${name} ${(mlpSeconds[i] * 1e3).toFixed(2)} ms`).join(', ')}`,
);
if (numpy) {
  const ratio = mlpSeconds[BLAS] / mlpSeconds[ONE];
  const two = mlpSeconds[BLAS] / mlpSeconds[TWO];
  console.log(
    `  ${ratio >= 0.9 ? 'met    ' : 'NOT MET'}  gemm (1 thread, ${hasRelaxedSimd() ? 'FMA' : 'mul+add'}) ≥ 90% of OpenBLAS 1 thread on the MLP's products: ${(ratio * 100).toFixed(0)}%`,
  );
  console.log(`  (info)   gemm on 2 threads: ${(two * 100).toFixed(0)}% of OpenBLAS 1 thread's speed`);
  numpy.close();
} else console.log('  (no python3 with NumPy: the OpenBLAS goal was not measured)');

/** Median ms of each phase of the wasm path, replaying gemm-wasm.ts's steps on the module's exports. */
type Fn = (...args: number[]) => void;
function phases({ m, n, k, transA, transB }: Case): number[] {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const tuning = bestTuning();
  const module = new WebAssembly.Module(gemmModule(tuning));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const [packA, packB, kernel, compact] = ['packA', 'packB', 'gemm', 'compact'].map((f) => exports[f] as Fn);
  const [mp, np] = [Math.ceil(m / tuning.mr) * tuning.mr, Math.ceil(n / tuning.nr) * tuning.nr];
  const [bRaw, aPack, bPack, c] = [mp * k, (mp + np) * k, (2 * mp + np) * k, 2 * (mp + np) * k];
  memory.grow(Math.ceil(((c + mp * np) * 8) / 65536));
  const heap = new Float64Array(memory.buffer);
  const a = random(m, k).data;
  const b = random(k, n).data;
  const out = new Float64Array(m * n);
  const steps: (() => void)[] = [
    () => {
      heap.set(a, 0);
      heap.set(b, bRaw);
    },
    () =>
      transA
        ? packA(0, aPack * 8, m, k, 8, m * 8, tuning.mr * k * 8)
        : packA(0, aPack * 8, m, k, k * 8, 8, tuning.mr * k * 8),
    () =>
      transB
        ? packB(bRaw * 8, bPack * 8, n, k, k * 8, 8, tuning.nr * k * 8)
        : packB(bRaw * 8, bPack * 8, n, k, 8, n * 8, tuning.nr * k * 8),
    () =>
      kernel(
        aPack * 8,
        bPack * 8,
        c * 8,
        mp,
        np,
        k,
        Math.ceil(k / Math.ceil(k / tuning.kc)),
        tuning.mc,
        1,
        k * 8,
        tuning.mr * 8,
      ),
    () => {
      if (n !== np) compact(c * 8, m, n, np);
      out.set(heap.subarray(c, c + m * n));
    },
  ];
  const samples = steps.map(() => [] as number[]);
  for (let r = -5; r < (quick ? 15 : 40); r++) {
    steps.forEach((step, i) => {
      const start = performance.now();
      step();
      if (r >= 0) samples[i].push(performance.now() - start);
    });
  }
  return samples.map(median);
}

console.log(
  `\n${['wasm phases (ms)', 'copy in', 'pack A', 'pack B', 'kernel', 'copy out'].map((h, i) => pad(h, i ? 9 : 22)).join(' ')}`,
);
for (const c of MLP) {
  const cells = phases(c).map((t) => pad(t.toFixed(3), 9));
  console.log(`${pad(c.label, 22)} ${cells.join(' ')}`);
}
