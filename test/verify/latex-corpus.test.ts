// The LaTeX corpus: blog posts and notes written as people write them (test/fixtures/latex), each
// relation's verdict stated by hand from the mathematics — a right formula from the textbooks (Matrix
// Cookbook, Goodfellow et al. ch. 6) or a deliberate slip (a missing transpose, a factor, a sign, a
// dropped term, the wrong axis) — and the reader asserted to reach exactly that verdict and kind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyDocument } from '../../src/verify/claims.js';

type Expected = readonly (readonly [number, string])[];

const ok = (line: number) => [line, 'ok'] as const;

/** Per post: [line, 'ok' | diagnosis kind] for every claim and chain step, in file order. */
const CORPUS: Readonly<Record<string, { checks: Expected; unread?: readonly number[] }>> = {
  'linear-regression.md': {
    checks: [
      ok(18), // ‖Xw − y‖² = (Xw − y)ᵀ(Xw − y)
      ok(19),
      [20, 'missing-term'], // the cross term −2yᵀXw halved
      ok(28), // ∇ = (2XᵀXw − 2Xᵀy)/n
      ok(29),
      [30, 'factor'], // the 1/n dropped
      [37, 'shape-conflict'], // X instead of Xᵀ
      [43, 'sign'], // y − Xw
      ok(53), // ridge
      [57, 'missing-term'], // λw for 2λw: half the penalty term missing
      [61, 'missing-term'], // the penalty dropped
      ok(67), // Hessian 2XᵀX/n + 2λI
      [71, 'shape-conflict'], // XXᵀ
    ],
  },
  'logistic-regression.md': {
    checks: [
      ok(22), // ∂L/∂z = (ŷ − y)/n
      [26, 'sign'],
      ok(33),
      ok(34),
      ok(35),
      [40, 'shape-transposed'], // (ŷ − y)ᵀX is a row
      ok(44), // ∂L/∂b = 1ᵀ(ŷ − y)/n
      [48, 'factor'], // the 1/n dropped
      ok(54), // σ' = σ(1 − σ)
      [58, 'factor'], // diag(ŷ) without (1 − ŷ)
      ok(64), // weight decay
      [68, 'sign'],
    ],
  },
  'softmax-regression.md': {
    checks: [
      ok(32), // ∂J/∂S = (Q − Y)/n
      [36, 'sign'],
      [40, 'factor'],
      ok(47),
      ok(48),
      ok(49), // ∇b = (Q − Y)ᵀ1/n
      [50, 'wrong-axis'], // (Q − Y)1_k sums each row
      [51, 'wrong-axis'], // sum of all entries
      [56, 'shape-conflict'], // X for Xᵀ
      [60, 'missing-term'], // the −XᵀY/n dropped
      ok(66), // rows of Q sum to one
      ok(70), // one-hot rows sum to one
    ],
    // softmax of a matrix is ambiguous (rows or all entries), and L uses it.
    unread: [13, 14],
  },
  'mlp-backprop.md': {
    checks: [
      ok(25), // δ₂ = ∂L/∂Z₂ = (Z₂ − Y)/n
      ok(32), // ∂L/∂W₂ = Hᵀδ₂
      ok(33), // ∂L/∂b₂ = δ₂ᵀ1
      ok(34), // ∂L/∂H = δ₂W₂ᵀ
      ok(41), // δ₁
      ok(48),
      ok(49),
      ok(50),
      [57, 'shape-transposed'], // δ₂ᵀH
      [61, 'shape-conflict'], // δ₂W₂
      [65, 'shape-transposed'], // W₂δ₂ᵀ
      [69, 'counterexample'], // tanh' written 1 − H
      [73, 'missing-term'], // tanh' dropped
      [77, 'wrong-axis'], // δ₁1_h sums over the hidden units
      [81, 'factor'], // the 1/n dropped
      ok(87), // ∂L/∂Z₁ from ∂L/∂H
      ok(91), // ∂L/∂H from ∂L/∂Z₂
    ],
  },
  'matrix-identities.tex': {
    checks: [
      ok(8), // Cookbook (81): ∂xᵀAx/∂x = (A + Aᵀ)x
      [12, 'needs-symmetric'], // 2Ax
      ok(16), // symmetric S
      ok(20), // Hessian A + Aᵀ
      [23, 'factor'], // S for 2S
      ok(27), // Cookbook (100): ∂tr(BX)/∂X = Bᵀ
      ok(28), // Cookbook (101)
      [29, 'transposed'], // B for Bᵀ
      ok(30), // Cookbook (57): ∂log|det X|/∂X = X⁻ᵀ
      [31, 'transposed'], // Cookbook (49) is det(X)X⁻ᵀ
      ok(32), // Cookbook (103): ∂tr(XᵀX)/∂X = 2X
      ok(36), // ∂Cx/∂x = C
      [39, 'shape-transposed'], // Cᵀ: denominator layout
      ok(42), // Cookbook (69)
      [45, 'shape-conflict'], // Cu
      ok(48),
      [51, 'sign'],
    ],
  },
  'jacobians.md': {
    checks: [
      ok(21), // ∂(Wx + b)/∂x = W
      ok(25), // ∂a/∂b = I_m
      ok(29), // ∂a/∂b = I, sized from the other side
      ok(35), // tanh' on the diagonal
      ok(39), // diag(1 − h²)W
      [43, 'shape-conflict'], // W diag(…): the factors in the wrong order
      [47, 'counterexample'], // 1 − h for 1 − h²
      ok(53), // softmax Jacobian diag(p) − ppᵀ
      [57, 'sign'], // + ppᵀ
      ok(61), // ∂log p/∂t = I − 1pᵀ
      [65, 'transposed'], // I − p1ᵀ
      ok(71), // a vector–Jacobian product
      [75, 'missing-term'], // tanh' dropped
      ok(80),
      ok(81),
      ok(82),
      [87, 'shape-conflict'], // the Jacobians multiplied in the wrong order
    ],
  },
  'single-example-classifier.md': {
    checks: [
      ok(19), // ∂ℓ/∂s = p − y for one-hot y
      ok(23), // (p − y)xᵀ
      ok(27),
      [31, 'shape-transposed'], // x(p − y)ᵀ
      ok(35), // Wᵀ(p − y)
      ok(41), // 1ᵀp = 1
      ok(45), // 1ᵀy = 1 for one-hot y
      [51, 'needs-onehot'], // c is not declared one-hot
      ok(57), // REINFORCE: A(y − p)xᵀ
      [61, 'sign'],
      [67, 'broadcast'], // v + xᵀ is d×d
      ok(71),
    ],
  },
};

