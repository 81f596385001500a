// Compiled-closure benchmark: forward and full gradient (W1, b1, W2, b2) of a 2-layer relu MLP with softmax
// cross-entropy, n = 256, 784 → 256 → 10, for each contender in CONTENDERS; interleaved rounds, medians.
// Run: node --expose-gc --import tsx bench/codegen.ts [--rounds N] [--calls N]
import { spawnSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { evaluateAll, grad } from '../src/api.js';
import { compile } from '../src/emit/js.js';
import type { Matrix } from '../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';
import { handwrittenMlp, type MlpData, type MlpSizes } from './handwritten.js';

/** A prepared contender: the loss, and the four gradients as row-major Float64Arrays (W1, b1, W2, b2). */
interface Runner {
  forward(): number;
  gradient(): readonly Float64Array[];
}

/** An entry of the comparison; add more (tfjs, …) to CONTENDERS. */
interface Contender {
  readonly name: string;
  prepare(data: MlpData, sizes: MlpSizes): Runner | Promise<Runner>;
}

const LOSS = "sum(logsumexp(relu(X*W1 + b1')*W2 + b2', 2) - sum(Y .* (relu(X*W1 + b1')*W2 + b2'), 2))/n";
const DECLS = 'X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k';
const WRT = ['W1', 'b1', 'W2', 'b2'];

function mlpValues(v: MlpData, { n, d, h, k }: MlpSizes) {
  const m = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });
  return { X: m(n, d, v.X), Y: m(n, k, v.Y), W1: m(d, h, v.W1), b1: v.b1, W2: m(h, k, v.W2), b2: v.b2 };
}

const matcalc: Contender = {
  name: 'matcalc compile',
  prepare(data, sizes) {
    const scope = parseDecls(DECLS);
    const f = parseExpr(LOSS, scope);
    const forward = compile(f);
    const gradient = compile(grad(f, WRT, { scope }));
    const values = mlpValues(data, sizes);
    return {
      forward: () => forward(values).data[0],
      gradient: () => gradient(values).map((g) => g.data),
    };
  },
};

const handwritten: Contender = {
  name: 'hand-written',
  prepare(data, sizes) {
    const mlp = handwrittenMlp(sizes);
    return {
      forward: () => mlp.forward(data),
      gradient: () => {
        const g = mlp.gradient(data);
        return [g.W1, g.b1, g.W2, g.b2];
      },
    };
  },
};

const CONTENDERS: readonly Contender[] = [matcalc, handwritten];
const BASELINE = 'hand-written';

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeData({ n, d, h, k }: MlpSizes): MlpData {
  const rand = rng(7);
  const fill = (len: number, scale: number) =>
    Float64Array.from({ length: len }, () => (rand() * 2 - 1) * scale);
  const Y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) Y[i * k + Math.floor(rand() * k)] = 1;
  return {
    X: fill(n * d, 1),
    Y,
    W1: fill(d * h, 1 / Math.sqrt(d)),
    b1: fill(h, 0.1),
    W2: fill(h * k, 1 / Math.sqrt(h)),
    b2: fill(k, 0.1),
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeMs(f: () => unknown): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Heap and ArrayBuffer growth over `calls` gradient calls after the first, and how many GCs ran meanwhile. */
async function growth(r: Runner, calls: number) {
  r.gradient();
  gc();
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage();
  for (let i = 0; i < calls; i++) r.gradient();
  const after = process.memoryUsage();
  await new Promise((res) => setImmediate(res));
  obs.disconnect();
  return { heap: after.heapUsed - before.heapUsed, buffers: after.arrayBuffers - before.arrayBuffers, gcs };
}

function maxAbsDiff(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j] - b[i][j]));
  });
  return worst;
}

const SIZES: MlpSizes = { n: 256, d: 784, h: 256, k: 10 };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Child mode: prepare one contender (or none), run a few gradients, print the peak RSS in MB. */
async function peakRssChild(name: string): Promise<void> {
  const data = makeData(SIZES);
  const c = CONTENDERS.find((x) => x.name === name);
  if (c) {
    const r = await c.prepare(data, SIZES);
    for (let i = 0; i < 20; i++) r.gradient();
  }
  process.stdout.write(String(process.resourceUsage().maxRSS / 1024));
}

function peakRss(name: string): number {
  const self = fileURLToPath(import.meta.url);
  const res = spawnSync(process.execPath, [...process.execArgv, self, '--peak-rss', name], {
    encoding: 'utf8',
  });
  return Number(res.stdout.trim());
}

async function main(): Promise<void> {
  const child = process.argv.indexOf('--peak-rss');
  if (child >= 0) return peakRssChild(process.argv[child + 1]);
  const rounds = option('--rounds', 30);
  const calls = option('--calls', 1000);
  const data = makeData(SIZES);
  const runners = await Promise.all(CONTENDERS.map((c) => c.prepare(data, SIZES)));

  // Agreement: every contender against the first, and the first against the interpreter.
  const reference = runners[0].gradient().map((g) => g.slice());
  const scope = parseDecls(DECLS);
  const f = parseExpr(LOSS, scope);
  const interp = evaluateAll(grad(f, WRT, { scope }), mlpValues(data, SIZES)).map((m) => m.data);
  const lossDiff = runners.map((r) => Math.abs(r.forward() - runners[0].forward()));

  for (const r of runners) for (let i = 0; i < 3; i++) [r.forward(), r.gradient()];
  const fwd: number[][] = runners.map(() => []);
  const grd: number[][] = runners.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (round + j) % runners.length;
      fwd[i].push(timeMs(() => runners[i].forward()));
      grd[i].push(timeMs(() => runners[i].gradient()));
    }
  }
  const grow: Awaited<ReturnType<typeof growth>>[] = [];
  for (const r of runners) grow.push(await growth(r, calls));
  const rss = [...CONTENDERS.map((c) => peakRss(c.name)), peakRss('(none)')];

  const base = CONTENDERS.findIndex((c) => c.name === BASELINE);
  const rows = CONTENDERS.map((c, i) => {
    const fm = median(fwd[i]);
    const gm = median(grd[i]);
    return {
      contender: c.name,
      'forward ms': fm.toFixed(2),
      'gradient ms': gm.toFixed(2),
      'grad/fwd': (gm / fm).toFixed(2),
      [`grad vs ${BASELINE}`]: (gm / median(grd[base])).toFixed(3),
      [`heap Δ/${calls} calls`]: `${(grow[i].heap / 1024).toFixed(0)} kB`,
      'arrayBuffers Δ': `${(grow[i].buffers / 1024).toFixed(0)} kB`,
      GCs: grow[i].gcs,
      'peak RSS': `${rss[i].toFixed(0)} MB`,
      'max |Δ grad| vs first': maxAbsDiff(runners[i].gradient(), reference).toExponential(1),
      '|Δ loss|': lossDiff[i].toExponential(1),
    };
  });
  console.log(`MLP ${SIZES.n}×${SIZES.d} → ${SIZES.h} → ${SIZES.k}; medians of ${rounds} interleaved rounds`);
  console.table(rows);
  console.log(`peak RSS of a process that only builds the data: ${rss[rss.length - 1].toFixed(0)} MB`);
  console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `max |Δ grad| first contender vs interpreter (evaluateAll): ${maxAbsDiff(reference, interp).toExponential(1)}`,
  );
}

await main();
