// Running the claims and chains of derivation files: the seed's score-function derivation holds, and the
// variant that forgets the p(x) weight is rejected at the right step with a useful diagnosis.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ChainReport, verifyDocument } from '../../src/verify/claims.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('derivations/score-function.md', () => {
  const report = verifyDocument(read('derivations/score-function.md'), 'derivations/score-function.md');

  it('every claim and chain step holds', () => {
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.count).toBeGreaterThanOrEqual(8);
  });

  it('walks the five steps of the seed: gradient of Σ p f, swap, multiply and divide, log trick, expectation', () => {
    const chain = report.checks.find((c): c is ChainReport => c.kind === 'chain')!;
    expect(chain.start).toBe('grad(sum(p .* f), t)');
    expect(chain.steps.length).toBeGreaterThanOrEqual(5);
    const reasons = chain.steps.map((s) => s.reason ?? '').join(' | ');
    expect(reasons).toMatch(/swap the sum and the gradient/);
    expect(reasons).toMatch(/multiply and divide by p\(x\)/);
    expect(reasons).toMatch(/∇ log z = ∇z \/ z/);
    expect(chain.steps.some((s) => s.claim.includes('jacobian(log(p), t)'))).toBe(true);
  });
});

describe('test/fixtures/score-function-wrong.md', () => {
  const report = verifyDocument(read('test/fixtures/score-function-wrong.md'), 'wrong.md');

  it('fails at the step that forgets the weight p(x), naming its line', () => {
    expect(report.ok).toBe(false);
    expect(report.failures).toHaveLength(1);
    const [f] = report.failures;
    expect(f).toMatchObject({
      kind: 'step',
      line: 16,
      step: 2,
      chainLine: 13,
      claim: "jacobian(log(p), t)'*f",
    });
    expect(f.verdict).toMatchObject({ equal: false, method: 'numeric' });
  });

  it('diagnoses the missing factor p, printed by its name', () => {
    const d = report.failures[0].diagnosis!;
    expect(d.kind).toBe('factor');
    expect(d.factor).toBe('p');
    expect(d.message).toMatch(/a missing factor `p`/);
    expect(d.message).toMatch(/equals the previous line/);
    expect(d.counterexample).toBeDefined();
  });
});

describe('runDocument', () => {
  const doc = (body: string) => verifyDocument(`\`\`\`matcalc\n${body}\n\`\`\``, 'x.md');

  it('takes the side with the derivative as the truth, whichever side it is on', () => {
    const left = doc("let X: n x d; w: d; y: n\nclaim grad(sum((X*w - y).^2), w) = X'*(X*w - y)");
    const right = doc("let X: n x d; w: d; y: n\nclaim X'*(X*w - y) = grad(sum((X*w - y).^2), w)");
    for (const r of [left, right]) {
      const c = r.failures[0];
      expect(c.truth).toBe('grad(sum((X*w - y).^2), w)');
      expect(c.diagnosis).toMatchObject({ kind: 'factor', factor: '1/2' });
      expect(c.diagnosis!.message).toMatch(/times the gradient/);
    }
  });

  it('reports a shape mismatch between the sides as a wrong claim, not an error', () => {
    const r = doc('let X: m x n; A: n x m\nclaim grad(trace(X*A), X) = A');
    expect(r.failures[0]).toMatchObject({
      line: 3,
      verdict: { method: 'shape' },
      diagnosis: { kind: 'shape-transposed', fix: "A'" },
    });
  });

  it('reports the first failing step of a chain and still checks the later ones', () => {
    const r = doc("let x: n\nchain\nsum(x.^2)\n= x'*x\n= 2*x'*x   # oops\n= sum(2*x.^2)");
    const chain = r.checks[0] as ChainReport;
    expect(chain.steps.map((s) => s.verdict.equal)).toEqual([true, false, true]);
    expect(chain.firstFailure).toMatchObject({
      line: 6,
      step: 2,
      reason: 'oops',
      diagnosis: { kind: 'factor', factor: '2' },
    });
    expect(r.count).toBe(3);
  });

  it('definitions are in scope for later statements, and later lets extend earlier ones', () => {
    const r = doc("let x: n\ns = sum(x)\nlet A: n x n\nclaim grad(s*x'*A*x, A) = s*x*x'");
    expect(r.ok).toBe(true);
  });
});
