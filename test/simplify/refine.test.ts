// Cotangents refined as the sweep builds them (simplify/refine.ts): the refined raw gradient has the value of
// the plain one at random points, for every textbook case; each refining rewrite is logged and keeps the
// value; and the transposes a VJP makes come out pushed through, as the Matrix Cookbook writes them.
import { describe, expect, it } from 'vitest';
import { grad, resolveVars } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { gradRaw } from '../../src/diff/grad.js';
import { toText } from '../../src/emit/text.js';
import { topoOrder } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import type { Rewrite } from '../../src/simplify/engine.js';
import { refineCotangent } from '../../src/simplify/refine.js';
import { fixedDims, loadCase, TEXTBOOK_CASES, valueDifference } from '../helpers/cases.js';

const SEED = 20261201;

function raws(expr: string, decls: string, wrt: string) {
  const scope = parseDecls(decls);
  const f = expandDerivatives(parseExpr(expr, scope));
  const vars = resolveVars(f, [wrt], scope);
  const log: Rewrite[] = [];
  return {
    plain: gradRaw(f, vars)[0],
    refined: gradRaw(f, vars, undefined, (e) => refineCotangent(e, log))[0],
    log,
  };
}

describe('refined cotangents', () => {
  it.each(TEXTBOOK_CASES.map((tc) => [tc.name, tc] as const))(
    '%s: same value as the plain sweep',
    (_n, tc) => {
      const { scope, f, variable } = loadCase(tc);
      const vars = resolveVars(f, [variable.name], scope);
      const log: Rewrite[] = [];
      const plain = gradRaw(expandDerivatives(f), vars)[0];
      const refined = gradRaw(expandDerivatives(f), vars, undefined, (e) => refineCotangent(e, log))[0];
      expect(valueDifference([plain, refined], SEED, fixedDims(tc))).toBeLessThan(1e-9);
      for (const r of log) {
        expect(valueDifference([r.before, r.after], SEED, fixedDims(tc)), r.rule).toBeLessThan(1e-9);
      }
    },
  );

  it('pushes the transposes of (xᵀA)ᵀ and (xᵀAᵀ)ᵀ through and factors the sum: ∂xᵀAx/∂x = (Aᵀ + A)x', () => {
    const { plain, refined, log } = raws("x'*A*x", 'x: n; A: n x n', 'x');
    expect(toText(plain)).toBe("(x'*A)' + (x'*A')'");
    expect(toText(refined)).toBe("(A' + A)*x");
    expect(log.map((r) => r.rule)).toEqual([
      'transpose of a product',
      'transpose of a product',
      'factor common factors',
    ]);
  });

  it('folds transposed chains as they grow: ∂tr(AXBXC)/∂X = (CAXB)ᵀ + (BXCA)ᵀ (Cookbook eq. 109)', () => {
    const decls = 'A: n x n; X: n x n; B: n x n; C: n x n';
    const { plain, refined } = raws('trace(A*X*B*X*C)', decls, 'X');
    expect(toText(refined)).toBe("(C*A*X*B)' + (B*X*C*A)'");
    expect(topoOrder([refined]).length).toBeLessThan(topoOrder([plain]).length);
  });

  it('leaves what no rule rewrites alone: ∂tr(AXB)/∂X = AᵀBᵀ, not (BA)ᵀ', () => {
    const { refined, log } = raws('trace(A*X*B)', 'A: m x n; X: n x p; B: p x m', 'X');
    expect(toText(refined)).toBe("A'*B'");
    expect(log).toEqual([]);
  });

  it('logs its rewrites in grad, ahead of the simplifier’s, and not when a raw gradient is asked for', () => {
    const scope = parseDecls('X: n x d; w: d; y: n');
    const f = parseExpr('sum((X*w - y).^2)', scope);
    const log: Rewrite[] = [];
    const [g] = grad(f, ['w'], { scope, log });
    expect(toText(g)).toBe("2*X'*(X*w - y)");
    expect(log[0]?.rule).toBe('pull scalars out of products');
    const [raw] = grad(f, ['w'], { scope, raw: true });
    expect(toText(raw)).toBe("X'*(2*(X*w - y))");
  });
});

describe('refining a long chain', () => {
  /** Nodes the refined sweep makes for ∂tr(A₁⋯X⋯Aₙ)/∂X (ids count every node made). */
  function nodesMade(n: number): number {
    const names = Array.from({ length: n }, (_, i) => (i === n >> 1 ? `X${n}` : `A${i}_${n}`));
    const scope = parseDecls(names.map((v) => `${v}: m x m`).join('; '));
    const f = parseExpr(`trace(${names.join('*')})`, scope);
    const vars = resolveVars(f, [`X${n}`], scope);
    const before = parseDecls(`probe_a${n}: m`).vars.get(`probe_a${n}`)!.id;
    gradRaw(f, vars, undefined, (e) => refineCotangent(e));
    return parseDecls(`probe_b${n}: m`).vars.get(`probe_b${n}`)!.id - before;
  }

  it('makes O(n) nodes: the cotangents, one factor longer each step, are not rebuilt every step', () => {
    const small = nodesMade(200);
    const large = nodesMade(800);
    // linear: 4× the factors, about 4× the nodes (a chain rebuilt at every step would be 16×)
    expect(large / small).toBeLessThan(5);
  });
});
