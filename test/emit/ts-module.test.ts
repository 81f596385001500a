// The TypeScript module export: every case type-checks alone under `tsc --strict`, and its gradients,
// imported and run, agree with central differences of its own value(); inputs are validated at run time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTsModule } from '../../src/emit/ts-module.js';
import { dimValue } from '../../src/ir/dim.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { randomValue, seededRandom } from '../../src/numeric/random.js';
import { CASES, caseSpec } from './cases.js';
import { sizesFor } from './python-driver.js';

type Fn = (values: object) => Matrix;
type Generated = Record<string, unknown> & {
  value: Fn;
  value_and_grad: (v: object) => { value: Matrix; grad: Record<string, Matrix> };
};

const dir = mkdtempSync(join(tmpdir(), 'matcalc-ts-'));
const file = (k: number) => join(dir, `case${k}.ts`);
const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');

beforeAll(() => {
  for (const [k, c] of CASES.entries()) writeFileSync(file(k), toTsModule(caseSpec(c)));
});

/** Central difference of f at entry i of x, step scaled to the entry. */
function central(f: () => number, x: Float64Array, i: number): number {
  const old = x[i];
  const h = 1e-5 * Math.max(1, Math.abs(old));
  x[i] = old + h;
  const fp = f();
  x[i] = old - h;
  const fm = f();
  x[i] = old;
  return (fp - fm) / (2 * h);
}

describe('TypeScript module export', () => {
  it('type-checks every generated module under tsc --strict, standalone', () => {
    const files = CASES.map((_, k) => `case${k}.ts`);
    // Run in the temp dir: no tsconfig applies, only the flags given here.
    const run = () =>
      execFileSync(tsc, ['--strict', '--noEmit', '--target', 'es2022', ...files], {
        cwd: dir,
        encoding: 'utf8',
      });
    expect(run).not.toThrow();
  });

  it('rejects a broken module under the same command (the check can fail)', () => {
    writeFileSync(join(dir, 'broken.ts'), 'export const x: number = "not a number";\n');
    expect(() =>
      execFileSync(tsc, ['--strict', '--noEmit', 'broken.ts'], { cwd: dir, stdio: 'pipe' }),
    ).toThrow();
  });

  CASES.forEach((c, k) => {
    it(`${c.name}: grad_<NAME> agrees with central differences of value()`, async () => {
      const spec = caseSpec(c);
      const mod = (await import(pathToFileURL(file(k)).href)) as Generated;
      const dims = sizesFor(spec.inputs);
      const rand = seededRandom(7 + k);
      const values: Record<string, Matrix> = {};
      for (const v of spec.inputs)
        Object.defineProperty(values, v.name, { value: randomValue(v, dims, rand), enumerable: true });
      const f = () => mod.value(values).data[0];
      const together = mod.value_and_grad(values);
      expect(together.value.data[0]).toBeCloseTo(f(), 12);
      for (const g of spec.grads) {
        const grad = (mod[`grad_${g.wrt.name}`] as Fn)(values);
        const x = values[g.wrt.name];
        expect([grad.rows, grad.cols]).toEqual([
          dimValue(g.wrt.shape.rows, dims),
          dimValue(g.wrt.shape.cols, dims),
        ]);
        let worst = 0;
        for (let i = 0; i < x.data.length; i++) {
          const numeric = central(f, x.data, i);
          worst = Math.max(worst, Math.abs(grad.data[i] - numeric) / Math.max(1, Math.abs(numeric)));
        }
        expect(worst, `∂f/∂${g.wrt.name}`).toBeLessThan(1e-6);
        expect(Array.from(together.grad[g.wrt.name].data)).toEqual(Array.from(grad.data));
      }
    });
  });

  it('checks inputs: a missing name, a wrong size and inconsistent dims are errors, numbers pass for scalars', async () => {
    const k = CASES.findIndex((c) => c.name === 'regularized logistic loss');
    const mod = (await import(pathToFileURL(file(k)).href)) as Generated;
    const m = (rows: number, cols: number): Matrix => ({
      rows,
      cols,
      data: new Float64Array(rows * cols).fill(0.5),
    });
    const ok = { X: m(4, 3), w: m(3, 1), y: m(4, 1), lambda: 0.1 };
    expect(mod.value(ok).data[0]).toBeGreaterThan(0);
    expect(() => mod.value({ X: m(4, 3), w: m(3, 1), y: m(4, 1) })).toThrow(/no value given for lambda/);
    expect(() => mod.value({ ...ok, w: m(2, 1) })).toThrow(/d is 3 elsewhere but 2 in w/);
    expect(() => mod.value({ ...ok, y: m(4, 2) })).toThrow(/y is declared n×1 but is 4×2/);
    expect(() => mod.value({ ...ok, X: [[1, 2, 3]] })).toThrow(/X must be a Matrix/);
  });

  it('returns new matrices: the gradient of sum(A .* B) with respect to A is a copy of B', async () => {
    const { grad } = await import('../../src/api.js');
    const { parseDecls, parseExpr } = await import('../../src/parse/index.js');
    const scope = parseDecls('A: n x n; B: n x n');
    const f = parseExpr('sum(A .* B)', scope);
    const [g] = grad(f, ['A'], { scope });
    const path = join(dir, 'alias.ts');
    writeFileSync(
      path,
      toTsModule({
        name: 'f',
        title: 'f',
        value: f,
        grads: [{ wrt: scope.vars.get('A')!, expr: g }],
        inputs: [...scope.vars.values()],
      }),
    );
    const mod = (await import(pathToFileURL(path).href)) as Generated;
    const B = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) };
    const out = (mod.grad_A as Fn)({ A: B, B });
    expect(Array.from(out.data)).toEqual([1, 2, 3, 4]);
    expect(out.data).not.toBe(B.data);
  });
});
