// Compiled-closure benchmark: forward and full gradient (W1, b1, W2, b2) of a 2-layer relu MLP with softmax
// cross-entropy, n = 256, 784 → 256 → 10, for every contender (bench/mlp.ts; NumPy and PyTorch when a python3
// has them); contenders take turns in every round (the order rotates), medians are reported, and the goals
// (vs hand-written, PyTorch on 1 and 2 threads, tfjs, grad/forward, heap growth) are marked met or not met.
// Heap growth is measured in windows of --calls calls after the first call. The first --warmup calls are
// V8's warm-up, printed and not judged: until TurboFan has optimized a function (it counts the function's
// own calls, and the generated `run` and the gemm driver run a few times a gradient), its interpreter and
// baseline code box every double they compute, and optimizing adds code and metadata to the heap. Measured
// on Node 20: under node --no-opt every window grows ~75 kB a call; with --interrupt-budget=16384 (tier-up
// 8× sooner) the second window is already at the floor. The goal — the library's own per-call allocation —
// is judged on the worst of the --windows windows after the warm-up; the floor of ~2 B a call in the young
// generation is the probe's own heap-statistics objects (about 2 kB a window).
// Run: node --expose-gc --import tsx bench/codegen.ts [--rounds N] [--calls N] [--warmup N] [--windows N]
// (add --experimental-wasm-relaxed-simd on Node 20 for the fused multiply-add gemm)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { evaluateAll, grad } from '../src/api.js';
import { hasRelaxedSimd } from '../src/kernels/gemm-wasm.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';
import { countFloat64Arrays, growth } from './codegen-memory.js';
import {
  type Contender,
  DECLS,
  handwritten,
  LOSS,
  makeData,
  matcalc,
  mlpValues,
  pythonContenders,
  type RemoteRunner,
  type Runner,
  SIZES,
  WRT,
} from './mlp.js';
import { tfjsCpu, tfjsWasm } from './tfjs.js';

export type { Contender, Runner } from './mlp.js';

