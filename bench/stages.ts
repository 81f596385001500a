// bench/stages.ts — the front stages of a small derivative, each alone, in CPU µs per call (the machine is
// shared, so wall time would count other processes): declare (parseDecls), parse (parseExpr on a declared
// scope), both with fresh names each call as in bench/symbolic.ts, and node creation — a fresh op node
// (miss in the intern table) and a repeated one (hit). Prints medians over batches; no goal of its own,
// it splits bench/symbolic.ts's warm goal (≤ 25 µs for everything) into the part before grad.
// Run: node --import tsx bench/stages.ts [--rounds N]
import { dimSym } from '../src/ir/dim.js';
import { type Expr, variable } from '../src/ir/expr.js';
import { shape } from '../src/ir/shape.js';
import { add, matmul, trace, transpose } from '../src/ops/build.js';
import { parseDecls, parseExpr, type Scope } from '../src/parse/index.js';

const CASES: readonly (readonly [string, string, string])[] = [
  ['tr(AXB)', 'A@: m x n; X@: n x p; B@: p x m', 'trace(A@*X@*B@)'],
  ['least squares', 'X@: n x d; w@: d; y@: n', 'sum((X@*w@ - y@).^2)'],
  ['tr(inv(X)A)', 'X@: n x n; A@: n x n', 'trace(inv(X@)*A@)'],
  ["x'Ax", 'x@: n; A@: n x n', "x@'*A@*x@"],
  ["tr(X'AX)", 'X@: n x d; A@: n x n', "trace(X@'*A@*X@)"],
  ["a'Xb", 'a@: m; X@: m x n; b@: n', "a@'*X@*b@"],
  ["tr(AXBX')", 'A@: n x n; X@: n x p; B@: p x p', "trace(A@*X@*B@*X@')"],
  ['tr(AXBXC)', 'A@: n x n; X@: n x n; B@: n x n; C@: n x n', 'trace(A@*X@*B@*X@*C@)'],
];

const BATCH = 200;
let fresh = 0;

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median over `batches` of the CPU µs per call of `run`, which does BATCH calls after `prepare`. */
function measure<T>(batches: number, prepare: () => T, run: (t: T) => void): number {
  const per: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = prepare();
    const c0 = cpuUs();
    run(t);
    per.push((cpuUs() - c0) / BATCH);
  }
  return median(per);
}

function tags(): string[] {
  return Array.from({ length: BATCH }, () => `q${fresh++}`);
}

function declareCost(decls: string, batches: number): number {
  return measure(
    batches,
    () => tags().map((t) => decls.replaceAll('@', t)),
    (texts) => {
      for (const t of texts) parseDecls(t);
    },
  );
}

function parseCost(decls: string, expr: string, batches: number): number {
  return measure(
    batches,
    () => tags().map((t): [string, Scope] => [expr.replaceAll('@', t), parseDecls(decls.replaceAll('@', t))]),
    (pairs) => {
      for (const [text, scope] of pairs) parseExpr(text, scope);
    },
  );
}

/** Four fresh nodes per call: tr(A·X·B + Cᵀ) over fresh variables (the variables are made beforehand). */
function nodeMissCost(batches: number): number {
  const n = dimSym('n');
  const sq = shape(n, n);
  let kept: Expr[] = [];
  const cost = measure(
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
function nodeHitCost(batches: number): number {
  const n = dimSym('n');
  const sq = shape(n, n);
  const [a, x, b, c] = ['A', 'X', 'B', 'C'].map((v) => variable(`hit${v}`, sq));
  const keep = trace(add(matmul(matmul(a, x), b), transpose(c)));
  const cost = measure(
    batches,
    () => null,
    () => {
      for (let i = 0; i < BATCH; i++) trace(add(matmul(matmul(a, x), b), transpose(c)));
    },
  );
  return keep ? cost / 5 : cost;
}

function main(): void {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 500;
  const batches = Math.max(5, Math.round(rounds / 10));
  // warm-up
  for (const [, d, e] of CASES) {
    declareCost(d, 5);
    parseCost(d, e, 5);
  }
  nodeMissCost(5);
  nodeHitCost(5);
  console.log(
    `${'expression'.padEnd(14)} ${'declare µs'.padStart(11)} ${'parse µs'.padStart(9)}  (CPU per call)`,
  );
  let worstDeclare = 0;
  let worstParse = 0;
  for (const [name, d, e] of CASES) {
    const dc = declareCost(d, batches);
    const pc = parseCost(d, e, batches);
    worstDeclare = Math.max(worstDeclare, dc);
    worstParse = Math.max(worstParse, pc);
    console.log(`${name.padEnd(14)} ${dc.toFixed(2).padStart(11)} ${pc.toFixed(2).padStart(9)}`);
  }
  const miss = nodeMissCost(batches);
  const hit = nodeHitCost(batches);
  console.log(
    `\nworst declare ${worstDeclare.toFixed(2)} µs, worst parse ${worstParse.toFixed(2)} µs; ` +
      `op node: new ${miss.toFixed(2)} µs, found again ${hit.toFixed(2)} µs ` +
      `(${batches} batches of ${BATCH}, CPU medians)`,
  );
}

main();
