// Run by the build in a plain `node` child (V8 rejects a cache made under other flags): loads the library
// through dist/script/load.js, runs a representative workload so that V8 compiles what users' first calls run,
// then writes the code cache to argv[3] and prints the export names of both entry points as JSON.
// Usage: node warm-up.mjs DIST/script/load.js OUT.cache [--tiering]
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ELEMENTWISE } from '../src/parse/names.js';

/**
 * The workload runs in the interpreter only: a function Sparkplug compiled here is marked so in the cache, and a
 * process loading it would then baseline-compile every such function at its first call (3 ms of a 4.5 ms first
 * derivative). The flags are back at their defaults before the cache is made, since V8 checks them; the build
 * then checks that a plain node accepts the cache, and otherwise makes it again with `--tiering` (no switch).
 */
const TIERS_OFF = '--no-sparkplug --no-turbofan';
const TIERS_ON = '--sparkplug --turbofan';

type Library = typeof import('../src/index.js');

interface Loader {
  library: { index: Library; kernels: Record<string, unknown> };
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

async function main(): Promise<void> {
  const [loaderPath, out, mode] = process.argv.slice(2);
  const interpreterOnly = mode !== '--tiering';
  if (interpreterOnly) setFlagsFromString(TIERS_OFF);
  const loader = (await import(pathToFileURL(loaderPath).href)) as Loader;
  const { compile, declare, parse, grad, jacobian, hessian, toText, toLatex } = loader.library.index;
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
  if (interpreterOnly) setFlagsFromString(TIERS_ON);
  writeFileSync(out, loader.createCodeCache());
  const names = (ns: object) => Object.keys(ns).sort();
  console.log(JSON.stringify({ index: names(loader.library.index), kernels: names(loader.library.kernels) }));
}

await main();
