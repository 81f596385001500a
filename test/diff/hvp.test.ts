// Hessian-vector products, forward over reverse: hvp(f, x, V) against central differences of the gradient
// along V (∇f(x + hV) − ∇f(x − hV))/2h, built without any Kronecker or commutation matrix; and the
// hvp_<x> functions of `matcalc hessian --format numpy|ts`, run by NumPy and by node, against the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { evaluate, grad, hvp } from '../../src/index.js';
import { topoOrder } from '../../src/ir/expr.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { capture } from '../helpers/io.js';
import { SECOND_ORDER_CASES } from '../helpers/second-order-cases.js';
import { rng } from '../helpers/vjpcheck.js';

type Rows = number[][];
const HESSIANS = SECOND_ORDER_CASES.filter((tc) => tc.mode === 'hessian');

function randomRows(r: number, c: number, rand: () => number, shift = 0): Rows {
  return Array.from({ length: r }, (_, i) =>
    Array.from({ length: c }, (_, j) => 2 * rand() - 1 + (i === j ? shift : 0)),
  );
}

function valuesFor(
  decls: string,
  dims: Readonly<Record<string, number>>,
  seed: number,
): Record<string, Rows> {
  const rand = rng(seed);
  const size = (key: string) => (/^\d+$/.test(key) ? Number(key) : dims[key]);
  const out: Record<string, Rows> = {};
  for (const v of parseDecls(decls).vars.values()) {
    const [r, c] = [size(v.shape.rows.key), size(v.shape.cols.key)];
    out[v.name] = randomRows(r, c, rand, v.shape.rows === v.shape.cols && r > 1 ? 2 * r : 0);
  }
  return out;
}

const vecOf = (m: Matrix): number[] => {
  const out: number[] = [];
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) out.push(m.data[i * m.cols + j]);
  return out;
};

/** vec of (∇f(x + hV) − ∇f(x − hV))/2h, the gradient evaluated by the interpreter. */
function gradientDifference(
  expr: string,
  decls: string,
  wrt: string,
  values: Record<string, Rows>,
  dir: Rows,
): number[] {
  const scope = parseDecls(decls);
  const [g] = grad(parseExpr(expr, scope), [wrt], { scope });
  const h = 1e-5;
  const moved = (s: number) => values[wrt].map((row, i) => row.map((x, j) => x + s * h * dir[i][j]));
  const plus = vecOf(evaluate(g, { ...values, [wrt]: moved(1) }, { scope }));
  const minus = vecOf(evaluate(g, { ...values, [wrt]: moved(-1) }, { scope }));
  return plus.map((p, i) => (p - minus[i]) / (2 * h));
}

function relError(got: readonly number[], want: readonly number[]): number {
  const scale = Math.max(1, ...want.map(Math.abs));
  return Math.max(...want.map((w, i) => Math.abs(got[i] - w) / scale));
}

describe('hvp(f, x, V)', () => {
  it.each(HESSIANS.map((tc) => [`${tc.expr} wrt ${tc.wrt}`, tc] as const))('%s', (_name, tc) => {
    const scope = parseDecls(`${tc.decls}; V: ${scope0(tc.decls, tc.wrt)}`);
    const f = parseExpr(tc.expr, scope);
    const product = hvp(f, tc.wrt, 'V', { scope });
    const x = scope.vars.get(tc.wrt)!;
    expect([product.shape.rows, product.shape.cols]).toEqual([
      parseExpr(`vec(${tc.wrt})`, scope).shape.rows,
      x.shape.cols === x.shape.rows && x.shape.cols.key === '1'
        ? x.shape.cols
        : parseExpr('1', scope).shape.cols,
    ]);
    const ops = new Set(topoOrder([product]).flatMap((n) => (n.kind === 'op' ? [n.op] : [])));
    expect(ops.has('kron') || ops.has('commutation')).toBe(false);
    const values = valuesFor(tc.decls, tc.dims, 3);
    const dir = randomRows(values[tc.wrt].length, values[tc.wrt][0].length, rng(11));
    const got = vecOf(evaluate(product, { ...values, V: dir }, { scope }));
    expect(relError(got, gradientDifference(tc.expr, tc.decls, tc.wrt, values, dir))).toBeLessThan(1e-6);
  });

  it('refuses a direction of another shape, naming both shapes', () => {
    const scope = parseDecls('X: n x k; A: n x n; v: k x n');
    expect(() => hvp(parseExpr("trace(X'*A*X)", scope), 'X', 'v', { scope })).toThrow(
      "hvp needs a direction of the variable's shape n×k, got k×n",
    );
  });
});

