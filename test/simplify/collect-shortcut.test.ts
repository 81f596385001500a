// Term collection skips nodes it can tell are already in its normal form (−x, c·x, a ± b, c·(a ± b) of
// atoms) without building anything; the shortcut must agree with the full collection on every such node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expr, topoOrder } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { alreadyNormal, normalise } from '../../src/simplify/rules/collect.js';

const scope = parseDecls('A: n x n; B: n x n; x: n; y: n; R: 1 x n; c: scalar');
const atoms = [
  'A',
  "A'",
  'B',
  "B'",
  'x',
  'y',
  "x'",
  'R',
  "R'",
  'c',
  'exp(x)',
  'A*x',
  "x'*y",
  'ones(n, 1)',
  '2',
  '0.5',
  '-x',
];
const ops = [' + ', ' - ', ' .* ', ' ./ '];
const coefficients = ['2', '1.5', '0.5', '1', '3', 'c'];

const term = fc.oneof(
  fc.constantFrom(...atoms),
  fc
    .tuple(fc.constantFrom(...atoms), fc.constantFrom(...ops), fc.constantFrom(...atoms))
    .map((p) => p.join('')),
);
const text = fc.oneof(
  term,
  fc.tuple(fc.constantFrom(...coefficients), term).map(([c, t]) => `${c}*(${t})`),
  term.map((t) => `-(${t})`),
);

describe('the collection shortcut', () => {
  it('skips only nodes the full collection writes back unchanged', () => {
    let skipped = 0;
    fc.assert(
      fc.property(text, (t) => {
        let e: Expr;
        try {
          e = parseExpr(t, scope);
        } catch {
          return; // shapes that do not fit
        }
        for (const node of topoOrder([e])) {
          if (node.kind !== 'op' || !alreadyNormal(node)) continue;
          skipped++;
          expect(normalise(node), t).toBe(node);
        }
      }),
      { numRuns: 1500, seed: 13 },
    );
    expect(skipped).toBeGreaterThan(100);
  });
});
