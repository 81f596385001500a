// Jacobians and Hessians in the form textbooks write linear operators: diag(p) − ppᵀ for softmax (and the
// Hessian of log-sum-exp), (diag(p) − ppᵀ)W through a linear layer, I − 1pᵀ for log-softmax, diag(σ′)W for
// an elementwise layer. Each printed form is parsed back and checked against finite differences of f.
import { describe, expect, it } from 'vitest';
import { checkJac, hessian, jacobian } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const JACOBIANS: readonly [string, string, string, string][] = [
  ['softmax(z)', 'z: k', 'z', "diag(softmax(z)) - softmax(z)*softmax(z)'"],
  ['softmax(W*x)', 'W: k x d; x: d', 'x', "(diag(softmax(W*x)) - softmax(W*x)*softmax(W*x)')*W"],
  ['logsoftmax(z)', 'z: k', 'z', "eye(k) - ones(k, 1)*softmax(z)'"],
  ['sigmoid(W*x)', 'W: k x d; x: d', 'x', 'diag(sigmoid(W*x) .* (1 - sigmoid(W*x)))*W'],
  ['tanh(W*x + b)', 'W: h x d; x: d; b: h', 'W', "diag(1 - tanh(W*x + b).^2)*kron(x', eye(h))"],
];

describe('Jacobians as linear operators', () => {
  it.each(JACOBIANS)('∂ %s / ∂%s', (f, decls, wrt, want) => {
    const scope = parseDecls(decls);
    const e = parseExpr(f, scope);
    const j = jacobian(e, wrt, { scope });
    expect(toText(j)).toBe(want);
    const r = checkJac(e, scope.vars.get(wrt)!, parseExpr(want, scope), { trials: 3, seed: 5 });
    expect(r.verdict).toBe('pass');
  });

  it('the Hessian of log-sum-exp is diag(p) − ppᵀ', () => {
    const scope = parseDecls('x: n');
    const h = hessian(parseExpr('logsumexp(x)', scope), 'x', { scope });
    expect(toText(h)).toBe("diag(softmax(x)) - softmax(x)*softmax(x)'");
    // the Hessian is the Jacobian of the gradient softmax(x), checked by finite differences of it
    const r = checkJac(parseExpr('softmax(x)', scope), scope.vars.get('x')!, h, { trials: 3, seed: 5 });
    expect(r.verdict).toBe('pass');
  });
});
