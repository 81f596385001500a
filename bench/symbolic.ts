// bench/symbolic.ts — how long a small derivative takes: declare + parse + grad + toText of textbook
// expressions, with fresh names every time (so no memo or intern hit is reused). Prints the warm median per
// expression and the first call in a fresh process (after the imports). Goals: ≤ 25 µs warm, ≤ 5 ms first.
// Run: node --import tsx bench/symbolic.ts [--rounds N]
import { spawnSync } from 'node:child_process';
import { grad } from '../src/api.js';
import { toText } from '../src/emit/text.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';

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

/** One derivative from text to text, under names nobody has used before. */
function once(c: Case): string {
  const tag = String(fresh++);
  const scope = parseDecls(c.decls.replaceAll('@', tag));
  const f = parseExpr(c.expr.replaceAll('@', tag), scope);
  const [g] = grad(f, [c.wrt.replaceAll('@', tag)], { scope });
  return toText(g);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const WARM_GOAL_US = 25;
const FIRST_GOAL_MS = 5;

function firstCall(): void {
  const t0 = performance.now();
  const text = once(CASES[0]);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, text }));
}

function main(): void {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 2000;
  // warm-up, then interleaved rounds so that load spikes hit every case alike
  for (let i = 0; i < 300; i++) for (const c of CASES) once(c);
  const times = CASES.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    CASES.forEach((c, k) => {
      const t0 = performance.now();
      once(c);
      times[k].push((performance.now() - t0) * 1000);
    });
  }
  console.log(`${'expression'.padEnd(14)} ${'median µs'.padStart(10)} ${'p90 µs'.padStart(9)}  gradient`);
  const medians: number[] = [];
  CASES.forEach((c, k) => {
    const m = median(times[k]);
    medians.push(m);
    const p90 = [...times[k]].sort((a, b) => a - b)[Math.floor(times[k].length * 0.9)];
    console.log(
      `${c.name.padEnd(14)} ${m.toFixed(1).padStart(10)} ${p90.toFixed(1).padStart(9)}  ${once(c)}`,
    );
  });
  const worst = Math.max(...medians);
  // first call: a fresh process per sample, median of 5
  const firsts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--first'], {
      encoding: 'utf8',
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    firsts.push(JSON.parse(line).ms);
  }
  const first = median(firsts);
  console.log(
    `\nwarm: worst median ${worst.toFixed(1)} µs over ${CASES.length} expressions (${rounds} rounds each); ` +
      `first call in a fresh process: ${first.toFixed(2)} ms (median of 5: ${firsts.map((x) => x.toFixed(1)).join(', ')})`,
  );
  console.log(
    `${worst <= WARM_GOAL_US ? 'MET' : 'NOT MET'}: warm median ≤ ${WARM_GOAL_US} µs per small derivative (worst ${worst.toFixed(1)} µs, ratio ${(worst / WARM_GOAL_US).toFixed(2)})`,
  );
  console.log(
    `${first <= FIRST_GOAL_MS ? 'MET' : 'NOT MET'}: first call ≤ ${FIRST_GOAL_MS} ms in a fresh process (${first.toFixed(2)} ms, ratio ${(first / FIRST_GOAL_MS).toFixed(2)})`,
  );
}

if (process.argv.includes('--first')) firstCall();
else main();
