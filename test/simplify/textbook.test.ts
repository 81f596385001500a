// The textbook forms the simplifier must reach, as exact text (gradients, Jacobians, Hessians); the
// simplifier never changes a value (simplify(raw) = raw at random points, and so does every logged
// rewrite); and its provenance log names the rules it used.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJac, grad, hessian, jacobian, simplify } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { sameShape } from '../../src/ir/shape.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import type { Rewrite } from '../../src/simplify/engine.js';
import { RULES } from '../../src/simplify/rules/index.js';
import { fixedDims, loadCase, TEXTBOOK_CASES, valueDifference } from '../helpers/cases.js';

const SEED = 424242;

const LOGISTIC_01 = 'sum(-y .* log(sigmoid(X*w)) - (1 - y) .* log(1 - sigmoid(X*w)))';
const SOFTMAX_CE = "sum(logsumexp(X*W + b', 2) - sum(Y .* (X*W + b'), 2))/n";

function gradText(expr: string, decls: string, wrt: readonly string[]): string[] {
  const scope = parseDecls(decls);
  return grad(parseExpr(expr, scope), wrt, { scope }).map(toText);
}

describe('gradients print in textbook form', () => {
  it.each([
    ['least squares', 'sum((X*w - y).^2)', 'X: n x d; w: d; y: n', 'w', "2*X'*(X*w - y)"],
    ['∂tr(AXB)/∂X (Cookbook eq. 101)', 'trace(A*X*B)', 'A: m x n; X: n x p; B: p x m', 'X', "A'*B'"],
    [
      'logistic regression with 0/1 labels',
      LOGISTIC_01,
      'X: n x d; w: d; y: n',
      'w',
      "X'*(sigmoid(X*w) - y)",
    ],
    ['∂ln|det X|/∂X (Cookbook eq. 57)', 'logdet(X)', 'X: n x n', 'X', "inv(X)'"],
    ['∂ln|det S|/∂S for symmetric S', 'logdet(S)', 'S: n x n symmetric', 'S', 'inv(S)'],
    ['∂ln|det S|/∂S for spd S', 'logdet(S)', 'S: n x n spd', 'S', 'inv(S)'],
    ['∂xᵀAx/∂x (Cookbook eq. 81)', "x'*A*x", 'x: n; A: n x n', 'x', "(A + A')*x"],
    [
      'softmax cross-entropy, weights',
      SOFTMAX_CE,
      'X: n x d; W: d x k; b: k; Y: n x k',
      'W',
      "X'*(softmax(X*W + b', 2) - Y)/n",
    ],
    [
      'softmax cross-entropy, bias',
      SOFTMAX_CE,
      'X: n x d; W: d x k; b: k; Y: n x k',
      'b',
      "sum(softmax(X*W + b', 2) - Y, 1)'/n",
    ],
    [
      // Williams' REINFORCE: ∇W = Sᵀ((A − P) ⊙ adv)/n — the advantage is constant along each row, so it
      // leaves the row sum of A ⊙ adv, and one-hot rows of A sum to 1
      'REINFORCE with a baseline',
      'sum((r - b) .* sum(A .* logsoftmax(S*W, 2), 2))/n',
      'S: n x d; W: d x k; A: n x k onehot; r: n; b: scalar',
      'W',
      "S'*diag(r - b)*(A - softmax(S*W, 2))/n",
    ],
    // Σᵢ log softmax(z)ᵢ = Σᵢ zᵢ − k·lse(z), so ∇ = 1 − k·softmax(z): the sum of k ones is k
    ['the sum of log-probabilities', 'sum(log(softmax(z)))', 'z: k', 'z', '1 - k*softmax(z)'],
    // ∇ Σ(xᵢ − x̄)² = 2(x − x̄) − (2/n)·Σ(xᵢ − x̄)·1, and the deviations sum to 0
    ['the sum of squared deviations', 'sum((x - mean(x)).^2)', 'x: n', 'x', '2*(x - mean(x))'],
  ])('%s: %s → %s', (_name, expr, decls, wrt, want) => {
    expect(gradText(expr, decls, [wrt])).toEqual([want]);
  });

  it('softmax cross-entropy with respect to W and b in one call', () => {
    expect(gradText(SOFTMAX_CE, 'X: n x d; W: d x k; b: k; Y: n x k', ['W', 'b'])).toEqual([
      "X'*(softmax(X*W + b', 2) - Y)/n",
      "sum(softmax(X*W + b', 2) - Y, 1)'/n",
    ]);
  });
});

