// bench/symbolic.ts — how long a small derivative takes: declare + parse + grad + toText of textbook
// expressions, with fresh names every time (so no memo or intern hit is reused; the texts are made before the
// clock starts). Prints the warm median per expression through the installed library (dist/, built by npm ci:
// what users run, and what the goal is judged on) and through src/ under tsx (the development loader, whose
// transform makes the same code slower), the CPU time of each stage (src/), and the first call in a fresh
// process (dist/). Warm means after V8 has optimized the code (warmUp). Goals: ≤ 25 µs warm, ≤ 5 ms first.
// For information, the warm median with the same names every round (a session deriving again over its
// variables, which finds its nodes interned).
// Run: node --import tsx bench/symbolic.ts [--rounds N]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grad, resolveVars } from '../src/api.js';
import { expandDerivatives } from '../src/diff/expand.js';
import { gradRaw } from '../src/diff/grad.js';
import { toText } from '../src/emit/text.js';
import type { Expr } from '../src/ir/expr.js';
import { parseDecls, parseExpr, type Scope } from '../src/parse/index.js';
import { simplifyMany } from '../src/simplify/engine.js';
import { refineCotangent } from '../src/simplify/refine.js';

interface Case {
  readonly name: string;
  readonly decls: string;
  readonly expr: string;
  readonly wrt: string;
}

/** Names are written with a `@` suffix, replaced by a fresh number each call. */
const CASES: readonly Case[] = [
  { name: 'tr(AXB)', decls: 'A@: m x n; X@: n x p; B@: p x m', expr: 'trace(A@*X@*B@)', wrt: 'X@' },
  {
    name: 'least squares',
    decls: 'X@: n x d; w@: d; y@: n',
    expr: 'sum((X@*w@ - y@).^2)',
    wrt: 'w@',
  },
  { name: 'tr(inv(X)A)', decls: 'X@: n x n; A@: n x n', expr: 'trace(inv(X@)*A@)', wrt: 'X@' },
  { name: "x'Ax", decls: 'x@: n; A@: n x n', expr: "x@'*A@*x@", wrt: 'x@' },
  { name: "tr(X'AX)", decls: 'X@: n x d; A@: n x n', expr: "trace(X@'*A@*X@)", wrt: 'X@' },
  { name: "a'Xb", decls: 'a@: m; X@: m x n; b@: n', expr: "a@'*X@*b@", wrt: 'X@' },
  {
    name: "tr(AXBX')",
    decls: 'A@: n x n; X@: n x p; B@: p x p',
    expr: "trace(A@*X@*B@*X@')",
    wrt: 'X@',
  },
  {
    name: 'tr(AXBXC)',
    decls: 'A@: n x n; X@: n x n; B@: n x n; C@: n x n',
    expr: 'trace(A@*X@*B@*X@*C@)',
    wrt: 'X@',
  },
];

let fresh = 0;

/** The four calls of a derivative, from one build of the library. */
interface Library {
  declare(text: string): Scope;
  parse(text: string, scope: Scope): Expr;
  grad(f: Expr, wrt: string[], opts: { scope: Scope }): Expr[];
  toText(e: Expr): string;
}

/** src/ as loaded here (under tsx). */
const SRC: Library = { declare: parseDecls, parse: parseExpr, grad, toText };

/** The texts of a case under names nobody has used before: declarations, expression, variable. */
function freshTexts(c: Case): [string, string, string] {
  const tag = String(fresh++);
  return [c.decls.replaceAll('@', tag), c.expr.replaceAll('@', tag), c.wrt.replaceAll('@', tag)];
}

/** The texts of a case under one fixed set of names (a session deriving again over its variables). */
function sameTexts(c: Case): [string, string, string] {
  return [c.decls.replaceAll('@', 's'), c.expr.replaceAll('@', 's'), c.wrt.replaceAll('@', 's')];
}

/** One derivative from text to text: declare + parse + grad + toText. */
function derivative([decls, expr, wrt]: readonly [string, string, string], lib: Library): string {
  const scope = lib.declare(decls);
  const f = lib.parse(expr, scope);
  const [g] = lib.grad(f, [wrt], { scope });
  return lib.toText(g);
}

/** One derivative under fresh names. */
function once(c: Case, lib: Library = SRC): string {
  return derivative(freshTexts(c), lib);
}

