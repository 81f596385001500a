// The threaded wasm gemm and the α scale against the plain triple loop: random shapes with edge sizes (1, odd,
// not multiples of the tile or of the task split), every transpose case, α ≠ 1, on 1 to 3 threads with the
// same bits for every thread count; the thread settings (setGemmThreads, MATCALC_THREADS) and their errors;
// worker threads never keeping a process alive; compile(…, { threads }) and the α folding of a scaled product.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateAll, grad } from '../../src/api.js';
import { compile } from '../../src/emit/js.js';
import { UsageError } from '../../src/ir/errors.js';
import { gemm, gemmThreads, setGemmThreads, THREADS_FROM, ThreadsError } from '../../src/kernels/gemm.js';
import { canUseThreads } from '../../src/kernels/gemm-threads.js';
import { bestTuning, createWasmGemm, type GemmTuning } from '../../src/kernels/gemm-wasm.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { garbage, operands, random, relError } from './gemm-reference.js';

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Run `engine` on up to `threads` threads; its result scaled back by 1/α for the reference comparison. */
function threaded(tuning: GemmTuning) {
  const run = createWasmGemm(tuning, { threaded: true });
  if (run === null) throw new Error('WebAssembly SIMD unavailable');
  return (out: Matrix, a: Matrix, b: Matrix, tA: boolean, tB: boolean, alpha: number, threads: number) => {
    const k = tA ? a.rows : a.cols;
    if (!run(out, a, b, tA, tB, out.rows, out.cols, k, alpha, threads))
      throw new Error('wasm memory exhausted');
    return out;
  };
}

const ENGINES: readonly [string, ReturnType<typeof threaded>][] = [
  ['best tuning', threaded(bestTuning())],
  ['5×4 pinned by 2, mul + add, kc 7', threaded({ ...bestTuning(true), fma: false, kc: 7, mc: 10 })],
  ['5×4, op(A) in place, kc 7', threaded({ ...bestTuning(true), fma: false, kc: 7, mc: 10, packA: false })],
  ['4×4, kc 7, mc 8', threaded({ mr: 4, nr: 4, unroll: 1, kc: 7, mc: 8 })],
  ['3×2 unrolled 4, kc 5', threaded({ mr: 3, nr: 2, unroll: 4, kc: 5, mc: 7 })],
];

/** Largest relative error of α·op(A)·op(B) computed by `run`, against α times the triple loop. */
function scaledError(out: Matrix, a: Matrix, b: Matrix, tA: boolean, tB: boolean, alpha: number): number {
  const unscaled = { rows: out.rows, cols: out.cols, data: out.data.map((x) => x / alpha) };
  return relError(unscaled, a, b, tA, tB);
}

