import { describe, expect, it } from 'vitest';
import { dimConst, dimSym } from '../../src/ir/dim.js';
import { DeclarationError } from '../../src/ir/errors.js';
import { variable } from '../../src/ir/expr.js';
import { SCALAR, shape, shapeText } from '../../src/ir/shape.js';
import { exp } from '../../src/ops/build.js';
import { extendScope, parseDecls, scopeFromVars, scopeNames } from '../../src/parse/index.js';
import { errorOf, expectError } from './helpers.js';

const n = dimSym('n');
const d = dimSym('d');

describe('declarations of every form', () => {
  it('scalar, column vector, matrix with x and ×, integer dims', () => {
    const s = parseDecls('s: scalar; w: d; X: n x d; Y: n×d; Z: 3x4; V: 3 x 4; c: 5; R: 1 x n');
    expect(s.vars.get('s')).toBe(variable('s', SCALAR));
    expect(s.vars.get('w')).toBe(variable('w', shape(d, dimConst(1))));
    expect(s.vars.get('X')).toBe(variable('X', shape(n, d)));
    expect(s.vars.get('Y')).toBe(variable('Y', shape(n, d)));
    expect(shapeText(s.vars.get('Z')!.shape)).toBe('3×4');
    expect(shapeText(s.vars.get('V')!.shape)).toBe('3×4');
    expect(shapeText(s.vars.get('c')!.shape)).toBe('5×1');
    expect(shapeText(s.vars.get('R')!.shape)).toBe('1×n');
    expect([...s.dims].sort()).toEqual(['d', 'n']);
    expect(s.defs.size).toBe(0);
  });

  it('qualifiers, alone, together, comma-separated', () => {
    const s = parseDecls(
      'A: n x n symmetric\nS: n x n spd positive\nP: n x d positive\nQ: n x n spd, positive',
    );
    expect(s.vars.get('A')!.qualifiers).toEqual(['symmetric']);
    expect(s.vars.get('S')!.qualifiers).toEqual(['positive', 'spd']);
    expect(s.vars.get('P')!.qualifiers).toEqual(['positive']);
    expect(s.vars.get('Q')!.qualifiers).toEqual(['positive', 'spd']);
  });

  it('newlines, semicolons, blank lines, comments and CRLF', () => {
    const s = parseDecls('\n  X: n x d   # the data\r\n\n;; w: d;\r\n# nothing here\ny: n\n');
    expect([...s.vars.keys()]).toEqual(['X', 'w', 'y']);
  });

  it('an empty text declares nothing', () => {
    expect(parseDecls('').vars.size).toBe(0);
    expect(parseDecls('  \n ; ').vars.size).toBe(0);
  });

  it('a later block extends an earlier one, sharing its dims', () => {
    const base = parseDecls('X: n x d');
    const more = parseDecls('W: d x h', base);
    expect([...more.vars.keys()]).toEqual(['X', 'W']);
    expect([...more.dims].sort()).toEqual(['d', 'h', 'n']);
    expectError(() => parseDecls('X: d', base), DeclarationError, /`X` is already declared/, [1, 1, 1]);
    expectError(
      () => parseDecls('d: scalar', base),
      DeclarationError,
      /`d` is used both as a dimension and as a variable/,
      [1, 1],
    );
  });
});

