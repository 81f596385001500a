// Layouts: `grad --layout numerator` prints ∂f/∂Xᵀ, the transpose of the gradient (numerically, through
// `matcalc eval`, against the gradient evaluated the same way), and JSON output names the layout.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/io.js';

async function cli(argv: string[], stdin = ''): Promise<string> {
  const io = capture(stdin);
  expect(await main(argv, io), io.stderr).toBe(0);
  return io.stdout.trim();
}

const values = JSON.stringify({
  X: [
    [1, 2, -1],
    [0.5, 3, 2],
  ],
  A: [
    [2, 1],
    [0, -1],
    [4, 0.5],
  ],
  x: [1, -2],
  S: [
    [3, 1],
    [1, 2],
  ],
});
const DECLS = 'X: n x m; A: m x n; x: n; S: n x n';

const valuesFile = join(mkdtempSync(join(tmpdir(), 'matcalc-layout-')), 'values.json');
writeFileSync(valuesFile, values);

async function evalRows(expr: string): Promise<number[][]> {
  return (
    JSON.parse(await cli(['eval', '-', '--let', DECLS, '--at', valuesFile, '--format', 'json'], expr)) as {
      value: number[][];
    }
  ).value;
}

describe('grad --layout numerator', () => {
  it("of trace(A*X) prints A, the transpose of the gradient A'", async () => {
    expect(await cli(['grad', 'trace(A*X)', '--wrt', 'X', '--let', DECLS, '--layout', 'numerator'])).toBe(
      'A',
    );
    expect(await cli(['grad', 'trace(A*X)', '--wrt', 'X', '--let', DECLS])).toBe("A'");
  });

  it.each(['trace(A*X)^2', "x'*S*x + sum(exp(X*A*x))", 'sum(tanh(X*A))'])(
    'of %s is the transpose of the gradient, evaluated',
    async (f) => {
      for (const wrt of ['X', 'x', 'A']) {
        const json = (layout: string) =>
          cli(['grad', f, '--wrt', wrt, '--let', DECLS, '--layout', layout, '--format', 'json']);
        const numerator = JSON.parse(await json('numerator')) as {
          layout: string;
          gradients: { expr: string }[];
        };
        const denominator = JSON.parse(await json('denominator')) as {
          layout: string;
          gradients: { expr: string }[];
        };
        expect([numerator.layout, denominator.layout]).toEqual(['numerator', 'denominator']);
        const n = await evalRows(numerator.gradients[0].expr);
        const g = await evalRows(denominator.gradients[0].expr);
        expect(n).toEqual(g[0].map((_, j) => g.map((row) => row[j])));
      }
    },
  );
});
