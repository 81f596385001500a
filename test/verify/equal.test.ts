// equal(): shape first, then structure after simplification, then seeded randomized identity testing.
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ir/expr.js';
import { matrix } from '../../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { equal, Sampler, trialDims, worstEntry } from '../../src/verify/equal.js';

const scope = parseDecls(
  'x: n; y: n; p: n positive; X: n x d; Y: d x n; w: d; A: n x n; S: n x n spd; s: scalar',
);
const e = (t: string): Expr => parseExpr(t, scope);
const verdict = (a: string, b: string) => equal(e(a), e(b));

describe('equal: the method that decides', () => {
  it('shape: d×n against n×d is an answer without evaluating anything', () => {
    const v = verdict('Y', 'X');
    expect(v).toMatchObject({ equal: false, method: 'shape' });
    expect(v.reason).toContain('d×n and n×d');
    expect(verdict('Y', "X'")).not.toMatchObject({ method: 'shape' });
  });

  it('symbolic: both sides simplify to the same node', () => {
    expect(verdict('2*x + x', '3*x')).toMatchObject({ equal: true, method: 'symbolic' });
    expect(verdict("(A')'", 'A')).toMatchObject({ equal: true, method: 'symbolic' });
    expect(verdict("(X*w)'", "w'*X'")).toMatchObject({ equal: true, method: 'numeric' });
    expect(verdict('log(exp(x))', 'x')).toMatchObject({ equal: true, method: 'symbolic' });
  });

  it('numeric: equal values at random dims and values', () => {
    expect(verdict('sqrt(x.^2)', 'abs(x)')).toMatchObject({ equal: true, method: 'numeric' });
    expect(verdict('logdet(S)', 'log(det(S))')).toMatchObject({ equal: true, method: 'numeric' });
  });

  it('numeric: a difference is reported with a counterexample', () => {
    const v = verdict('x.^3', 'x');
    expect(v).toMatchObject({ equal: false, method: 'numeric' });
    expect(v.counterexample?.claimed).toBeCloseTo(v.counterexample!.expected ** 3, 12);
  });
});

describe('equal: sampling', () => {
  it('samples both signs: sqrt(x.^2) is not x, but exp(log(p)) is p for positive p', () => {
    expect(verdict('sqrt(x.^2)', 'x').equal).toBe(false);
    expect(verdict('exp(log(p))', 'p').equal).toBe(true);
    expect(verdict('sqrt(p.^2)', 'p').equal).toBe(true);
  });

  it('distinct sizes per dim, so n confused with d shows', () => {
    expect(verdict('sum(x)/n', 'sum(x)/d')).toMatchObject({ equal: false, method: 'numeric' });
    expect(verdict('sum(ones(n, 1))', 'n').equal).toBe(true);
  });

  it('NaN agrees with nothing; points are drawn in the domain of the reference (the second expression)', () => {
    // 2 log x is defined for x > 0 only: sampled there, log(x²) = 2 log|x| equals it.
    expect(verdict('log(x.^2)', '2*log(x)').equal).toBe(true);
    // log(x²) is defined at negative x too, where the claim 2 log x is NaN: a difference, not agreement.
    const v = verdict('2*log(x)', 'log(x.^2)');
    expect(v.equal).toBe(false);
    expect(Number.isNaN(v.counterexample!.claimed)).toBe(true);
    expect(Number.isFinite(v.counterexample!.expected)).toBe(true);
    // Where the reference is NaN at every point drawn, nothing is decided equal, not even NaN against NaN.
    const none = verdict('sqrt(-2 - x.^2)', 'sqrt(-1 - x.^2)');
    expect(none.equal).toBe(false);
    expect(none.reason).toMatch(/^cannot decide numerically: sqrt needs -1 - x\.\^2 > 0/);
  });

  it('trial dims: at least 3 trials, distinct within a trial, every symbol varying, symbols not in step', () => {
    const symbols = ['d', 'h', 'k', 'n'];
    const trials = [0, 1, 2, 3].map((t) => trialDims(symbols, t, 4));
    for (const t of trials) expect(new Set(t.values()).size).toBe(symbols.length);
    for (const s of symbols) expect(new Set(trials.map((t) => t.get(s))).size).toBeGreaterThan(1);
    const ratios = trials.map((t) => t.get('n')! / t.get('d')!);
    expect(new Set(ratios).size).toBeGreaterThan(1);
    expect(new Sampler([e('x')], { trials: 1 }).points.length).toBe(3);
  });

  it('is deterministic: the same seed gives the same points and verdicts', () => {
    const a = new Sampler([e('X*w')], { seed: 7 });
    const b = new Sampler([e('X*w')], { seed: 7 });
    expect([...a.points[2].values.get('X')!.data]).toEqual([...b.points[2].values.get('X')!.data]);
    const c = new Sampler([e('X*w')], { seed: 8 });
    expect([...a.points[0].values.get('X')!.data]).not.toEqual([...c.points[0].values.get('X')!.data]);
    expect(verdict('x.^3', 'x')).toEqual(verdict('x.^3', 'x'));
  });

  it('honours qualifiers: spd and symmetric values', () => {
    expect(verdict("inv(S)'", 'inv(S)').equal).toBe(true);
    expect(verdict("A'", 'A').equal).toBe(false);
  });

  it('evaluates grad and jacobian nodes', () => {
    expect(verdict('grad(sum(x.^2), x)', '2*x').equal).toBe(true);
    expect(verdict('jacobian(X*w, w)', 'X').equal).toBe(true);
    expect(verdict('grad(s*sum(x), x)', 'x').equal).toBe(false);
  });
});

describe('equal: tolerance scales with the size of the entries', () => {
  const point = { dims: new Map(), values: new Map() };
  it('a relative error of 1e-12 on large entries passes; an absolute 1e-3 on small ones does not', () => {
    expect(worstEntry(matrix(1, 2, [1e6, 1]), matrix(1, 2, [1e6 * (1 + 1e-12), 1]), point, 1e-8)).toBeNull();
    expect(worstEntry(matrix(1, 2, [0.5, 1]), matrix(1, 2, [0.501, 1]), point, 1e-8)).not.toBeNull();
  });

  it('a close call on ill-conditioned inverses is still equal', () => {
    expect(verdict('inv(A)*inv(A)', 'inv(A*A)').equal).toBe(true);
  });
});
