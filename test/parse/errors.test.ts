import { describe, expect, it } from 'vitest';
import { LimitError, ParseError, ShapeError } from '../../src/ir/errors.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { expectError } from './helpers.js';

const scope = parseDecls('X: n x d; w: d; y: n; W: d x h; b: h; K: k x h; S: n x n spd; s: scalar');
const p = (text: string) => () => parseExpr(text, scope);

describe('shape errors point at the operator or function and quote the subexpression', () => {
  it('matrix product with differing inner dimensions', () => {
    expectError(
      () => parseExpr('X*W', parseDecls('X: n x d; W: k x h')),
      ShapeError,
      /^cannot multiply n×d by k×h: inner dimensions d and k differ in `X\*W`$/,
      [1, 2, 1],
    );
    expectError(p('exp(X * K) + 1'), ShapeError, /in `X \* K`$/, [1, 7, 1]);
    expectError(p('sum(X*w -\n    X*K)'), ShapeError, /in `X\*K`/, [2, 6, 1]);
  });

  it('broadcasting mismatches, with a transpose hint when one would fix it', () => {
    expectError(
      p('X*W + b'),
      ShapeError,
      /cannot add n×h and h×1.* in `X\*W \+ b` \(did you mean `b'`\?\)/,
      [1, 5, 1],
    );
    expectError(p('X - W'), ShapeError, /^cannot .*n×d and d×h[^?]*$/, [1, 3, 1]);
    expectError(p('X .* w'), ShapeError, /did you mean `w'`/, [1, 3, 2]);
  });

  it('square-only functions name themselves and the shape', () => {
    expectError(p('trace(X)'), ShapeError, /trace needs a square matrix, got n×d in `trace\(X\)`/, [1, 1, 5]);
    expectError(p('1 + det(X)'), ShapeError, /det needs a square matrix, got n×d/, [1, 5, 3]);
    expectError(p('logdet(W)'), ShapeError, /logdet needs a square matrix, got d×h/, [1, 1, 6]);
    expectError(p('inv(X)'), ShapeError, /inv needs a square matrix, got n×d/, [1, 1, 3]);
    expectError(p('diag(X)'), ShapeError, /diag needs a vector or a square matrix, got n×d/, [1, 1, 4]);
  });

  it('division by a non-scalar suggests ./ (and inv for a square divisor)', () => {
    expectError(
      p('X / S'),
      ShapeError,
      /cannot divide by the n×n matrix `S`.*`\.\/`.*`\*inv\(S\)`/,
      [1, 3, 1],
    );
    const e = expectError(p('s / w'), ShapeError, /use `\.\/` for elementwise division$/, [1, 3]);
    expect(e.message).not.toMatch(/inv/);
  });

  it('powers: square base, integer exponent, scalar exponent', () => {
    expectError(
      p('X^2'),
      ShapeError,
      /`\^` is a matrix power and needs a square matrix, got n×d.*`\.\^`/,
      [1, 2, 1],
    );
    expectError(p('S^s'), ParseError, /matrix power needs an integer exponent, got `s` in `S\^s`/, [1, 2, 1]);
    expectError(p('S^0.5'), ParseError, /integer exponent, got `0\.5`/, [1, 2]);
    expectError(p('s^w'), ShapeError, /`\^` needs a scalar exponent, got d×1.*`\.\^`/, [1, 2]);
  });

  it('grad needs a scalar function and a declared variable', () => {
    expectError(
      p('grad(X*w, w)'),
      ShapeError,
      /grad needs a scalar \(1×1\) function, got n×1 in `grad\(X\*w, w\)`; use jacobian\(f, x\)/,
      [1, 1, 4],
    );
    expectError(
      p('hessian(X*w, w)'),
      ShapeError,
      /hessian needs a scalar \(1×1\) function, got n×1/,
      [1, 1, 7],
    );
    expectError(p('grad(s, s + 1)'), ParseError, /declared variable; `s \+ 1` is not one/, [1, 9, 5]);
    expectError(p('grad(s, n)'), ParseError, /declared variable; `n` is not one/, [1, 9]);
    expectError(
      p('jacobian(w, ww)'),
      ParseError,
      /undeclared symbol `ww` \(did you mean `w`\?\)/,
      [1, 13, 2],
    );
  });
});

