// Jacobian steps by the forward-mode chain rule: every step's dimensions check, the steps name each
// intermediate once, and the Jacobian they arrive at agrees with finite differences of f.
import { describe, expect, it } from 'vitest';
import { checkJac } from '../../src/api.js';
import { jacobianSteps } from '../../src/derive/jacobian-steps.js';
import { toText } from '../../src/emit/text.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const CASES: readonly [string, string, string][] = [
  ['softmax(W*x)', 'W: k x d; x: d', 'x'],
  ['V*tanh(W*x + b)', 'W: h x d; x: d; b: h; V: k x h', 'x'],
  ['x .* exp(x)', 'x: n', 'x'],
  ['sigmoid(A*x) + A*x', 'A: m x n; x: n', 'x'],
  ['X*W', 'X: n x d; W: d x k', 'W'],
  ['exp(W*x)', 'W: k x d; x: d', 'W'],
];

describe('Jacobian steps', () => {
  it.each(CASES)('∂vec %s / ∂vec %s', (expr, decls, wrt) => {
    const scope = parseDecls(decls);
    const f = parseExpr(expr, scope);
    const x = scope.vars.get(wrt)!;
    const { steps, jacobian } = jacobianSteps(f, x);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.at(-1)?.kind).toBe('result');
    for (const s of steps) for (const eq of s.equations) expect(eq.dims.ok, eq.dims.text).toBe(true);
    expect(jacobian).not.toBeNull();
    const r = checkJac(f, x, jacobian!, { trials: 3, seed: 3 });
    expect(r.verdict, toText(jacobian!)).toBe('pass');
  });

  it('an f that does not depend on x has no steps', () => {
    const scope = parseDecls('x: n; y: n');
    expect(jacobianSteps(parseExpr('exp(y)', scope), scope.vars.get('x')!)).toEqual({
      steps: [],
      jacobian: null,
    });
  });
});
