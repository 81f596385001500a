// sum, mean and norm: shape rules (symbolic dims, errors), eval against numpy, VJPs against finite differences.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { vjpSweep } from '../../src/diff/grad.js';
import { dimSym } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { shape, shapeText } from '../../src/ir/shape.js';
import { fromRows, type Matrix, matrix } from '../../src/kernels/matrix.js';
import { meanInto } from '../../src/kernels/reduce.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply, mean, norm, sum } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { expectClose, run } from '../helpers/eval1.js';
import { vjpError } from '../helpers/vjpcheck.js';

const m = dimSym('m');
const n = dimSym('n');
const X = variable('X', shape(m, n));
const A = [
  [1, -2, 3],
  [0.5, 4, -1],
];

describe('shape rules', () => {
  it('mean reduces like sum: all entries, down columns, across rows', () => {
    expect(shapeText(mean(X).shape)).toBe('1×1');
    expect(shapeText(mean(X, 1).shape)).toBe('1×n');
    expect(shapeText(mean(X, 2).shape)).toBe('m×1');
    expect(shapeText(sum(X, 1).shape)).toBe('1×n');
  });

  it('norm of a vector or a matrix is 1×1', () => {
    expect(shapeText(norm(X).shape)).toBe('1×1');
    expect(shapeText(norm(variable('v', shape(n, dimSym('k')))).shape)).toBe('1×1');
  });

  it('mean rejects a dim other than 0, 1, 2, naming the op and the shape', () => {
    const bad = { dim: 3 } as unknown as Attrs;
    expect(() => apply('mean', [X], bad)).toThrow(ShapeError);
    expect(() => apply('mean', [X], bad)).toThrow('mean needs dim 0, 1 or 2, got 3 (of m×n)');
  });
});

describe('eval against numpy', () => {
  // python3 -c "import numpy as np; A=np.array([[1,-2,3],[0.5,4,-1]]); print(np.mean(A), np.mean(A,0), np.mean(A,1))"
  it('mean over all entries, down columns, across rows', () => {
    expectClose(run('mean', A), [[0.9166666666666666]]);
    expectClose(run('mean', A, { dim: 1 }), [[0.75, 1.0, 1.0]]);
    expectClose(run('mean', A, { dim: 2 }), [[0.6666666666666666], [1.1666666666666667]]);
  });

  it('meanInto writes into the given buffer', () => {
    const out = matrix(1, 3);
    expect(meanInto(out, fromRows(A), 1)).toBe(out);
    expect(Array.from(out.data)).toEqual([0.75, 1, 1]);
  });

  // np.linalg.norm(A) = 5.5901699437494745
  it('norm is the Frobenius norm of a matrix and the 2-norm of a vector', () => {
    expectClose(run('norm', A), [[5.5901699437494745]]);
    expectClose(run('norm', [[3], [4]]), [[5]]);
    expectClose(run('norm', [[0, 0, 0]]), [[0]]);
  });

  it('norm scales by the largest entry: no overflow for huge entries, no underflow for tiny ones', () => {
    // np.linalg.norm([3e200, 4e200]) overflows to inf; the scaled sum gives 5e200.
    const [[big]] = run('norm', [[3e200], [4e200]]);
    expect(big / 5e200).toBeCloseTo(1, 14);
    const [[tiny]] = run('norm', [[3e-200], [4e-200]]);
    expect(tiny / 5e-200).toBeCloseTo(1, 14);
    expect(run('norm', [[Number.POSITIVE_INFINITY], [1]])[0][0]).toBe(Number.POSITIVE_INFINITY);
    expect(run('norm', [[Number.NaN], [0]])[0][0]).toBeNaN();
  });
});

describe('emitted forms', () => {
  it('text, numpy and js templates carry the dim', () => {
    expect(OPS.mean.text([X.shape], { dim: 2 })).toEqual({ form: 'call', name: 'mean', extra: ['2'] });
    expect(OPS.mean.text([X.shape], { dim: 0 })).toEqual({ form: 'call', name: 'mean', extra: [] });
    expect(OPS.mean.numpy(['A'], { dim: 1 })).toBe('np.mean(A, axis=0, keepdims=True)');
    expect(OPS.mean.numpy(['A'], { dim: 0 })).toBe('np.mean(A, keepdims=True)');
    expect(OPS.norm.numpy(['A'], {})).toBe('_norm(A)');
    expect(OPS.norm.text([X.shape], {})).toEqual({ form: 'call', name: 'norm' });
    const js = OPS.mean.js;
    expect(js.kind === 'kernel' && js.name).toBe('meanInto');
  });

  it('the norm bars render under KaTeX strict mode', () => {
    const l = OPS.norm.latex([X.shape], {});
    if (l.form !== 'wrap') throw new Error('norm latex should be a wrap');
    expect(() => katex.renderToString(`${l.open}X${l.close}`, { strict: 'error' })).not.toThrow();
  });
});

describe('VJPs against central differences', () => {
  it.each([0, 1, 2] as const)('mean along dim %i at two sizes', (dim) => {
    expect(vjpError('mean', [[3, 4]], { dim })).toBeLessThan(1e-6);
    expect(vjpError('mean', [[5, 2]], { dim }, [], 7)).toBeLessThan(1e-6);
  });

  it.each([0, 1, 2] as const)('sum along dim %i at two sizes', (dim) => {
    expect(vjpError('sum', [[3, 4]], { dim })).toBeLessThan(1e-6);
    expect(vjpError('sum', [[1, 5]], { dim }, [], 3)).toBeLessThan(1e-6);
  });

  it('norm of a vector and of a matrix', () => {
    expect(vjpError('norm', [[4, 1]])).toBeLessThan(1e-6);
    expect(vjpError('norm', [[3, 5]], {}, [], 5)).toBeLessThan(1e-6);
  });

  // mean(X, dim) with X m×n and m = 3, n = 4: every entry gets G / (m·n), G / m, G / n.
  it.each([
    [0, 6, 0.5],
    [1, 6, 2],
    [2, 6, 1.5],
  ] as const)('mean along dim %i over symbolic m×n divides by the runtime count', (dim, g, each) => {
    const out = mean(X, dim);
    const G = variable('G', out.shape);
    const [ct] = vjpSweep(out, G, [X]);
    if (!ct) throw new Error('mean depends on X');
    const gRows = out.shape.rows === m ? 3 : 1;
    const gCols = out.shape.cols === n ? 4 : 1;
    const values = new Map<string, Matrix>([
      ['X', matrix(3, 4)],
      ['G', fromRows(Array.from({ length: gRows }, () => new Array(gCols).fill(g)))],
    ]);
    const dims = new Map([
      ['m', 3],
      ['n', 4],
    ]);
    const got = evaluateMany([ct], values, dims)[0];
    expect([got.rows, got.cols]).toEqual([3, 4]);
    expect(Array.from(got.data)).toEqual(new Array(12).fill(each));
  });
});
