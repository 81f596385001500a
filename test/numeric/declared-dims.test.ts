// Dims bound from every declared value given: `eval`, evaluate({ scope }), compile({ scope }) and check of
// expressions whose own variables do not fix a size (eye(p), zeros(m, 1)), against NumPy-free hand values;
// a size nothing fixes is a ValueError naming the variables that would, never an internal error.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { check, compile, evaluate, ValueError } from '../../src/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { capture } from '../helpers/io.js';

const scope = parseDecls('A: m x n; X: n x p; B: m x p');
const A = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const X = [
  [1, 0, 2],
  [0, 1, 1],
];

describe('dims from declared values', () => {
  it('evaluate with the scope reads p from X although the expression mentions only A', () => {
    const e = parseExpr("2*kron(eye(p), A'*A)", scope);
    const m = evaluate(e, { A, X }, { scope });
    // A'A = [[35, 44], [44, 56]]; kron(I_3, ·) is 6×6 with that block three times, doubled.
    expect([m.rows, m.cols]).toEqual([6, 6]);
    expect(Array.from(m.data.subarray(0, 6))).toEqual([70, 88, 0, 0, 0, 0]);
    expect(m.data[5 * 6 + 5]).toBe(112);
  });

  it('explicit dims work without the scope, and a conflicting one is named', () => {
    const e = parseExpr('zeros(p, 1)', scope);
    expect(evaluate(e, {}, { dims: { p: 4 } }).rows).toBe(4);
    expect(() => evaluate(parseExpr('X*ones(p, 1)', scope), { X }, { dims: { p: 2 } })).toThrow(
      'p is 3 in X but given as 2',
    );
  });

  it('a dim no value fixes is a ValueError naming the variables that would fix it', () => {
    const e = parseExpr("kron(eye(p), A'*A)", scope);
    expect(() => evaluate(e, { A }, { scope })).toThrow(ValueError);
    expect(() => evaluate(e, { A }, { scope })).toThrow(
      'dimension p is not fixed by any value: give a value for X or B',
    );
  });

  it('matcalc eval binds p from X and reports an unfixed dim with exit 2 and one line', async () => {
    const io = capture(JSON.stringify({ A, X }));
    expect(
      await main(['eval', 'zeros(p, 1)', '--let', 'A: m x n; X: n x p; B: m x p', '--at', '-'], io),
    ).toBe(0);
    expect(io.stdout).toContain('(3×1)');
    const bad = capture(JSON.stringify({ A }));
    expect(
      await main(['eval', 'zeros(p, 1)', '--let', 'A: m x n; X: n x p; B: m x p', '--at', '-'], bad),
    ).toBe(2);
    expect(bad.stderr).toBe(
      'matcalc: error: dimension p is not fixed by any value: give a value for X or B\n',
    );
  });

  it('a compiled closure with the scope reads the size from a declared value', () => {
    const f = compile(parseExpr("kron(eye(p), A'*A)", scope), { scope });
    expect(f({ A, X }).rows).toBe(6);
    expect(f({ A, X: [[1], [2]] }).rows).toBe(2);
  });

  it('check of a gradient with respect to a variable f does not use (zeros(m, 1))', () => {
    const s = parseDecls('x: n; y: m');
    const r = check(parseExpr("sum(x.^2) + trace(kron(eye(m), x*x'))", s), ['x', 'y'], { scope: s });
    expect(r.ok).toBe(true);
  });
});
