// What a gradient lets go of (ir/intern.ts scratch, api.ts grad): the nodes grad made and did not return are
// no longer found, so a new build of one is a new node, while every node of the result is found again; with
// a log, which holds the intermediates, nothing is let go; and a loop of gradients inside one job keeps no
// more interned nodes than its inputs and results.
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { rebuildOp } from '../../src/diff/rebuild.js';
import { type Expr, internedCount, topoOrder } from '../../src/ir/expr.js';
import { matmul, transpose } from '../../src/ops/build.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import type { Rewrite } from '../../src/simplify/engine.js';

const DECLS = 'A: n x n; X: n x n; B: n x n; C: n x n';

/** Rebuild e from its leaves up, as a new caller would: the same object wherever e is still interned. */
function rebuilt(e: Expr): Expr {
  const memo = new Map<Expr, Expr>();
  for (const x of topoOrder([e]))
    memo.set(
      x,
      x.kind === 'op'
        ? rebuildOp(
            x,
            x.args.map((a) => memo.get(a)!),
          )
        : x,
    );
  return memo.get(e)!;
}

describe('the intermediate nodes of grad', () => {
  it('are let go of, while the result stays interned', () => {
    const scope = parseDecls(DECLS.replaceAll(/([ABCX]):/g, '$1_s:'));
    const [A, X, B, C] = ['A_s', 'X_s', 'B_s', 'C_s'].map((v) => scope.vars.get(v)!);
    const f = parseExpr('trace(A_s*X_s*B_s*X_s*C_s)', scope);
    const [g] = grad(f, ['X_s'], { scope });
    expect(rebuilt(g)).toBe(g);
    // C'X', a cotangent on the way to (BXCA)', is not in the result: built again, it is a new node
    const made = matmul(transpose(C), transpose(X));
    expect(topoOrder([g])).not.toContain(made);
    expect(made.id).toBeGreaterThan(Math.max(...topoOrder([g]).map((e) => e.id)));
    expect(matmul(matmul(A, X), B).id).toBeLessThan(g.id); // a node of f, made before grad, is kept
  });

  it('stay interned when a log holds them', () => {
    const scope = parseDecls(DECLS.replaceAll(/([ABCX]):/g, '$1_l:'));
    const f = parseExpr('trace(A_l*X_l*B_l*X_l*C_l)', scope);
    const log: Rewrite[] = [];
    grad(f, ['X_l'], { scope, log });
    expect(log.length).toBeGreaterThan(0);
    for (const r of log) {
      expect(rebuilt(r.before)).toBe(r.before);
      expect(rebuilt(r.after)).toBe(r.after);
    }
  });

  it('do not pile up in a synchronous loop of fresh gradients', () => {
    const before = internedCount();
    let kept = 0;
    for (let i = 0; i < 200; i++) {
      const scope = parseDecls(DECLS.replaceAll(/([ABCX]):/g, `$1_${i}:`));
      const f = parseExpr(`trace(A_${i}*X_${i}*B_${i}*X_${i}*C_${i})`, scope);
      const [g] = grad(f, [`X_${i}`], { scope });
      kept += new Set([...topoOrder([f]), ...topoOrder([g])]).size;
    }
    // everything is still alive in this job (its WeakRefs keep their values), but only inputs and results are
    // interned: the sweep and the simplifier made about three times as many nodes again
    expect(internedCount() - before).toBeLessThanOrEqual(kept);
  });
});
