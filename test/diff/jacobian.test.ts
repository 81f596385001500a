// jacobianRaw: vec-form Jacobians ∂vec f/∂vec x (numerator layout, vec stacking columns) against references
// computed in plain loops (Magnus & Neudecker: vec(XB) = (Bᵀ ⊗ I) vec X) and against finite differences.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jacobianRaw } from '../../src/diff/jacobian.js';
import { dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { derivNode, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { type Matrix, matrix, maxRelDiff } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { add, exp, matmul, neg, num, sigmoid, sum, tanh, transpose } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { fdJacobian } from '../helpers/jvpcheck.js';
import { randomMatrix, rng } from '../helpers/vjpcheck.js';

const m = dimSym('m');
const n = dimSym('n');
const d = dimSym('d');
const k = dimSym('k');
const dims = new Map([
  ['m', 3],
  ['n', 4],
  ['d', 2],
  ['k', 3],
]);
const rand = rng(42);
const evalAt = (e: Parameters<typeof evaluateMany>[0][number], values: ReadonlyMap<string, Matrix>) =>
  evaluateMany([e], values, dims)[0];

describe('jacobianRaw against closed forms', () => {
  it('J(A x, x) = A, of shape m×n', () => {
    const A = variable('A', shape(m, n));
    const x = variable('x', shape(n, ONE));
    const J = jacobianRaw(matmul(A, x), x);
    expect([J.shape.rows, J.shape.cols]).toEqual([m, n]);
    const values = new Map([
      ['A', randomMatrix(3, 4, 'any', rand)],
      ['x', randomMatrix(4, 1, 'any', rand)],
    ]);
    expect(maxRelDiff(evalAt(J, values), values.get('A')!)).toBeLessThan(1e-12);
  });

  it('J(σ(x), x) = diag(σ(x) ⊙ (1 − σ(x)))', () => {
    const x = variable('x', shape(n, ONE));
    const xv = randomMatrix(4, 1, 'any', rand);
    const want = matrix(4, 4);
    for (let i = 0; i < 4; i++) {
      const s = 1 / (1 + Math.exp(-xv.data[i]));
      want.data[i * 4 + i] = s * (1 - s);
    }
    expect(maxRelDiff(evalAt(jacobianRaw(sigmoid(x), x), new Map([['x', xv]])), want)).toBeLessThan(1e-12);
  });

  it('J(X B, X) = Bᵀ ⊗ I_n, of shape (n·k)×(n·d)', () => {
    const X = variable('X', shape(n, d));
    const B = variable('B', shape(d, k));
    const J = jacobianRaw(matmul(X, B), X);
    expect([J.shape.rows, J.shape.cols]).toEqual([dimMul(n, k), dimMul(n, d)]);
    const values = new Map([
      ['X', randomMatrix(4, 2, 'any', rand)],
      ['B', randomMatrix(2, 3, 'any', rand)],
    ]);
    const Bv = values.get('B')!;
    // (Bᵀ ⊗ I_4)[j·4 + i, l·4 + i′] = B[l, j] δ(i, i′)
    const want = matrix(12, 8);
    for (let j = 0; j < 3; j++)
      for (let l = 0; l < 2; l++)
        for (let i = 0; i < 4; i++) want.data[(j * 4 + i) * 8 + (l * 4 + i)] = Bv.data[l * 3 + j];
    expect(maxRelDiff(evalAt(J, values), want)).toBeLessThan(1e-12);
  });

  it('is zeros of (numel f)×(numel x) when f does not depend on x', () => {
    const X = variable('X', shape(m, n));
    const x = variable('x', shape(d, ONE));
    const J = jacobianRaw(exp(X), x);
    expect([J.shape.rows, J.shape.cols]).toEqual([dimMul(m, n), d]);
    const v = evalAt(J, new Map([['X', randomMatrix(3, 4, 'any', rand)]]));
    expect([v.rows, v.cols]).toEqual([12, 2]);
    expect(Array.from(v.data).every((e) => e === 0)).toBe(true);
  });
});

describe('jacobianRaw of composites against finite differences', () => {
  it('a 2-layer network W2 tanh(W1 x + b1) + b2, with respect to each parameter and the input', () => {
    const x = variable('x', shape(d, ONE));
    const W1 = variable('W1', shape(k, d));
    const b1 = variable('b1', shape(k, ONE));
    const W2 = variable('W2', shape(m, k));
    const b2 = variable('b2', shape(m, ONE));
    const f = add(matmul(W2, tanh(add(matmul(W1, x), b1))), b2);
    const values = new Map([
      ['x', randomMatrix(2, 1, 'any', rand)],
      ['W1', randomMatrix(3, 2, 'any', rand)],
      ['b1', randomMatrix(3, 1, 'any', rand)],
      ['W2', randomMatrix(3, 3, 'any', rand)],
      ['b2', randomMatrix(3, 1, 'any', rand)],
    ]);
    for (const v of [x, W1, b1, W2, b2]) {
      expect(maxRelDiff(evalAt(jacobianRaw(f, v), values), fdJacobian(f, v.name, values, dims))).toBeLessThan(
        1e-6,
      );
    }
  });

  it('a batch layer σ(X W + 𝟏bᵀ) W2 with the bias row broadcast over n rows', () => {
    const X = variable('X', shape(n, d));
    const W = variable('W', shape(d, k));
    const b = variable('b', shape(k, ONE));
    const W2 = variable('W2', shape(k, m));
    const f = matmul(sigmoid(add(matmul(X, W), transpose(b))), W2);
    const values = new Map([
      ['X', randomMatrix(4, 2, 'any', rand)],
      ['W', randomMatrix(2, 3, 'any', rand)],
      ['b', randomMatrix(3, 1, 'any', rand)],
      ['W2', randomMatrix(3, 3, 'any', rand)],
    ]);
    for (const v of [X, W, b, W2]) {
      expect(maxRelDiff(evalAt(jacobianRaw(f, v), values), fdJacobian(f, v.name, values, dims))).toBeLessThan(
        1e-6,
      );
    }
  });

  it('a shared subexpression reached along two paths: x ⊙ exp(x) − sum(x) (scalar broadcast)', () => {
    const x = variable('x', shape(n, ONE));
    const f = add(matmul(transpose(x), x), neg(sum(exp(x))));
    const g = add(exp(x), neg(num(2)));
    const values = new Map([['x', randomMatrix(4, 1, 'any', rand)]]);
    for (const e of [f, g, add(g, f)]) {
      expect(maxRelDiff(evalAt(jacobianRaw(e, x), values), fdJacobian(e, 'x', values, dims))).toBeLessThan(
        1e-6,
      );
    }
  });
});

describe('jacobianRaw engine checks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects unexpanded derivative nodes', () => {
    const x = variable('x', shape(n, ONE));
    const g = derivNode('grad', sum(exp(x)), x, x.shape);
    expect(() => jacobianRaw(exp(g), x)).toThrow(/expand derivatives/);
  });

  it('asserts the shape of every rule result', () => {
    const x = variable('x', shape(n, ONE));
    vi.spyOn(OPS.exp, 'jvp').mockReturnValue(num(1));
    expect(() => jacobianRaw(exp(x), x)).toThrow(ShapeError);
    expect(() => jacobianRaw(exp(x), x)).toThrow(/exp jvp gave 1×1 for an output of shape n×1, expected n×n/);
  });
});
