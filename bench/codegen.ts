// Compiled-closure benchmark: forward and full gradient (W1, b1, W2, b2) of a 2-layer relu MLP with softmax
// cross-entropy, n = 256, 784 → 256 → 10, for each contender in CONTENDERS; interleaved rounds, medians, and
// the goals (vs hand-written, tfjs CPU and wasm autodiff, grad/forward, heap growth) marked met or not met.
// Run: node --expose-gc --import tsx bench/codegen.ts [--rounds N] [--calls N]
import { spawnSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { evaluateAll, grad } from '../src/api.js';
import { compile } from '../src/emit/js.js';
import type { Matrix } from '../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';
import { handwrittenMlp, type MlpData, type MlpSizes } from './handwritten.js';
import { tfjsCpu, tfjsWasm } from './tfjs.js';

/** A prepared contender: the loss, and the four gradients as row-major arrays (W1, b1, W2, b2). */
export interface Runner {
  /** Makes this contender's state current (tfjs: its backend); called untimed before each timed call. */
  activate?(): void;
  forward(): number;
  gradient(): readonly (Float64Array | Float32Array)[];
}

/** An entry of the comparison. */
export interface Contender {
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

const CONTENDERS: readonly Contender[] = [matcalc, handwritten, tfjsCpu, tfjsWasm];
const BASELINE = 'hand-written';
/** Gradients of a float32 contender agree with float64 ones when max |Δ| / max |reference| is below this. */
const FLOAT32_AGREEMENT = 1e-5;

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

/**
 * Heap and ArrayBuffer growth over `calls` gradient calls after one more, how many GCs ran meanwhile, and the
 * heap growth still there after a full GC (retained, as opposed to garbage).
 */
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
  gc();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  return {
    heap: after.heapUsed - before.heapUsed,
    buffers: after.arrayBuffers - before.arrayBuffers,
    gcs,
    retained,
  };
}

/** Float64Arrays made while `run` runs: by any constructor call or by subarray/slice/map/filter. */
function countFloat64Arrays(run: () => void): number {
  const Original = Float64Array;
  const proto = Original.prototype;
  const methods = ['subarray', 'slice', 'map', 'filter'] as const;
  const saved = methods.map((m) => proto[m]);
  let count = 0;
  class Counted extends Original {
    constructor(...args: unknown[]) {
      super(...(args as [ArrayBuffer, number?, number?]));
      count++;
    }
    static override [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof Original;
    }
  }
  const global = globalThis as { Float64Array: typeof Float64Array };
  global.Float64Array = Counted;
  methods.forEach((m, i) => {
    const original = saved[i] as (this: Float64Array, ...args: unknown[]) => Float64Array;
    Object.defineProperty(proto, m, {
      configurable: true,
      writable: true,
      value(this: Float64Array, ...args: unknown[]) {
        count++;
        return original.apply(this, args);
      },
    });
  });
  try {
    run();
  } finally {
    global.Float64Array = Original;
    methods.forEach((m, i) => {
      Object.defineProperty(proto, m, { configurable: true, writable: true, value: saved[i] });
    });
  }
  return count;
}

type Values = readonly (Float64Array | Float32Array)[];

function maxAbsDiff(a: Values, b: Values): number {
  let worst = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j] - b[i][j]));
  });
  return worst;
}

