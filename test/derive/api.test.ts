// derivationSteps, the entry the playground calls: the equations of an expression with no file around it,
// checked against the textbook gradients (least squares: Xᵀ(Xw − y); Matrix Cookbook eq. 88 family).
import { describe, expect, it } from 'vitest';
import { derivationSteps } from '../../src/derive/api.js';
import { checkGradients } from '../../src/numeric/gradcheck.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

describe('derivationSteps', () => {
  it('gives the compact equation, its dimension check and the gradient text', () => {
    const d = derivationSteps('X: n x d; w: d; y: n', 'sum((X*w - y).^2)/2', ['w']);
    expect(d.equations).toHaveLength(1);
    expect(d.equations[0].lhs).toBe('\\frac{\\partial f}{\\partial w}');
    expect(d.equations[0].forms.at(-1)).toBe('X^{\\top} \\left(X w - y\\right)');
    expect(d.equations[0].dims).toMatchObject({ ok: true, text: '[d×n][n×1] = d×1 ✓' });
    expect(d.results).toEqual([{ variable: 'w', text: "X'*(X*w - y)" }]);
  });

  it('gives node-by-node steps in the steps style, and gradients that pass finite differences', () => {
    const decls = 'X: n x d; W: d x k; Y: n x k onehot';
    const expr = '-sum(Y .* logsoftmax(X*W, 2))';
    const d = derivationSteps(decls, expr, ['W'], { style: 'steps', layout: 'denominator' });
    expect(d.equations).toEqual([]);
    expect(d.steps.some((s) => s.rule === 'chain rule through logsoftmax')).toBe(true);
    const scope = parseDecls(decls);
    const g = parseExpr(d.results[0].text, scope);
    const check = checkGradients(parseExpr(expr, scope), [scope.vars.get('W')!], [g], { trials: 2, seed: 3 });
    expect(check.perVariable[0].relError).toBeLessThan(1e-6);
  });

  it('refuses a non-scalar expression and an undeclared variable', () => {
    expect(() => derivationSteps('x: n', 'exp(x)', ['x'])).toThrow(/scalar/);
    expect(() => derivationSteps('x: n', 'sum(x)', ['z'])).toThrow(/not a declared variable/);
  });
});
