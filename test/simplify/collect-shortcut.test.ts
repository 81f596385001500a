// Term collection decides some normal forms without collecting: nodes already in normal form (−x, c·x,
// a ± b, c·(a ± b) of atoms), a sum of two atoms written in the other order (A' + B → B + A') and a product
// of constants and ones with one atom (ones·2 ⊙ x → 2x); the shortcut must agree with the full collection
// on every node it decides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Expr, topoOrder } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { fullNormalForm } from '../../src/simplify/rules/collect.js';
import { shortcutForm } from '../../src/simplify/rules/collect-shortcut.js';

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
  // constants and ones around one atom or pair: ones(n, 1)·2 ⊙ (Xw − y) → 2(Xw − y)
  fc
    .tuple(fc.constantFrom(...coefficients, '-2', '0.25'), fc.constantFrom('ones(n, 1)', '1', '3'), term)
    .map(([c, o, t]) => `${o}*${c} .* (${t})`),
  fc
    .tuple(term, fc.constantFrom(...coefficients), fc.constantFrom(...coefficients, '-1'))
    .map(([t, c, d]) => `(${t}) .* ${c} .* ${d}`),
);

describe('the collection shortcut', () => {
  it('decides only nodes whose form it gives as the full collection does', () => {
    let skipped = 0;
    let swapped = 0;
    fc.assert(
      fc.property(text, (t) => {
        let e: Expr;
        try {
          e = parseExpr(t, scope);
        } catch {
          return; // shapes that do not fit
        }
        for (const node of topoOrder([e])) {
          if (node.kind !== 'op') continue;
          const short = shortcutForm(node);
          if (!short) continue;
          if (short === node) skipped++;
          else swapped++;
          expect(short, t).toBe(fullNormalForm(node));
        }
      }),
      { numRuns: 1500, seed: 13 },
    );
    expect(skipped).toBeGreaterThan(100);
    expect(swapped).toBeGreaterThan(50);
  });
});
