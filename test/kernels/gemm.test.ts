// gemm against a plain triple-loop reference: every transpose case over sizes 1..70 (odd, vectors, K = 1, not
// multiples of the tile), each code path on its own (loops, register-tiled JS, wasm SIMD with several tile
// and block shapes, pinned row groups, op(A) packed or read in place, operands staged or copied whole),
// cache-block boundaries, garbage in out, aliasing, NaN containment, random sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/kernels/gemm.js';
import { gemmLoops } from '../../src/kernels/gemm-loops.js';
import { gemmTiled } from '../../src/kernels/gemm-tiled.js';
import { bestTuning, createWasmGemm, type GemmTuning } from '../../src/kernels/gemm-wasm.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { garbage, operands, random, relError } from './gemm-reference.js';

type Kernel = (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean) => Matrix;

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

function check(kernel: Kernel, m: number, n: number, k: number, transA: boolean, transB: boolean, seed = 1) {
  const { a, b } = operands(m, n, k, transA, transB, seed);
  const out = kernel(garbage(m, n), a, b, transA, transB);
  return relError(out, a, b, transA, transB);
}

const withDims =
  (
    f: (
      out: Matrix,
      a: Matrix,
      b: Matrix,
      tA: boolean,
      tB: boolean,
      m: number,
      n: number,
      k: number,
    ) => Matrix,
  ) =>
  (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean) =>
    f(out, a, b, transA, transB, out.rows, out.cols, transA ? a.rows : a.cols);

function wasmKernel(tuning?: GemmTuning): Kernel {
  const run = createWasmGemm(tuning);
  if (run === null) throw new Error('WebAssembly SIMD unavailable');
  return withDims((out, a, b, tA, tB, m, n, k) => {
    if (!run(out, a, b, tA, tB, m, n, k)) throw new Error('wasm memory exhausted');
    return out;
  });
}

const KERNELS: readonly [string, Kernel][] = [
  ['gemm', gemm],
  ['loops', withDims(gemmLoops)],
  ['tiled JS', withDims(gemmTiled)],
  ['wasm, best tuning', wasmKernel()],
  // the fused kernel's 5×4 tile with pinned row groups, in mul + add (this runtime may lack relaxed SIMD)
  ['wasm 5×4 pinned by 2, mul + add', wasmKernel({ ...bestTuning(true), fma: false })],
  ['wasm 5×4 pinned by 2, kc 7, mc 8 (→ 5)', wasmKernel({ ...bestTuning(true), fma: false, kc: 7, mc: 8 })],
  [
    'wasm 3×4 pinned by 1, unrolled 2, kc 9',
    wasmKernel({ mr: 3, nr: 4, unroll: 2, pinRows: 1, kc: 9, mc: 6 }),
  ],
  // tiny cache blocks and other register tiles, so block and tile edges occur at small sizes
  ['wasm 4×4, kc 7, mc 8', wasmKernel({ mr: 4, nr: 4, unroll: 1, kc: 7, mc: 8 })],
  ['wasm 3×2 unrolled 4, kc 5, mc 7 (→ 6)', wasmKernel({ mr: 3, nr: 2, unroll: 4, kc: 5, mc: 7 })],
  ['wasm 2×6 unrolled 2, kc 64, mc 4', wasmKernel({ mr: 2, nr: 6, unroll: 2, kc: 64, mc: 4 })],
  // op(A) read where it was copied (rows of a tile k apart, or 8 bytes apart when transposed), and packed
  [
    'wasm, op(A) in place, kc 7, mc 10',
    wasmKernel({ ...bestTuning(true), fma: false, kc: 7, mc: 10, packA: false }),
  ],
  [
    'wasm 3×2 unrolled 4, op(A) in place',
    wasmKernel({ mr: 3, nr: 2, unroll: 4, kc: 5, mc: 7, packA: false }),
  ],
  ['wasm, op(A) always packed', wasmKernel({ ...bestTuning(false), packA: true })],
  // operands copied whole and packed from memory, as threads do (one thread stages them by default)
  ['wasm, not staged', wasmKernel({ ...bestTuning(false), staged: false })],
  [
    'wasm 2×6, not staged, op(A) in place',
    wasmKernel({ mr: 2, nr: 6, unroll: 1, kc: 9, mc: 4, staged: false, packA: false }),
  ],
];

const SIDES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33, 70];
const DEPTHS = [1, 2, 5, 17, 70];

