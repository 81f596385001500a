// Interning: equal structure is the same object while anyone holds it, and nodes nobody holds are freed
// (the intern table keeps them weakly), so a long-running process does not grow with every expression.
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { dimSym } from '../../src/ir/dim.js';
import { internedCount, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { add, matmul, num, sum, transpose } from '../../src/ops/build.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { collect } from '../helpers/gc.js';

describe('interning', () => {
  it('builds equal structure as the very same node, across parse and the constructors', () => {
    const scope = parseDecls('X: n x d; w: d');
    const a = parseExpr("sum((X*w)'*(X*w)) + 2", scope);
    const X = scope.vars.get('X')!;
    const w = scope.vars.get('w')!;
    const b = add(sum(matmul(transpose(matmul(X, w)), matmul(X, w))), num(2));
    expect(b).toBe(a);
    expect(variable('X', shape(dimSym('n'), dimSym('d')))).toBe(X);
    expect(variable('X', shape(dimSym('d'), dimSym('n')))).not.toBe(X);
  });

  it('frees the nodes of expressions nobody holds any more', async () => {
    await collect();
    const before = internedCount();
    let kept = 0;
    for (let i = 0; i < 300; i++) {
      const scope = parseDecls(`A${i}: m x n; X${i}: n x p; B${i}: p x m`);
      const f = parseExpr(`trace(A${i}*X${i}*B${i}) + sum(X${i}.^2)`, scope);
      kept += toText(grad(f, [`X${i}`], { scope })[0]).length;
    }
    const during = internedCount();
    expect(kept).toBeGreaterThan(0);
    expect(during - before).toBeGreaterThan(3000);
    await collect();
    // everything built above is unreachable now; allow the little a warm process keeps elsewhere
    expect(internedCount() - before).toBeLessThan((during - before) / 10);
  });
});
