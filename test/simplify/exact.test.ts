// Constants fold exactly: coefficients whose intermediate products leave the float range (10⁴⁰⁰, 10⁻⁴⁰⁰)
// keep their true value, decimals add as decimals, and nothing printed is Infinity or NaN. References are
// hand algebra evaluated in plain floats at random points, scaled-integer decimal sums, and finite differences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, evaluate, evaluateAll, grad, simplify } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import type { Expr } from '../../src/ir/expr.js';
import { fromNumber, ratio, toNumber } from '../../src/ir/rational.js';
import { parseDecls, parseExpr, type Scope } from '../../src/parse/index.js';

const SEED = 20261201;
const N = 4;

function randomVector(rng: () => number, positive = false): number[] {
  return Array.from({ length: N }, () => (positive ? 0.5 + rng() : rng() * 2 - 1));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The printed form is finite text that parses back to the very same node. */
function expectRoundTrip(e: Expr, decls: string): string {
  const text = toText(e);
  expect(text).not.toMatch(/Infinity|NaN/);
  expect(parseExpr(text, parseDecls(decls))).toBe(e);
  return text;
}

/** e's value, with the dims bound from the given variables even when e no longer mentions them. */
function evaluateAt(e: Expr, scope: Scope, values: Record<string, number[]>): Float64Array {
  const vars = Object.keys(values).map((k) => scope.vars.get(k)!);
  return evaluateAll([e, ...vars], values)[0].data;
}

function expectCloseVector(got: Float64Array, want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(w), Number.MIN_VALUE));
  });
}