/** The declared shape of `wrt` as declaration text. */
function scope0(decls: string, wrt: string): string {
  const v = parseDecls(decls).vars.get(wrt)!;
  return v.shape.cols.key === '1' ? v.shape.rows.key : `${v.shape.rows.key} x ${v.shape.cols.key}`;
}

async function module(format: 'numpy' | 'ts', expr: string, wrt: string, decls: string): Promise<string> {
  const io = capture();
  const code = await main(['hessian', expr, '--wrt', wrt, '--let', decls, '--format', format], io);
  expect(code, io.stderr).toBe(0);
  return io.stdout;
}

const LOGISTIC = ['sum(softplus(X*w) - y .* (X*w))', 'w', 'X: n x d; w: d; y: n'] as const;
const TRACE = ["trace(A*X*B*X')", 'X', 'X: n x k; A: n x n; B: k x k'] as const;

describe('matcalc hessian --format numpy|ts: hvp_<x>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-hvp-'));

  it.each([LOGISTIC, TRACE])('NumPy hvp of %s matches the gradient difference', async (expr, wrt, decls) => {
    const text = await module('numpy', expr, wrt, decls);
    expect(text).not.toMatch(/hvp_[\s\S]*np\.kron/);
    writeFileSync(join(dir, 'hessmod.py'), text);
    const values = valuesFor(decls, { n: 5, d: 3, k: 2 }, 5);
    const v = randomRows(values[wrt].length, values[wrt][0].length, rng(9));
    const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport numpy as np\nimport hessmod\nvalues = {k: np.array(x) for k, x in json.loads(sys.argv[1]).items()}\nprint(json.dumps(hessmod.hvp_${wrt}(np.array(json.loads(sys.argv[2])), **values).ravel().tolist()))`;
    const got = JSON.parse(
      execFileSync('python3', ['-c', script, JSON.stringify(values), JSON.stringify(v)], {
        encoding: 'utf8',
      }),
    );
    expect(relError(got, gradientDifference(expr, decls, wrt, values, v))).toBeLessThan(1e-6);
  });

  it.each([LOGISTIC, TRACE])(
    'TypeScript hvp of %s type-checks and matches the gradient difference',
    async (expr, wrt, decls) => {
      const file = join(dir, `hess${wrt}.ts`);
      writeFileSync(file, await module('ts', expr, wrt, decls));
      const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
      expect(() =>
        execFileSync(tsc, ['--strict', '--noEmit', '--target', 'es2022', file], { cwd: dir, stdio: 'pipe' }),
      ).not.toThrow();
      const mod = (await import(pathToFileURL(file).href)) as Record<
        string,
        (values: object, d: Matrix) => Matrix
      >;
      const values = valuesFor(decls, { n: 5, d: 3, k: 2 }, 6);
      const v = randomRows(values[wrt].length, values[wrt][0].length, rng(4));
      const asMatrix = (rows: Rows): Matrix => ({
        rows: rows.length,
        cols: rows[0].length,
        data: Float64Array.from(rows.flat()),
      });
      const inputs = Object.fromEntries(Object.entries(values).map(([k, x]) => [k, asMatrix(x)]));
      const got = Array.from(mod[`hvp_${wrt}`](inputs, asMatrix(v)).data);
      expect(relError(got, gradientDifference(expr, decls, wrt, values, v))).toBeLessThan(1e-6);
    },
  );
});
