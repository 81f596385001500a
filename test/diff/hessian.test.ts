// hessianRaw: the Jacobian of the gradient, checked against closed forms computed in plain loops
// (Matrix Cookbook eq. 81: ∂²(xᵀAx)/∂x² = A + Aᵀ; the logistic-loss Hessian Xᵀ diag(s ⊙ (1 − s)) X) and
// against finite differences of the gradient.
import { describe, expect, it } from 'vitest';
import { gradRaw } from '../../src/diff/grad.js';
import { hessianRaw } from '../../src/diff/hessian.js';
import { dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { type Matrix, matrix, maxRelDiff } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import {
  exp,
  log,
  logdet,
  matmul,
  mul,
  neg,
  num,
  sigmoid,
  sub,
  sum,
  tanh,
  transpose,
} from '../../src/ops/build.js';
import { fdJacobian } from '../helpers/jvpcheck.js';
import { randomMatrix, rng } from '../helpers/vjpcheck.js';

const n = dimSym('n');
const d = dimSym('d');
const dims = new Map([
  ['n', 5],
  ['d', 3],
]);
const rand = rng(7);
const evalAt = (e: Parameters<typeof evaluateMany>[0][number], values: ReadonlyMap<string, Matrix>) =>
  evaluateMany([e], values, dims)[0];

describe('hessianRaw against closed forms', () => {
  it('∂²(xᵀ A x)/∂x² = A + Aᵀ', () => {
    const A = variable('A', shape(d, d));
    const x = variable('x', shape(d, ONE));
    const H = hessianRaw(matmul(matmul(transpose(x), A), x), x);
    expect([H.shape.rows, H.shape.cols]).toEqual([d, d]);
    const Av = randomMatrix(3, 3, 'any', rand);
    const want = matrix(3, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) want.data[i * 3 + j] = Av.data[i * 3 + j] + Av.data[j * 3 + i];
    const values = new Map([
      ['A', Av],
      ['x', randomMatrix(3, 1, 'any', rand)],
    ]);
    expect(maxRelDiff(evalAt(H, values), want)).toBeLessThan(1e-12);
  });

  describe('logistic loss sum(−y ⊙ log σ(Xw) − (1 − y) ⊙ log(1 − σ(Xw)))', () => {
    const X = variable('X', shape(n, d));
    const w = variable('w', shape(d, ONE));
    const y = variable('y', shape(n, ONE));
    const s = sigmoid(matmul(X, w));
    const f = sum(sub(mul(neg(y), log(s)), mul(sub(num(1), y), log(sub(num(1), s)))));
    const Xv = randomMatrix(5, 3, 'any', rand);
    const wv = randomMatrix(3, 1, 'any', rand);
    const yv = matrix(5, 1, [1, 0, 0, 1, 1]);
    const values = new Map([
      ['X', Xv],
      ['w', wv],
      ['y', yv],
    ]);

    it('equals Xᵀ diag(s ⊙ (1 − s)) X', () => {
      const want = matrix(3, 3);
      for (let r = 0; r < 5; r++) {
        let z = 0;
        for (let c = 0; c < 3; c++) z += Xv.data[r * 3 + c] * wv.data[c];
        const sr = 1 / (1 + Math.exp(-z));
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++)
            want.data[i * 3 + j] += Xv.data[r * 3 + i] * sr * (1 - sr) * Xv.data[r * 3 + j];
      }
      expect(maxRelDiff(evalAt(hessianRaw(f, w), values), want)).toBeLessThan(1e-10);
    });

    it('equals finite differences of the gradient', () => {
      const [g] = gradRaw(f, [w]);
      expect(maxRelDiff(evalAt(hessianRaw(f, w), values), fdJacobian(g, 'w', values, dims))).toBeLessThan(
        1e-6,
      );
    });
  });
});

describe('hessianRaw with respect to a matrix', () => {
  it.each([
    ['sum(tanh(X B)²)', 'any'],
    ['logdet(X)', 'spd'],
  ] as const)('%s: (numel X)×(numel X), symmetric, equal to finite differences of vec ∇', (label, kind) => {
    const X = variable('X', shape(d, d));
    const B = variable('B', shape(d, n));
    const t = tanh(matmul(X, B));
    const f = label === 'logdet(X)' ? logdet(X) : sum(mul(t, t));
    const H = hessianRaw(f, X);
    expect([H.shape.rows, H.shape.cols]).toEqual([dimMul(d, d), dimMul(d, d)]);
    const values = new Map([
      ['X', randomMatrix(3, 3, kind, rand)],
      ['B', randomMatrix(3, 5, 'any', rand)],
    ]);
    const Hv = evalAt(H, values);
    const [g] = gradRaw(f, [X]);
    expect(maxRelDiff(Hv, fdJacobian(g, 'X', values, dims))).toBeLessThan(1e-6);
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 9; j++) expect(Hv.data[i * 9 + j]).toBeCloseTo(Hv.data[j * 9 + i], 10);
  });
});

describe('hessianRaw errors and degenerate cases', () => {
  it('rejects a non-scalar f, pointing to jacobian', () => {
    const x = variable('x', shape(d, ONE));
    expect(() => hessianRaw(exp(x), x)).toThrow(ShapeError);
    expect(() => hessianRaw(exp(x), x)).toThrow(
      /hessian needs a scalar \(1×1\) expression.*d×1.*use jacobian/,
    );
  });

  it('is zeros when f is linear in x', () => {
    const a = variable('a', shape(d, ONE));
    const x = variable('x', shape(d, ONE));
    const H = evalAt(
      hessianRaw(matmul(transpose(a), x), x),
      new Map([['a', randomMatrix(3, 1, 'any', rand)]]),
    );
    expect([H.rows, H.cols]).toEqual([3, 3]);
    expect(Array.from(H.data).every((e) => e === 0)).toBe(true);
  });
});
