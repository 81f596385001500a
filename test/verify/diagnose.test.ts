// The claim corpus: every verdict right, every wrong claim diagnosed as the kind of mistake it is.
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import type { Expr } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { diagnose, judge } from '../../src/verify/diagnose.js';
import { type Case, RIGHT, WRONG } from './corpus.js';

function sides(c: Case): { claim: Expr; truth: Expr } {
  const scope = parseDecls(c.decls);
  const claim = parseExpr(c.claim, scope);
  if (c.truth !== undefined) return { claim, truth: parseExpr(c.truth, scope) };
  const [truth] = grad(parseExpr(c.f!, scope), [c.wrt!], { scope });
  return { claim, truth };
}

describe('the claim corpus', () => {
  it('has at least 40 claims, half of them wrong', () => {
    expect(RIGHT.length + WRONG.length).toBeGreaterThanOrEqual(40);
    expect(WRONG.length).toBeGreaterThanOrEqual(20);
    expect(RIGHT.length).toBeGreaterThanOrEqual(20);
  });

  it.each(RIGHT.map((c) => [c.name, c] as const))('accepts: %s', (_, c) => {
    const { claim, truth } = sides(c);
    const j = judge(claim, truth);
    expect(j.verdict.equal).toBe(true);
    expect(j.diagnosis).toBeUndefined();
  });

  it.each(WRONG.map((c) => [c.name, c] as const))('rejects and diagnoses: %s', (_, c) => {
    const { claim, truth } = sides(c);
    const j = judge(claim, truth, { reference: 'the gradient' });
    expect(j.verdict.equal).toBe(false);
    expect(j.verdict.method).toBe(c.expect.startsWith('shape') ? 'shape' : 'numeric');
    expect(j.diagnosis?.kind).toBe(c.expect);
    if (c.factor !== undefined) expect(j.diagnosis?.factor).toBe(c.factor);
    if (c.term !== undefined) expect(j.diagnosis?.term).toBe(c.term);
    if (c.fix !== undefined) expect(j.diagnosis?.fix).toBe(c.fix);
    if (j.verdict.method === 'numeric') expect(j.diagnosis?.counterexample).toBeDefined();
  });
});

describe('diagnosis messages', () => {
  const scope = parseDecls('X: m x n; A: n x m; w: m; y: m');
  const at = (claim: string, truth: string) =>
    diagnose(parseExpr(claim, scope), parseExpr(truth, scope), { reference: 'the gradient' });

  it('names the transposed shape and the fix', () => {
    const d = at('A', "A'");
    expect(d.message).toMatch(
      /the claim is n×m but the gradient is m×n: the claim has the transposed shape of the gradient/,
    );
    expect(d.message).toContain("`A'`");
  });

  it('gives a counterexample with dims, entry and both values', () => {
    const d = at('w.^3', 'w');
    expect(d.kind).toBe('counterexample');
    const ce = d.counterexample!;
    expect(Object.keys(ce.dims)).toEqual(['m']);
    expect(ce.claimed).toBeCloseTo(ce.expected ** 3, 10);
    expect(d.message).toMatch(
      /^at m=\d+, entry \(\d+,1\) of the claim is -?[\d.]+ but the gradient is -?[\d.]+$/,
    );
  });

  it('tells a missing factor from a stray one', () => {
    expect(at('w/2', 'w').message).toMatch(/1\/2 times the gradient \(a missing factor 2\)/);
    expect(at('3*w', 'w').message).toMatch(/3 times the gradient \(a stray factor 3\)/);
    expect(at('w/m', 'w').message).toMatch(/1\/m times the gradient \(a missing factor m\)/);
    expect(at('-2*w', 'w').message).toMatch(/-2 times the gradient \(and the wrong sign\)/);
  });

  it('names a wrong-signed term', () => {
    const d = at('w - X*A*y', 'w + X*A*y');
    expect(d.kind).toBe('sign');
    expect(d.term).toBe('X*A*y');
  });

  it('a zero claim is missing the whole truth; a nonzero claim of a zero truth is all extra', () => {
    expect(at('zeros(m, 1)', 'X*A*w')).toMatchObject({ kind: 'missing-term', term: 'X*A*w' });
    expect(at('w', 'zeros(m, 1)')).toMatchObject({ kind: 'extra-term', term: 'w' });
  });

  it('a 1×1 claim of a vector is a shape mismatch', () => {
    expect(at('sum(w)', 'w')).toMatchObject({ kind: 'shape-mismatch' });
  });

  it('is the same on every run (fixed seeds)', () => {
    const a = at('w.^3', 'w');
    const b = at('w.^3', 'w');
    expect(a).toEqual(b);
  });
});
