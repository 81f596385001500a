// The fast readings of expressions and declarations agree with the careful ones (mathjs for expressions):
// whatever the fast reading accepts, the careful reading builds the very same node (or scope), and the
// fast reading covers the common forms. Inputs are random texts over the language's tokens plus noise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/ir/expr.js';
import { parseDeclsCarefully } from '../../src/parse/decls.js';
import { declsFast } from '../../src/parse/decls-fast.js';
import { parseCarefully } from '../../src/parse/expr.js';
import { fastParse } from '../../src/parse/fast.js';
import { EMPTY_SCOPE, parseDecls } from '../../src/parse/index.js';

const scope = parseDecls(
  'X: n x d; Y: n x d; A: n x n; S: n x n spd; w: d; y: n; s: scalar; t: scalar; r: 1 x d',
);

function careful(text: string): Expr | Error {
  try {
    return parseCarefully(text, scope);
  } catch (e) {
    return e as Error;
  }
}

const atoms = ['X', 'Y', 'A', 'S', 'w', 'y', 's', 't', 'r', 'n', 'd', '2', '0.5', '3e2', '1', 'q', 'e', 'pi'];
const calls = [
  'exp',
  'log',
  'tanh',
  'sigmoid',
  'trace',
  'inv',
  'det',
  'sum',
  'mean',
  'diag',
  'norm',
  'softmax',
  'kron',
  'max',
  'eye',
  'ones',
  'zeros',
  'vec',
  'grad',
];
const binary = ['+', '-', '*', '/', '.*', './', '.^', '^', ' + ', ' * '];

/** A random, mostly well-formed expression text. */
const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...atoms),
    fc.tuple(tie('e'), fc.constantFrom(...binary), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    tie('e').map((a) => `(${a})`),
    tie('e').map((a) => `${a}'`),
    tie('e').map((a) => `-${a}`),
    fc.tuple(fc.constantFrom(...calls), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(
        fc.constantFrom('sum', 'mean', 'softmax', 'kron', 'max', 'ones', 'zeros'),
        tie('e'),
        fc.constantFrom('1', '2', 'n', 'X', '3'),
      )
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.constantFrom('eye(n)', 'ones(n, d)', 'zeros(d)', 'ones(3, n)', 'eye(2)'),
  ),
})).e as fc.Arbitrary<string>;

/** Noise: a character that may or may not belong (juxtaposition, newlines, comments, strings…). */
const noisy = fc
  .tuple(
    expression,
    fc.nat(40),
    fc.constantFrom(
      ' ',
      'x',
      '2',
      '(',
      ')',
      "'",
      '\n',
      '#',
      '.',
      ',',
      '$',
      'é',
      ';',
      '[',
      '!',
      '%',
      '\t',
      'e',
      '+',
      '^',
    ),
  )
  .map(([text, at, c]) => text.slice(0, at) + c + text.slice(at));

describe('the fast expression reading', () => {
  it('builds what the careful reading builds, whenever it reads a text', () => {
    let read = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.oneof(expression, noisy), (text) => {
        total++;
        const fast = fastParse(text, scope);
        if (fast === undefined) return;
        read++;
        expect(careful(text)).toBe(fast);
      }),
      { numRuns: 4000, seed: 13 },
    );
    // the common forms take the fast path (the rest are shape errors, noise and the careful-only forms)
    expect(read / total).toBeGreaterThan(0.2);
  });

  it('reads the textbook forms itself', () => {
    for (const text of [
      "trace(A*X*Y')",
      'sum((X*w - y).^2)',
      "w'*X'*X*w + s^2 - -t",
      'exp(-s) ./ (1 + exp(-s))',
      "sum(X, 1) + mean(X, 2)'*ones(n, d)",
      'logdet(S) + trace(inv(S)*A) + norm(w) / n',
      '2.5e-3*X .* X + 1./(2 + s)',
    ]) {
      const fast = fastParse(text, scope);
      expect(fast, text).toBeDefined();
      expect(careful(text), text).toBe(fast);
    }
  });

  it('leaves every wrong or unusual text to the careful reading', () => {
    for (const text of [
      '',
      '2x',
      "A'B",
      'X*X',
      'X / X',
      'A^2',
      'q + 1',
      'sum(X, 3)',
      'f(x)',
      '(X)(X)',
      'X\n+X',
      'e',
      'true',
      'x.y',
      'A[1]',
      '1e400',
      '0x10',
      `${'- '.repeat(100)}s`,
    ]) {
      expect(fastParse(text, scope), JSON.stringify(text)).toBeUndefined();
    }
  });
});

const declWords = [
  'X',
  'w',
  'n',
  'd',
  'x',
  'scalar',
  '3',
  '0',
  'spd',
  'symmetric',
  'positive',
  ',',
  ':',
  ';',
  '\n',
  'nxd',
  '3x4',
  '×',
  '#c',
  'exp',
  'e',
  ' ',
  // the base's names and dims, a dim met again, tabs, glued and long words
  'B',
  'm',
  'k',
  'n2',
  'xn',
  '\t',
  '007',
  '12345678901234567890',
];

describe('the fast declaration reading', () => {
  it('returns what the careful reading returns, whenever it reads a text', () => {
    const text = fc.array(fc.constantFrom(...declWords), { maxLength: 14 }).map((ws) => ws.join(' '));
    const base = parseDecls('B: m x k');
    fc.assert(
      fc.property(text, fc.boolean(), (t, withBase) => {
        const b = withBase ? base : EMPTY_SCOPE;
        const fast = declsFast(t, b);
        if (fast === undefined) return;
        const slow = parseDeclsCarefully(t, b);
        expect([...slow.vars]).toEqual([...fast.vars]);
        for (const [name, v] of fast.vars) expect(slow.vars.get(name)).toBe(v);
        expect([...slow.dims]).toEqual([...fast.dims]);
        expect(slow.defs).toBe(fast.defs);
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('reads the usual forms itself', () => {
    for (const t of [
      'A: m x n; X: n x p; B: p x m',
      'x: n\nA: n x n spd, positive',
      's: scalar; c: 5; R: 1 x n',
      '',
    ]) {
      expect(declsFast(t, EMPTY_SCOPE), t).toBeDefined();
    }
  });
});
