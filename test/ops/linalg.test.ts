// Linear-algebra op records: shape rules with symbolic dims, eval against NumPy, VJPs against finite
// differences, singular matrices, and the text/LaTeX/NumPy forms.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { dimConst, dimSym } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { type Shape, shape, shapeText } from '../../src/ir/shape.js';
import { det as detK, luFactor, SingularMatrixError } from '../../src/kernels/linalg.js';
import { fromRows, type Matrix, matrix, maxRelDiff, toRows } from '../../src/kernels/matrix.js';
import { apply } from '../../src/ops/build.js';
import { OPS, type OpName } from '../../src/ops/index.js';
import { vjpError } from '../helpers/vjpcheck.js';

const [n, d, m, k] = ['n', 'd', 'm', 'k'].map(dimSym);
const noDims = { dim: () => 1 };

function shapeOf(op: OpName, args: readonly Shape[], attrs: Attrs = {}): string {
  return shapeText(OPS[op].shape(args, attrs));
}

function evalOp(op: OpName, args: readonly Matrix[], attrs: Attrs = {}): Matrix {
  return OPS[op].eval(args, attrs, noDims);
}

function expectClose(actual: Matrix, expected: readonly (readonly number[])[], tol = 1e-12): void {
  expect(maxRelDiff(actual, fromRows(expected))).toBeLessThan(tol);
}

// Non-symmetric, needs row pivoting at the first column.
const A = fromRows([
  [2, -1, 0.5],
  [1, 3, -2],
  [4, 0.5, 1],
]);
// Zero in the (1,1) position and a negative determinant.
const B = fromRows([
  [0, 2, 1],
  [1, 1, 0],
  [3, -1, 2],
]);

describe('shape rules', () => {
  it('transpose swaps symbolic dims', () => {
    expect(shapeOf('transpose', [shape(n, d)])).toBe('d×n');
  });

  it('trace, det, logdet map a square matrix to 1×1', () => {
    for (const op of ['trace', 'det', 'logdet'] as const) expect(shapeOf(op, [shape(n, n)])).toBe('1×1');
  });

  it('square-only ops name themselves and the shape', () => {
    expect(() => OPS.trace.shape([shape(n, d)], {})).toThrow(ShapeError);
    expect(() => OPS.trace.shape([shape(n, d)], {})).toThrow('trace needs a square matrix, got n×d');
    expect(() => OPS.det.shape([shape(n, dimConst(3))], {})).toThrow('det needs a square matrix, got n×3');
    expect(() => OPS.logdet.shape([shape(m, n)], {})).toThrow('logdet needs a square matrix, got m×n');
    expect(() => OPS.inv.shape([shape(n, d)], {})).toThrow('inv needs a square matrix, got n×d');
    expect(() => OPS.matpow.shape([shape(n, d)], { power: 2 })).toThrow(
      'matpow needs a square matrix, got n×d',
    );
  });

  it('inv and matpow keep the square shape; matpow wants an integer power ≥ 0', () => {
    expect(shapeOf('inv', [shape(n, n)])).toBe('n×n');
    expect(shapeOf('matpow', [shape(n, n)], { power: 3 })).toBe('n×n');
    expect(shapeOf('matpow', [shape(n, n)], { power: 0 })).toBe('n×n');
    expect(() => OPS.matpow.shape([shape(n, n)], { power: -1 })).toThrow(ShapeError);
    expect(() => OPS.matpow.shape([shape(n, n)], { power: 1.5 })).toThrow('integer power');
    expect(() => OPS.matpow.shape([shape(n, n)], {})).toThrow(ShapeError);
  });

  it('kron multiplies dims as monomials', () => {
    expect(shapeOf('kron', [shape(n, d), shape(m, k)])).toBe('m·n×d·k');
    expect(shapeOf('kron', [shape(n, dimConst(1)), shape(dimConst(2), n)])).toBe('2·n×n');
    const s = OPS.kron.shape([shape(n, n), shape(n, n)], {});
    expect(s.rows.key).toBe('n^2');
  });

  it('apply rejects a non-square argument through the smart constructor', () => {
    const X = variable('X', shape(n, d));
    expect(() => apply('inv', [X])).toThrow('inv needs a square matrix, got n×d');
  });
});