/**
 * Median and p90 wall µs of each case over `rounds` interleaved rounds, after a warm-up. `jobs`: each round
 * its own job (an await of the event loop between rounds, untimed), as calls come in an editor, a server or
 * the playground; otherwise one synchronous loop, as in a batch script, where every WeakRef made keeps its
 * value (and what that owns) until the loop ends. `same`: the same names every round instead of fresh ones
 * (an editor or the playground deriving again as the user types), for information.
 */
async function warmTimes(
  lib: Library,
  rounds: number,
  jobs = false,
  same = false,
): Promise<{ medians: number[]; p90s: number[]; warmed: number[] }> {
  const texts = same ? sameTexts : freshTexts;
  const warmed = warmUp(lib, texts);
  const times = CASES.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    timedRound(lib, texts, times);
    if (jobs) await new Promise((done) => setImmediate(done));
  }
  return {
    medians: times.map(median),
    p90s: times.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length * 0.9)]),
    warmed,
  };
}

/** One derivative of each case, its wall µs pushed onto times[case]. */
function timedRound(lib: Library, texts: (c: Case) => [string, string, string], times: number[][]): void {
  CASES.forEach((c, k) => {
    // the texts are made before the clock starts: the goal times the four calls
    const made = texts(c);
    const t0 = performance.now();
    derivative(made, lib);
    times[k].push((performance.now() - t0) * 1000);
  });
}

/** Rounds of each warm-up window, and the fewest and most warm-up rounds. */
const WINDOW = 250;
const MIN_WARM = 3000;
const MAX_WARM = 8000;

/**
 * Warm the process up until V8 has optimized what a derivative runs: rounds in windows of WINDOW, at least
 * MIN_WARM of them (8 derivatives a round) and then until three windows in a row bring the slowest case's
 * median down by less than 3% on the best window before them, at most MAX_WARM. TurboFan optimizes a function
 * after enough of its own calls, and one called once or twice per derivative (simplifyMany, toText, a rule's
 * apply) is optimized only after thousands of derivatives: here the medians fall for the first 15–25
 * thousand (the first 2,000 derivatives take 3–4× the settled median, the next 2,000 1.8×, those from 6,000
 * to 8,000 1.2×; V8's --trace-opt shows functions still being optimized then), so a warm-up of a few hundred
 * rounds timed V8's tiering rather than the library. Synchronous, in the job of the timed rounds that follow (a batch script's conditions). Returns
 * the slowest case's median of each window, in order.
 */
function warmUp(lib: Library, texts: (c: Case) => [string, string, string]): number[] {
  const worst: number[] = [];
  let best = Infinity;
  let flat = 0;
  for (let done = 0; done < MAX_WARM && (done < MIN_WARM || flat < 3); done += WINDOW) {
    const times = CASES.map(() => [] as number[]);
    for (let r = 0; r < WINDOW; r++) timedRound(lib, texts, times);
    const w = Math.max(...times.map(median));
    worst.push(w);
    flat = w < best * 0.97 ? 0 : flat + 1;
    best = Math.min(best, w);
  }
  return worst;
}

const STAGES = ['declare', 'parse', 'sweep', 'simplify', 'toText'] as const;

/**
 * CPU µs per call of each stage of `once`, each stage timed over a batch of n fresh calls (its inputs made
 * by the stage before), so that the timer's cost and resolution do not enter. The sweep refines its
 * cotangents as grad's does (simplify/refine.ts); grad's letting go of its intermediates is not timed.
 */
