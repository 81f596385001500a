import { describe, expect, it } from 'vitest';
import { vjpError } from '../helpers/vjpcheck.js';

describe('vjp check helper on the exemplar ops', () => {
  it('matmul, add with broadcasting, exp, sum', () => {
    expect(
      vjpError('matmul', [
        [3, 4],
        [4, 2],
      ]),
    ).toBeLessThan(1e-6);
    expect(
      vjpError('add', [
        [3, 4],
        [1, 4],
      ]),
    ).toBeLessThan(1e-6);
    expect(vjpError('exp', [[2, 3]])).toBeLessThan(1e-6);
    expect(vjpError('sum', [[3, 2]], { dim: 1 })).toBeLessThan(1e-6);
    expect(vjpError('sum', [[3, 2]], { dim: 2 })).toBeLessThan(1e-6);
  });
});
