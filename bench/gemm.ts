// `node --import tsx bench/gemm.ts [--quick]`: GFLOP/s per shape and transpose case of the naive i-k-j kernel
// (the original gemm), the tiled JS fallback, the wasm gemm with f64x2 mul + add, with f64x2.relaxed_madd (where
// the runtime has relaxed SIMD: Node 20 needs --experimental-wasm-relaxed-simd), on 2 threads, and NumPy's
// OpenBLAS on 1 thread (a python3 child, OPENBLAS_NUM_THREADS=1); every kernel takes its turn in every round,
// medians of wall and CPU time are reported; then the goal line (≥ 90% of OpenBLAS on the MLP's products, by
// wall time, and by CPU time for a shared machine), each product's times, and the kernel's share of them.
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

/** Seconds per call of one kernel on a case, over `inner` calls: wall clock, and CPU time of its process. */
interface Time {
  readonly wall: number;
  readonly cpu: number;
}
type Timer = (c: Case, inner: number) => Promise<Time>;

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
    const cpu = process.cpuUsage();
    for (let q = 0; q < inner; q++) kernel(ops.out, ops.a, ops.b, c.transA, c.transB);
    const { user, system } = process.cpuUsage(cpu);
    return { wall: (performance.now() - start) / 1e3 / inner, cpu: (user + system) / 1e6 / inner };
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
    async (c, inner) => {
      const line = await numpy.ask(
        `gemmcpu ${c.m} ${c.n} ${c.k} ${Number(c.transA)} ${Number(c.transB)} ${inner}`,
      );
      const [wall, cpu] = line.split(' ').map((ms) => Number(ms) / 1e3);
      return { wall, cpu };
    },
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

/** Median seconds per call of each kernel, wall and CPU; kernels take turns within every round. */
async function measure(c: Case): Promise<{ wall: number[]; cpu: number[] }> {
  const flops = 2 * c.m * c.n * c.k;
  const rounds = quick ? 7 : 11;
  const inner = Math.max(1, Math.round(2e7 / flops)); // ≥ ~1 ms of the fast kernels per sample
  const samples = KERNELS.map(() => [] as Time[]);
  for (let r = -3; r < rounds; r++) {
    for (let j = 0; j < KERNELS.length; j++) {
      const i = (j + Math.max(r, 0)) % KERNELS.length;
      const naive = i === 0;
      const t = await KERNELS[i][1](c, naive ? 1 : inner);
      if (r >= 0) samples[i].push(t);
    }
  }
  return {
    wall: samples.map((ts) => median(ts.map((t) => t.wall))),
    cpu: samples.map((ts) => median(ts.map((t) => t.cpu))),
  };
}

const gflops = (c: Case, seconds: number) => (2 * c.m * c.n * c.k) / seconds / 1e9;
const pad = (s: string, w: number) => s.padStart(w);

