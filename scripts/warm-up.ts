// Run by the build in a plain `node` child (V8 rejects a cache made under other flags): loads a script bundle
// through its loader (dist/script/load.js or cli-load.js), runs a representative workload so that V8 compiles
// what users' first calls run, then writes the code cache and prints the loader's export names as JSON.
// Usage: node warm-up.mjs library|cli LOADER.js OUT.cache [--tiering]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ELEMENTWISE } from '../src/parse/names.js';

/**
 * The workload runs in the interpreter only: a function Sparkplug compiled here is marked so in the cache, and a
 * process loading it would then baseline-compile every such function at its first call (3 ms of a 4.5 ms first
 * derivative). TIERS (from the build: `--no-sparkplug …|--sparkplug …`, the second half this node's defaults)
 * are back at their defaults before the cache is made, since V8 checks the flags; the build then checks that a
 * plain node accepts the cache, and otherwise makes it again with `--tiering` (no switching).
 */
const [TIERS_OFF, TIERS_ON] = (process.env.TIERS ?? '|').split('|');

type Library = typeof import('../src/index.js');
type Main = typeof import('../src/cli/main.js').main;

interface Loader {
  library?: { index: Library; kernels: Record<string, unknown> };
  cli?: { main: Main };
  createCodeCache(): Buffer;
}

/** Textbook losses and maps over most op families: products, traces, inverses, elementwise, reductions. */
const GRADIENTS: readonly (readonly [decls: string, expr: string, wrt: string])[] = [
  ['X: n x d; w: d; y: n', 'sum((X*w - y).^2) + 0.5*norm(w)^2', 'w'],
  ['X: n x n; A: n x n', 'trace(inv(X)*A) + logdet(X)', 'X'],
  ['x: n; A: n x n symmetric', "x'*A*x", 'x'],
  ['X: n x d; y: n; w: d', 'sum(log(1 + exp(-y .* (X*w))))', 'w'],
  ['W: k x d; x: d; y: k', "-y'*logsoftmax(W*x)", 'W'],
  ['X: n x d; W1: d x h; W2: h x k; Y: n x k', 'sum(sum((tanh(X*W1)*W2 - Y).^2)) / n', 'W1'],
  ['a: m; X: m x n; b: n', "a'*X*b + sum(sigmoid(X)) + mean(relu(X))", 'X'],
];

function libraryWorkload(library: Library): void {
  const { compile, declare, parse, grad, jacobian, hessian, toText, toLatex } = library;
  for (const [decls, text, wrt] of GRADIENTS) {
    const scope = declare(decls);
    const f = parse(text, scope);
    for (const g of grad(f, [wrt], { scope })) {
      toText(g);
      toLatex(g);
    }
  }
  const scope = declare('x: n; W: k x n; b: k');
  const f = parse('tanh(W*x + b)', scope);
  toText(jacobian(f, 'x', { scope }));
  toLatex(hessian(parse("sum(exp(W*x)) + x'*x", scope), 'x', { scope }));
  // every elementwise function of the language, through a product
  for (const name of ELEMENTWISE) {
    for (const g of grad(parse(`sum(${name}(W*x + b))`, scope), ['x', 'W'], { scope })) {
      toText(g);
      toLatex(g);
    }
  }
  const compiled = compile(grad(parse("sum(tanh(W*x + b).^2) + b'*b", scope), ['W', 'b'], { scope }));
  compiled({
    x: [1, 2],
    W: [
      [1, 0],
      [0, 1],
    ],
    b: [0.5, -0.5],
  });
}

/** The commands a user runs most, in their common formats; output is discarded. */
async function cliWorkload(main: Main): Promise<void> {
  const io = {
    out: () => {},
    err: () => {},
    stdin: () => '',
    readFile: (p: string) => readFileSync(p, 'utf8'),
  };
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-warm-up-'));
  const at = join(dir, 'values.json');
  writeFileSync(
    at,
    JSON.stringify({
      X: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      w: [0.5, -1],
      y: [1, 0, 2],
    }),
  );
  try {
    for (const [decls, text, wrt] of GRADIENTS) {
      for (const format of ['text', 'latex', 'json'])
        await main(['grad', text, '--wrt', wrt, '--let', decls, '--format', format], io);
    }
    const ls = ['--let', 'X: n x d; w: d; y: n'];
    await main(['grad', 'sum((X*w - y).^2)', '--wrt', 'w', ...ls, '--format', 'numpy'], io);
    await main(['jacobian', 'tanh(X*w)', '--wrt', 'w', ...ls], io);
    await main(['hessian', 'sum(exp(X*w))', '--wrt', 'w', ...ls], io);
    await main(['eval', "X'*(X*w - y)", ...ls, '--at', at, '--format', 'json'], io);
    await main(['check', 'sum(log(1 + exp(-y .* (X*w))))', '--wrt', 'w', ...ls, '--trials', '1'], io);
    await main(['verify', 'sum((X*w - y).^2)', '--wrt', 'w', '--claim', "2*X'*(X*w - y)", ...ls], io);
    await main(['grad', 'sum(X*', '--wrt', 'w', ...ls], io);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [kind, loaderPath, out, mode] = process.argv.slice(2);
  const interpreterOnly = mode !== '--tiering' && TIERS_OFF !== '';
  if (interpreterOnly) setFlagsFromString(TIERS_OFF);
  const loader = (await import(pathToFileURL(loaderPath).href)) as Loader;
  if (kind === 'library' && loader.library) libraryWorkload(loader.library.index);
  else if (kind === 'cli' && loader.cli) await cliWorkload(loader.cli.main);
  else throw new Error(`warm-up: nothing to run for ${kind} in ${loaderPath}`);
  if (interpreterOnly) setFlagsFromString(TIERS_ON);
  writeFileSync(out, loader.createCodeCache());
  const names = (ns: object) => Object.keys(ns).sort();
  console.log(
    JSON.stringify(
      loader.library
        ? { index: names(loader.library.index), kernels: names(loader.library.kernels) }
        : { cli: names(loader.cli ?? {}) },
    ),
  );
}

await main();
