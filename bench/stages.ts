// bench/stages.ts — the front and back stages of a small derivative, each alone, in CPU µs per call (the
// machine is shared, so wall time would count other processes): declare, parse (on a declared scope) and
// toText (of the gradient), with fresh names each call as in bench/symbolic.ts, from src/ and through the
// built library (dist/index.js, as users load it); and from src/, node creation: a fresh op node (a miss in
// the intern table), a repeated one (a hit) and a fresh variable. Prints medians over batches, which yield
// between them (a WeakRef keeps its value until the job that made it ends: one long synchronous job would
// measure a heap holding everything made in it). Then, for information, the same three stages inside the
// whole derivative (each right after the stage before it, as bench/symbolic.ts runs them), in wall time.
// No goal of its own: it prints, as targets, a split of bench/symbolic.ts's ≤ 25 µs goal (declare ≤ 2 µs, parse ≤ 2 µs, toText ≤ 1.5 µs for the worst case,
// through dist/), marked reached or not reached, so that they are not read as the goal lines.
// Run: node --import tsx bench/stages.ts [--rounds N]
import { loadavg } from 'node:os';
import { grad as gradSrc } from '../src/api.js';
import { toText as toTextSrc } from '../src/emit/text.js';
import { dimSym } from '../src/ir/dim.js';
import { type Expr, type VarExpr, variable } from '../src/ir/expr.js';
import { shape } from '../src/ir/shape.js';
import { add, matmul, trace, transpose } from '../src/ops/build.js';
import { parseDecls, parseExpr, type Scope } from '../src/parse/index.js';

const CASES: readonly (readonly [string, string, string, string])[] = [
  ['tr(AXB)', 'A@: m x n; X@: n x p; B@: p x m', 'trace(A@*X@*B@)', 'X@'],
  ['least squares', 'X@: n x d; w@: d; y@: n', 'sum((X@*w@ - y@).^2)', 'w@'],
  ['tr(inv(X)A)', 'X@: n x n; A@: n x n', 'trace(inv(X@)*A@)', 'X@'],
  ["x'Ax", 'x@: n; A@: n x n', "x@'*A@*x@", 'x@'],
  ["tr(X'AX)", 'X@: n x d; A@: n x n', "trace(X@'*A@*X@)", 'X@'],
  ["a'Xb", 'a@: m; X@: m x n; b@: n', "a@'*X@*b@", 'X@'],
  ["tr(AXBX')", 'A@: n x n; X@: n x p; B@: p x p', "trace(A@*X@*B@*X@')", 'X@'],
  ['tr(AXBXC)', 'A@: n x n; X@: n x n; B@: n x n; C@: n x n', 'trace(A@*X@*B@*X@*C@)', 'X@'],
];

/** The stages under test: from src/ or from the built library. */
interface Library {
  declare(text: string): Scope;
  parse(text: string, scope: Scope): Expr;
  grad(f: Expr, wrt: string[], options: { scope: Scope }): Expr[];
  toText(e: Expr): string;
}

const SRC: Library = {
  declare: (t) => parseDecls(t),
  parse: (t, s) => parseExpr(t, s),
  grad: (f, wrt, options) => gradSrc(f, wrt, options),
  toText: (e) => toTextSrc(e),
};

const BATCH = 200;
const DECLARE_GOAL = 2;
const PARSE_GOAL = 2;
const TEXT_GOAL = 1.5;
let fresh = 0;

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const nextJob = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Median over `batches` of the CPU µs per call of `run`, which does BATCH calls after `prepare`. */
async function measure<T>(batches: number, prepare: () => T, run: (t: T) => void): Promise<number> {
  const per: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = prepare();
    const c0 = cpuUs();
    run(t);
    per.push((cpuUs() - c0) / BATCH);
    await nextJob();
  }
  return median(per);
}

function tags(): string[] {
  return Array.from({ length: BATCH }, () => `q${fresh++}`);
}

/** declare, parse and toText of one case, each its own batch, in CPU µs per call. */
async function caseCosts(lib: Library, c: (typeof CASES)[number], batches: number): Promise<number[]> {
  const [, decls, expr, wrt] = c;
  const declare = await measure(
    batches,
    () => tags().map((t) => decls.replaceAll('@', t)),
    (texts) => {
      for (const t of texts) lib.declare(t);
    },
  );
  const parse = await measure(
    batches,
    () =>
      tags().map((t): [string, Scope] => [expr.replaceAll('@', t), lib.declare(decls.replaceAll('@', t))]),
    (pairs) => {
      for (const [text, scope] of pairs) lib.parse(text, scope);
    },
  );
  const text = await measure(
    batches,
    () =>
      tags().map((t) => {
        const scope = lib.declare(decls.replaceAll('@', t));
        return lib.grad(lib.parse(expr.replaceAll('@', t), scope), [wrt.replaceAll('@', t)], { scope })[0];
      }),
    (gs) => {
      for (const g of gs) lib.toText(g);
    },
  );
  return [declare, parse, text];
}

/**
 * The three stages inside the whole derivative, each call right after the stage before it as in
 * bench/symbolic.ts (so the caches hold what that stage left, not what a batch of the same stage left):
 * median wall µs per call over batches × BATCH calls, less the cost of reading the clock. Wall time, since a
 * call is too short for the CPU clock; the median keeps out what other processes take.
 */