const [ONE, TWO] = [matcalc(1), matcalc(2)];
const LOCAL: readonly Contender[] = [ONE, TWO, handwritten, tfjsCpu, tfjsWasm];
const BASELINE = 'hand-written';
/** Gradients of a float32 contender agree with float64 ones when max |Δ| / max |reference| is below this. */
const FLOAT32_AGREEMENT = 1e-5;
/** The compiled gradient equals the hand-written one when max |Δ| / max |reference| is below this. */
const FLOAT64_AGREEMENT = 1e-12;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeMs(f: () => unknown): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
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

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Child mode: prepare one contender (or none), run a few gradients, print the peak RSS in MB. */
async function peakRssChild(name: string): Promise<void> {
  const data = makeData(SIZES);
  const c = LOCAL.find((x) => x.name === name);
  if (c) {
    const r = (await c.prepare(data, SIZES)) as Runner;
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

const isRemote = (r: Runner | RemoteRunner): r is RemoteRunner => 'remote' in r;

async function main(): Promise<void> {
  const child = process.argv.indexOf('--peak-rss');
  if (child >= 0) return peakRssChild(process.argv[child + 1]);
  const rounds = option('--rounds', 30);
  const calls = option('--calls', 1000);
  // Measured (see the header): the compiled MLP gradient allocates nothing per call from about call 4,000 on.
  const warmup = option('--warmup', 4000);
  const judged = option('--windows', 2);
  const data = makeData(SIZES);
  const python = await pythonContenders(data, SIZES);
  const contenders = [...LOCAL, ...python.contenders];
  // One at a time: tfjs tensors belong to the backend current when they are made.
  const runners: (Runner | RemoteRunner)[] = [];
  for (const c of contenders) runners.push(await c.prepare(data, SIZES));
  const timed = async (i: number, what: 'forward' | 'gradient'): Promise<number> => {
    const r = runners[i];
    if (isRemote(r)) return r.time(what);
    r.activate?.();
    return timeMs(() => (what === 'forward' ? r.forward() : r.gradient()));
  };
  const valuesOf = async (i: number) => {
    const r = runners[i];
    if (isRemote(r)) return r.values();
    r.activate?.();
    return { gradients: r.gradient().map((g) => g.slice()), loss: r.forward() };
  };

  // Agreement: every contender against the first, and the first against the interpreter and hand-written.
  const reference = await valuesOf(0);
  const scope = parseDecls(DECLS);
  const f = parseExpr(LOSS, scope);
  const interp = evaluateAll(grad(f, WRT, { scope }), mlpValues(data, SIZES)).map((m) => m.data);
  const agreement: { abs: number; rel: number; loss: number }[] = [];
  for (let i = 0; i < runners.length; i++) {
    const v = await valuesOf(i);
    agreement.push({
      abs: maxAbsDiff(v.gradients, reference.gradients),
      rel: maxRelDiff(v.gradients, reference.gradients),
      loss: Math.abs(v.loss - reference.loss),
    });
  }
  const base = contenders.findIndex((c) => c.name === BASELINE);
  const byHand = (await valuesOf(base)).gradients;
  const vsHand = await Promise.all(
    [0, 1].map(async (i) => maxRelDiff((await valuesOf(i)).gradients, byHand)),
  );

  const load0 = loadavg()[0];
  for (let i = 0; i < runners.length; i++) for (let j = 0; j < 3; j++) await timed(i, 'gradient');
  const fwd: number[][] = runners.map(() => []);
  const grd: number[][] = runners.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (round + j) % runners.length;
      fwd[i].push(await timed(i, 'forward'));
      grd[i].push(await timed(i, 'gradient'));
    }
  }
  const load1 = loadavg()[0];
  python.close();

  // Memory of the compiled gradient (contender 0): heap growth over windows of `calls` calls after its first,
  // the warm-up ones (V8's unoptimized tiers box doubles until the functions are optimized) and the judged
  // ones after them, and Float64Arrays made per call.
  const compiled = runners[0] as Runner;
  const warmWindows: Awaited<ReturnType<typeof growth>>[] = [];
  for (let w = 0; w < Math.ceil(warmup / calls); w++) warmWindows.push(await growth(compiled, calls));
  const steadyWindows: Awaited<ReturnType<typeof growth>>[] = [];
  for (let w = 0; w < Math.max(1, judged); w++) steadyWindows.push(await growth(compiled, calls));
  const windows = [...warmWindows, ...steadyWindows];
  const grow = steadyWindows.reduce((worst, x) => (x.heap > worst.heap ? x : worst));
  const made = countFloat64Arrays(() => {
    for (let i = 0; i < 100; i++) compiled.gradient();
  });
  const rss = [...LOCAL.map((c) => peakRss(c.name)), peakRss('(none)')];

  const fm = fwd.map(median);
  const gm = grd.map(median);
  const rows = contenders.map((c, i) => ({
    contender: c.name,
    'forward ms': fm[i].toFixed(2),
    'gradient ms': gm[i].toFixed(2),
    'grad/fwd': (gm[i] / fm[i]).toFixed(2),
    [`grad vs ${BASELINE}`]: (gm[i] / gm[base]).toFixed(3),
    'vs matcalc 1 thread': `${(gm[i] / gm[0]).toFixed(2)}×`,
    'peak RSS': i < LOCAL.length ? `${rss[i].toFixed(0)} MB` : '—',
    'max rel Δ grad': agreement[i].rel.toExponential(1),
    '|Δ loss|': agreement[i].loss.toExponential(1),
  }));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(
    `MLP ${SIZES.n}×${SIZES.d} → ${SIZES.h} → ${SIZES.k}; medians of ${rounds} interleaved rounds ` +
      `(Δ columns against ${contenders[0].name}; tfjs and PyTorch float32 run float32, the others float64); ` +
      `gemm multiply-add: ${hasRelaxedSimd() ? 'f64x2.relaxed_madd' : 'f64x2.mul + f64x2.add (no relaxed SIMD)'}; ` +
      `load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on this machine`,
  );
  console.table(rows);
  for (const line of python.info) console.log(`  python: ${line}`);
  if (python.contenders.length === 0)
    console.log('  (no python3 with NumPy or PyTorch found: no Python contenders)');
  console.log(`peak RSS: each row's is a process that prepares only that contender and runs 20 gradients;`);
  console.log(
    `  one that only builds the data: ${rss[rss.length - 1].toFixed(0)} MB; this whole process: ` +
      `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  console.log(
    `${contenders[0].name} vs interpreter (evaluateAll): max |Δ grad| ${maxAbsDiff(reference.gradients, interp).toExponential(1)}`,
  );
  for (let i = 0; i < runners.length; i++) {
    if (!/tfjs|float32/.test(contenders[i].name)) continue;
    const ok = agreement[i].rel <= FLOAT32_AGREEMENT;
    console.log(
      `${contenders[i].name} gradients vs ${contenders[0].name}: max |Δ|/max|ref| ${agreement[i].rel.toExponential(1)} — ` +
        `${ok ? 'agree' : 'DISAGREE'} to float32 precision (≤ ${FLOAT32_AGREEMENT.toExponential(0)})`,
    );
  }

  const at = (name: string) => contenders.findIndex((c) => c.name === name);
  const [cpu, wasm] = [at(tfjsCpu.name), at(tfjsWasm.name)];
  const torchAt = (re: RegExp) => contenders.flatMap((c, i) => (re.test(c.name) ? [i] : []));
  const torch1 = torchAt(/^PyTorch float64, 1 thread$/);
  const torch2 = torchAt(/^PyTorch .*, 2 threads$/);
  const best2 = torch2.length > 0 ? Math.min(...torch2.map((i) => gm[i])) : Number.NaN;
  const best2Name = torch2.find((i) => gm[i] === best2);
  const perCall = grow.heap / calls;
  const perCallText = (x: (typeof windows)[number]) =>
    `${(x.heap / calls).toFixed(1)} B a call (young ${(x.young / calls).toFixed(1)}, ${x.gcs} GCs)`;
  console.log('\nGoals (gradient medians):');
  const goals: [string, boolean][] = [];
  if (torch1.length > 0) {
    const r = gm[0] / gm[torch1[0]];
    goals.push([`compiled MLP gradient on 1 thread ≤ PyTorch float64 on 1 thread: ${r.toFixed(3)}×`, r <= 1]);
  }
  if (best2Name !== undefined) {
    const r = gm[1] / best2;
    goals.push([
      `compiled MLP gradient on 2 threads < PyTorch's best on 2 threads (${contenders[best2Name].name}): ${r.toFixed(3)}×`,
      r < 1,
    ]);
  }
  for (const i of [0, 1]) {
    goals.push([
      `${contenders[i].name} gradients equal the hand-written ones to ${FLOAT64_AGREEMENT.toExponential(0)}: ` +
        `max |Δ|/max|ref| ${vsHand[i].toExponential(1)}`,
      vsHand[i] <= FLOAT64_AGREEMENT,
    ]);
  }
  goals.push(
    [`matcalc gradient ≤ 1.1× hand-written: ${(gm[0] / gm[base]).toFixed(3)}×`, gm[0] <= 1.1 * gm[base]],
    [`≥ 3× faster than tfjs CPU autodiff: ${(gm[cpu] / gm[0]).toFixed(2)}× faster`, gm[cpu] >= 3 * gm[0]],
    [`faster than tfjs-backend-wasm autodiff: ${(gm[wasm] / gm[0]).toFixed(2)}× faster`, gm[wasm] > gm[0]],
    [`matcalc gradient/forward ≤ 2.2: ${(gm[0] / fm[0]).toFixed(2)}`, gm[0] <= 2.2 * fm[0]],
    [
      `heap growth over ${calls} calls after the first < 64 B a call (less than one typed-array view a call), ` +
        `once V8 has optimized the closure (worst of the ${steadyWindows.length} windows after ` +
        `${warmWindows.length * calls} warm-up calls): ${kb(grow.heap)} (${perCall.toFixed(1)} B a call, ratio ${(perCall / 64).toFixed(2)}, ` +
        `${grow.gcs} GCs; ${(grow.young / calls).toFixed(1)} B a call in the young generation); every judged window: ` +
        steadyWindows.map((x) => `${perCallText(x)}`).join(', '),
      perCall < 64,
    ],
    [`no Float64Array made after the first call: ${made} in 100 calls`, made === 0],
  );
  for (const [text, ok] of goals) console.log(`  ${verdict(ok).padEnd(7)}  ${text}`);
  if (warmWindows.length > 0) {
    console.log(
      `  (info)   warm-up windows (V8 tier-up: its interpreter and baseline code box doubles until TurboFan has ` +
        `optimized each function; not judged): the first ${calls} calls after the first ` +
        `${perCallText(warmWindows[0])}` +
        (warmWindows.length > 1 ? `, then ${warmWindows.slice(1).map(perCallText).join(', ')}` : '') +
        `; retained after a full GC, every window: ${windows.map((x) => kb(x.retained)).join(', ')}`,
    );
  }
  if (torch1.length === 0) console.log('  (info)   no PyTorch found: the PyTorch goals were not measured');
  console.log(
    `  (info)   peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ` +
      `of a matcalc-only process ${rss[0].toFixed(0)} MB; ArrayBuffers Δ over ${calls} calls ${kb(grow.buffers)}`,
  );
}

await main();
