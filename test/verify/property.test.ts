// Property: a claim equal to the engine's own gradient after random algebraic rewrites (transposes pushed
// and pulled, terms reordered, products re-associated, scalars and negations moved, sums distributed) is
// always accepted. Each rewrite is first validated numerically, so a wrong rewrite fails the test itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { rebuildOp } from '../../src/diff/rebuild.js';
import { dimSymbols } from '../../src/ir/dim.js';
import { type Expr, freeVars, topoOrder } from '../../src/ir/expr.js';
import { isScalar } from '../../src/ir/shape.js';
import { maxRelDiff } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { randomDims, randomValues, seededRandom } from '../../src/numeric/random.js';
import { add, matmul, mul, neg, sub, transpose } from '../../src/ops/build.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { equal } from '../../src/verify/equal.js';

const op = (e: Expr, name: string): e is Expr & { kind: 'op'; args: readonly Expr[] } =>
  e.kind === 'op' && e.op === name;

/** Value-preserving rewrites at the root of e; null when the pattern does not match. */
const REWRITES: readonly ((e: Expr) => Expr | null)[] = [
  // a + b → b + a
  (e) => (op(e, 'add') ? add(e.args[1], e.args[0]) : null),
  // a − b → a + (−b)
  (e) => (op(e, 'sub') ? add(e.args[0], neg(e.args[1])) : null),
  // (AB)ᵀ → BᵀAᵀ
  (e) =>
    op(e, 'transpose') && op(e.args[0], 'matmul')
      ? matmul(transpose(e.args[0].args[1]), transpose(e.args[0].args[0]))
      : null,
  // (A ± B)ᵀ → Aᵀ ± Bᵀ
  (e) => {
    if (!op(e, 'transpose')) return null;
    const a = e.args[0];
    if (op(a, 'add')) return add(transpose(a.args[0]), transpose(a.args[1]));
    if (op(a, 'sub')) return sub(transpose(a.args[0]), transpose(a.args[1]));
    return null;
  },
  // AB → (BᵀAᵀ)ᵀ
  (e) => (op(e, 'matmul') ? transpose(matmul(transpose(e.args[1]), transpose(e.args[0]))) : null),
  // (AB)C ↔ A(BC)
  (e) => {
    if (!op(e, 'matmul')) return null;
    const [l, r] = e.args;
    if (op(l, 'matmul')) return matmul(l.args[0], matmul(l.args[1], r));
    if (op(r, 'matmul')) return matmul(matmul(l, r.args[0]), r.args[1]);
    return null;
  },
  // s(AB) → (sA)B or A(sB) for a scalar s
  (e) => {
    if (!op(e, 'emul')) return null;
    const [s, m] = e.args;
    if (!isScalar(s.shape) || !op(m, 'matmul')) return null;
    return m.id % 2 === 0 ? matmul(mul(s, m.args[0]), m.args[1]) : matmul(m.args[0], mul(s, m.args[1]));
  },
  // a ⊙ b → b ⊙ a
  (e) => (op(e, 'emul') ? mul(e.args[1], e.args[0]) : null),
  // (−A)B → −(AB), A(−B) → −(AB)
  (e) => {
    if (!op(e, 'matmul')) return null;
    const [l, r] = e.args;
    if (op(l, 'neg')) return neg(matmul(l.args[0], r));
    if (op(r, 'neg')) return neg(matmul(l, r.args[0]));
    return null;
  },
  // A(B ± C) → AB ± AC
  (e) => {
    if (!op(e, 'matmul')) return null;
    const [a, s] = e.args;
    if (op(s, 'add')) return add(matmul(a, s.args[0]), matmul(a, s.args[1]));
    if (op(s, 'sub')) return sub(matmul(a, s.args[0]), matmul(a, s.args[1]));
    return null;
  },
  // a ⊙ (b ± c) → a⊙b ± a⊙c
  (e) => {
    if (!op(e, 'emul')) return null;
    const [a, s] = e.args;
    if (op(s, 'add')) return add(mul(a, s.args[0]), mul(a, s.args[1]));
    if (op(s, 'sub')) return sub(mul(a, s.args[0]), mul(a, s.args[1]));
    return null;
  },
  // A → (Aᵀ)ᵀ
  (e) => (e.kind === 'var' && !isScalar(e.shape) ? transpose(transpose(e)) : null),
];

