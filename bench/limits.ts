// bench/limits.ts — size and depth: expressions nested 1,000 and 10,000 deep and of 100,000+ nodes through
// every pass. Prints, per scenario and pass: the outcome (ok, or the LimitError that refused it), time,
// the heap retained afterwards (interned nodes live as long as the process) and the peak resident memory.
// test/limits.test.ts asserts the outcomes; this file only measures.
import { evaluate, grad, hessian, jacobian, simplify } from '../src/api.js';
import { toLatex } from '../src/emit/latex.js';
import { toText, toTextLets } from '../src/emit/text.js';
import { LimitError } from '../src/ir/errors.js';
import { type Expr, topoOrder } from '../src/ir/expr.js';
import * as B from '../src/ops/build.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';

const scope = parseDecls('x: scalar');
const x = scope.vars.get('x')!;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

const rows: string[][] = [];

/** Run one pass, recording outcome, time, retained heap and peak RSS; returns its value or undefined. */
function pass<T>(
  scenario: string,
  name: string,
  f: () => T,
  describe: (v: T) => string = () => '',
): T | undefined {
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  let value: T | undefined;
  let outcome: string;
  try {
    value = f();
    outcome = `ok ${describe(value)}`.trim();
  } catch (e) {
    outcome =
      e instanceof LimitError
        ? 'LimitError'
        : `FAILED ${(e as Error).name}: ${(e as Error).message.slice(0, 40)}`;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const peak = process.resourceUsage().maxRSS * 1024;
  rows.push([scenario, name, outcome, ms.toFixed(0), mb(retained), mb(peak)]);
  return value;
}

const nodes = (e: Expr) => `${topoOrder([e]).length} nodes`;
const chars = (s: string) => `${s.length} chars`;

function chain(n: number, step: (e: Expr) => Expr): Expr {
  let e: Expr = x;
  for (let i = 0; i < n; i++) e = step(e);
  return e;
}

function deepScenarios(depth: number): void {
  const s = `exp^${depth}(x)`;
  pass(s, 'parse text', () => parseExpr(`${'exp('.repeat(depth)}x${')'.repeat(depth)}`, scope), nodes);
  const f = pass(s, 'build (API)', () => chain(depth, B.exp), nodes)!;
  pass(s, 'simplify', () => simplify(f), nodes);
  const g = pass(s, 'grad', () => grad(f, ['x'])[0], nodes);
  if (g) {
    pass(s, 'toText(grad)', () => toText(g), chars);
    pass(
      s,
      'toTextLets(grad)',
      () => toTextLets(g),
      (t) => `${t.lets.length} lets`,
    );
    pass(s, 'toLatex(grad)', () => toLatex(g), chars);
    pass(s, 'evaluate(grad)', () => evaluate(g, { x: -30 }).data[0], String);
  }
  pass(s, 'jacobian', () => jacobian(f, 'x'), nodes);
  pass(s, 'hessian', () => hessian(f, 'x'), nodes);

  const p = `(x+1)+…+1, ${depth} deep`;
  pass(p, 'parse text', () => parseExpr(`${'('.repeat(depth)}x${' + 1)'.repeat(depth)}`, scope), nodes);
  const q = pass(p, 'build (API)', () => chain(depth, (e) => B.add(e, B.num(1))), nodes)!;
  pass(
    p,
    'simplify',
    () => simplify(q),
    (e) => toText(e),
  );
  pass(
    p,
    'grad',
    () => grad(q, ['x'])[0],
    (e) => toText(e),
  );
  const text = pass(p, 'toText', () => toText(q), chars);
  if (text) pass(p, 'parse(toText)', () => parseExpr(text, scope), nodes);
  pass(p, 'toLatex', () => toLatex(q), chars);
  pass(p, 'evaluate', () => evaluate(q, { x: 0 }).data[0], String);
}

function wideScenarios(terms: number): void {
  const s = `x*1 + … + x*${terms}`;
  const text = Array.from({ length: terms }, (_, i) => `x*${i + 1}`).join(' + ');
  const f = pass(s, 'parse', () => parseExpr(text, scope), nodes);
  if (!f) return;
  pass(
    s,
    'grad',
    () => grad(f, ['x'])[0],
    (e) => toText(e),
  );
  pass(s, 'simplify', () => simplify(f), nodes);
  pass(s, 'toText', () => toText(f), chars);
  pass(s, 'toLatex', () => toLatex(f), chars);
  pass(s, 'evaluate', () => evaluate(f, { x: 1 }).data[0], String);
}

function balancedScenarios(log2: number): void {
  const s = `balanced sum of 2^${log2} sin(k·x)`;
  const f = pass(
    s,
    'build (API)',
    () => {
      let level: Expr[] = Array.from({ length: 1 << log2 }, (_, i) => B.sin(B.mul(x, B.num(i + 1))));
      while (level.length > 1) {
        const next: Expr[] = [];
        for (let i = 0; i < level.length; i += 2) next.push(B.add(level[i], level[i + 1]));
        level = next;
      }
      return level[0];
    },
    nodes,
  )!;
  const g = pass(s, 'grad (raw)', () => grad(f, ['x'], { raw: true })[0], nodes);
  pass(s, 'simplify', () => simplify(f), nodes);
  pass(s, 'toText', () => toText(f), chars);
  if (g) pass(s, 'evaluate(grad)', () => evaluate(g, { x: 0 }).data[0], String);
}

deepScenarios(1_000);
deepScenarios(10_000);
wideScenarios(35_000);
wideScenarios(100_000);
balancedScenarios(12);
balancedScenarios(15);

const header = ['scenario', 'pass', 'outcome', 'ms', 'retained MB', 'peak RSS MB'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: readonly string[]) =>
  r.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