describe('eval against NumPy', () => {
  it('inv', () => {
    // np.linalg.inv(A)
    expectClose(evalOp('inv', [A]), [
      [0.3555555555555556, 0.11111111111111112, 0.0444444444444444],
      [-0.8, 0.0, 0.40000000000000013],
      [-1.0222222222222224, -0.4444444444444445, 0.6222222222222223],
    ]);
    // np.linalg.inv(B)
    expectClose(evalOp('inv', [B]), [
      [-0.25, 0.625, 0.125],
      [0.25, 0.375, -0.125],
      [0.5, -0.75, 0.25],
    ]);
  });

  it('det and logdet (log|det|)', () => {
    // np.linalg.det(A), np.linalg.slogdet(A)[1]
    expectClose(evalOp('det', [A]), [[11.249999999999996]]);
    expectClose(evalOp('logdet', [A]), [[2.420368128650429]]);
    // np.linalg.det(B) < 0; slogdet gives sign -1, log|det| = log 8
    expectClose(evalOp('det', [B]), [[-7.999999999999998]]);
    expectClose(evalOp('logdet', [B]), [[2.0794415416798357]]);
  });

  it('logdet does not overflow or underflow where det does', () => {
    const size = 150;
    const big = (scale: number): Matrix => {
      const M = matrix(size, size);
      for (let i = 0; i < size; i++)
        for (let j = 0; j < size; j++) M.data[i * size + j] = scale * (i === j ? 2 : 1 / (i + j + 2));
      return M;
    };
    // M = s·where(i==j, 2, 1/(i+j+2)); np.linalg.slogdet(M)[1] for s = 1e3 and s = 1e-3 (det is inf / 0 there)
    expect(evalOp('det', [big(1e3)]).data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(evalOp('logdet', [big(1e3)]).data[0]).toBeCloseTo(1139.8117185873498, 9);
    expect(evalOp('logdet', [big(1e-3)]).data[0]).toBeCloseTo(-932.5148651072918, 9);
  });

  it('trace and transpose', () => {
    expectClose(evalOp('trace', [A]), [[6]]);
    expect(toRows(evalOp('transpose', [fromRows([[1, 2, 3]])]))).toEqual([[1], [2], [3]]);
    expect(toRows(evalOp('transpose', [B]))).toEqual([
      [0, 1, 3],
      [2, 1, -1],
      [1, 0, 2],
    ]);
  });

  it('matpow', () => {
    expect(toRows(evalOp('matpow', [A], { power: 0 }))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(toRows(evalOp('matpow', [A], { power: 1 }))).toEqual(toRows(A));
    // np.linalg.matrix_power(A, 3) and (A, 5)
    expectClose(evalOp('matpow', [A], { power: 3 }), [
      [19.25, -17.5, 15.5],
      [-29.0, 20.25, -23.0],
      [31.0, -17.5, 12.25],
    ]);
    expectClose(evalOp('matpow', [A], { power: 5 }), [
      [342.5, -244.9375, 229.625],
      [-493.25, 325.5, -299.375],
      [360.625, -294.25, 264.25],
    ]);
  });

  it('kron', () => {
    const K1 = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const K2 = fromRows([
      [0, 1],
      [-1, 2],
    ]);
    // np.kron(K1, K2)
    expect(toRows(evalOp('kron', [K1, K2]))).toEqual([
      [0, 1, 0, 2, 0, 3],
      [-1, 2, -2, 4, -3, 6],
      [0, 4, 0, 5, 0, 6],
      [-4, 8, -5, 10, -6, 12],
    ]);
  });
});

describe('singular matrices', () => {
  const S = fromRows([
    [1, 2],
    [2, 4],
  ]);
  const zeroColumn = fromRows([
    [1, 0, 2],
    [3, 0, 1],
    [5, 0, 7],
  ]);

  it('inv and logdet throw SingularMatrixError naming the column; det is 0', () => {
    expect(() => evalOp('inv', [S])).toThrow(SingularMatrixError);
    expect(() => evalOp('inv', [S])).toThrow('matrix is singular (pivot 0 at column 2)');
    expect(() => evalOp('logdet', [zeroColumn])).toThrow('matrix is singular (pivot 0 at column 2)');
    expect(evalOp('det', [S]).data[0]).toBe(0);
    expect(evalOp('det', [zeroColumn]).data[0]).toBe(0);
    expect(detK(matrix(1, 1), matrix(3, 3)).data[0]).toBe(0);
  });

  it('SingularMatrixError is an Error carrying the column', () => {
    try {
      evalOp('inv', [matrix(2, 2)]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as SingularMatrixError).column).toBe(1);
      expect((e as Error).name).toBe('SingularMatrixError');
    }
  });

  it('LU records the row permutation and its sign', () => {
    const lu = luFactor(B);
    expect(lu.singularColumn).toBe(0);
    expect(Array.from(lu.perm)).toEqual([2, 0, 1]);
    expect(lu.sign).toBe(1);
  });
});

describe('VJPs against central differences', () => {
  it('transpose', () => {
    expect(vjpError('transpose', [[3, 4]])).toBeLessThan(1e-6);
    expect(vjpError('transpose', [[5, 2]], {}, [], 2)).toBeLessThan(1e-6);
  });

  it('trace', () => {
    expect(vjpError('trace', [[3, 3]])).toBeLessThan(1e-6);
    expect(vjpError('trace', [[5, 5]], {}, [], 2)).toBeLessThan(1e-6);
  });

  it('det, logdet, inv at SPD arguments', () => {
    for (const op of ['det', 'logdet', 'inv'] as const) {
      expect(vjpError(op, [[3, 3]], {}, ['spd'])).toBeLessThan(1e-6);
      expect(vjpError(op, [[5, 5]], {}, ['spd'], 2)).toBeLessThan(1e-6);
    }
  });

  it('det, logdet, inv at non-symmetric arguments, where a missing transpose would show', () => {
    for (const op of ['det', 'logdet', 'inv'] as const) {
      expect(vjpError(op, [[3, 3]], {}, ['awayFromZero'], 3)).toBeLessThan(1e-6);
      expect(vjpError(op, [[4, 4]], {}, ['awayFromZero'], 4)).toBeLessThan(1e-6);
    }
  });

  it('matpow for k = 0…4, symmetric and not', () => {
    for (let power = 0; power <= 4; power++) {
      expect(vjpError('matpow', [[3, 3]], { power }, ['spd'])).toBeLessThan(1e-6);
      expect(vjpError('matpow', [[4, 4]], { power }, ['spd'], 2)).toBeLessThan(1e-6);
      expect(vjpError('matpow', [[3, 3]], { power }, ['any'], 5)).toBeLessThan(1e-6);
    }
  });

  it('matpow with k = 0 has no dependence on its argument', () => {
    const X = variable('X', shape(n, n));
    const out = apply('matpow', [X], { power: 0 });
    expect(OPS.matpow.vjp(X, out, [X], { power: 0 })).toEqual([null]);
  });

  it('kron, both arguments, at several shapes', () => {
    expect(
      vjpError('kron', [
        [2, 3],
        [2, 2],
      ]),
    ).toBeLessThan(1e-6);
    expect(
      vjpError(
        'kron',
        [
          [3, 1],
          [1, 4],
        ],
        {},
        [],
        2,
      ),
    ).toBeLessThan(1e-6);
    expect(
      vjpError(
        'kron',
        [
          [1, 1],
          [3, 2],
        ],
        {},
        [],
        3,
      ),
    ).toBeLessThan(1e-6);
  });
});

describe('printing forms', () => {
  const sq = [shape(n, n)];

  it('text is the input language', () => {
    expect(OPS.transpose.text(sq, {})).toEqual({ form: 'postfix', symbol: "'" });
    expect(OPS.trace.text(sq, {})).toEqual({ form: 'call', name: 'trace' });
    expect(OPS.logdet.text(sq, {})).toEqual({ form: 'call', name: 'logdet' });
    expect(OPS.inv.text(sq, {})).toEqual({ form: 'call', name: 'inv' });
    expect(OPS.matpow.text(sq, { power: 3 })).toEqual({ form: 'power', exponent: '3' });
    expect(OPS.kron.text([...sq, ...sq], {})).toEqual({ form: 'call', name: 'kron' });
  });

  it('LaTeX renders under KaTeX strict mode', () => {
    const render = (tex: string) => katex.renderToString(tex, { strict: 'error', throwOnError: true });
    const logdet = OPS.logdet.latex(sq, {});
    expect(logdet.form).toBe('wrap');
    if (logdet.form === 'wrap') expect(() => render(`${logdet.open}X${logdet.close}`)).not.toThrow();
    for (const op of ['transpose', 'inv'] as const) {
      const l = OPS[op].latex(sq, {});
      if (l.form !== 'postfix') throw new Error(`${op} latex is not postfix`);
      expect(() => render(`X${l.symbol}`)).not.toThrow();
    }
    const pow = OPS.matpow.latex(sq, { power: 12 });
    expect(pow).toEqual({ form: 'postfix', symbol: '^{12}' });
    expect(OPS.kron.latex([...sq, ...sq], {})).toEqual({ form: 'infix', symbol: '\\otimes' });
    expect(() => render('\\operatorname{tr}\\left(X\\right) + \\det\\left(X\\right)')).not.toThrow();
  });

  it('NumPy templates', () => {
    expect(OPS.transpose.numpy(['X'], {})).toBe('X.T');
    expect(OPS.inv.numpy(['X'], {})).toBe('np.linalg.inv(X)');
    expect(OPS.logdet.numpy(['X'], {})).toBe('_logdet(X)');
    expect(OPS.matpow.numpy(['X'], { power: 3 })).toBe('np.linalg.matrix_power(X, 3)');
    expect(OPS.kron.numpy(['A', 'B'], {})).toBe('np.kron(A, B)');
  });

  it('js templates name kernels that exist', async () => {
    const K: Record<string, unknown> = await import('../../src/kernels/index.js');
    for (const op of ['matmul', 'transpose', 'trace', 'det', 'logdet', 'inv', 'matpow', 'kron'] as const) {
      const js = OPS[op].js;
      if (js.kind !== 'kernel') throw new Error(`${op} should call a kernel`);
      expect(typeof K[js.name]).toBe('function');
    }
  });
});
