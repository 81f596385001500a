// ops/tidy.ts drops exactly the unit factors (1·A, I·A, A·I, (Aᵀ)ᵀ, Iᵀ, A.^1) and builds everything else
// as ops/build.ts does; the gradients it feeds are checked against finite differences in the op tests.
import { describe, expect, it } from 'vitest';
import { dimSym } from '../../src/ir/dim.js';
import { variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import * as B from '../../src/ops/build.js';
import { matmul, minusOne, mul, pow, transpose } from '../../src/ops/tidy.js';

const n = dimSym('n');
const m = dimSym('m');
const X = variable('X', shape(n, m));
const A = variable('A', shape(m, n));
const x = variable('x', shape(n, B.dim(1)));
const one = B.num(1);

describe('tidy constructors', () => {
  it('drop the units', () => {
    expect(mul(one, X)).toBe(X);
    expect(mul(X, one)).toBe(X);
    expect(mul(B.ones(n, m), X)).toBe(X);
    expect(mul(X, B.ones(n, m))).toBe(X);
    expect(matmul(B.eye(n), X)).toBe(X);
    expect(matmul(X, B.eye(m))).toBe(X);
    // x·1 for an n×1 x and the 1×1 constant 1
    expect(matmul(x, one)).toBe(x);
    expect(matmul(one, B.transpose(x))).toBe(B.transpose(x));
    expect(transpose(B.transpose(X))).toBe(X);
    expect(transpose(B.eye(n))).toBe(B.eye(n));
    expect(pow(X, one)).toBe(X);
    expect(minusOne(B.num(3))).toBe(B.num(2));
    expect(minusOne(B.num(1))).toBe(B.num(0));
  });

  it('build everything else as ops/build.ts does', () => {
    const two = B.num(2);
    expect(mul(two, X)).toBe(B.mul(two, X));
    // ones that broadcast a smaller factor up stay
    expect(mul(B.ones(n, m), x)).toBe(B.mul(B.ones(n, m), x));
    expect(matmul(X, A)).toBe(B.matmul(X, A));
    expect(transpose(X)).toBe(B.transpose(X));
    expect(pow(X, two)).toBe(B.pow(X, two));
    // a non-integer exponent is left to the simplifier's exact arithmetic
    expect(minusOne(B.num(0.5))).toBe(B.sub(B.num(0.5), one));
    const p = variable('p', shape(B.dim(1), B.dim(1)));
    expect(minusOne(p)).toBe(B.sub(p, one));
  });

  it('keep the shape a mismatched product reports', () => {
    expect(() => matmul(B.eye(m), X)).toThrow(/cannot multiply/);
  });
});