async function inSequence(lib: Library, c: (typeof CASES)[number], batches: number): Promise<number[]> {
  const [, decls, expr, wrt] = c;
  const times: number[][] = [[], [], []];
  const clock = clockCost();
  for (let b = 0; b < batches; b++) {
    for (const t of tags()) {
      const [d, e, w] = [decls, expr, wrt].map((x) => x.replaceAll('@', t));
      const t0 = process.hrtime.bigint();
      const scope = lib.declare(d);
      const t1 = process.hrtime.bigint();
      const f = lib.parse(e, scope);
      const t2 = process.hrtime.bigint();
      const g = lib.grad(f, [w], { scope })[0];
      const t3 = process.hrtime.bigint();
      lib.toText(g);
      const t4 = process.hrtime.bigint();
      times[0].push(Number(t1 - t0));
      times[1].push(Number(t2 - t1));
      times[2].push(Number(t4 - t3));
    }
    await nextJob();
  }
  return times.map((ns) => Math.max(0, median(ns) - clock) / 1000);
}

/** The ns that reading process.hrtime.bigint() adds to an interval. */
function clockCost(): number {
  const ns: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = process.hrtime.bigint();
    ns.push(Number(process.hrtime.bigint() - t0));
  }
  return median(ns);
}

/** Five fresh nodes per call: tr(A·X·B + Cᵀ) over fresh variables (the variables are made beforehand). */
async function nodeMissCost(batches: number): Promise<number> {
  const n = dimSym('n');
  const sq = shape(n, n);
  let kept: Expr[] = [];
  const cost = await measure(
    batches,
    () => tags().map((t) => ['A', 'X', 'B', 'C'].map((v) => variable(v + t, sq))),
    (sets) => {
      kept = [];
      for (const [a, x, b, c] of sets) kept.push(trace(add(matmul(matmul(a, x), b), transpose(c))));
    },
  );
  return kept.length > 0 ? cost / 5 : cost;
}

/** The same five nodes rebuilt: every one found in the intern table. */
async function nodeHitCost(batches: number): Promise<number> {
  const n = dimSym('n');
  const sq = shape(n, n);
  const [a, x, b, c] = ['A', 'X', 'B', 'C'].map((v) => variable(`hit${v}`, sq));
  const keep = trace(add(matmul(matmul(a, x), b), transpose(c)));
  const cost = await measure(
    batches,
    () => null,
    () => {
      for (let i = 0; i < BATCH; i++) trace(add(matmul(matmul(a, x), b), transpose(c)));
    },
  );
  return keep ? cost / 5 : cost;
}

/** A fresh variable (a name never seen): a miss and an add in the weak table of names. */
async function variableCost(batches: number): Promise<number> {
  const sq = shape(dimSym('n'), dimSym('n'));
  let kept: VarExpr[] = [];
  const cost = await measure(batches, tags, (names) => {
    kept = names.map((t) => variable(t, sq));
  });
  if (kept.length !== BATCH) throw new Error('variables lost');
  return cost;
}

async function table(lib: Library, label: string, batches: number): Promise<number[]> {
  for (const c of CASES) await caseCosts(lib, c, 3); // warm-up
  console.log(
    `${label.padEnd(14)} ${'declare µs'.padStart(11)} ${'parse µs'.padStart(9)} ${'toText µs'.padStart(10)}  (CPU per call)`,
  );
  const worst = [0, 0, 0];
  for (const c of CASES) {
    const costs = await caseCosts(lib, c, batches);
    costs.forEach((x, j) => {
      worst[j] = Math.max(worst[j], x);
    });
    console.log(
      `${c[0].padEnd(14)} ${costs[0].toFixed(2).padStart(11)} ${costs[1].toFixed(2).padStart(9)} ${costs[2].toFixed(2).padStart(10)}`,
    );
  }
  console.log(
    `worst: declare ${worst[0].toFixed(2)} µs, parse ${worst[1].toFixed(2)} µs, toText ${worst[2].toFixed(2)} µs\n`,
  );
  return worst;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 300;
  const batches = Math.max(5, Math.round(rounds / 10));
  await table(SRC, 'src/ (tsx)', batches);
  const dist = (await import(new URL('../dist/index.js', import.meta.url).href)) as Library;
  const [declare, parse, text] = await table(dist, 'dist/', batches);
  for (const c of CASES) await inSequence(dist, c, 2); // warm-up
  console.log(
    `${'dist/, in seq.'.padEnd(14)} ${'declare µs'.padStart(11)} ${'parse µs'.padStart(9)} ${'toText µs'.padStart(10)}  (wall per call, each stage right after the one before, as in bench/symbolic.ts)`,
  );
  for (const c of CASES) {
    const costs = await inSequence(dist, c, batches);
    console.log(`${c[0].padEnd(14)} ${costs.map((x, j) => x.toFixed(2).padStart([11, 9, 10][j])).join(' ')}`);
  }
  console.log('');
  await nodeMissCost(5);
  await nodeHitCost(5);
  await variableCost(5);
  const miss = await nodeMissCost(batches);
  const hit = await nodeHitCost(batches);
  const fresh = await variableCost(batches);
  const load = loadavg()[0].toFixed(1);
  console.log(
    `src/: op node new ${miss.toFixed(2)} µs, found again ${hit.toFixed(2)} µs; fresh variable ${fresh.toFixed(2)} µs ` +
      `(${batches} batches of ${BATCH}, CPU medians, load average ${load})`,
  );
  const goal = (what: string, got: number, limit: number): void =>
    console.log(
      `(target) ${what} ≤ ${limit} µs per call through dist/, a share of the warm goal: ${got <= limit ? 'reached' : 'not reached'} (worst ${got.toFixed(2)} µs, ratio ${(got / limit).toFixed(2)}, load average ${load})`,
    );
  goal('declare', declare, DECLARE_GOAL);
  goal('parse', parse, PARSE_GOAL);
  goal('toText', text, TEXT_GOAL);
}

await main();