const load0 = loadavg()[0];
const widths = [22, 4, ...KERNELS.map(([name]) => Math.max(9, name.length))];
console.log(
  ['shape (m×n×k)', 'op', ...KERNELS.map(([name]) => name)].map((h, i) => pad(h, widths[i])).join(' '),
);
const mlpSeconds = KERNELS.map(() => 0);
const mlpCpu = KERNELS.map(() => 0);
/** Per MLP product: gemm on one thread and OpenBLAS, wall and CPU medians (seconds). */
const perProduct: { c: Case; wall: number[]; cpu: number[] }[] = [];
for (const c of CASES) {
  const { wall: times, cpu } = await measure(c);
  if (MLP.includes(c)) {
    for (let i = 0; i < times.length; i++) mlpSeconds[i] += times[i];
    for (let i = 0; i < cpu.length; i++) mlpCpu[i] += cpu[i];
    perProduct.push({ c, wall: times, cpu });
  }
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
  const cpuRatio = mlpCpu[BLAS] / mlpCpu[ONE];
  console.log(
    `  ${ratio >= 0.9 ? 'met    ' : 'NOT MET'}  gemm (1 thread, ${hasRelaxedSimd() ? 'FMA' : 'mul+add'}) ≥ 90% of OpenBLAS 1 thread on the MLP's products: ${(ratio * 100).toFixed(0)}%`,
  );
  console.log(
    `  (info)   the same by CPU time (other processes' load does not count): ${(cpuRatio * 100).toFixed(0)}% (${(mlpCpu[ONE] * 1e3).toFixed(2)} vs ${(mlpCpu[BLAS] * 1e3).toFixed(2)} ms)`,
  );
  console.log(`  (info)   gemm on 2 threads: ${(two * 100).toFixed(0)}% of OpenBLAS 1 thread's speed`);
  console.log(
    `\n${['per product (ms)', 'gemm', 'OpenBLAS', 'ratio', 'gemm cpu', 'BLAS cpu', 'ratio'].map((h, i) => pad(h, i ? 9 : 22)).join(' ')}`,
  );
  for (const { c, wall, cpu } of perProduct) {
    const cells = [wall[ONE], wall[BLAS], wall[BLAS] / wall[ONE], cpu[ONE], cpu[BLAS], cpu[BLAS] / cpu[ONE]];
    const text = cells.map((x, i) => pad(i % 3 === 2 ? `${(x * 100).toFixed(0)}%` : (x * 1e3).toFixed(3), 9));
    console.log(`${pad(c.label, 22)} ${text.join(' ')}`);
  }
  numpy.close();
} else console.log('  (no python3 with NumPy: the OpenBLAS goal was not measured)');

/** Median CPU ms of the wasm kernel alone on one product (operands packed once, before timing). */
type Fn = (...args: number[]) => void;
function kernelMs({ m, n, k }: Case): number {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const tuning = bestTuning();
  const exports = new WebAssembly.Instance(new WebAssembly.Module(gemmModule(tuning)), { env: { memory } })
    .exports;
  const kernel = exports.gemm as Fn;
  const [mp, np] = [Math.ceil(m / tuning.mr) * tuning.mr, Math.ceil(n / tuning.nr) * tuning.nr];
  const [aPack, bPack, c] = [0, mp * k, (mp + np) * k];
  memory.grow(Math.ceil(((c + mp * np) * 8) / 65536));
  const heap = new Float64Array(memory.buffer);
  for (let i = 0; i < c; i++) heap[i] = Math.random() * 2 - 1;
  const kc = Math.ceil(k / Math.ceil(k / tuning.kc));
  const inner = Math.max(1, Math.round(2e7 / (2 * m * n * k)));
  const samples: number[] = [];
  for (let r = -5; r < (quick ? 15 : 40); r++) {
    const cpu = process.cpuUsage();
    for (let q = 0; q < inner; q++)
      kernel(aPack * 8, bPack * 8, c * 8, mp, np, k, kc, tuning.mc, 1, k * 8, tuning.mr * 8);
    const { user, system } = process.cpuUsage(cpu);
    if (r >= 0) samples.push((user + system) / 1e3 / inner);
  }
  return median(samples);
}

console.log(
  `\n${['gemm 1 thread (CPU ms)', 'whole', 'kernel', 'GFLOP/s', 'rest'].map((h, i) => pad(h, i ? 9 : 22)).join(' ')}`,
);
for (const { c, cpu } of perProduct) {
  const whole = cpu[ONE] * 1e3;
  const kernel = kernelMs(c);
  const cells = [whole, kernel, (2 * c.m * c.n * c.k) / kernel / 1e6, whole - kernel];
  console.log(`${pad(c.label, 22)} ${cells.map((x) => pad(x.toFixed(3), 9)).join(' ')}`);
}
console.log('(kernel: the wasm kernel alone on packed operands; rest: copies in and out, packing, calls)');
