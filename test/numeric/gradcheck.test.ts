// The finite-difference check cannot be fooled: errors are relative to the quantities themselves (a zero, a
// wrong-sign and a half-size gradient of a tiny function fail), NaN and Infinity agree with nothing, a check
// needs at least one trial, finite differences that cannot work say "cannot check", and points are drawn
// inside the domains of log, sqrt and logdet. References are the analytic gradients (d xᵀx = 2xᵀdx).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { check, declare, parse } from '../../src/index.js';
import { ShapeError, UsageError, ValueError } from '../../src/ir/errors.js';
import { relativeError } from '../../src/numeric/refine.js';
import { capture } from '../helpers/io.js';

const scope = declare('x: n; y: n; p: n positive; X: n x d; S: n x n spd');
const p = (t: string) => parse(t, scope);
/** Check f's gradient with respect to x against a claimed one. */
const claim = (f: string, g: string, opts = {}) => check(p(f), ['x'], { scope, claimed: [p(g)], ...opts });

describe('errors relative to the size of the quantities', () => {
  it.each([1e-12, 1e-6, 1, 1e6])('c·sum(x.^2) with c = %s: only 2c·x passes', (c) => {
    const f = `${c}*sum(x.^2)`;
    const right = claim(f, `${2 * c}*x`, { trials: 3 });
    expect(right.verdict).toBe('pass');
    expect(right.perVariable[0].relError).toBeLessThan(1e-9);
    for (const wrong of ['0*x', `${-2 * c}*x`, `${c}*x`]) {
      const r = claim(f, wrong, { trials: 3 });
      expect(r.verdict, wrong).toBe('fail');
      // The error of a zero or half-size gradient is of order 1, not of order c.
      expect(r.perVariable[0].relError, wrong).toBeGreaterThan(0.4);
      expect(r.projectionError, wrong).toBeGreaterThan(0.4);
    }
  });

  it('the acceptance case 1e-6*sum(x.^2): zero, wrong sign and half size all FAIL', () => {
    for (const wrong of ['0*x', '-2e-6*x', '1e-6*x']) {
      expect(claim('1e-6*sum(x.^2)', wrong).ok).toBe(false);
      expect(claim('1e-6*sum(x.^2)', wrong).verdict).toBe('fail');
    }
    expect(claim('1e-6*sum(x.^2)', '2e-6*x').ok).toBe(true);
  });

  it('a relative error of 1e-6 in a gradient of size 1e-8 is reported as about 1e-6', () => {
    const exact = claim('1e-8*sum(x.^2)', '2e-8*x', { trials: 3 });
    expect(exact.perVariable[0].relError).toBeLessThan(1e-9);
    const off = claim('1e-8*sum(x.^2)', '2.000002e-8*x', { trials: 3, tolerance: 1e-7 });
    expect(off.verdict).toBe('fail');
    expect(off.perVariable[0].relError).toBeGreaterThan(0.5e-6);
    expect(off.perVariable[0].relError).toBeLessThan(2e-6);
  });

  it('NaN and Infinity agree with nothing, not even themselves', () => {
    for (const [a, b] of [
      [Number.NaN, Number.NaN],
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      [Number.NaN, 1],
      [1, Number.NEGATIVE_INFINITY],
    ]) {
      expect(relativeError(a, b, 0, 1e-5)).toBe(Number.POSITIVE_INFINITY);
    }
    expect(relativeError(0, 0, 0, 1e-5)).toBe(0);
  });

  it('a claimed gradient of the wrong shape or count is refused', () => {
    expect(() => claim('sum(x)', 'sum(x)')).toThrow(ShapeError);
    expect(() => check(p('sum(x)'), ['x'], { claimed: [] })).toThrow(ShapeError);
  });
});

describe('no vacuous pass', () => {
  it('at least one trial, and no size 0', () => {
    // the public API refuses a bad option as misuse before any check runs
    expect(() => check(p('sum(x.^2)'), ['x'], { trials: 0 })).toThrow(UsageError);
    expect(() => check(p('sum(x.^2)'), ['x'], { trials: 1.5 })).toThrow(UsageError);
    expect(() => check(p('sum(x.^2)'), ['x'], { dims: new Map([['n', 0]]) })).toThrow(ValueError);
  });

  it('a function whose change is below its rounding noise cannot be checked, so it does not pass', () => {
    const r = check(p('1e9 + 1e-6*sum(x.^2)'), ['x'], { claimed: [p('1e-7*x')] });
    expect(r.ok).toBe(false);
    expect(r.verdict).toBe('cannot check');
    expect(r.reason).toMatch(/within the rounding noise of finite differences/);
  });

  it('an f that does not depend on x: the zero gradient is checked exactly', () => {
    expect(check(p('sum(y.^2)'), ['x'], { scope }).verdict).toBe('pass');
  });
});