const HELD_OUT: typeof CORPUS = {
  'held-out/autoencoder.md': {
    checks: [
      ok(20),
      ok(24),
      ok(28), // ∂L/∂C = EW
      [32, 'shape-conflict'], // EWᵀ
      ok(36), // ∇c = Eᵀ1
      [40, 'wrong-axis'], // E1_d
      ok(44), // tied weights: XᵀEW + EᵀC
      [48, 'missing-term'], // the decoder's share dropped
      ok(52),
      [56, 'counterexample'], // 2XᵀEW
    ],
  },
  'held-out/ridge-intercept.md': {
    checks: [ok(17), [21, 'missing-term'], ok(25), [29, 'factor'], ok(33), [37, 'missing-term'], ok(41)],
  },
};

const dir = new URL('../fixtures/latex/', import.meta.url);

function verdicts(file: string) {
  const r = verifyDocument(readFileSync(new URL(file, dir), 'utf8'), file);
  const checks = r.checks.flatMap((c) => (c.kind === 'chain' ? c.steps : [c]));
  return {
    r,
    got: checks.map((c) => [c.line, c.verdict.equal ? 'ok' : (c.diagnosis?.kind ?? '?')] as const),
  };
}

function suite(name: string, posts: typeof CORPUS) {
  describe(name, () => {
    for (const [file, want] of Object.entries(posts)) {
      it(`${file}: every verdict and diagnosis kind`, () => {
        const { r, got } = verdicts(file);
        expect(got).toEqual(want.checks);
        expect(r.unread.map((u) => u.line)).toEqual(want.unread ?? []);
        expect(r.ok).toBe(want.checks.every(([, v]) => v === 'ok'));
      });
    }
  });
}

suite('the LaTeX corpus', CORPUS);
suite('held-out posts written the same way', HELD_OUT);

describe('corpus size', () => {
  it('has at least 6 posts and 60 relations, about a third of them wrong', () => {
    const all = Object.values(CORPUS).flatMap((p) => p.checks);
    const wrong = all.filter(([, v]) => v !== 'ok').length;
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(6);
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(wrong / all.length).toBeGreaterThan(0.25);
    expect(wrong / all.length).toBeLessThan(0.5);
    const kinds = new Set(all.map(([, v]) => v));
    for (const k of [
      'shape-conflict',
      'factor',
      'sign',
      'missing-term',
      'wrong-axis',
      'needs-symmetric',
      'needs-onehot',
      'broadcast',
    ])
      expect(kinds).toContain(k);
  });
});
