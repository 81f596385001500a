// Test helpers for one-argument ops: evaluate op(x) at given rows, and compare matrices entry by entry.
import { expect } from 'vitest';
import { dimSym } from '../../src/ir/dim.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { fromRows, toRows } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply } from '../../src/ops/build.js';
import type { OpName } from '../../src/ops/index.js';

/** op(x) evaluated at x = rows (x declared r×c, bound from the value). */
export function run(op: OpName, rows: readonly (readonly number[])[], attrs: Attrs = {}): number[][] {
  const v = fromRows(rows);
  const x = variable('x', shape(dimSym('r'), dimSym('c')));
  const dims = new Map([
    ['r', v.rows],
    ['c', v.cols],
  ]);
  return toRows(evaluateMany([apply(op, [x], attrs)], new Map([['x', v]]), dims)[0]);
}

export function expectClose(got: number[][], want: readonly (readonly number[])[], digits = 12): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => {
    expect(row.length).toBe(want[i].length);
    for (const [j, x] of row.entries()) expect(x).toBeCloseTo(want[i][j], digits);
  });
}
