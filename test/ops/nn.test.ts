// softmax, logsoftmax, logsumexp along dims 0/1/2: shape rules, eval against numpy, numerical stability at
// extreme inputs, VJPs against central differences.
import { describe, expect, it } from 'vitest';
import { vjpSweep } from '../../src/diff/grad.js';
import { dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { shape, shapeText } from '../../src/ir/shape.js';
import { fromRows, type Matrix, toRows } from '../../src/kernels/matrix.js';
import { softmaxInto } from '../../src/kernels/nn.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply, logsoftmax, logsumexp, softmax } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { expectClose, run } from '../helpers/eval1.js';
import { vjpError } from '../helpers/vjpcheck.js';

const m = dimSym('m');
const n = dimSym('n');
const S = variable('S', shape(m, n));
const z = variable('z', shape(n, ONE));
const A = [
  [1, -2, 3],
  [0.5, 4, -1],
];
const LOG2 = Math.log(2);

describe('shape rules', () => {
  it.each([0, 1, 2] as const)('softmax and logsoftmax along dim %i keep the shape', (dim) => {
    expect(softmax(S, dim).shape).toBe(S.shape);
    expect(logsoftmax(S, dim).shape).toBe(S.shape);
  });

  it('logsumexp reduces: all entries 1×1, down columns 1×n, across rows m×1', () => {
    expect(shapeText(logsumexp(S).shape)).toBe('1×1');
    expect(shapeText(logsumexp(S, 1).shape)).toBe('1×n');
    expect(shapeText(logsumexp(S, 2).shape)).toBe('m×1');
    expect(shapeText(logsumexp(z).shape)).toBe('1×1');
  });

  it('a dim other than 0, 1, 2 is a ShapeError naming the op and the shape', () => {
    const bad = { dim: 4 } as unknown as Attrs;
    expect(() => apply('softmax', [S], bad)).toThrow(ShapeError);
    expect(() => apply('softmax', [S], bad)).toThrow('softmax needs dim 0, 1 or 2, got 4 (of m×n)');
    expect(() => apply('logsoftmax', [S], bad)).toThrow('logsoftmax needs dim 0, 1 or 2, got 4 (of m×n)');
    expect(() => apply('logsumexp', [S], bad)).toThrow('logsumexp needs dim 0, 1 or 2, got 4 (of m×n)');
  });
});

// Reference values: python3 with numpy, softmax by hand (scipy is not installed):
//   sm = lambda x, ax: (e := np.exp(x - x.max(axis=ax, keepdims=True))) / e.sum(axis=ax, keepdims=True)
//   lse = lambda x, ax: (mx := x.max(axis=ax, keepdims=True)) + np.log(np.exp(x - mx).sum(axis=ax, keepdims=True))
// with A = [[1,-2,3],[0.5,4,-1]] and numpy axis None / 0 / 1 for dims 0 / 1 / 2.
describe('eval against numpy', () => {
  it('dim 0: over all entries', () => {
    expectClose(run('softmax', A), [
      [0.034169056012771266, 0.0017011771277732155, 0.2524770717258705],
      [0.020724580085184078, 0.6863038361749848, 0.004624278873416083],
    ]);
    expectClose(run('logsoftmax', A), [
      [-3.3764348394358077, -6.376434839435808, -1.3764348394358077],
      [-3.8764348394358077, -0.3764348394358077, -5.376434839435808],
    ]);
    expectClose(run('logsumexp', A), [[4.376434839435808]]);
  });

  it('dim 1: down each column', () => {
    expectClose(run('softmax', A, { dim: 1 }), [
      [0.6224593312018546, 0.0024726231566347748, 0.9820137900379085],
      [0.37754066879814546, 0.9975273768433653, 0.017986209962091555],
    ]);
    expectClose(run('logsoftmax', A, { dim: 1 }), [
      [-0.4740769841801067, -6.00247568513773, -0.018149927917809894],
      [-0.9740769841801067, -0.0024756851377301103, -4.0181499279178094],
    ]);
    expectClose(run('logsumexp', A, { dim: 1 }), [[1.4740769841801067, 4.00247568513773, 3.01814992791781]]);
  });

  it('dim 2: across each row', () => {
    expectClose(run('softmax', A, { dim: 2 }), [
      [0.11849965453500959, 0.005899750401902781, 0.8756005950630876],
      [0.0291217615374784, 0.9643802951468596, 0.00649794331566194],
    ]);
    expectClose(run('logsoftmax', A, { dim: 2 }), [
      [-2.1328452337275756, -5.132845233727576, -0.13284523372757562],
      [-3.536269565124779, -0.03626956512477886, -5.036269565124779],
    ]);
    expectClose(run('logsumexp', A, { dim: 2 }), [[3.1328452337275756], [4.036269565124779]]);
  });

  it('softmaxInto may write over its input', () => {
    const a = fromRows(A);
    softmaxInto(a, a, 2);
    expectClose(toRows(a), run('softmax', A, { dim: 2 }), 15);
  });
});

describe('numerical stability at extreme inputs', () => {
  it('logsumexp of [1000, 1000] is 1000 + log 2, and of [-1000, -1000] is -1000 + log 2', () => {
    expect(run('logsumexp', [[1000], [1000]])[0][0]).toBeCloseTo(1000 + LOG2, 10);
    expect(run('logsumexp', [[-1000], [-1000]])[0][0]).toBeCloseTo(-1000 + LOG2, 10);
  });

  it('logsumexp along each dim with entries of ±1000', () => {
    const big = [
      [1000, -1000],
      [1000, 1000],
    ];
    expectClose(run('logsumexp', big, { dim: 1 }), [[1000 + LOG2, 1000]], 10);
    expectClose(run('logsumexp', big, { dim: 2 }), [[1000], [1000 + LOG2]], 10);
    expectClose(run('logsumexp', big), [[1000 + Math.log(3)]], 10);
  });

  it.each([0, 1, 2] as const)('logsoftmax and softmax at |z| = 1000 along dim %i are finite', (dim) => {
    const big = [
      [1000, -1000],
      [-1000, 1000],
    ];
    const ls = run('logsoftmax', big, { dim });
    const sm = run('softmax', big, { dim });
    for (const x of [...ls.flat(), ...sm.flat()]) expect(Number.isFinite(x)).toBe(true);
    // Each line holds one 1000 and one -1000 (dims 1, 2): log-probabilities 0 and -2000.
    if (dim !== 0)
      expectClose(
        ls,
        [
          [0, -2000],
          [-2000, 0],
        ],
        10,
      );
    else
      expectClose(
        ls,
        [
          [-LOG2, -2000 - LOG2],
          [-2000 - LOG2, -LOG2],
        ],
        10,
      );
    if (dim !== 0)
      expectClose(
        sm,
        [
          [1, 0],
          [0, 1],
        ],
        15,
      );
  });

  it.each(['logsumexp', 'logsoftmax'] as const)('the VJP of %s at [1000, 1000] is finite and exact', (op) => {
    // ∇ logsumexp = softmax = [1/2, 1/2]; ∇ ⟨[1, 0], logsoftmax⟩ = [1, 0] − softmax = [1/2, −1/2].
    const x = variable('x', shape(dimSym('k'), ONE));
    const out = apply(op, [x], { dim: 0 });
    const G = variable('G', out.shape);
    const [ct] = vjpSweep(out, G, [x]);
    if (!ct) throw new Error(`${op} depends on x`);
    const values = new Map<string, Matrix>([
      ['x', fromRows([[1000], [1000]])],
      ['G', op === 'logsumexp' ? fromRows([[1]]) : fromRows([[1], [0]])],
    ]);
    const got = toRows(evaluateMany([ct], values, new Map([['k', 2]]))[0]);
    expectClose(got, op === 'logsumexp' ? [[0.5], [0.5]] : [[0.5], [-0.5]], 15);
  });
});

describe('emitted forms', () => {
  it('text carries the dim only when it is not 0', () => {
    expect(OPS.softmax.text([S.shape], { dim: 0 })).toEqual({ form: 'call', name: 'softmax', extra: [] });
    expect(OPS.softmax.text([S.shape], { dim: 2 })).toEqual({ form: 'call', name: 'softmax', extra: ['2'] });
    expect(OPS.logsumexp.text([S.shape], { dim: 1 })).toEqual({
      form: 'call',
      name: 'logsumexp',
      extra: ['1'],
    });
  });

  it('numpy helpers get axis None for all entries, else dim − 1', () => {
    expect(OPS.softmax.numpy(['z'], { dim: 0 })).toBe('_softmax(z, None)');
    expect(OPS.logsoftmax.numpy(['S'], { dim: 2 })).toBe('_logsoftmax(S, 1)');
    expect(OPS.logsumexp.numpy(['S'], { dim: 1 })).toBe('_logsumexp(S, 0)');
  });
});

describe('VJPs against central differences', () => {
  const ops = ['softmax', 'logsoftmax', 'logsumexp'] as const;
  for (const op of ops) {
    it.each([0, 1, 2] as const)(`${op} along dim %i at two sizes`, (dim) => {
      expect(vjpError(op, [[3, 4]], { dim })).toBeLessThan(1e-6);
      expect(vjpError(op, [[5, 2]], { dim }, [], 11)).toBeLessThan(1e-6);
    });
  }

  it.each(ops)('%s of a column vector', (op) => {
    expect(vjpError(op, [[6, 1]], { dim: 0 }, [], 3)).toBeLessThan(1e-6);
  });
});
