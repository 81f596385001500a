// The playground's URL hash (contract): any inputs survive writeHash → readHash, the acceptance URL reads
// as written by hand, and a hash without an expression names nothing.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../playground/compute.js';
import { readHash, writeHash } from '../../playground/hash.js';

const inputs = fc.record({
  let: fc.string({ unit: 'grapheme' }),
  expr: fc.string({ unit: 'grapheme' }),
  wrt: fc.string({ unit: 'grapheme' }),
  claim: fc.string({ unit: 'grapheme' }),
  mode: fc.constantFrom('grad', 'jacobian', 'hessian'),
}) as fc.Arbitrary<Inputs>;

describe('the playground URL hash', () => {
  test.prop([inputs])('round-trips every input, & = # % and non-ASCII included', (x) => {
    const back = readHash(writeHash(x));
    expect(back).toEqual({ ...x, claim: x.claim.trim() ? x.claim : '' });
  });

  it('reads a hand-written URL, with mode and claim optional', () => {
    expect(
      readHash('#let=X%3A%20n%20x%20d%3B%20w%3A%20d%3B%20y%3A%20n&expr=sum((X*w%20-%20y).%5E2)&wrt=w'),
    ).toEqual({
      let: 'X: n x d; w: d; y: n',
      expr: 'sum((X*w - y).^2)',
      wrt: 'w',
      claim: '',
      mode: 'grad',
    });
    expect(readHash('#expr=A*x&wrt=x&let=A%3A%20m%20x%20n%3B%20x%3A%20n&mode=jacobian')?.mode).toBe(
      'jacobian',
    );
    expect(readHash('#expr=x&mode=other')?.mode).toBe('grad');
  });

  it('names nothing without an expression', () => {
    expect(readHash('')).toBeNull();
    expect(readHash('#let=x%3A%20n&wrt=x')).toBeNull();
  });
});
