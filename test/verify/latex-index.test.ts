// Index notation over outcomes (`\sum_x p(x) f(x)`, `E_x[…]`, `\mathbb{E}_{x \sim q}[…]`), read as whole
// vectors. The references are textbook facts: Σ_x p(x) f(x) = pᵀf, and for p = softmax(θ) the score-function
// identity ∇_θ E_x[f(x)] = E_x[f(x) ∇_θ log p(x)] = p ⊙ (f − (pᵀf) 1) (the softmax Jacobian is diag(p) − ppᵀ).
import { describe, expect, it } from 'vitest';
import { verifyDocument } from '../../src/verify/claims.js';

const SOFTMAX = '$$\np = \\operatorname{softmax}(\\theta)\n$$\n\n';

function verdicts(decls: string, math: string, preamble = '') {
  const r = verifyDocument(`<!-- matcalc let ${decls} -->\n\n${preamble}$$\n${math}\n$$\n`, 'post.md');
  const steps = r.checks.flatMap((c) => (c.kind === 'chain' ? c.steps : [c]));
  return { unread: r.unread, equal: steps.map((s) => s.verdict.equal) };
}

describe('index notation over outcomes', () => {
  it.each([
    ['a sum of products of entries is an inner product', 'p: k; f: k', '\\sum_x p(x) f(x) = p^\\top f', true],
    [
      'with braces and a function of an entry',
      'p: k; f: k',
      '\\sum_{x} f(x) \\exp(p(x)) = f^\\top \\exp(p)',
      true,
    ],
    ['a slip: the wrong vector', 'p: k; f: k', '\\sum_x p(x) f(x) = f^\\top f', false],
    ['E_x is under p', 'p: k; f: k', 'E_x[f(x)] = p^\\top f', true],
    [
      '\\mathbb{E}_{x \\sim q} names the distribution',
      'q: k; f: k',
      '\\mathbb{E}_{x \\sim q}[f(x)^2] = q^\\top (f \\odot f)',
      true,
    ],
  ])('%s', (_what, decls, math, holds) => {
    const r = verdicts(decls, math);
    expect(r.unread).toEqual([]);
    expect(r.equal).toEqual([holds]);
  });

  it('the score-function identity for a softmax, and the slip of dropping f', () => {
    const right = verdicts(
      'theta: k; f: k',
      '\\nabla_{\\theta} E_x[f(x)] = \\sum_x p(x) \\nabla_{\\theta} \\log p(x) f(x) = p \\odot (f - (p^\\top f) \\mathbf{1}_k)',
      SOFTMAX,
    );
    expect(right.unread).toEqual([]);
    expect(right.equal).toEqual([true, true]);
    const slip = verdicts(
      'theta: k; f: k',
      '\\nabla_{\\theta} E_x[f(x)] = E_x[\\nabla_{\\theta} \\log p(x)]',
      SOFTMAX,
    );
    expect(slip.unread).toEqual([]);
    expect(slip.equal).toEqual([false]);
  });

  it.each([
    ['the index alone', 'p: k', '\\sum_x x = p^\\top p', /not only an argument/],
    ['an index of two letters', 'p: k', '\\sum_{xy} p(xy) = 1', /index is not one letter/],
    ['an undefined distribution', 'f: k', 'E_x[f(x)] = f^\\top f', /`p` is not declared/],
  ])('%s is listed as not understood', (_what, decls, math, why) => {
    const r = verdicts(decls, math);
    expect(r.unread.length).toBeGreaterThan(0);
    expect(r.unread.map((u) => u.reason).join('\n')).toMatch(why);
  });
});