describe('Jacobians and Hessians print in textbook form', () => {
  const noSpaces = (s: string) => s.replace(/\s+/g, '');

  it.each([
    ['A*x', 'A: m x n; x: n', 'x', 'A'],
    ['X*B', 'X: n x d; B: d x k', 'X', "kron(B', eye(n))"],
  ])('jacobian(%s) given %s, wrt %s = %s, agreeing with finite differences', (expr, decls, wrt, want) => {
    const scope = parseDecls(decls);
    const f = parseExpr(expr, scope);
    const J = jacobian(f, wrt, { scope });
    expect(toText(J)).toBe(want);
    expect(checkJac(f, scope.vars.get(wrt)!, J, { seed: SEED }).ok).toBe(true);
  });

  it.each([
    ["x'*A*x", 'x: n; A: n x n', 'x', "A + A'"],
    [LOGISTIC_01, 'X: n x d; w: d; y: n', 'w', "X'*diag(sigmoid(X*w).*(1 - sigmoid(X*w)))*X"],
    // ±1 labels: Xᵀ diag(σ(yᵢxᵢᵀw) σ(−yᵢxᵢᵀw)) X, with y² = 1 left to the reader (σ(u) − 1 = −σ(−u))
    [
      'sum(log(1 + exp(-y .* (X*w))))',
      'X: n x d; w: d; y: n',
      'w',
      "X'*diag(y.^2 .* sigmoid(y .* (X*w)) .* sigmoid(-(y .* (X*w))))*X",
    ],
  ])('hessian(%s) given %s, wrt %s = %s, the Jacobian of the gradient', (expr, decls, wrt, want) => {
    const scope = parseDecls(decls);
    const f = parseExpr(expr, scope);
    const H = hessian(f, wrt, { scope });
    expect(noSpaces(toText(H))).toBe(noSpaces(want));
    const [g] = grad(f, [wrt], { scope, raw: true });
    expect(checkJac(g, scope.vars.get(wrt)!, H, { seed: SEED }).ok).toBe(true);
  });
});

describe('the simplifier never changes a value', () => {
  it.each(TEXTBOOK_CASES.map((tc) => [tc.name, tc] as const))('%s: simplify(raw) = raw', (_name, tc) => {
    const { f, variable } = loadCase(tc);
    const [raw] = grad(f, [variable], { raw: true });
    const simplified = simplify(raw);
    expect(sameShape(simplified.shape, raw.shape)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        expect(valueDifference([raw, simplified], seed, fixedDims(tc))).toBeLessThan(1e-9);
      }),
      { numRuns: 4, seed: SEED },
    );
  });

  it.each(TEXTBOOK_CASES.map((tc) => [tc.name, tc] as const))(
    '%s: every logged rewrite keeps the value',
    (_name, tc) => {
      const { f, variable } = loadCase(tc);
      const log: Rewrite[] = [];
      grad(f, [variable], { log });
      for (const r of log) {
        expect(sameShape(r.before.shape, r.after.shape), r.rule).toBe(true);
        const diff = valueDifference([r.before, r.after], SEED, fixedDims(tc));
        expect(diff, `${r.rule}: ${toText(r.before)} → ${toText(r.after)}`).toBeLessThan(1e-9);
      }
    },
  );
});

describe('the provenance log', () => {
  const ruleNames = new Set(RULES.map((r) => r.name));

  function logOf(expr: string, decls: string, wrt: string): Rewrite[] {
    const scope = parseDecls(decls);
    const log: Rewrite[] = [];
    grad(parseExpr(expr, scope), [wrt], { scope, log });
    return log;
  }

  it('names a catalogued rule and its identity for every rewrite', () => {
    const ls = logOf('sum((X*w - y).^2)', 'X: n x d; w: d; y: n', 'w');
    const quadratic = logOf("x'*A*x", 'x: n; A: n x n', 'x');
    for (const r of [...ls, ...quadratic]) {
      expect(ruleNames).toContain(r.rule);
      expect(r.identity.length).toBeGreaterThan(0);
      expect(r.before).not.toBe(r.after);
    }
    expect(ls.map((r) => r.rule)).toContain('pull scalars out of products');
    // (xᵀA)ᵀ + (xᵀAᵀ)ᵀ → Aᵀx + Ax → (Aᵀ + A)x → (A + Aᵀ)x
    expect(quadratic.map((r) => r.rule)).toEqual(
      expect.arrayContaining(['transpose of a product', 'factor common factors', 'collect terms']),
    );
  });

  it('records inv(S)ᵀ → inv(S) for symmetric S under the transpose rule', () => {
    const log = logOf('logdet(S)', 'S: n x n symmetric', 'S');
    const step = log.find((r) => toText(r.before) === "inv(S)'");
    expect(step?.rule).toBe('transpose');
    expect(step && toText(step.after)).toBe('inv(S)');
  });

  it('is empty when nothing needs rewriting, and raw: true skips simplification', () => {
    const scope = parseDecls('x: n; a: n');
    const f = parseExpr("x'*a", scope);
    const log: Rewrite[] = [];
    const [raw] = grad(f, ['x'], { scope, raw: true, log });
    expect(log).toEqual([]);
    expect(toText(grad(f, ['x'], { scope })[0])).toBe('a');
    expect(valueDifference([raw, scope.vars.get('a')!], SEED)).toBeLessThan(1e-12);
  });
});