/** Worst over the gradients of max |a − b| / max |b|: a scale-aware difference that tiny entries cannot inflate. */
function maxRelDiff(a: Values, b: Values): number {
  let worst = 0;
  a.forEach((x, i) => {
    let scale = 0;
    for (const y of b[i]) scale = Math.max(scale, Math.abs(y));
    worst = Math.max(worst, maxAbsDiff([x], [b[i]]) / (scale || 1));
  });
  return worst;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

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
  // One at a time: tfjs tensors belong to the backend current when they are made.
  const runners: Runner[] = [];
  for (const c of CONTENDERS) runners.push(await c.prepare(data, SIZES));
  const run = <T>(i: number, f: (r: Runner) => T): T => {
    runners[i].activate?.();
    return f(runners[i]);
  };

  // Agreement: every contender against the first, and the first against the interpreter.
  const reference = run(0, (r) => r.gradient().map((g) => g.slice()));
  const referenceLoss = run(0, (r) => r.forward());
  const scope = parseDecls(DECLS);
  const f = parseExpr(LOSS, scope);
  const interp = evaluateAll(grad(f, WRT, { scope }), mlpValues(data, SIZES)).map((m) => m.data);
  const agreement = runners.map((_, i) => {
    const g = run(i, (r) => r.gradient());
    const loss = run(i, (r) => r.forward());
    return {
      abs: maxAbsDiff(g, reference),
      rel: maxRelDiff(g, reference),
      loss: Math.abs(loss - referenceLoss),
    };
  });

  for (let i = 0; i < runners.length; i++)
    for (let j = 0; j < 3; j++) run(i, (r) => [r.forward(), r.gradient()]);
  const fwd: number[][] = runners.map(() => []);
  const grd: number[][] = runners.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (round + j) % runners.length;
      fwd[i].push(run(i, (r) => timeMs(() => r.forward())));
      grd[i].push(run(i, (r) => timeMs(() => r.gradient())));
    }
  }

  // Memory of the compiled gradient (contender 0): heap growth over `calls` calls after its first, then over
  // two more such windows (V8's unoptimized tiers box doubles and keep temporaries on the heap until the
  // kernels are optimized), and Float64Arrays made per call.
  const compiled = runners[0];
  compiled.activate?.();
  const windows: Awaited<ReturnType<typeof growth>>[] = [];
  for (let w = 0; w < 3; w++) windows.push(await growth(compiled, calls));
  const grow = windows[0];
  const made = countFloat64Arrays(() => {
    for (let i = 0; i < 100; i++) compiled.gradient();
  });
  const rss = [...CONTENDERS.map((c) => peakRss(c.name)), peakRss('(none)')];

  const base = CONTENDERS.findIndex((c) => c.name === BASELINE);
  const fm = fwd.map(median);
  const gm = grd.map(median);
  const rows = CONTENDERS.map((c, i) => ({
    contender: c.name,
    'forward ms': fm[i].toFixed(2),
    'gradient ms': gm[i].toFixed(2),
    'grad/fwd': (gm[i] / fm[i]).toFixed(2),
    [`grad vs ${BASELINE}`]: (gm[i] / gm[base]).toFixed(3),
    'matcalc speedup': `${(gm[i] / gm[0]).toFixed(2)}×`,
    'peak RSS': `${rss[i].toFixed(0)} MB`,
    'max |Δ grad|': agreement[i].abs.toExponential(1),
    'max rel Δ grad': agreement[i].rel.toExponential(1),
    '|Δ loss|': agreement[i].loss.toExponential(1),
  }));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(
    `MLP ${SIZES.n}×${SIZES.d} → ${SIZES.h} → ${SIZES.k}; medians of ${rounds} interleaved rounds ` +
      `(Δ columns against ${CONTENDERS[0].name}; tfjs runs float32, the others float64)`,
  );
  console.table(rows);
  console.log(`peak RSS: each row's is a process that prepares only that contender and runs 20 gradients;`);
  console.log(
    `  one that only builds the data: ${rss[rss.length - 1].toFixed(0)} MB; this whole process: ` +
      `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  console.log(
    `${CONTENDERS[0].name} vs interpreter (evaluateAll): max |Δ grad| ${maxAbsDiff(reference, interp).toExponential(1)}`,
  );
  for (let i = 0; i < runners.length; i++) {
    if (!CONTENDERS[i].name.startsWith('tfjs')) continue;
    const ok = agreement[i].rel <= FLOAT32_AGREEMENT;
    console.log(
      `${CONTENDERS[i].name} gradients vs ${CONTENDERS[0].name}: max |Δ| ${agreement[i].abs.toExponential(1)}, ` +
        `max |Δ|/max|ref| ${agreement[i].rel.toExponential(1)} — ` +
        `${ok ? 'agree' : 'DISAGREE'} to float32 precision (≤ ${FLOAT32_AGREEMENT.toExponential(0)})`,
    );
  }

  const at = (name: string) => CONTENDERS.findIndex((c) => c.name === name);
  const [cpu, wasm] = [at(tfjsCpu.name), at(tfjsWasm.name)];
  const perCall = grow.heap / calls;
  console.log('\nGoals (gradient medians):');
  const goals: [string, boolean][] = [
    [`matcalc gradient ≤ 1.1× hand-written: ${(gm[0] / gm[base]).toFixed(3)}×`, gm[0] <= 1.1 * gm[base]],
    [`≥ 3× faster than tfjs CPU autodiff: ${(gm[cpu] / gm[0]).toFixed(2)}× faster`, gm[cpu] >= 3 * gm[0]],
    [`faster than tfjs-backend-wasm autodiff: ${(gm[wasm] / gm[0]).toFixed(2)}× faster`, gm[wasm] > gm[0]],
    [`matcalc gradient/forward ≤ 2.2: ${(gm[0] / fm[0]).toFixed(2)}`, gm[0] <= 2.2 * fm[0]],
    [
      `heap growth over ${calls} calls after the first < 64 B a call (less than one typed-array view a call): ` +
        `${kb(grow.heap)} (${perCall.toFixed(1)} B a call, ${grow.gcs} GCs); the next two windows: ` +
        windows
          .slice(1)
          .map((x) => kb(x.heap))
          .join(', ') +
        `; retained after a full GC: ${windows.map((x) => kb(x.retained)).join(', ')}`,
      perCall < 64,
    ],
    [`no Float64Array made after the first call: ${made} in 100 calls`, made === 0],
  ];
  for (const [text, ok] of goals) console.log(`  ${verdict(ok).padEnd(7)}  ${text}`);
  console.log(
    `  (info)   peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ` +
      `of a matcalc-only process ${rss[0].toFixed(0)} MB; ArrayBuffers Δ over ${calls} calls ${kb(grow.buffers)}`,
  );
}

await main();
