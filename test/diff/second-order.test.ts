// The table of test/helpers/second-order-cases.ts end to end: `matcalc jacobian|hessian|grad --format json`
// prints a form that (1) `matcalc eval` evaluates to the central finite differences of f, (2) has no more
// operations than the cited textbook form + 10%, (3) spells no commutation matrix out of ones and identities.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { evaluate } from '../../src/index.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { countOps, withinTextbook } from '../helpers/cases.js';
import { capture } from '../helpers/io.js';
import { SECOND_ORDER_CASES, type SecondOrderCase } from '../helpers/second-order-cases.js';
import { rng } from '../helpers/vjpcheck.js';

type Rows = number[][];

async function cli(argv: string[], stdin = ''): Promise<string> {
  const io = capture(stdin);
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`matcalc ${argv[0]} exited ${code}: ${io.stderr}`);
  return io.stdout;
}

/** Random values at the case's dims; square matrices get 2n·I added so that inverses are well conditioned. */
function valuesFor(tc: SecondOrderCase, seed: number): Record<string, Rows> {
  const rand = rng(seed);
  const scope = parseDecls(tc.decls);
  const size = (key: string) => (/^\d+$/.test(key) ? Number(key) : tc.dims[key]);
  const out: Record<string, Rows> = {};
  for (const v of scope.vars.values()) {
    const [r, c] = [size(v.shape.rows.key), size(v.shape.cols.key)];
    out[v.name] = Array.from({ length: r }, (_, i) =>
      Array.from(
        { length: c },
        (_, j) => 2 * rand() - 1 + (v.shape.rows === v.shape.cols && r > 1 && i === j ? 2 * r : 0),
      ),
    );
  }
  return out;
}

/** vec (column stacking) of a row-major matrix. */
const vecOf = (m: Matrix): number[] => {
  const out: number[] = [];
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) out.push(m.data[i * m.cols + j]);
  return out;
};

/** The reference derivative by central differences of f at `values` (vec entries of the variable). */
function finiteDifferences(tc: SecondOrderCase, values: Record<string, Rows>): Rows {
  const scope = parseDecls(tc.decls);
  const f = parseExpr(tc.expr, scope);
  const x = values[tc.wrt];
  const [r, c] = [x.length, x[0].length];
  const entries = Array.from({ length: r * c }, (_, k) => [k % r, Math.floor(k / r)] as const);
  const at = (shifts: readonly (readonly [number, number])[]): number[] => {
    const moved = x.map((row) => [...row]);
    for (const [k, h] of shifts) moved[entries[k][0]][entries[k][1]] += h;
    return vecOf(evaluate(f, { ...values, [tc.wrt]: moved }));
  };
  if (tc.mode === 'hessian') {
    const h = 1e-4;
    return entries.map((_, i) =>
      entries.map((__, j) => {
        const [pp, pm, mp, mm] = [
          at([
            [i, h],
            [j, h],
          ]),
          at([
            [i, h],
            [j, -h],
          ]),
          at([
            [i, -h],
            [j, h],
          ]),
          at([
            [i, -h],
            [j, -h],
          ]),
        ].map((v) => v[0]);
        return (pp - pm - mp + mm) / (4 * h * h);
      }),
    );
  }
  const h = 1e-6;
  const columns = entries.map((_, j) => {
    const [plus, minus] = [at([[j, h]]), at([[j, -h]])];
    return plus.map((p, i) => (p - minus[i]) / (2 * h));
  });
  if (tc.mode === 'grad') {
    // The gradient has the variable's shape: entry (i, j) is column k = j·r + i of the 1×(rc) Jacobian.
    return Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => columns[j * r + i][0]));
  }
  return columns[0].map((_, i) => columns.map((col) => col[i]));
}

function maxRelError(got: Rows, want: Rows): number {
  const scale = Math.max(1, ...want.flat().map(Math.abs));
  let worst = 0;
  want.forEach((row, i) => {
    row.forEach((w, j) => {
      worst = Math.max(worst, Math.abs(got[i][j] - w) / scale);
    });
  });
  return worst;
}

describe('Jacobians and Hessians of the textbook table', () => {
  it('the table holds at least 40 Jacobians and Hessians, each cited', () => {
    expect(SECOND_ORDER_CASES.filter((tc) => tc.mode !== 'grad').length).toBeGreaterThanOrEqual(40);
    for (const tc of SECOND_ORDER_CASES) expect(tc.cite).toMatch(/M&N|Cookbook|PRML|d²|entrywise|chain rule/);
  });

  it.each(SECOND_ORDER_CASES.map((tc) => [`${tc.mode} of ${tc.expr} wrt ${tc.wrt}`, tc] as const))(
    '%s',
    async (_name, tc) => {
      const printed = JSON.parse(
        await cli([tc.mode, tc.expr, '--wrt', tc.wrt, '--let', tc.decls, '--format', 'json']),
      ) as { gradients: { expr: string }[] };
      const text = printed.gradients[0].expr;
      expect(text).not.toMatch(/kron\(kron\((ones|eye)/);

      const scope = parseDecls(tc.decls);
      const ours = countOps(parseExpr(text, scope));
      const book = countOps(parseExpr(tc.textbook, scope));
      expect({
        text,
        dag: withinTextbook(ours.dag, book.dag),
        tree: withinTextbook(ours.tree, book.tree),
      }).toEqual({
        text,
        dag: true,
        tree: true,
      });

      const values = valuesFor(tc, 7);
      const want = finiteDifferences(tc, values);
      const evalRows = async (expr: string): Promise<Rows> =>
        (
          JSON.parse(
            await cli(
              ['eval', expr, '--let', tc.decls, '--at', '-', '--format', 'json'],
              JSON.stringify(values),
            ),
          ) as { value: Rows }
        ).value;
      const tol = tc.mode === 'hessian' ? 1e-5 : 1e-7;
      expect(maxRelError(await evalRows(text), want)).toBeLessThan(tol);
      // The cited form itself, evaluated the same way, is the same matrix (the table is right).
      expect(maxRelError(await evalRows(tc.textbook), want)).toBeLessThan(tol);
    },
  );
});