describe('declaration errors name the problem and point at it', () => {
  it('a missing dimension', () => {
    expectError(
      () => parseDecls('X: n x'),
      DeclarationError,
      /missing dimension after `x` in `X: n x`/,
      [1, 7],
    );
    expectError(() => parseDecls('w: d\nX: n ×'), DeclarationError, /missing dimension after `×`/, [2, 7]);
    expectError(() => parseDecls('X:'), DeclarationError, /missing dimensions in `X:`/, [1, 2]);
  });

  it('dimensions that are not positive integers', () => {
    expectError(() => parseDecls('x: -3'), DeclarationError, /positive integer.*got -3/, [1, 4, 2]);
    expectError(() => parseDecls('x: 0'), DeclarationError, /positive integer.*got 0/, [1, 4, 1]);
    expectError(() => parseDecls('X: n x 2.5'), DeclarationError, /positive integer.*got 2\.5/, [1, 8, 3]);
    expectError(() => parseDecls('X: n-1 x d'), DeclarationError, /invalid dimension `n-1`/, [1, 4, 3]);
  });

  it('duplicate names, with the first line', () => {
    expectError(
      () => parseDecls('X: n x d\nw: d\nX: n'),
      DeclarationError,
      /`X` is declared twice \(first on line 1\)/,
      [3, 1, 1],
    );
  });

  it('reserved names: functions, constants and the derivative forms', () => {
    for (const name of ['sum', 'exp', 'grad', 'jacobian', 'hessian', 'eye', 'ones', 'zeros']) {
      expectError(
        () => parseDecls(`${name}: n`),
        DeclarationError,
        /reserved \(a function of the language\)/,
        [1, 1],
      );
    }
    for (const name of ['e', 'pi', 'i', 'Infinity', 'NaN']) {
      expectError(() => parseDecls(`w: d; ${name}: n`), DeclarationError, /reserved \(a constant\)/, [1, 7]);
    }
    expectError(
      () => parseDecls('X: sum x d'),
      DeclarationError,
      /`sum` is reserved.*cannot name a dimension/,
      [1, 4],
    );
  });

  it('invalid identifiers', () => {
    expectError(() => parseDecls('2X: n'), DeclarationError, /invalid name `2X`/, [1, 1, 2]);
    expectError(() => parseDecls('w: d;  x-y: n'), DeclarationError, /invalid name `x-y`/, [1, 8, 3]);
    expectError(() => parseDecls('α: n'), DeclarationError, /invalid name `α`/, [1, 1]);
    expectError(() => parseDecls(': n'), DeclarationError, /missing name before `:`/, [1, 1]);
    expectError(
      () => parseDecls('X n x d'),
      DeclarationError,
      /reads `name: dims`.*got `X n x d`/,
      [1, 1, 7],
    );
  });

  it('a name used both as a dimension and as a variable, in either order', () => {
    expectError(
      () => parseDecls('n: scalar; X: n x d'),
      DeclarationError,
      /`n` is used both as a dimension and as a variable/,
      [1, 15, 1],
    );
    expectError(
      () => parseDecls('X: n x d\nd: scalar'),
      DeclarationError,
      /`d` is used both as a dimension and as a variable/,
      [2, 1, 1],
    );
    expectError(() => parseDecls('X: X x d'), DeclarationError, /`X` is used both/, [1, 4]);
  });

  it('unknown qualifiers suggest the nearest', () => {
    expectError(
      () => parseDecls('S: n x n spdd'),
      DeclarationError,
      /unknown qualifier `spdd` \(did you mean `spd`\?\)/,
      [1, 10, 4],
    );
    expectError(() => parseDecls('S: n x n symetric'), DeclarationError, /did you mean `symmetric`/, [1, 10]);
    expectError(
      () => parseDecls('X: n d'),
      DeclarationError,
      /unknown qualifier `d` \(did you mean `n x d`\?\)/,
      [1, 6],
    );
  });

  it('symmetric and spd need a square shape', () => {
    expectError(
      () => parseDecls('S: n x d spd'),
      DeclarationError,
      /`spd` needs a square shape, got n×d/,
      [1, 10, 3],
    );
    expectError(
      () => parseDecls('v: n symmetric'),
      DeclarationError,
      /`symmetric` needs a square shape, got n×1/,
      [1, 6],
    );
    expect(parseDecls('s: scalar spd').vars.get('s')!.qualifiers).toEqual(['spd']);
  });

  it('shapes with more than two dims, and misused words', () => {
    expectError(() => parseDecls('T: n x d x k'), DeclarationError, /at most two dimensions/, [1, 10]);
    expectError(() => parseDecls('X: x x n'), DeclarationError, /`x` separates dimensions/, [1, 4]);
    expectError(() => parseDecls('X: scalar x n'), DeclarationError, /`scalar` is a whole shape/, [1, 4, 6]);
    expectError(() => parseDecls('X: n x scalar'), DeclarationError, /`scalar` is a whole shape/, [1, 8]);
  });
});

describe('scopes built by code', () => {
  it('scopeFromVars reads the dims off the shapes', () => {
    const X = variable('X', shape(n, d));
    const s = scopeFromVars([X, variable('y', shape(n, dimConst(1)))]);
    expect(s.vars.get('X')).toBe(X);
    expect([...s.dims].sort()).toEqual(['d', 'n']);
    expect(() => scopeFromVars([variable('n', SCALAR), X])).toThrow(DeclarationError);
    expect(() => scopeFromVars([X, variable('X', SCALAR)])).toThrow(/declared twice/);
  });

  it('extendScope binds a name to an expression and refuses clashes', () => {
    const s = parseDecls('w: d');
    const e = exp(s.vars.get('w')!);
    const t = extendScope(s, 'H', e);
    expect(t.defs.get('H')).toBe(e);
    expect(s.defs.has('H')).toBe(false);
    expect(scopeNames(t).sort()).toEqual(['H', 'd', 'w']);
    expect(() => extendScope(t, 'H', e)).toThrow(/already defined/);
    expect(() => extendScope(t, 'w', e)).toThrow(/declared variable/);
    expect(() => extendScope(t, 'd', e)).toThrow(/is a dimension/);
    expect(() => extendScope(t, 'exp', e)).toThrow(/reserved/);
    expect(() => extendScope(t, '1H', e)).toThrow(/invalid name/);
    const pos = { line: 3, column: 1 };
    expect(errorOf(() => extendScope(t, 'H', e, pos)).pos).toBe(pos);
  });
});
