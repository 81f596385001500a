// The installed library (dist/index.js, dist/kernels/index.js over the script bundle and its V8 code cache,
// scripts/library-script.ts), each case in a fresh plain `node`: the same exports as the sources, the same
// answers with the cache accepted, rejected (other V8 flags), stale, missing or switched off.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import * as kernels from '../../src/kernels/index.js';

const SCRIPT = resolve('dist/script');

/** Gradients, a Jacobian and LaTeX through the library at `dir`, with the loader's cache status. */
const PROGRAM = (dir: string) => `
const { declare, parse, grad, jacobian, toText, toLatex, compile, ParseError } = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)});
const { cacheStatus } = await import(${JSON.stringify(pathToFileURL(join(dir, 'script/load.js')).href)});
const out = [];
for (const [decls, text, wrt] of ${JSON.stringify(CASES)}) {
  const scope = declare(decls);
  const gs = grad(parse(text, scope), [wrt], { scope });
  out.push(...gs.map((g) => toText(g) + ' | ' + toLatex(g)));
}
const s = declare('x: n; W: k x n');
out.push(toText(jacobian(parse('tanh(W*x)', s), 'x', { scope: s })));
const ls = declare('X: 3 x 2; w: 2; y: 3');
const g = compile(grad(parse('sum((X*w - y).^2)', ls), ['w'], { scope: ls })[0]);
const value = Array.from(g({ X: [[1, 2], [0, 1], [3, -1]], w: [0.5, -2], y: [1, 0, 2] }).data);
let caught = false;
try { parse('sum(x', s); } catch (e) { caught = e instanceof ParseError; }
console.log(JSON.stringify({ cacheStatus, out, value, caught }));
`;

const CASES: readonly (readonly [string, string, string])[] = [
  ['A: m x n; X: n x p; B: p x m', 'trace(A*X*B)', 'X'],
  ['S: n x n spd; x: n', "logdet(S) + x'*inv(S)*x", 'S'],
  ['X: n x d; y: n; w: d', 'sum(softplus(-y .* (X*w)))', 'w'],
];

interface Run {
  cacheStatus: string;
  out: string[];
  value: number[];
  caught: boolean;
}

function runIn(dir: string, flags: readonly string[] = [], env: Record<string, string> = {}): Run {
  const clean = { ...process.env, ...env };
  delete clean.NODE_OPTIONS;
  const stdout = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', PROGRAM(dir)], {
    encoding: 'utf8',
    env: clean,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Run;
}

/** The same computations through the sources, in this process. */
function expected(): string[] {
  const out: string[] = [];
  for (const [decls, text, wrt] of CASES) {
    const scope = library.declare(decls);
    for (const g of library.grad(library.parse(text, scope), [wrt], { scope }))
      out.push(`${library.toText(g)} | ${library.toLatex(g)}`);
  }
  const s = library.declare('x: n; W: k x n');
  out.push(library.toText(library.jacobian(library.parse('tanh(W*x)', s), 'x', { scope: s })));
  return out;
}

/** ∇w ‖Xw − y‖² = 2Xᵀ(Xw − y), by hand for the values in PROGRAM. */
function leastSquaresGradient(): number[] {
  const X = [
    [1, 2],
    [0, 1],
    [3, -1],
  ];
  const w = [0.5, -2];
  const y = [1, 0, 2];
  const r = X.map((row, i) => row[0] * w[0] + row[1] * w[1] - y[i]);
  return [0, 1].map((j) => 2 * X.reduce((s, row, i) => s + row[j] * r[i], 0));
}

const maxError = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length ? Math.max(...a.map((v, i) => Math.abs(v - b[i]))) : Number.POSITIVE_INFINITY;

/** A copy of dist/'s loader files in a temporary directory; the cache is written last (newest). */
function copyOfDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-dist-'));
  execFileSync('mkdir', ['-p', join(dir, 'script'), join(dir, 'kernels')]);
  copyFileSync(resolve('dist/index.js'), join(dir, 'index.js'));
  copyFileSync(resolve('dist/kernels/index.js'), join(dir, 'kernels/index.js'));
  for (const f of ['load.js', 'library.js', 'library.cache'])
    copyFileSync(join(SCRIPT, f), join(dir, 'script', f));
  return dir;
}

describe('the installed library (dist/, built by npm ci or npm run build)', () => {
  it('is built', () => expect(existsSync(join(SCRIPT, 'library.cache'))).toBe(true));

  it('exports exactly what the sources export, from both entry points', () => {
    const names = (ns: object) => Object.keys(ns).sort();
    const program = `
const index = await import(${JSON.stringify(pathToFileURL(resolve('dist/index.js')).href)});
const kernels = await import(${JSON.stringify(pathToFileURL(resolve('dist/kernels/index.js')).href)});
console.log(JSON.stringify({ index: Object.keys(index).sort(), kernels: Object.keys(kernels).sort() }));`;
    const got = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' }),
    );
    expect(got.index).toEqual(names(library));
    expect(got.kernels).toEqual(names(kernels));
  });

  it('a fresh plain node takes the code cache and gives the sources’ answers', () => {
    const run = runIn(resolve('dist'));
    expect(run.cacheStatus).toBe('accepted');
    expect(run.out).toEqual(expected());
    expect(maxError(run.value, leastSquaresGradient())).toBeLessThan(1e-12);
    expect(run.caught).toBe(true);
  });

  it('with other V8 flags the cache is rejected and the library compiles from source, same answers', () => {
    const run = runIn(resolve('dist'), ['--stack-size=2000']);
    expect(run.cacheStatus).toBe('rejected');
    expect(run.out).toEqual(expected());
  });

  it('MATCALC_CODE_CACHE=0 leaves the cache unread', () => {
    const run = runIn(resolve('dist'), [], { MATCALC_CODE_CACHE: '0' });
    expect(run.cacheStatus).toBe('off');
    expect(run.out).toEqual(expected());
  });

  it('a script newer than its cache (edited in place) does not use it; a missing cache is no error', () => {
    const dir = copyOfDist();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'script/library.js'), later, later);
    const stale = runIn(dir);
    expect(stale.cacheStatus).toBe('stale');
    expect(stale.out).toEqual(expected());
    execFileSync('rm', [join(dir, 'script/library.cache')]);
    const missing = runIn(dir);
    expect(missing.cacheStatus).toBe('missing');
    expect(maxError(missing.value, leastSquaresGradient())).toBeLessThan(1e-12);
    execFileSync('rm', ['-r', dir]);
  });
});