function stageSplit(c: Case, n: number): number[] {
  const tags = Array.from({ length: n }, () => String(fresh++));
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const timed = <T, U>(xs: readonly T[], f: (x: T, i: number) => U): [U[], number] => {
    const c0 = cpu();
    const out = xs.map(f);
    return [out, (cpu() - c0) / n];
  };
  const [scopes, declare] = timed(tags, (t) => parseDecls(c.decls.replaceAll('@', t)));
  const [fs, parse] = timed(tags, (t, i) => parseExpr(c.expr.replaceAll('@', t), scopes[i]));
  const [raws, sweep] = timed(tags, (t, i) =>
    gradRaw(
      expandDerivatives(fs[i]),
      resolveVars(fs[i], [c.wrt.replaceAll('@', t)], scopes[i]),
      undefined,
      refineCotangent,
    ),
  );
  const [gs, simplify] = timed(raws, (r) => simplifyMany(r)[0]);
  const [, text] = timed(gs, (g) => toText(g));
  return [declare, parse, sweep, simplify, text];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const WARM_GOAL_US = 25;
/** Whether some file of src/ is newer than the built library. */
function distIsStale(): boolean {
  const built = statSync(fileURLToPath(new URL('../dist/script/library.js', import.meta.url))).mtimeMs;
  const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
  return readdirSync(srcDir, { recursive: true, withFileTypes: true }).some(
    (f) => f.isFile() && statSync(join(f.parentPath ?? f.path, f.name)).mtimeMs > built,
  );
}

/** The library as users import it (built by npm ci; `npm run build` after changing src/). */
const INSTALLED = new URL('../dist/index.js', import.meta.url).href;
const FIRST_GOAL_MS = 5;

/**
 * The first derivative in a fresh process, after the imports, through the installed library (dist/, as
 * users load it; built by npm ci), split into its stages. `cacheStatus` says whether V8 took the library's
 * code cache (scripts/library-script.ts); MATCALC_CODE_CACHE=0 runs the same without it, for comparison.
 */
const FIRST_CALL = `
import { declare, parse, grad, toText } from './dist/index.js';
import { cacheStatus } from './dist/script/load.js';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
performance.now(); // Node sets up perf_hooks on first use: not the library's time
const c0 = cpu();
const t = [performance.now()];
const scope = declare('A: m x n; X: n x p; B: p x m'); t.push(performance.now());
const f = parse('trace(A*X*B)', scope); t.push(performance.now());
const [g] = grad(f, ['X'], { scope }); t.push(performance.now());
const text = toText(g); t.push(performance.now());
const cpuMs = cpu() - c0;
const d = (i) => t[i + 1] - t[i];
console.log(JSON.stringify({ ms: t[4] - t[0], cpuMs, declare: d(0), parse: d(1), grad: d(2), toText: d(3), text, cacheStatus }));
`;

interface First {
  ms: number;
  cpuMs: number;
  declare: number;
  parse: number;
  grad: number;
  toText: number;
  cacheStatus: string;
}

function firstCall(withCache: boolean): First {
  const env = { ...process.env, MATCALC_CODE_CACHE: withCache ? '1' : '0' };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', FIRST_CALL], { encoding: 'utf8', env });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`first-call child failed: ${r.stderr.slice(0, 300)}`);
  return JSON.parse(line) as First;
}

const FIRST_RUNS = 9;

/** Medians over fresh processes, with and without the code cache interleaved so load hits both alike. */
function firstCalls(): { cached: First; uncached: First; walls: number[] } {
  const cached: First[] = [];
  const uncached: First[] = [];
  for (let i = 0; i < FIRST_RUNS; i++) {
    cached.push(firstCall(true));
    uncached.push(firstCall(false));
  }
  const mid = (xs: First[]): First => ({
    ms: median(xs.map((x) => x.ms)),
    cpuMs: median(xs.map((x) => x.cpuMs)),
    declare: median(xs.map((x) => x.declare)),
    parse: median(xs.map((x) => x.parse)),
    grad: median(xs.map((x) => x.grad)),
    toText: median(xs.map((x) => x.toText)),
    cacheStatus: [...new Set(xs.map((x) => x.cacheStatus))].join('/'),
  });
  return {
    cached: mid(cached),
    uncached: mid(uncached),
    walls: cached.map((x) => x.ms).sort((a, b) => a - b),
  };
}

function stages(x: First): string {
  return `wall ${x.ms.toFixed(2)} ms, CPU ${x.cpuMs.toFixed(2)} ms; declare ${x.declare.toFixed(2)}, parse ${x.parse.toFixed(2)}, grad ${x.grad.toFixed(2)}, toText ${x.toText.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 2000;
  // the installed library first, then src/ (interleaved rounds within each, so that load spikes hit every case alike)
  if (distIsStale())
    console.log('WARNING: dist/ is older than src/ (npm run build): the installed figures are stale');
  const installed = (await import(INSTALLED)) as Library;
  const lib = await warmTimes(installed, rounds);
  const src = await warmTimes(SRC, Math.ceil(rounds / 2));
  const jobs = await warmTimes(installed, Math.ceil(rounds / 2), true);
  const same = await warmTimes(installed, Math.ceil(rounds / 2), false, true);
  // CPU time per call of the installed library, in batches (the machine is shared: wall time counts other processes)
  const cpuUs = CASES.map((c) => {
    const texts = Array.from({ length: rounds }, () => freshTexts(c));
    const c0 = process.cpuUsage();
    for (const t of texts) derivative(t, installed);
    const u = process.cpuUsage(c0);
    return (u.user + u.system) / rounds;
  });
  console.log(
    'warm, µs per derivative: the installed library (dist/) in one synchronous loop (judged), the same with each round its own job, with the same names every round (information), and src/ under tsx',
  );
  console.log(
    `${'expression'.padEnd(14)} ${'median µs'.padStart(10)} ${'p90 µs'.padStart(9)} ${'CPU µs'.padStart(8)} ${'jobs median'.padStart(12)} ${'same names'.padStart(11)} ${'src median'.padStart(11)}  gradient`,
  );
  CASES.forEach((c, k) => {
    console.log(
      `${c.name.padEnd(14)} ${lib.medians[k].toFixed(1).padStart(10)} ${lib.p90s[k].toFixed(1).padStart(9)} ${cpuUs[k].toFixed(1).padStart(8)} ${jobs.medians[k].toFixed(1).padStart(12)} ${same.medians[k].toFixed(1).padStart(11)} ${src.medians[k].toFixed(1).padStart(11)}  ${once(c, installed)}`,
    );
  });
  const medians = lib.medians;
  // per stage: the least of 9 batches (the least loaded), CPU µs per call
  console.log(`\nCPU µs per call by stage, src/ (least of 9 batches of ${Math.ceil(rounds / 9)}):`);
  console.log(`${'expression'.padEnd(14)} ${STAGES.map((s) => s.padStart(8)).join(' ')}`);
  CASES.forEach((c) => {
    const best = [Infinity, Infinity, Infinity, Infinity, Infinity];
    for (let b = 0; b < 9; b++) {
      stageSplit(c, Math.ceil(rounds / 9)).forEach((t, j) => {
        best[j] = Math.min(best[j], t);
      });
    }
    console.log(`${c.name.padEnd(14)} ${best.map((t) => t.toFixed(1).padStart(8)).join(' ')}`);
  });
  const worst = Math.max(...medians);
  const worstCpu = Math.max(...cpuUs);
  const { cached, uncached, walls } = firstCalls();
  // judged on CPU time, as bench/cli.ts does: on this shared machine the wall clock also counts other processes
  const first = cached.cpuMs;
  console.log(
    `warm-up of the judged loop: ${lib.warmed.length * WINDOW} rounds until the medians settled; the slowest case's median in each window of ${WINDOW} rounds, µs: ${lib.warmed.map((x) => x.toFixed(0)).join(' ')}`,
  );
  console.log(
    `\nwarm: worst median ${worst.toFixed(1)} µs over ${CASES.length} expressions (${rounds} rounds each; each round its own job ${Math.max(...jobs.medians).toFixed(1)} µs; the same names every round ${Math.max(...same.medians).toFixed(1)} µs; src/ under tsx ${Math.max(...src.medians).toFixed(1)} µs)`,
  );
  console.log(
    `first call in a fresh process, median of ${FIRST_RUNS} (load average ${loadavg()[0].toFixed(1)}): ${stages(cached)} ` +
      `(code cache ${cached.cacheStatus}; walls ${walls.map((x) => x.toFixed(1)).join(', ')})`,
  );
  console.log(`  without the code cache (MATCALC_CODE_CACHE=0): ${stages(uncached)}`);
  console.log(
    `${worst <= WARM_GOAL_US ? 'MET' : 'NOT MET'}: warm median ≤ ${WARM_GOAL_US} µs per small derivative (worst ${worst.toFixed(1)} µs wall, ratio ${(worst / WARM_GOAL_US).toFixed(2)}; worst CPU ${worstCpu.toFixed(1)} µs, load average ${loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `${first <= FIRST_GOAL_MS ? 'MET' : 'NOT MET'}: first call ≤ ${FIRST_GOAL_MS} ms in a fresh process (CPU ${first.toFixed(2)} ms, ratio ${(first / FIRST_GOAL_MS).toFixed(2)}; wall median ${cached.ms.toFixed(2)} ms, fastest ${walls[0].toFixed(2)} ms, load average ${loadavg()[0].toFixed(1)})`,
  );
}

await main();