describe('cannot check numerically here, instead of FAIL', () => {
  it.each([
    ['sum(exp(1000*(x.^2 + 1)))', /overflows \(Infinity\)/],
    ['sum(sin(1e8*x))', /finite differences do not settle/],
    ['sum(exp(800*(p + 1)) .* exp(800*(p + 1)))', /overflows/],
  ])('%s', (f, reason) => {
    const r = check(p(f), ['x'], { scope, trials: 3 });
    expect(r.verdict).toBe('cannot check');
    expect(r.reason).toMatch(reason);
  });

  it('sum(exp(1000*x)) is checked where no entry overflows (small or negative x), or cannot be: never a FAIL', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const r = check(p('sum(exp(1000*x))'), ['x'], { scope, seed, trials: 3 });
      expect(r.verdict).not.toBe('fail');
    }
  });

  it('x.^1000: the large entries are checked, the underflowing ones are within the noise', () => {
    const r = check(p('sum(x.^1000)'), ['x'], { scope, trials: 3 });
    expect(r.verdict).not.toBe('fail');
    // A wrong exponent in the claim is still caught there.
    const wrong = check(p('sum(x.^1000)'), ['x'], { claimed: [p('999*x.^999')], trials: 3 });
    expect(wrong.verdict).toBe('fail');
  });

  it('a wrong gradient of a smooth function is a FAIL, not "cannot check"', () => {
    expect(claim('sum(sin(3*x))', 'cos(3*x)').verdict).toBe('fail');
    expect(claim('sum(sin(3*x))', '3*cos(3*x)').verdict).toBe('pass');
  });
});

describe('sampling inside the domains', () => {
  it('log and sqrt of an undeclared-positive x: x is drawn positive', () => {
    expect(check(p('sum(log(x))'), ['x'], { scope }).verdict).toBe('pass');
    expect(check(p('sum(sqrt(x) .* y)'), ['x', 'y'], { scope }).verdict).toBe('pass');
    // The wrong gradient 1 ./ x.^2 of sum(log(x)) fails there.
    expect(claim('sum(log(x))', '1 ./ x.^2').verdict).toBe('fail');
  });

  it("logdet(X'*X): sizes with n < d (always singular) are re-drawn, at every seed", () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = check(p("logdet(X'*X)"), ['X'], { scope, seed, trials: 3 });
      expect(r.verdict, `seed ${seed}`).toBe('pass');
    }
  });

  it('what cannot be sampled is named: fixed sizes n < d, an empty domain', () => {
    const fixed = check(p("logdet(X'*X)"), ['X'], {
      scope,
      dims: new Map([
        ['n', 2],
        ['d', 3],
      ]),
    });
    expect(fixed.verdict).toBe('cannot check');
    expect(fixed.reason).toMatch(/^logdet needs matmul\(…\) invertible, but it is singular/);
    const empty = check(p('sum(log(-1 - x.^2))'), ['x'], { scope });
    expect(empty.verdict).toBe('cannot check');
    expect(empty.reason).toMatch(/^log needs sub\(…\) > 0/);
  });
});

describe('the CLI', () => {
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io);
    return { code, out: io.stdout, err: io.stderr };
  };

  it('check "sum(log(x))" --let "x: n" passes', async () => {
    const r = await run('check', 'sum(log(x))', '--wrt', 'x', '--let', 'x: n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {3}x \(n×1\)/);
  });

  it('cannot check: exit 1 with the reason, naming the expression', async () => {
    const r = await run('check', 'sum(exp(1000*(x.^2 + 1)))', '--wrt', 'x', '--let', 'x: n');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'cannot check numerically here: exp(1000*(x.^2 + 1)) overflows (Infinity) at every sampled point: the values are beyond double precision\n',
    );
    const log = await run('check', 'sum(log(-1 - x.^2))', '--wrt', 'x', '--let', 'x: n');
    expect(log.out).toMatch(/^cannot check numerically here: log needs -1 - x\.\^2 > 0/);
  });

  it('--format json writes NaN and Infinity as strings, never null', async () => {
    const r = await run('check', 'sum(log(-1 - x.^2))', '--wrt', 'x', '--let', 'x: n', '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/"(relError|projectionError)":null/);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('cannot check');
    expect(j.perVariable[0].relError).toBe('NaN');
    expect(j.projectionError).toBe('NaN');
  });

  it('verify: a claim equal to NaN where the gradient is NaN is not equal (exit 1)', async () => {
    const r = await run('verify', 'sum(sqrt(x - 10))', '--wrt', 'x', '--claim', 'log(x-10)', '--let', 'x: n');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^not equal/);
    const none = await run(
      'verify',
      'sum(sqrt(-1 - x.^2))',
      '--wrt',
      'x',
      '--claim',
      'log(-1 - x.^2)',
      '--let',
      'x: n',
    );
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/cannot decide numerically: sqrt needs -\(x\.\^2 \+ 1\) > 0/);
  });
});
