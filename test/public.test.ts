// Library misuse: every public function given wrong arguments throws one of matcalc's error classes (a
// message naming the function), never a raw TypeError or a non-Error value.
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.js';

const scope = M.declare('X: n x d; w: d; y: n; A: n x n');
const f = M.parse('sum((X*w - y).^2)', scope);
const other = M.declare('w: n; X: n x d');
const g = M.parse('sum(w)', other);
// biome-ignore lint/suspicious/noExplicitAny: deliberately wrong arguments
const anyM = M as any;

const MISUSES: Readonly<Record<string, () => unknown>> = {
  'declare(undefined)': () => anyM.declare(undefined),
  'declare(42)': () => anyM.declare(42),
  'declare(null)': () => anyM.declare(null),
  'declare(text, "base")': () => anyM.declare('x: n', 'base'),
  'declare({})': () => anyM.declare({}),
  'parse(42, scope)': () => anyM.parse(42, scope),
  'parse(undefined, scope)': () => anyM.parse(undefined, scope),
  "parse('sum(w)') without a scope": () => anyM.parse('sum(w)'),
  "parse('sum(w)', {})": () => anyM.parse('sum(w)', {}),
  "parse('sum(w)', 'w: d')": () => anyM.parse('sum(w)', 'w: d'),
  "parse('', scope)": () => M.parse('', scope),
  'grad(undefined, [w])': () => anyM.grad(undefined, ['w']),
  "grad('sum(w)', ['w'])": () => anyM.grad('sum(w)', ['w']),
  "grad(f, 'w')": () => anyM.grad(f, 'w'),
  'grad(f, [])': () => M.grad(f, []),
  'grad(f, [42])': () => anyM.grad(f, [42]),
  'grad(f, [null])': () => anyM.grad(f, [null]),
  "grad(f, ['ww'])": () => M.grad(f, ['ww']),
  'grad(f, [w of another scope])': () => M.grad(f, [other.vars.get('w')!]),
  "grad(f, ['w'], 'raw')": () => anyM.grad(f, ['w'], 'raw'),
  "grad(f, ['w'], {scope: 1})": () => anyM.grad(f, ['w'], { scope: 1 }),
  "grad(X*w, ['w'])": () => M.grad(M.parse('X*w', scope), ['w']),
  "jacobian(f, ['w'])": () => anyM.jacobian(f, ['w']),
  'jacobian(f, 7)': () => anyM.jacobian(f, 7),
  'jacobian(undefined, w)': () => anyM.jacobian(undefined, 'w'),
  "jacobian(f, 'w', {layout: 'sideways'})": () => anyM.jacobian(f, 'w', { layout: 'sideways' }),
  "hessian(f, ['w'])": () => anyM.hessian(f, ['w']),
  "hessian(f, 'nope')": () => M.hessian(f, 'nope'),
  'simplify(42)': () => anyM.simplify(42),
  'simplify(f, "log")': () => anyM.simplify(f, 'log'),
  'toText({})': () => anyM.toText({}),
  'toText(undefined)': () => anyM.toText(undefined),
  'toLatex("x")': () => anyM.toLatex('x'),
  'toLatex(f, 3)': () => anyM.toLatex(f, 3),
  'evaluate(f)': () => anyM.evaluate(f),
  'evaluate(f, [1, 2])': () => anyM.evaluate(f, [1, 2]),
  'evaluate(f, {})': () => M.evaluate(f, {}),
  "evaluate(f, {w: 'a'})": () => anyM.evaluate(f, { w: 'a', X: [[1]], y: [1] }),
  'evaluate("sum(w)", {w: [1]})': () => anyM.evaluate('sum(w)', { w: [1] }),
  'evaluateAll(f, {})': () => anyM.evaluateAll(f, {}),
  'evaluateAll([f, g]) of two scopes': () => M.evaluateAll([f, g], { X: [[1, 2]], w: [1, 2], y: [1] }),
  'evaluate(sum(ones(n))) with n unbound': () => M.evaluate(M.parse('sum(ones(n))', scope), {}),
  'check(f, "w")': () => anyM.check(f, 'w'),
  "check(f, ['w'], {trials: 0})": () => M.check(f, ['w'], { trials: 0 }),
  "check(f, ['w'], {trials: 'many'})": () => anyM.check(f, ['w'], { trials: 'many' }),
  'compile(undefined)': () => anyM.compile(undefined),
  'compile([])': () => M.compile([]),
  "compile('sum(w)')": () => anyM.compile('sum(w)'),
  'compile([f, 3])': () => anyM.compile([f, 3]),
  'compile(f)(undefined)': () => anyM.compile(f)(undefined),
  'compile(f)(42)': () => anyM.compile(f)(42),
  'equal(f, "sum(w)")': () => anyM.equal(f, 'sum(w)'),
  'equal(undefined, f)': () => anyM.equal(undefined, f),
  "verify(f, 'w', claim)": () => anyM.verify(f, 'w', M.parse("2*X'*(X*w - y)", scope)),
  'verify(claim)': () => anyM.verify(f),
  'verifyDocument(42)': () => anyM.verifyDocument(42),
  'verifyDocument(text, 7)': () => anyM.verifyDocument('# hi', 7),
  'grad of A^100000': () => M.grad(M.parse('sum(A^100000)', scope), ['A']),
};

describe('library misuse throws matcalc errors', () => {
  it('covers at least 45 misuses', () => {
    expect(Object.keys(MISUSES).length).toBeGreaterThanOrEqual(45);
  });

  it.each(Object.entries(MISUSES))('%s', (_name, misuse) => {
    let thrown: unknown;
    try {
      misuse();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(M.MatcalcError);
    const message = (thrown as Error).message;
    expect(message).not.toMatch(/internal|undefined is not|Cannot read properties|is not a function/);
    expect(message).not.toContain('\n');
  });

  it('names the function and what it wanted', () => {
    expect(() => anyM.parse('sum(w)')).toThrow(/^parse: needs the scope that declares the names/);
    expect(() => anyM.declare(undefined)).toThrow(
      'declare: the declarations must be a string, got undefined',
    );
    expect(() => anyM.grad(f, 'w')).toThrow(/write \["w"\]/);
    expect(() => M.grad(f, ['ww'])).toThrow(/did you mean `w`/);
    expect(() => M.grad(f, [other.vars.get('w')!])).toThrow(/variable of another scope/);
    expect(() => anyM.verify(f, 'w')).toThrow(M.UsageError);
  });

  it('right arguments still work through the checked API', () => {
    const [gw] = M.grad(f, ['w']);
    expect(M.toText(gw)).toBe("2*X'*(X*w - y)");
    const run = M.compile(gw);
    const at = {
      X: [
        [1, 2],
        [3, 4],
      ],
      w: [1, -1],
      y: [0, 1],
    };
    const out = run(at);
    // 2 Xᵀ(Xw − y) by hand: Xw − y = [−1, −2]; Xᵀ[−1, −2] = [−7, −10].
    expect([...out.data]).toEqual([-14, -20]);
    expect(run.source.length).toBeGreaterThan(0);
    expect(run.allocations).toBeGreaterThan(0);
  });
});