describe.each(KERNELS)('%s', (_, kernel) => {
  it.each(TRANSPOSES)('matches the triple loop for sizes 1..70 (transA %s, transB %s)', (transA, transB) => {
    let worst = 0;
    let seed = 1;
    for (const m of SIDES)
      for (const n of SIDES)
        for (const k of DEPTHS) worst = Math.max(worst, check(kernel, m, n, k, transA, transB, seed++));
    expect(worst).toBeLessThan(1e-12);
  });

  it('crosses cache blocks (k > 256, m > 128) in every transpose case', () => {
    for (const [transA, transB] of TRANSPOSES) {
      expect(check(kernel, 131, 18, 270, transA, transB)).toBeLessThan(1e-12);
      expect(check(kernel, 9, 133, 300, transA, transB)).toBeLessThan(1e-12);
    }
  });

  it('stays correct after a larger product left NaN in linear memory (padding is never read as data)', () => {
    const big = operands(100, 90, 80, false, false, 7);
    big.a.data.fill(Number.NaN);
    big.b.data.fill(Number.NaN);
    kernel(garbage(100, 90), big.a, big.b, false, false);
    for (const [transA, transB] of TRANSPOSES)
      for (const [m, n, k] of [
        [21, 19, 23],
        [9, 70, 6],
      ])
        expect(check(kernel, m, n, k, transA, transB)).toBeLessThan(1e-12);
  });

  it('contains NaN to the row and column it reaches; padding never leaks into out', () => {
    for (const [transA, transB] of TRANSPOSES) {
      const [m, n, k] = [9, 6, 11];
      const { a, b } = operands(m, n, k, transA, transB, 3);
      a.data[transA ? 4 * m + 2 : 2 * k + 4] = Number.NaN; // op(A)[2, 4]
      b.data[transB ? 5 * k + 7 : 7 * n + 5] = Number.POSITIVE_INFINITY; // op(B)[7, 5]
      const out = kernel(garbage(m, n), a, b, transA, transB);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) expect(Number.isNaN(out.data[i * n + j]), `${i},${j}`).toBe(i === 2);
    }
  });
});

describe('gemm', () => {
  it('computes a hand-checked product: [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50], and its transposes', () => {
    const a = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) };
    const b = { rows: 2, cols: 2, data: Float64Array.of(5, 6, 7, 8) };
    expect([...gemm(garbage(2, 2), a, b, false, false).data]).toEqual([19, 22, 43, 50]);
    expect([...gemm(garbage(2, 2), a, b, true, false).data]).toEqual([26, 30, 38, 44]); // AᵀB
    expect([...gemm(garbage(2, 2), a, b, false, true).data]).toEqual([17, 23, 39, 53]); // ABᵀ
    expect([...gemm(garbage(2, 2), a, b, true, true).data]).toEqual([23, 31, 34, 46]); // AᵀBᵀ
  });

  it('matches the reference for the MLP gradient shapes', () => {
    const shapes = [
      [256, 256, 784, false, false], // X·W1
      [256, 10, 256, false, false], // H·W2
      [256, 10, 256, true, false], // Hᵀ·G
      [256, 256, 10, false, true], // G·W2ᵀ
      [784, 256, 256, true, false], // Xᵀ·D
    ] as const;
    for (const [m, n, k, transA, transB] of shapes)
      expect(check(gemm, m, n, k, transA, transB)).toBeLessThan(1e-12);
  });

  it('overwrites out when it shares storage with an operand', () => {
    for (const [transA, transB] of TRANSPOSES) {
      for (const size of [3, 40]) {
        const a = random(size, size, 5);
        const b = random(size, size, 6);
        const alias = { rows: size, cols: size, data: a.data.slice() };
        gemm(alias, alias, b, transA, transB); // out = A·B written over A
        expect(relError(alias, a, b, transA, transB)).toBeLessThan(1e-12);
      }
    }
  });

  it('stays correct when linear memory holds stale NaN from a larger product', () => {
    const big = operands(100, 90, 80, false, false, 7);
    big.a.data.fill(Number.NaN);
    big.b.data.fill(Number.NaN);
    gemm(garbage(100, 90), big.a, big.b, false, false);
    for (const [transA, transB] of TRANSPOSES)
      expect(check(gemm, 21, 19, 23, transA, transB)).toBeLessThan(1e-12);
  });

  it('fills out with zeros when k = 0 and rejects mismatched shapes', () => {
    const out = gemm(
      garbage(2, 3),
      { rows: 2, cols: 0, data: new Float64Array(0) },
      garbage(0, 3),
      false,
      false,
    );
    expect([...out.data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => gemm(garbage(2, 2), random(2, 3, 1), random(2, 2, 1), false, false)).toThrow(RangeError);
    expect(() => gemm(garbage(3, 2), random(2, 3, 1), random(3, 2, 1), false, false)).toThrow(
      /gemm: 2x3 times 3x2/,
    );
  });

  it('matches the reference for random sizes and transposes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (m, n, k, transA, transB, seed) => check(gemm, m, n, k, transA, transB, seed) < 1e-12,
      ),
      { numRuns: 200 },
    );
  });
});
