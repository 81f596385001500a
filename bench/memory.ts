// bench/memory.ts — interned nodes nobody holds are freed: 20,000 different gradients (fresh names, several
// expression families) computed and printed in one process, then the heap retained after a full GC and
// the live interned node count. Then a long session: one scope (variables and a named definition) held
// throughout while 20,000 different expressions over it are differentiated — what the playground or an
// editor does. Goal for both: under 5 MB retained. Run: node --expose-gc --import tsx bench/memory.ts
import { grad } from '../src/api.js';
import { toText } from '../src/emit/text.js';
import { internedCount } from '../src/ir/expr.js';
import { extendScope, parseDecls, parseExpr, type Scope } from '../src/parse/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const FAMILIES: readonly (readonly [string, string, string])[] = [
  ['X@: n x d; w@: d; y@: n', 'sum((X@*w@ - y@).^2)', 'w@'],
  ['A@: m x n; X@: n x p; B@: p x m', 'trace(A@*X@*B@)', 'X@'],
  ['x@: n; A@: n x n', "x@'*A@*x@", 'x@'],
  ['X@: n x d; w@: d; y@: n', 'sum(-y@ .* log(sigmoid(X@*w@)) - (1 - y@) .* log(1 - sigmoid(X@*w@)))', 'w@'],
  ['X@: n x n; A@: n x n', 'trace(inv(X@)*A@) + logdet(X@)', 'X@'],
];
const GOAL_MB = 5;
const COUNT = 20_000;

async function settle(): Promise<number> {
  // FinalizationRegistry callbacks run between tasks: collect, yield, collect again.
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  if (!gc) {
    console.log('NOT MET: run with node --expose-gc (gc() is unavailable, nothing measured)');
    return;
  }
  // warm every code path once so that compiled code and lazy tables are not counted as retained
  for (let i = 0; i < 50; i++) run(i, 'warm');
  const nodesBefore = internedCount();
  const before = await settle();
  const t0 = performance.now();
  let chars = 0;
  for (let i = 0; i < COUNT; i++) chars += run(i, 'g').length;
  const ms = performance.now() - t0;
  const peak = process.memoryUsage().heapUsed;
  const after = await settle();
  const retained = (after - before) / 2 ** 20;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `${COUNT} gradients (${FAMILIES.length} families, fresh names) in ${(ms / 1000).toFixed(1)} s, ${chars} chars printed`,
  );
  console.log(
    `heap before ${(before / 2 ** 20).toFixed(1)} MB, at the end ${(peak / 2 ** 20).toFixed(1)} MB, after GC ${(after / 2 ** 20).toFixed(1)} MB; RSS ${rss.toFixed(0)} MB`,
  );
  console.log(`interned nodes alive: ${nodesBefore} before, ${internedCount()} after GC`);
  console.log(
    `${retained < GOAL_MB ? 'MET' : 'NOT MET'}: ${COUNT} gradients retain ${retained.toFixed(2)} MB after GC (goal < ${GOAL_MB} MB, ratio ${(retained / GOAL_MB).toFixed(2)})`,
  );
  await session();
}

/** Expressions over one held scope, each different (its constants and powers vary with k). */
const SESSION: readonly ((k: string, p: number) => readonly [string, string])[] = [
  (k) => [`sum((X*w - y).^2) + ${k}*sum(w.^2)`, 'w'],
  (k) => [`${k}*trace(X'*A*X)`, 'X'],
  (k, p) => [`sum(H.^${p}) + ${k}*sum(H)`, 'w'],
  (k) => [`sum(exp(${k}*H - y))`, 'w'],
  (k, p) => [`trace(A^${p}) - ${k}*logdet(A)`, 'A'],
];

async function session(): Promise<void> {
  const base = parseDecls('X: n x d; w: d; y: n; A: n x n');
  const scope: Scope = extendScope(base, 'H', parseExpr('tanh(X*w)', base));
  const once = (i: number): number => {
    const [text, wrt] = SESSION[i % SESSION.length](`${1 + i / 1000}`, 2 + (i % 9));
    return toText(grad(parseExpr(text, scope), [wrt], { scope })[0]).length;
  };
  for (let i = 0; i < 50; i++) once(i);
  const before = await settle();
  const nodesBefore = internedCount();
  let chars = 0;
  for (let i = 0; i < COUNT; i++) chars += once(i);
  const after = await settle();
  const retained = (after - before) / 2 ** 20;
  console.log(
    `\nsession: ${COUNT} different expressions over one held scope (${chars} chars printed); interned nodes alive ${nodesBefore} before, ${internedCount()} after GC`,
  );
  console.log(
    `${retained < GOAL_MB ? 'MET' : 'NOT MET'}: a session holding its scope retains ${retained.toFixed(2)} MB after ${COUNT} expressions (goal < ${GOAL_MB} MB, ratio ${(retained / GOAL_MB).toFixed(2)})`,
  );
  if (scope.vars.size === 0) console.log('(scope lost)');
}

function run(i: number, prefix: string): string {
  const [decls, expr, wrt] = FAMILIES[i % FAMILIES.length];
  const tag = `${prefix}${i}`;
  const scope = parseDecls(decls.replaceAll('@', tag));
  const f = parseExpr(expr.replaceAll('@', tag), scope);
  return toText(grad(f, [wrt.replaceAll('@', tag)], { scope })[0]);
}

await main();
