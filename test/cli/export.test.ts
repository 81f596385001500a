// `matcalc export` and `matcalc grad --format ts|numpy|jax` end to end: the modules they print or write
// run (python3, tsc + import) against central differences; bad usage exits 2, a failing numeric check
// exits 1 naming the gradient and writes nothing, and no input text ever executes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { mlp } from '../../src/models/index.js';
import { parseDecls } from '../../src/parse/index.js';
import { runPythonMany } from '../emit/python-driver.js';
import { capture } from '../helpers/io.js';

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'matcalc-export-'));
const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');

const DERIVATION = `# A two-layer network

Prose the exporter ignores.

\`\`\`matcalc
let X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k; unused: m x m
H = tanh(X*W1 + b1')
Z = H*W2 + b2'
L = mean(logsumexp(Z, 2) - sum(Y .* Z, 2))
grad L wrt W1, b1
grad L wrt W2
export numpy
\`\`\`
`;

describe('matcalc export', () => {
  it('exports an MLP model to NumPy and JAX; the modules agree with central differences', async () => {
    const numpy = await run(
      'export',
      '--model',
      'mlp',
      '--layers',
      '4,3,2',
      '--activation',
      'sigmoid',
      '--to',
      'numpy',
    );
    const jax = await run(
      'export',
      '--model',
      'mlp',
      '--layers',
      '4,3,2',
      '--loss',
      'squared',
      '--single',
      '--to',
      'jax',
    );
    expect(numpy.code).toBe(0);
    expect(jax.code).toBe(0);
    expect(jax.out).toContain('import jax.numpy as jnp');
    const batch = mlp({ layers: [4, 3, 2], activation: 'sigmoid' });
    const single = mlp({ layers: [4, 3, 2], loss: 'squared', batch: false });
    const [a, b] = runPythonMany([
      {
        source: numpy.out,
        inputs: [...batch.scope.vars.values()],
        grads: batch.params,
        dims: new Map([['n', 5]]),
      },
      { source: jax.out, inputs: [...single.scope.vars.values()], grads: single.params, jax: true },
    ]);
    for (const p of batch.params) expect(a.errors[p], p).toBeLessThan(1e-6);
    for (const p of single.params) expect(b.errors[p], p).toBeLessThan(1e-6);
  });

  it('writes a TypeScript module with --out that type-checks under --strict and runs', async () => {
    const out = join(dir, 'logistic.ts');
    const r = await run('export', '--model', 'logistic', '--to', 'ts', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain(`wrote ${out}`);
    execFileSync(tsc, ['--strict', '--noEmit', 'logistic.ts'], { cwd: dir });
    const mod = (await import(pathToFileURL(out).href)) as Record<string, (v: object) => Matrix>;
    const m = (rows: number, cols: number, data: number[]): Matrix => ({
      rows,
      cols,
      data: Float64Array.from(data),
    });
    const values = { X: m(2, 1, [0.5, -2]), y: m(2, 1, [1, 0]), w: m(1, 1, [1.5]), b: 0.25 };
    // mean BCE of z = [1, -2.75] with labels [1, 0]: softplus(z) − y z, by hand
    const softplus = (t: number) => Math.log1p(Math.exp(t));
    expect(mod.value(values).data[0]).toBeCloseTo((softplus(1) - 1 + softplus(-2.75)) / 2, 12);
    // ∂L/∂b = mean(σ(z) − y)
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    expect(mod.grad_b(values).data[0]).toBeCloseTo((sigma(1) - 1 + sigma(-2.75)) / 2, 12);
  });

  it('exports a derivation file: its grad requests on one loss, to the target its export line names', async () => {
    const file = join(dir, 'net.md');
    writeFileSync(file, DERIVATION);
    const r = await run('export', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('def grad_W1(**values):');
    expect(r.out).toContain('def grad_W2(**values):');
    // only the variables the loss needs
    expect(r.out).toContain('_NAMES = ("X", "Y", "W1", "b1", "W2", "b2")');
    const scope = parseDecls('X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k');
    const [report] = runPythonMany([
      { source: r.out, inputs: [...scope.vars.values()], grads: ['W1', 'b1', 'W2'] },
    ]);
    for (const p of ['W1', 'b1', 'W2']) expect(report.errors[p], p).toBeLessThan(1e-6);
    const ts = await run('export', file, '--to', 'ts');
    expect(ts.out).toContain('export function grad_b1(values: Values): Matrix');
  });

  it('chooses among several losses with --loss, and refuses to guess', async () => {
    const file = join(dir, 'two.md');
    writeFileSync(
      file,
      "```matcalc\nlet x: n; A: n x n\nf = sum(x.^2)\ng = x'*A*x\ngrad f wrt x\ngrad g wrt A\n```\n",
    );
    const guess = await run('export', file, '--to', 'numpy');
    expect(guess.code).toBe(2);
    expect(guess.err).toMatch(/several losses: f \(line 5\), g \(line 6\).*--loss/);
    const chosen = await run('export', file, '--to', 'numpy', '--loss', 'g');
    expect(chosen.code).toBe(0);
    expect(chosen.out).toContain('def grad_A(**values):');
    expect(chosen.out).not.toContain('def grad_x(');
  });

  it('refuses bad usage with exit 2 and one message', async () => {
    const file = join(dir, 'net.md');
    const none = join(dir, 'none.md');
    writeFileSync(none, '```matcalc\nlet x: n\nf = sum(x)\n```\n');
    const cases: [string[], RegExp][] = [
      [['export', '--model', 'transformerz', '--to', 'ts'], /--model must be one of linear, ridge/],
      [
        ['export', '--model', 'mlp', '--activation', 'gelu', '--to', 'ts'],
        /--activation must be one of relu, tanh, sigmoid/,
      ],
      [['export', '--model', 'mlp', '--layers', '10', '--to', 'ts'], /at least two sizes/],
      [['export', '--model', 'mlp', '--layers', '3,,2', '--to', 'ts'], /--layers takes sizes/],
      [['export', '--model', 'mlp', '--batch', '--single', '--to', 'ts'], /exclude each other/],
      [['export', '--model', 'linear', '--layers', '3,1', '--to', 'ts'], /option of --model mlp/],
      [['export', '--model', 'mlp', '--to', 'rust'], /--to must be one of ts, numpy, jax/],
      [['export', '--model', 'mlp'], /missing --to/],
      [['export', file, '--model', 'mlp', '--to', 'ts'], /either FILE.md or --model/],
      [['export'], /missing FILE.md/],
      [['export', none, '--to', 'ts'], /no `grad L wrt X` request/],
      [['export', join(dir, 'absent.md'), '--to', 'ts'], /cannot read .*absent.md: no such file/],
      [['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: n', '--format', 'rust'], /--format must be one of/],
      [['jacobian', 'x', '--wrt', 'x', '--let', 'x: n', '--format', 'numpy'], /option of matcalc grad/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(message);
      expect(r.err.trim().split('\n')[0]).toMatch(/^matcalc: error: /);
      expect(r.out).toBe('');
    }
  });

  it('never executes input text: injections are parse errors (exit 2), in --let, EXPR and files', async () => {
    const file = join(dir, 'inject.md');
    writeFileSync(file, '```matcalc\nlet x: n\nL = sum(x); process.exit(7)\ngrad L wrt x\n```\n');
    const attempts = [
      ['grad', 'sum(x); process.exit(7)', '--wrt', 'x', '--let', 'x: n', '--format', 'ts'],
      ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: n; y: n"); process.exit(7); ("', '--format', 'numpy'],
      ['grad', 'sum(__import__("os").system("exit 7"))', '--wrt', 'x', '--let', 'x: n', '--format', 'numpy'],
      ['export', file, '--to', 'ts'],
    ];
    for (const argv of attempts) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
    }
  });
});

describe('matcalc grad --format ts|numpy|jax', () => {
  it('prints a NumPy module taking every declared name, hostile names included', async () => {
    const decls = 'constructor: n x d; __proto__: d; toString: n; lambda: scalar; unused: m';
    const r = await run(
      'grad',
      'sum((constructor*__proto__ - toString).^2) + lambda*sum(__proto__.^2)',
      '--wrt',
      '__proto__,lambda',
      '--let',
      decls,
      '--format',
      'numpy',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('def grad___proto__(**values):');
    expect(r.out).toContain('_NAMES = ("constructor", "__proto__", "toString", "lambda", "unused")');
    const scope = parseDecls(decls);
    const [report] = runPythonMany([
      { source: r.out, inputs: [...scope.vars.values()], grads: ['__proto__', 'lambda'] },
    ]);
    // JSON.parse makes `__proto__` an own key, as the module's dict did
    expect(Object.getOwnPropertyDescriptor(report.errors, '__proto__')?.value).toBeLessThan(1e-6);
    expect(report.errors.lambda).toBeLessThan(1e-6);
  });

  it('prints a TypeScript module with hostile names that type-checks and runs', async () => {
    const decls = 'constructor: n x d; __proto__: d; toString: n';
    const r = await run(
      'grad',
      'sum((constructor*__proto__ - toString).^2)',
      '--wrt',
      '__proto__,constructor',
      '--let',
      decls,
      '--format',
      'ts',
    );
    expect(r.code).toBe(0);
    const path = join(dir, 'hostile.ts');
    writeFileSync(path, r.out);
    execFileSync(tsc, ['--strict', '--noEmit', 'hostile.ts'], { cwd: dir });
    const mod = (await import(pathToFileURL(path).href)) as Record<string, (v: object) => Matrix>;
    const m = (rows: number, cols: number, data: number[]): Matrix => ({
      rows,
      cols,
      data: Float64Array.from(data),
    });
    // computed keys make own properties, as JSON.parse would
    const values = Object.fromEntries([
      ['constructor', m(2, 1, [1, 2])],
      ['__proto__', m(1, 1, [3])],
      ['toString', m(2, 1, [1, 1])],
    ]);
    // f = (3 − 1)² + (6 − 1)² = 29; ∂f/∂p = 2·(1·2 + 2·5) = 24
    expect(mod.value(values).data[0]).toBe(29);
    expect(Array.from(mod.grad___proto__(values).data)).toEqual([24]);
    expect(() => mod.value({ constructor: values.constructor, toString: values.toString })).toThrow(
      /no value given for __proto__/,
    );
  });
});

describe('the numeric check before writing', () => {
  afterEach(() => {
    vi.doUnmock('../../src/api.js');
    vi.resetModules();
  });

  it('exits 1 naming the failing gradient and writes nothing; --no-check writes anyway', async () => {
    vi.resetModules();
    vi.doMock('../../src/api.js', async (importOriginal) => {
      const api = await importOriginal<typeof import('../../src/api.js')>();
      return {
        ...api,
        check: () => ({
          ok: false,
          trials: 2,
          projectionError: 0.3,
          perVariable: [
            { variable: 'w', shape: 'd×1', relError: 0 },
            { variable: 'b', shape: '1×1', relError: 0.25 },
          ],
          worst: {
            variable: 'b',
            row: 1,
            col: 1,
            symbolic: 1,
            numeric: 0.75,
            relError: 0.25,
            dims: { n: 3, d: 2 },
          },
        }),
      };
    });
    const { main: mocked } = await import('../../src/cli/main.js');
    const out = join(dir, 'refused.py');
    const io = capture();
    expect(await mocked(['export', '--model', 'linear', '--to', 'numpy', '--out', out], io)).toBe(1);
    expect(io.stderr).toMatch(
      /the numeric check failed for the gradient with respect to b: max relative error 2\.50e-1/,
    );
    expect(io.stderr).toContain('no module written');
    expect(existsSync(out)).toBe(false);
    const grad = capture();
    expect(
      await mocked(
        ['grad', 'sum((X*w - y).^2)', '--wrt', 'w', '--let', 'X: n x d; w: d; y: n', '--format', 'ts'],
        grad,
      ),
    ).toBe(1);
    expect(grad.stdout).toBe('');
    const forced = capture();
    expect(
      await mocked(['export', '--model', 'linear', '--to', 'numpy', '--out', out, '--no-check'], forced),
    ).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('def grad_b(**values):');
  });
});