describe.runIf(canUseThreads()).each(ENGINES)('threaded wasm gemm, %s', (_, run) => {
  it.each(TRANSPOSES)(
    'matches the triple loop with α on 1–3 threads, same bits on each (transA %s, transB %s)',
    (tA, tB) => {
      const sides = [1, 2, 3, 5, 17, 33, 70];
      let seed = 11;
      for (const m of sides) {
        for (const n of sides) {
          for (const k of [1, 9, 70]) {
            const { a, b } = operands(m, n, k, tA, tB, seed++);
            const alpha = seed % 2 ? -0.375 : 3;
            const one = run(garbage(m, n), a, b, tA, tB, alpha, 1);
            expect(scaledError(one, a, b, tA, tB, alpha)).toBeLessThan(1e-12);
            for (const threads of [2, 3]) {
              const many = run(garbage(m, n), a, b, tA, tB, alpha, threads);
              expect(Array.from(many.data)).toEqual(Array.from(one.data));
            }
          }
        }
      }
    },
  );

  it('matches for random shapes and thread counts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.integer({ min: 1, max: 130 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
        (m, n, k, tA, tB, threads, alpha) => {
          const { a, b } = operands(m, n, k, tA, tB, m * 7919 + n * 31 + k);
          return scaledError(run(garbage(m, n), a, b, tA, tB, alpha, threads), a, b, tA, tB, alpha) < 1e-12;
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('gemm with α and threads', () => {
  afterEach(() => {
    setGemmThreads(undefined);
  });

  it('scales by α on every path: loops, wasm on one thread, wasm on two, and k = 0; α as a number or in a cell', () => {
    // 2×2×2 (loops), 40×30×20 (wasm, below the thread threshold), 200×150×100 (above it)
    for (const [m, n, k] of [
      [2, 2, 2],
      [40, 30, 20],
      [200, 150, 100],
    ]) {
      for (const [tA, tB] of TRANSPOSES) {
        const { a, b } = operands(m, n, k, tA, tB, m + n);
        for (const threads of [1, 2]) {
          const out = gemm(garbage(m, n), a, b, tA, tB, 0.5, threads);
          expect(scaledError(out, a, b, tA, tB, 0.5)).toBeLessThan(1e-12);
          const cell = gemm(garbage(m, n), a, b, tA, tB, new Float64Array([0.5]), threads);
          expect(Array.from(cell.data)).toEqual(Array.from(out.data));
        }
      }
    }
    expect(200 * 150 * 100).toBeGreaterThanOrEqual(THREADS_FROM);
    const empty = { rows: 2, cols: 0, data: new Float64Array(0) };
    expect(Array.from(gemm(garbage(2, 3), empty, garbage(0, 3), false, false, 4).data)).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('gives the same bits on one thread and on two for the MLP products, and writes over an aliased operand', () => {
    const shapes = [
      [256, 256, 784, false, false],
      [784, 256, 256, true, false],
      [256, 256, 10, false, true],
    ] as const;
    for (const [m, n, k, tA, tB] of shapes) {
      const { a, b } = operands(m, n, k, tA, tB, 5);
      const one = gemm(garbage(m, n), a, b, tA, tB, 1, 1);
      const two = gemm(garbage(m, n), a, b, tA, tB, 1, 2);
      expect(relError(one, a, b, tA, tB)).toBeLessThan(1e-12);
      expect(Array.from(two.data)).toEqual(Array.from(one.data));
    }
    const a = random(160, 160, 8);
    const b = random(160, 160, 9);
    const alias = { rows: 160, cols: 160, data: a.data.slice() };
    gemm(alias, alias, b, false, true, 1, 2);
    expect(relError(alias, a, b, false, true)).toBeLessThan(1e-12);
  });

  it('takes the thread count from setGemmThreads, rejecting what is not a positive integer', () => {
    expect(setGemmThreads(1)).toBe(1);
    expect(gemmThreads()).toBe(1);
    expect(setGemmThreads(3)).toBe(canUseThreads() ? 3 : 1);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => setGemmThreads(bad)).toThrow(ThreadsError);
      expect(() => setGemmThreads(bad)).toThrow(/threads must be a positive integer/);
    }
  });
});

/** Runs `code` (an ES module importing the sources through tsx) in a fresh Node process. */
function node(code: string, env: Record<string, string> = {}, flags: string[] = []) {
  return spawnSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

const GEMM = new URL('../../src/kernels/gemm.ts', import.meta.url).href;
const WASM = new URL('../../src/kernels/gemm-wasm.ts', import.meta.url).href;
const RELAXED = '--experimental-wasm-relaxed-simd';

/** Whether this node accepts the flag (a V8 option, so not in NODE_OPTIONS' allowed list). */
const relaxedFlag = spawnSync(process.execPath, [RELAXED, '-e', '0']).status === 0;

describe.runIf(relaxedFlag)('with relaxed SIMD (node --experimental-wasm-relaxed-simd)', () => {
  it('the fused multiply-add kernel matches the triple loop on 1 and 2 threads, edge sizes and transposes', () => {
    const r = node(
      `import { bestTuning, createWasmGemm, hasRelaxedSimd } from '${WASM}';
       let s = 7;
       const rand = (n) => Float64Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1));
       let worst = 0;
       const best = bestTuning();
       for (const tuning of [best, { ...best, kc: 7, mc: 8, packA: false }, { ...best, kc: 7, mc: 8, packA: true }, { mr: 4, nr: 4, unroll: 1, kc: 7, mc: 8, fma: true }]) {
         const run = createWasmGemm(tuning, { threaded: true });
         for (const [m, n, k] of [[1, 1, 1], [5, 3, 9], [17, 33, 70], [70, 5, 300], [256, 10, 256]])
           for (const tA of [false, true]) for (const tB of [false, true]) for (const threads of [1, 2]) {
             const a = { rows: tA ? k : m, cols: tA ? m : k, data: rand(m * k) };
             const b = { rows: tB ? n : k, cols: tB ? k : n, data: rand(k * n) };
             const out = { rows: m, cols: n, data: new Float64Array(m * n).fill(NaN) };
             run(out, a, b, tA, tB, m, n, k, 2, threads);
             for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
               let v = 0, sc = 0;
               for (let p = 0; p < k; p++) {
                 const x = tA ? a.data[p * m + i] : a.data[i * k + p];
                 const y = tB ? b.data[j * k + p] : b.data[p * n + j];
                 v += x * y; sc += Math.abs(x * y);
               }
               const e = Math.abs(out.data[i * n + j] - 2 * v) / (2 * sc + 1e-300);
               worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
             }
           }
       }
       console.log(hasRelaxedSimd(), worst);`,
      {},
      [RELAXED],
    );
    expect(r.stderr).toBe('');
    const [fma, worst] = r.stdout.trim().split(' ');
    expect(fma).toBe('true');
    expect(Number(worst)).toBeLessThan(1e-12);
  });
});

describe.runIf(canUseThreads())('worker threads in a process', () => {
  it('do not keep the process alive after a threaded product', () => {
    const r = node(
      `import { gemm } from '${GEMM}';
       const m = { rows: 300, cols: 300, data: new Float64Array(90000).fill(1) };
       const out = gemm({ rows: 300, cols: 300, data: new Float64Array(90000) }, m, m, false, false, 1, 2);
       console.log(out.data[0], out.data[89999]);`,
    );
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('300 300');
  });

  it('read MATCALC_THREADS, and a bad value is a clear error', () => {
    const show = `import { gemmThreads } from '${GEMM}'; console.log(gemmThreads());`;
    expect(node(show, { MATCALC_THREADS: '1' }).stdout.trim()).toBe('1');
    expect(node(show, { MATCALC_THREADS: '2' }).stdout.trim()).toBe('2');
    const bad = node(show, { MATCALC_THREADS: 'two' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('MATCALC_THREADS must be a positive integer, got "two"');
  });
});

describe('compile with threads, and α folded into gemm', () => {
  const scope = parseDecls('X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k');
  const loss = parseExpr(
    "sum(logsumexp(relu(X*W1 + b1')*W2 + b2', 2) - sum(Y .* (relu(X*W1 + b1')*W2 + b2'), 2))/n",
    scope,
  );
  const gradients = grad(loss, ['W1', 'b1', 'W2', 'b2'], { scope });
  const sizes = { n: 150, d: 97, h: 130, k: 7 };
  const values = {
    X: random(sizes.n, sizes.d, 1),
    Y: (() => {
      const y = { rows: sizes.n, cols: sizes.k, data: new Float64Array(sizes.n * sizes.k) };
      for (let i = 0; i < sizes.n; i++) y.data[i * sizes.k + (i % sizes.k)] = 1;
      return y;
    })(),
    W1: random(sizes.d, sizes.h, 2),
    b1: random(sizes.h, 1, 3).data,
    W2: random(sizes.h, sizes.k, 4),
    b2: random(sizes.k, 1, 5).data,
  };

  it('gives the interpreter’s MLP gradients on one thread and the same bits on two', () => {
    const want = evaluateAll(gradients, values);
    const one = compile(gradients, { threads: 1, copyOutputs: true })(values);
    const two = compile(gradients, { threads: 2, copyOutputs: true })(values);
    one.forEach((g, i) => {
      const scale = Math.max(...want[i].data.map(Math.abs));
      const worst = Math.max(...g.data.map((x, j) => Math.abs(x - want[i].data[j])));
      expect(worst / scale).toBeLessThan(1e-12);
      expect(Array.from(two[i].data)).toEqual(Array.from(g.data));
    });
  });

  it('passes the /n of X′·D to gemm as α (in a scale cell, never a boxed double) instead of dividing the d×h result', () => {
    const source = compile(gradients[0]).source;
    expect(source).toMatch(
      /(alpha\d+)\[0\] = 1 \/ m\d+\.data\[0\];\nK\.gemm\(m\d+, v\d+, m\d+, true, false, \1\)/,
    );
    expect(source).not.toMatch(/\/ \(\(d\d\)\)/);
  });

  it('keeps a product read twice unscaled: (A*B)/s + A*B', () => {
    const s2 = parseDecls('A: m x p; B: p x q; s: scalar');
    const f = parseExpr('(A*B)/s + A*B', s2);
    const v = { A: random(5, 6, 1), B: random(6, 7, 2), s: 3 };
    const calls = compile(f).source.match(/K\.gemm\([^)]*\)/g) ?? [];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/, false, false\)$/);
    const got = compile(f)(v);
    const want = evaluateAll([f], v)[0];
    expect(got.data.every((x, i) => Math.abs(x - want.data[i]) <= 1e-12 * Math.abs(want.data[i]))).toBe(true);
    const scaledTimes = parseExpr('s*(A*B)', s2);
    const src = compile(scaledTimes).source;
    expect(src).toMatch(/(alpha\d+)\[0\] = [mv]\d+\.data\[0\];\nK\.gemm\([^)]*, false, false, \1\)/);
    const w2 = evaluateAll([scaledTimes], v)[0];
    const g2 = compile(scaledTimes)(v);
    expect(g2.data.every((x, i) => Math.abs(x - w2.data[i]) <= 1e-12 * Math.abs(w2.data[i]))).toBe(true);
  });

  it('rejects a thread count that is not a positive integer', () => {
    for (const bad of [0, 2.5, -3]) {
      expect(() => compile(gradients[0], { threads: bad })).toThrow(UsageError);
      expect(() => compile(gradients[0], { threads: bad })).toThrow(
        /compile: threads must be a positive integer/,
      );
    }
  });
});