function replace(root: Expr, target: Expr, by: Expr): Expr {
  const memo = new Map<number, Expr>([[target.id, by]]);
  for (const n of topoOrder([root])) {
    if (!memo.has(n.id))
      memo.set(
        n.id,
        n.kind === 'op'
          ? rebuildOp(
              n,
              n.args.map((a) => memo.get(a.id) ?? a),
            )
          : n,
      );
  }
  return memo.get(root.id)!;
}

/** Apply rewrite `rule` (or the next one that matches) at node `at` (mod the node count). */
function rewrite(e: Expr, at: number, rule: number): Expr {
  const nodes = topoOrder([e]).filter((n) => n.kind !== 'deriv');
  const node = nodes[at % nodes.length];
  for (let k = 0; k < REWRITES.length; k++) {
    const out = REWRITES[(rule + k) % REWRITES.length](node);
    if (out) return replace(e, node, out);
  }
  return e;
}

/** The largest relative difference between a and b at a few seeded random points (an independent check). */
function valueGap(a: Expr, b: Expr): number {
  const [x, y] = [expandDerivatives(a), expandDerivatives(b)];
  const vars = [...new Map([...freeVars(x), ...freeVars(y)].map((v) => [v.name, v])).values()];
  const symbols = [
    ...new Set(vars.flatMap((v) => [...dimSymbols(v.shape.rows), ...dimSymbols(v.shape.cols)])),
  ];
  const rand = seededRandom(99);
  let gap = 0;
  for (let t = 0; t < 2; t++) {
    const dims = randomDims(symbols, rand);
    const [va, vb] = evaluateMany([x, y], randomValues(vars, dims, rand), dims);
    gap = Math.max(gap, maxRelDiff(va, vb));
  }
  return gap;
}

const LOSSES: readonly [string, string, string][] = [
  ['X: n x d; w: d; y: n', 'sum((X*w - y).^2)', 'w'],
  ['X: n x d; w: d; y: n; lam: scalar', 'mean((X*w - y).^2) + lam*sum(w.^2)', 'w'],
  ['X: n x d; w: d; y: n', 'sum(softplus(X*w) - y .* (X*w))', 'w'],
  ['W: k x d; x: d; y: k', "logsumexp(W*x) - y'*W*x", 'W'],
  ['X: n x d; W: d x k; Y: n x k', 'sum(logsumexp(X*W, 2)) - sum(Y .* (X*W))', 'W'],
  ['X: n x d; W1: d x h; w2: h; y: n', 'sum((tanh(X*W1)*w2 - y).^2)', 'W1'],
  ['X: n x k; A: n x n', "trace(X'*A*X)", 'X'],
  ['x: n; A: n x n', "x'*A*x - sum(x)", 'x'],
  ['A: p x m; X: m x n; B: n x p', 'trace(A*X*B) + sum(X.^2)/2', 'X'],
];

const gradients = LOSSES.map(([decls, f, wrt]) => {
  const scope = parseDecls(decls);
  return grad(parseExpr(f, scope), [wrt], { scope })[0];
});

describe('equal accepts rewritten gradients', () => {
  it('every rewrite preserves value, and every rewritten gradient is accepted', () => {
    const methods = new Set<string>();
    let changed = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: gradients.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        (which, steps) => {
          const g = gradients[which];
          const claim = steps.reduce((e, [at, rule]) => rewrite(e, at, rule), g);
          expect(valueGap(claim, g)).toBeLessThan(1e-9);
          const v = equal(claim, g);
          expect(v.equal).toBe(true);
          methods.add(v.method);
          if (claim !== g) changed++;
        },
      ),
      { seed: 20260101, numRuns: 150 },
    );
    // Not vacuous: most runs change the expression, and some are only decided by the numeric test.
    expect(changed).toBeGreaterThan(100);
    expect([...methods].sort()).toEqual(['numeric', 'symbolic']);
  });
});
