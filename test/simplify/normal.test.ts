// Fixpoints remembered across simplifications (engine.ts `normal`): a node no rule rewrites is taken as it is
// the next time, so this checks that only true fixpoints are remembered. Inside a long product chain the
// transposed-chain rule is skipped (it runs once at the chain's root), so the chain's inner products are no
// fixpoints of the catalogue and must still be rewritten when they are simplified on their own; and a
// gradient taken again, over remembered fixpoints, keeps the textbook form's value.
import { describe, expect, it } from 'vitest';
import { grad, simplify } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { type Expr, topoOrder } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { fixedDims, loadCase, TEXTBOOK_CASES, valueDifference } from '../helpers/cases.js';

describe('fixpoints remembered across simplifications', () => {
  it('still rewrites the inner products of a long chain simplified before as a whole', () => {
    const n = 40;
    const names = Array.from({ length: n }, (_, i) => `T${i}`);
    const scope = parseDecls(names.map((v) => `${v}: m x m`).join('; '));
    const whole = parseExpr(names.map((v) => `${v}'`).join('*'), scope);
    expect(toText(simplify(whole))).toBe(`(${[...names].reverse().join('*')})'`);
    // A0'*A1'*A2', a product inside the chain above, on its own
    const inner = topoOrder([whole]).find((e: Expr) => toText(e) === "T0'*T1'*T2'")!;
    expect(inner).toBeDefined();
    expect(toText(simplify(inner))).toBe("(T2*T1*T0)'");
  });

  it.each(TEXTBOOK_CASES.map((tc) => [tc.name, tc] as const))(
    '%s: a second gradient over the same nodes still has the textbook form’s value',
    (_n, tc) => {
      const { scope, f, variable, textbook } = loadCase(tc);
      const [first] = grad(f, [variable.name], { scope });
      const [again] = grad(f, [variable.name], { scope });
      // against the cited form, evaluated independently of the simplifier
      expect(valueDifference([textbook, again], 7, fixedDims(tc))).toBeLessThan(1e-9);
      expect(toText(again)).toBe(toText(first));
    },
  );
});