describe('coefficients outside the float range', () => {
  const decls = 'x: n; y: n';

  it('the issue cases: no false zero, no Infinity, no 0 from underflow', () => {
    const scope = parseDecls(decls);
    const g1 = grad(parseExpr('sum((1e200*x).^2 ./ (1e200*y).^2)', scope), ['x'], { scope })[0];
    expect(expectRoundTrip(g1, decls)).toBe('2*x ./ y.^2');
    const g2 = grad(parseExpr('sum((1e200*x).*(1e200*x)./(1e300*x))', scope), ['x'], { scope })[0];
    expect(expectRoundTrip(g2, decls)).toBe('1e+100*ones(n, 1)');
    const s = simplify(parseExpr('sum((x/1e200).*(x/1e200)*1e300)', scope));
    expectRoundTrip(s, decls);
    const x = [0.5, -1.5, 2, 3];
    // hand algebra: 1e300/1e400 Σx² = 1e-100 Σx²
    const want = 1e-100 * x.reduce((a, v) => a + v * v, 0);
    const got = evaluate(s, { x }).data[0];
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-14 * want);
  });

  it('∇ Σ (10ᵃx)² ⊘ (10ᵇy)² = 2·10²⁽ᵃ⁻ᵇ⁾ x ⊘ y² for exponents whose squares overflow or underflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 155, max: 300 }),
        fc.integer({ min: -60, max: 60 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (a0, diff, small, seed) => {
          const a = small ? -a0 : a0;
          const b = a - diff;
          fc.pre(Math.abs(b) <= 300);
          const expr = `sum((1e${a}*x).^2 ./ (1e${b}*y).^2)`;
          const scope = parseDecls(decls);
          const [gx, gy] = grad(parseExpr(expr, scope), ['x', 'y'], { scope });
          expectRoundTrip(gx, decls);
          expectRoundTrip(gy, decls);
          const rng = lcg(seed);
          const x = randomVector(rng);
          const y = randomVector(rng, true);
          const c = 10 ** (2 * diff);
          expectCloseVector(
            evaluate(gx, { x, y }).data,
            x.map((xi, i) => (2 * c * xi) / y[i] ** 2),
          );
          expectCloseVector(
            evaluate(gy, { x, y }).data,
            x.map((xi, i) => (-2 * c * xi * xi) / y[i] ** 3),
          );
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('Σ (10ᵃx)⊙(10ᵃx) ⊘ (10ᶜx) has gradient 10²ᵃ⁻ᶜ·1 exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 155, max: 300 }), fc.integer({ min: -100, max: 100 }), (a, d) => {
        const cexp = 2 * a - d;
        fc.pre(cexp <= 308);
        const expr = `sum((1e${a}*x).*(1e${a}*x)./(1e${cexp}*x))`;
        const scope = parseDecls('x: n');
        const [g] = grad(parseExpr(expr, scope), ['x'], { scope });
        expectRoundTrip(g, 'x: n');
        const x = randomVector(lcg(a * 1000 + d)).map((v) => v + 3);
        expectCloseVector(evaluateAt(g, scope, { x }), Array(N).fill(Number(`1e${d}`)));
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('coefficients with no float spelling print as exact products and quotients of literals', () => {
    const scope = parseDecls('x: n');
    for (const expr of ['sum(1e200*1e200*x)', 'sum(x)*1e-200*1e-200/3', 'sum(x)*(1e200 + 1)*1e200']) {
      const [g] = grad(parseExpr(expr, scope), ['x'], { scope });
      const text = expectRoundTrip(g, 'x: n');
      expect(text).toMatch(/e\+/);
    }
  });
});

describe('decimal constants fold as decimals', () => {
  /** a + b + c computed on integers scaled by 10⁶, printed as a decimal. */
  function decimalSum(parts: readonly number[]): string {
    const total = parts.reduce((acc, p) => acc + BigInt(Math.round(p * 1e6)), 0n);
    const sign = total < 0n ? '-' : '';
    const abs = total < 0n ? -total : total;
    const whole = abs / 1000000n;
    const frac = (abs % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
    return `${sign}${whole}${frac ? `.${frac}` : ''}`;
  }

  it('0.1 + 0.2 is 0.3, and random short decimals add exactly', () => {
    expect(toText(simplify(parseExpr('0.1 + 0.2', parseDecls(''))))).toBe('0.3');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9_999_999 }), { minLength: 2, maxLength: 5 }),
        (ints) => {
          const parts = ints.map((k) => k / 1e6);
          const text = toText(simplify(parseExpr(parts.map(String).join(' + '), parseDecls(''))));
          expect(text).toBe(decimalSum(parts));
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('0.1x + 0.2x has gradient 0.3·1 and the squared form 0.18x, checked by finite differences', () => {
    const scope = parseDecls('x: n');
    const f = parseExpr('sum((0.1*x + 0.2*x).^2)', scope);
    expect(toText(grad(f, ['x'], { scope })[0])).toBe('0.18*x');
    expect(check(f, ['x'], { scope }).ok).toBe(true);
  });

  it('a rational that is not a decimal stays a quotient (x/3 + x/7 → 10/21)', () => {
    const scope = parseDecls('x: n');
    const f = parseExpr('sum(x/3 + x/7)', scope);
    const [g] = grad(f, ['x'], { scope });
    expectRoundTrip(g, 'x: n');
    expectCloseVector(evaluateAt(g, scope, { x: [1, 2, 3, 4] }), Array(N).fill(10 / 21));
  });
});

describe('rational helpers', () => {
  it('a float denotes the decimal of its shortest text, and only such decimals convert back', () => {
    expect(fromNumber(0.1)).toEqual(ratio(1n, 10n));
    expect(fromNumber(1e200)).toEqual(ratio(10n ** 200n));
    expect(toNumber(ratio(3n, 10n))).toBe(0.3);
    expect(toNumber(ratio(1n, 3n))).toBeNull();
    expect(toNumber(ratio(10n ** 400n))).toBeNull();
    expect(toNumber(ratio(10n ** 200n + 1n))).toBeNull();
    expect(toNumber(ratio(1n, 10n ** 400n))).toBeNull();
  });
});
