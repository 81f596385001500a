// `node --import tsx bench/gemm.ts [--quick]`: GFLOP/s of the naive i-k-j kernel (the original gemm), the tiled
// JS fallback and gemm (wasm SIMD) per shape and transpose case, medians over interleaved runs; then where the
// wasm path spends its time on the MLP shapes (copies in and out of linear memory, packing, kernel).
import { gemm } from '../src/kernels/gemm.js';
import { gemmTiled } from '../src/kernels/gemm-tiled.js';
import { gemmModule } from '../src/kernels/gemm-wasm-kernel.js';
import type { Matrix } from '../src/kernels/matrix.js';

/** The original kernel: i-k-j loops, inner loop contiguous in B and out. */
function naiveGemm(out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const od = out.data;
  const ad = a.data;
  const bd = b.data;
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
  return out;
}

const tiled = (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix =>
  gemmTiled(out, a, b, transA, transB, out.rows, out.cols, transA ? a.rows : a.cols);

type Kernel = (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean) => Matrix;
const KERNELS: readonly [string, Kernel][] = [
  ['naive', naiveGemm],
  ['tiled JS', tiled],
  ['gemm', gemm],
];

interface Case {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

const quick = process.argv.includes('--quick');

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

function random(rows: number, cols: number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  return { rows, cols, data };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds per call of each kernel; kernels take turns within every round. */
function measure({ m, n, k, transA, transB }: Case): number[] {
  const a = transA ? random(k, m) : random(m, k);
  const b = transB ? random(n, k) : random(k, n);
  const outs = KERNELS.map(() => random(m, n));
  const flops = 2 * m * n * k;
  const rounds = quick ? 7 : 11;
  const inner = Math.max(1, Math.round(2e7 / flops)); // ≥ ~1 ms of the fast kernel per sample
  const samples = KERNELS.map(() => [] as number[]);
  for (let r = -3; r < rounds; r++) {
    KERNELS.forEach(([, kernel], i) => {
      const start = performance.now();
      for (let q = 0; q < inner; q++) kernel(outs[i], a, b, transA, transB);
      if (r >= 0) samples[i].push((performance.now() - start) / 1e3 / inner);
    });
  }
  return samples.map(median);
}

const gflops = (c: Case, seconds: number) => (2 * c.m * c.n * c.k) / seconds / 1e9;
const pad = (s: string, w: number) => s.padStart(w);

const header = ['shape (m×n×k)', 'op', ...KERNELS.map(([name]) => `${name} GF/s`), 'speedup'];
const widths = [22, 6, 12, 12, 12, 8];
console.log(header.map((h, i) => pad(h, widths[i])).join(' '));
const mlpSeconds = KERNELS.map(() => 0);
for (const c of CASES) {
  const times = measure(c);
  if (MLP.includes(c)) {
    for (let i = 0; i < times.length; i++) mlpSeconds[i] += times[i];
  }
  const op = `${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'}`;
  const cells = [`${c.label} ${c.m}×${c.n}×${c.k}`, op, ...times.map((t) => gflops(c, t).toFixed(2))];
  cells.push(`${(times[0] / times[KERNELS.length - 1]).toFixed(1)}×`);
  console.log(cells.map((s, i) => pad(s, widths[i])).join(' '));
}
console.log(
  `\nMLP gradient products (sum of the 5 medians): ${KERNELS.map(([name], i) => `${name} ${(mlpSeconds[i] * 1e3).toFixed(2)} ms`).join(', ')}`,
);

/** Median ms of each phase of the wasm path, replaying gemm-wasm.ts's steps on the module's exports. */
type Fn = (...args: number[]) => void;
function phases({ m, n, k, transA, transB }: Case): number[] {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(gemmModule({ mr: 4, nr: 4, unroll: 1 })))
    .exports;
  const [packA, packB, kernel, compact] = ['packA', 'packB', 'gemm', 'compact'].map((f) => exports[f] as Fn);
  const memory = exports.memory as WebAssembly.Memory;
  const [mp, np] = [Math.ceil(m / 4) * 4, Math.ceil(n / 4) * 4];
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
    () => (transA ? packA(0, aPack * 8, m, k, 8, m * 8) : packA(0, aPack * 8, m, k, k * 8, 8)),
    () => (transB ? packB(bRaw * 8, bPack * 8, n, k, k * 8, 8) : packB(bRaw * 8, bPack * 8, n, k, 8, n * 8)),
    () => kernel(aPack * 8, bPack * 8, c * 8, mp, np, k, Math.ceil(k / Math.ceil(k / 256)), 128),
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
