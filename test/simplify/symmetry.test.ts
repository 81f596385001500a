// Symmetric by structure (AᵀA, AAᵀ, AᵀSA, entrywise functions of symmetric matrices, inverses and powers of
// them): a transpose of such a matrix is dropped, so gradients reach the Matrix Cookbook's forms. Each
// form is checked against finite differences of the function, parsed from the Cookbook's text.
import { describe, expect, it } from 'vitest';
import { check, grad } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { isSymmetric } from '../../src/simplify/rules/symmetry.js';

const CASES: readonly [string, string, string, string, string][] = [
  // Cookbook eq. 55: ∂ ln det(XᵀX)/∂X = 2(X⁺)ᵀ = 2X(XᵀX)⁻¹
  ['∂ln det(XᵀX)/∂X', "logdet(X'*X)", 'X: n x d', 'X', "2*X*inv(X'*X)"],
  // ∂ ln det(XSXᵀ)/∂X = 2(XSXᵀ)⁻¹XS for symmetric S
  ['∂ln det(XSXᵀ)/∂X', "logdet(X*S*X')", 'X: n x d; S: d x d symmetric', 'X', "2*inv(X*S*X')*X*S"],
  // ∂ xᵀAᵀAx/∂x = 2AᵀAx: AᵀA is symmetric, so (AᵀA + (AᵀA)ᵀ)x collapses
  ['∂xᵀAᵀAx/∂x', "x'*A'*A*x", 'x: n; A: m x n', 'x', "2*A'*A*x"],
  // ∂ tr((XᵀSX)⁻¹)/∂X = −2SX(XᵀSX)⁻² for symmetric S
  ['∂tr((XᵀSX)⁻¹)/∂X', "trace(inv(X'*S*X))", 'X: n x d; S: n x n spd', 'X', "-2*S*X*inv(X'*S*X)^2"],
];

describe('symmetric by structure', () => {
  it.each(CASES)('%s: %s → %s', (_name, expr, decls, wrt, want) => {
    const scope = parseDecls(decls);
    const f = parseExpr(expr, scope);
    const [g] = grad(f, [wrt], { scope });
    expect(toText(g)).toBe(want);
    // the Cookbook form, read from its text, agrees with finite differences of f
    const claimed = parseExpr(want, scope);
    const r = check(f, [wrt], { scope, claimed: [claimed], trials: 3, seed: 7 });
    expect(r.verdict).toBe('pass');
  });

  it('knows which products are symmetric and which are not', () => {
    const scope = parseDecls('A: m x n; B: n x n; S: n x n symmetric; x: n; y: n');
    const sym = (t: string) => isSymmetric(parseExpr(t, scope));
    for (const t of [
      "A'*A",
      "A*A'",
      "A'*A*S*A'*A",
      "x*x'",
      "B*S*B'",
      "exp(A'*A)",
      "inv(A'*A)",
      "(A'*A)^3",
      "S + B'*B",
    ])
      expect(sym(t), t).toBe(true);
    for (const t of ['B', 'B*B', "x*y'", "A'*A*B", "B'*S*B'", 'S*B', 'S + B']) expect(sym(t), t).toBe(false);
  });
});