describe('name errors suggest the nearest name', () => {
  it('undeclared symbols', () => {
    expectError(p('wq'), ParseError, /^undeclared symbol `wq` \(did you mean `w`\?\)$/, [1, 1, 2]);
    expectError(p('sum(X*wq)'), ParseError, /undeclared symbol `wq`/, [1, 7, 2]);
    expectError(p('x'), ParseError, /undeclared symbol `x` \(did you mean `X`\?\)/, [1, 1]);
    expectError(p('zzz'), ParseError, /^undeclared symbol `zzz`$/, [1, 1, 3]);
    expectError(p('w + __proto__'), ParseError, /^undeclared symbol `__proto__`$/, [1, 5, 9]);
  });

  it('unknown functions, and names people reach for', () => {
    expectError(
      p('sigmod(w)'),
      ParseError,
      /unknown function `sigmod` \(did you mean `sigmoid`\?\)/,
      [1, 1, 6],
    );
    expectError(p('2*sofmax(w)'), ParseError, /did you mean `softmax`/, [1, 3, 6]);
    expectError(p('ln(w)'), ParseError, /unknown function `ln`: did you mean `log`\?/, [1, 1, 2]);
    expectError(p('dot(w, w)'), ParseError, /x'\*y/, [1, 1, 3]);
    expectError(p('foo(w)'), ParseError, /^unknown function `foo`$/, [1, 1, 3]);
    expectError(p('constructor(w)'), ParseError, /^unknown function `constructor`$/, [1, 1, 11]);
    expectError(p('toString(w, w)'), ParseError, /^unknown function `toString`$/, [1, 1, 8]);
  });

  it('a variable or dimension called like a function', () => {
    expectError(
      p('X(W+b)'),
      ParseError,
      /^X is a variable, not a function; did you mean X\*\(W\+b\)\?$/,
      [1, 1, 1],
    );
    expectError(
      p('1 + n(w)'),
      ParseError,
      /n is a dimension, not a function; did you mean n\*\(w\)\?/,
      [1, 5, 1],
    );
  });

  it('a function used without a call', () => {
    expectError(p('sum + 1'), ParseError, /`sum` is a function: call it as sum\(…\)/, [1, 1, 3]);
  });
});

describe('calls with the wrong arguments', () => {
  it('argument counts', () => {
    expectError(p('sum(X, 1, 2)'), ParseError, /^sum takes 1 or 2 arguments, got 3$/, [1, 1, 3]);
    expectError(p('exp(w, w)'), ParseError, /^exp takes 1 argument, got 2$/, [1, 1, 3]);
    expectError(p('kron(X)'), ParseError, /^kron takes 2 arguments, got 1$/, [1, 1, 4]);
    expectError(p('eye()'), ParseError, /^eye takes 1 argument, got 0$/, [1, 1, 3]);
    expectError(p('grad(s)'), ParseError, /^grad takes 2 arguments, got 1$/, [1, 1, 4]);
  });

  it('a reduction dim must be the literal 1 or 2', () => {
    expectError(
      p('sum(X, 3)'),
      ParseError,
      /dim of sum must be the literal 1 .* or 2 .*, got `3`/,
      [1, 8, 1],
    );
    expectError(p('mean(X, s)'), ParseError, /dim of mean must be the literal/, [1, 9]);
    expectError(p('softmax(X, 0)'), ParseError, /dim of softmax/, [1, 12]);
  });

  it('sizes must be dims', () => {
    expectError(p('ones(w)'), ParseError, /ones takes dimensions .*; `w` is not a dimension/, [1, 6, 1]);
    expectError(p('eye(q)'), ParseError, /`q` is not declared/, [1, 5]);
    expectError(p('zeros(n, 0)'), ParseError, /got `0`/, [1, 10]);
    expectError(p('eye(n - 1)'), ParseError, /got `n - 1`/, [1, 5, 5]);
    expectError(p('eye(n d)'), ParseError, /ambiguous implicit multiplication `n d`: write `n\*d`/, [1, 7]);
  });
});

describe('implicit multiplication only where unambiguous', () => {
  it('two names side by side', () => {
    expectError(p('X w'), ParseError, /^ambiguous implicit multiplication `X w`: write `X\*w`$/, [1, 3, 1]);
    expectError(
      p("2 w y'"),
      ParseError,
      /ambiguous implicit multiplication `2 w y'`: write `2 w\*y'`/,
      [1, 5],
    );
    expectError(p('(X)2'), ParseError, /write `\(X\)\*2`/, [1, 4]);
  });
});

describe('syntax errors from mathjs get a line and column', () => {
  it('its (char N) becomes line:column', () => {
    expectError(p('w +'), ParseError, /^unexpected end of input$/, [1, 4]);
    expectError(p('(w'), ParseError, /^missing `\)`$/, [1, 3]);
    expectError(p('w + * y'), ParseError, /^expected a value here$/, [1, 5]);
    expectError(p('sum(X,\n  w +)'), ParseError, /expected a value here/, [2, 6]);
    expectError(p('w y)'), ParseError, /^unexpected `\)`$/, [1, 4]);
    expectError(p('w)'), ParseError, /^unexpected `\)`$/, [1, 2]);
    expectError(p('x @ y'), ParseError, /unexpected character `@`/, [1, 3]);
  });

  it('empty input', () => {
    expectError(p(''), ParseError, /^empty expression$/, [1, 1]);
    expectError(p('   \n '), ParseError, /^empty expression$/, [1, 1]);
    expectError(p('# just a comment'), ParseError, /^empty expression$/, [1, 1]);
  });
});

describe('mathjs syntax outside the language is refused by name', () => {
  const cases: readonly [string, RegExp, number][] = [
    ['w + "a"', /strings are not part of the language/, 5],
    ["'a'", /strings are not part of the language/, 1],
    ['[1, 2]', /matrix literals and indexing/, 1],
    ['X[1]', /matrix literals and indexing/, 2],
    ['{a: 1}', /objects/, 1],
    ['a = 1', /assignment `=`/, 3],
    ['f(x) = x', /assignment `=`/, 6],
    ['1:3', /ranges \(`:`\)/, 2],
    ['s!', /factorial `!`/, 2],
    ['5%', /`%`/, 2],
    ['s < 1', /comparisons \(`<`\)/, 3],
    ['s == 1', /comparisons \(`==`\)/, 3],
    ['s ? 1 : 2', /conditionals \(`\?`\)/, 3],
    ['s mod 2', /`mod` is not part of the language/, 3],
    ['s and s', /logical operators \(`and`\)/, 3],
    ['not s', /logical operators \(`not`\)/, 1],
    ['s & s', /bitwise operators \(`&`\)/, 3],
    ['X.a', /`\.` is not an operator \(did you mean `\.\*`, `\.\/` or `\.\^`\?\)/, 2],
    ['w; y', /single expression/, 2],
    ['e', /`e` is not part of the language; write exp\(1\)/, 1],
    ['2*pi', /`pi` is not part of the language/, 3],
    ['s + i', /complex numbers/, 5],
    ['Infinity', /`Infinity` is not part of the language/, 1],
    ['NaN', /`NaN` is not part of the language/, 1],
    ['true', /`true` is not part of the language/, 1],
    ['1e999', /the number `1e999` is too large/, 1],
  ];
  it.each(cases)('%s', (text, message, column) => {
    expectError(p(text), ParseError, message, [1, column]);
  });

  it('a second expression on a new line', () => {
    expectError(p('w\ny'), ParseError, /single expression; a second one starts here/, [2, 1, 1]);
  });
});

describe('depth', () => {
  it('nesting deeper than mathjs can parse is a LimitError, not a crash', () => {
    const deep = `${'('.repeat(100_000)}w${')'.repeat(100_000)}`;
    expectError(p(deep), LimitError, /expression nested too deeply/, [1, 1]);
    expectError(p(`${'-'.repeat(100_000)}w`), LimitError, /nested too deeply/, [1, 1]);
  });

  it('moderate nesting is fine', () => {
    expect(parseExpr(`${'('.repeat(200)}w${')'.repeat(200)}`, scope)).toBe(scope.vars.get('w'));
  });
});
