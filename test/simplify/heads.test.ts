// The engine skips a rule with `heads` (simplify/heads.ts) at a node whose arguments have none of them, so
// each such rule must never rewrite a node like that. Checked by simplifying without the skipping (every rule
// tried everywhere) over the textbook cases, the second-order cases and fuzzed expressions, and asserting that
// each logged rewrite by such a rule was at a node with an argument of one of its heads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveVars } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { gradRaw } from '../../src/diff/grad.js';
import { hessianRaw } from '../../src/diff/hessian.js';
import { jacobianRaw } from '../../src/diff/jacobian.js';
import { toText } from '../../src/emit/text.js';
import { type Expr, freeVars, type OpExpr } from '../../src/ir/expr.js';
import { isScalar } from '../../src/ir/shape.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { type Rewrite, Simplifier } from '../../src/simplify/engine.js';
import { argHeads } from '../../src/simplify/heads.js';
import { RULES } from '../../src/simplify/rules/index.js';
import { build, caseArb } from '../fuzz/arbitraries.js';
import { loadCase, TEXTBOOK_CASES } from '../helpers/cases.js';
import { SECOND_ORDER_CASES } from '../helpers/second-order-cases.js';

const HEADED = new Map(RULES.filter((r) => r.heads).map((r) => [r.name, r.heads!]));
/** The catalogue with every rule tried at every node of its ops. */
const UNSKIPPED = RULES.map((r) => ({ ...r, heads: undefined }));

/** Rewrites by rules with heads at nodes whose arguments have none: each as text, for the failure message. */
function violations(e: Expr, log: Rewrite[] = []): string[] {
  const s = new Simplifier(UNSKIPPED, log);
  try {
    s.simplify(e);
  } finally {
    s.release();
  }
  return log
    .filter((w) => {
      const heads = HEADED.get(w.rule);
      return heads !== undefined && (argHeads(w.before as OpExpr) & heads) === 0;
    })
    .map((w) => `${w.rule}: ${toText(w.before)} → ${toText(w.after)}`);
}

/** The raw derivatives of f with respect to each of its variables: what the simplifier meets. */
function derivatives(f: Expr): Expr[] {
  const out: Expr[] = [f];
  for (const v of freeVars(f)) {
    const e = expandDerivatives(f);
    if (isScalar(f.shape)) out.push(gradRaw(e, [v])[0]);
    out.push(jacobianRaw(e, v));
    if (isScalar(f.shape) && v.shape.cols.toString() === '1') out.push(hessianRaw(e, v));
  }
  return out;
}

describe('rules skipped by their heads', () => {
  it('declare heads on the rules the engine tries most (the identities of 0 and 1, transposes, products)', () => {
    for (const name of [
      'zero product',
      'multiplicative identity',
      'transpose of a product',
      'transposed chain',
    ])
      expect(HEADED.has(name), name).toBe(true);
  });

  it('never rewrite where no argument has one of their heads: textbook and second-order cases', () => {
    let rewrites = 0;
    const found: string[] = [];
    for (const tc of TEXTBOOK_CASES) {
      const { f, variable } = loadCase(tc);
      const log: Rewrite[] = [];
      found.push(...violations(gradRaw(expandDerivatives(f), [variable])[0], log));
      rewrites += log.length;
    }
    for (const sc of SECOND_ORDER_CASES) {
      const scope = parseDecls(sc.decls);
      const f = parseExpr(sc.expr, scope);
      const [v] = resolveVars(f, [sc.wrt], scope);
      const e = expandDerivatives(f);
      const raw =
        sc.mode === 'jacobian'
          ? jacobianRaw(e, v)
          : sc.mode === 'hessian'
            ? hessianRaw(e, v)
            : gradRaw(e, [v])[0];
      const log: Rewrite[] = [];
      found.push(...violations(raw, log));
      rewrites += log.length;
    }
    expect(found).toEqual([]);
    // enough rewrites to exercise the rules (356 since ops/tidy.ts builds the VJPs without unit factors)
    expect(rewrites).toBeGreaterThan(300);
  });

  it('never rewrite where no argument has one of their heads: fuzzed expressions and their derivatives', () => {
    let rewrites = 0;
    fc.assert(
      fc.property(caseArb(4), (c) => {
        for (const e of derivatives(build(c.f))) {
          const log: Rewrite[] = [];
          expect(violations(e, log)).toEqual([]);
          rewrites += log.length;
        }
      }),
      { numRuns: 300, seed: 20261201 },
    );
    expect(rewrites).toBeGreaterThan(1000);
  });
});
