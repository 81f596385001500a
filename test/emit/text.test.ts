// toText: minimal parentheses from the precedence table (every case of src/emit/precedence.ts), calls,
// constants, derivatives, named lets, deep expressions; and the round trip parse(toText(e)) === e.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toText, toTextLets } from '../../src/emit/text.js';
import { dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { derivNode, type Expr, type VarExpr, variable } from '../../src/ir/expr.js';
import { isScalar, isSquare, isVector, SCALAR, shape } from '../../src/ir/shape.js';
import {
  add,
  apply,
  dimExpr,
  div,
  exp,
  eye,
  kron,
  matmul,
  matpow,
  mul,
  neg,
  num,
  ones,
  pow,
  sub,
  sum,
  times,
  trace,
  transpose,
  zeros,
} from '../../src/ops/build.js';
import type { OpName } from '../../src/ops/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const n = dimSym('n');
const d = dimSym('d');
const [a, b, c] = ['a', 'b', 'c'].map((name) => variable(name, SCALAR));
const [A, B, C] = ['A', 'B', 'C'].map((name) => variable(name, shape(n, n)));
const X = variable('X', shape(n, d));
const Y = variable('Y', shape(n, d));
const Z = variable('Z', shape(n, d));
const x = variable('x', shape(n, ONE));
const w = variable('w', shape(d, ONE));

const cases = (table: readonly (readonly [Expr, string])[]) =>
  it.each(table.map(([e, text]) => ({ e, text })))('$text', ({ e, text }) => {
    expect(toText(e)).toBe(text);
  });

describe('toText: + - (level 1, left-assoc)', () => {
  cases([
    [sub(add(a, b), c), 'a + b - c'],
    [add(a, sub(b, c)), 'a + (b - c)'],
    [sub(a, sub(b, c)), 'a - (b - c)'],
    [sub(a, add(b, c)), 'a - (b + c)'],
    [add(add(a, b), c), 'a + b + c'],
    [add(a, add(b, c)), 'a + (b + c)'],
  ]);
});

describe('toText: * .* / ./ (level 2, left-assoc, one level)', () => {
  cases([
    [matmul(matmul(A, B), C), 'A*B*C'],
    [matmul(A, matmul(B, C)), 'A*(B*C)'],
    [matmul(add(A, B), C), '(A + B)*C'],
    [add(matmul(A, B), C), 'A*B + C'],
    [sub(C, matmul(A, B)), 'C - A*B'],
    [div(mul(a, b), c), 'a*b/c'],
    [mul(a, div(b, c)), 'a*(b/c)'],
    [div(a, mul(b, c)), 'a/(b*c)'],
    [div(div(a, b), c), 'a/b/c'],
    [apply('ediv', [apply('emul', [X, Y]), Z]), 'X .* Y ./ Z'],
    [apply('emul', [X, apply('ediv', [Y, Z])]), 'X .* (Y ./ Z)'],
    [div(num(2), X), '2 ./ X'],
    [div(X, a), 'X/a'],
    [mul(num(2), X), '2*X'],
    [mul(add(a, b), X), '(a + b)*X'],
    [matmul(X, w), 'X*w'],
    [sub(matmul(X, w), x), 'X*w - x'],
  ]);
});

describe('toText: prefix - (level 3)', () => {
  cases([
    [neg(a), '-a'],
    [neg(neg(a)), '-(-a)'],
    [neg(add(a, b)), '-(a + b)'],
    [neg(mul(a, b)), '-(a*b)'],
    [mul(neg(a), b), '-a*b'],
    [mul(a, neg(b)), 'a*-b'],
    [sub(a, neg(b)), 'a - -b'],
    [add(neg(a), b), '-a + b'],
    [num(-3), '-3'],
    [neg(pow(a, num(2))), '-a^2'],
    [neg(transpose(A)), "-A'"],
    [neg(exp(X)), '-exp(X)'],
  ]);
});

describe('toText: ^ .^ and the power form (level 4, right-assoc)', () => {
  cases([
    [pow(a, b), 'a^b'],
    [pow(neg(a), num(2)), '(-a)^2'],
    [pow(num(-2), num(2)), '(-2)^2'],
    [pow(pow(a, b), c), '(a^b)^c'],
    [pow(a, pow(b, c)), 'a^b^c'],
    [pow(a, neg(b)), 'a^(-b)'],
    [pow(X, num(-1)), 'X.^(-1)'],
    [pow(mul(a, b), num(2)), '(a*b)^2'],
    [pow(a, mul(b, c)), 'a^(b*c)'],
    [pow(add(a, b), num(0.5)), '(a + b)^0.5'],
    [pow(X, num(2)), 'X.^2'],
    [pow(sub(matmul(X, w), x), num(2)), '(X*w - x).^2'],
    [pow(exp(a), b), 'exp(a)^b'],
    [pow(transpose(x), num(3)), "x'.^3"],
    [matpow(A, 2), 'A^2'],
    [matpow(add(A, B), 2), '(A + B)^2'],
    [matpow(matmul(A, B), 2), '(A*B)^2'],
    [matpow(neg(A), 3), '(-A)^3'],
    [matpow(matpow(A, 2), 3), '(A^2)^3'],
    [matpow(transpose(A), 3), "A'^3"],
    [matmul(matpow(A, 2), B), 'A^2*B'],
  ]);
});

describe("toText: postfix ' (level 5)", () => {
  cases([
    [transpose(x), "x'"],
    [transpose(transpose(A)), "A''"],
    [transpose(add(A, B)), "(A + B)'"],
    [transpose(matmul(A, B)), "(A*B)'"],
    [transpose(neg(A)), "(-A)'"],
    [transpose(pow(a, b)), "(a^b)'"],
    [transpose(matpow(A, 2)), "(A^2)'"],
    [transpose(exp(X)), "exp(X)'"],
    [matmul(transpose(X), X), "X'*X"],
    [mul(num(2), matmul(transpose(X), sub(matmul(X, w), x))), "2*(X'*(X*w - x))"],
  ]);
});

describe('toText: calls, atoms, constants, derivatives', () => {
  const f = sum(pow(sub(matmul(X, w), x), num(2)));
  cases([
    [sum(X), 'sum(X)'],
    [sum(X, 1), 'sum(X, 1)'],
    [sum(X, 2), 'sum(X, 2)'],
    [trace(matmul(A, B)), 'trace(A*B)'],
    [kron(A, add(B, C)), 'kron(A, B + C)'],
    [exp(exp(x)), 'exp(exp(x))'],
    [eye(n), 'eye(n)'],
    [ones(n, d), 'ones(n, d)'],
    [zeros(n), 'zeros(n, 1)'],
    [apply('diagm', [x]), 'diag(x)'],
    [apply('diagv', [A]), 'diag(A)'],
    [apply('logsumexp', [X], { dim: 2 }), 'logsumexp(X, 2)'],
    [num(2.5), '2.5'],
    [num(0), '0'],
    [num(1e-7), '1e-7'],
    [dimExpr(n), 'n'],
    [dimExpr(dimMul(n, d)), 'd*n'],
    [div(sum(X), dimExpr(n)), 'sum(X)/n'],
    [derivNode('grad', f, w, w.shape), 'grad(sum((X*w - x).^2), w)'],
    [mul(num(2), derivNode('grad', sum(X), X, X.shape)), '2*grad(sum(X), X)'],
    [derivNode('jacobian', exp(x), x, shape(n, n)), 'jacobian(exp(x), x)'],
    [derivNode('hessian', f, w, shape(d, d)), 'hessian(sum((X*w - x).^2), w)'],
  ]);
});

describe('toTextLets', () => {
  it('names a repeated subterm once and keeps small repeats inline', () => {
    const r = sub(matmul(X, w), x);
    const e = add(sum(pow(r, num(2))), sum(add(r, transpose(transpose(x)))));
    expect(toTextLets(e)).toEqual({
      lets: [['t1', 'X*w - x']],
      result: "sum(t1.^2) + sum(t1 + x'')",
    });
    expect(toTextLets(e, 3)).toEqual({ lets: [], result: toText(e) });
  });

  it('orders lets so each mentions only earlier names, and skips declared names', () => {
    const t1 = variable('t1', shape(n, ONE));
    const inner = exp(add(t1, x));
    const outer = matmul(A, add(inner, inner));
    const e = add(outer, neg(outer));
    expect(toTextLets(e)).toEqual({
      lets: [
        ['t2', 'exp(t1 + x)'],
        ['t3', 'A*(t2 + t2)'],
      ],
      result: 't3 + -t3',
    });
  });

  it('keeps a huge shared DAG linear in size', () => {
    let e: Expr = x;
    for (let i = 0; i < 60; i++) e = exp(add(e, e));
    const { lets, result } = toTextLets(e);
    expect(lets).toHaveLength(59);
    expect(lets[0]).toEqual(['t1', 'exp(x + x)']);
    expect(lets[58]).toEqual(['t59', 'exp(t58 + t58)']);
    expect(result).toBe('exp(t59 + t59)');
  });
});

describe('toText: depth', () => {
  it('prints a 10,000-deep exp(exp(…(x)))', () => {
    let e: Expr = x;
    for (let i = 0; i < 10_000; i++) e = exp(e);
    const text = toText(e);
    expect(text).toBe(`${'exp('.repeat(10_000)}x${')'.repeat(10_000)}`);
  });

  it('prints a 10,000-term sum, left- and right-nested', () => {
    let left: Expr = a;
    let right: Expr = a;
    for (let i = 1; i < 10_000; i++) {
      left = add(left, num(i));
      right = add(num(i), right);
    }
    const terms = Array.from({ length: 9_999 }, (_, i) => String(i + 1));
    expect(toText(left)).toBe(['a', ...terms].join(' + '));
    expect(toText(right)).toBe(`${terms.reverse().join(' + (')} + a${')'.repeat(9_998)}`);
  });
});

describe('toText round-trips through the parser', () => {
  const scope = parseDecls(
    'X: n x d; Y: n x d; A: n x n; S: n x n spd; x: n; y: n; w: d; s: scalar; t: scalar positive; r: 1 x n',
  );
  const vars = [...scope.vars.values()];
  const leaves: readonly Expr[] = [
    ...vars,
    ...[0, 1, 2, 0.5, 2.5, 1e-7, 1e21, -1, -3].map(num),
    dimExpr(n),
    dimExpr(d),
    eye(n),
    ones(n, d),
    ones(ONE, n),
    zeros(d),
  ];
  const call = (op: OpName, dim?: 0 | 1 | 2) => (e: Expr) => apply(op, [e], dim === undefined ? {} : { dim });
  const elementwise: readonly OpName[] = [
    ...['exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'softplus', 'sin', 'cos', 'sign', 'step'],
    ...['trace', 'det', 'logdet', 'inv', 'norm', 'vec'],
  ] as OpName[];
  const deriv = (mode: 'grad' | 'jacobian' | 'hessian', wrt: VarExpr) => (f: Expr) => {
    const numel = (e: Expr) => dimMul(e.shape.rows, e.shape.cols);
    if (mode !== 'jacobian' && !isScalar(f.shape)) throw new ShapeError(`${mode} of a non-scalar`);
    const s = mode === 'grad' ? wrt.shape : shape(mode === 'jacobian' ? numel(f) : numel(wrt), numel(wrt));
    return derivNode(mode, f, wrt, s);
  };
  // Forms the language spells alike are left out: `*` of a 1×1 reads as a scalar product (times), a
  // power of a 1×1 as an elementwise power, and diag of a 1×1 is both diags.
  const nonScalar = (f: (e: Expr) => Expr) => (e: Expr) => {
    if (isScalar(e.shape)) throw new ShapeError('1×1');
    return f(e);
  };
  const unary: readonly ((e: Expr) => Expr)[] = [
    neg,
    transpose,
    ...elementwise.map((op) => call(op)),
    ...(['sum', 'mean', 'softmax', 'logsoftmax', 'logsumexp'] as const).flatMap((op) =>
      ([0, 1, 2] as const).map((dim) => call(op, dim)),
    ),
    nonScalar((e) => apply(isVector(e.shape) ? 'diagm' : 'diagv', [e])),
    ...[0, 1, 2, 3].map((k) => nonScalar((e) => (isSquare(e.shape) ? matpow(e, k) : e))),
    ...[0.5, 2, -1].map((p) => (e: Expr) => pow(e, num(p))),
    ...['X', 'x', 's'].map((v) => deriv('grad', scope.vars.get(v)!)),
    deriv('jacobian', scope.vars.get('x')!),
    deriv('hessian', scope.vars.get('w')!),
  ];
  const binary: readonly ((a: Expr, b: Expr) => Expr)[] = [add, sub, times, mul, div, pow, kron];
  type Instr = readonly ['leaf' | 'unary' | 'binary', number];
  const instr = fc.tuple(fc.constantFrom('leaf', 'leaf', 'unary', 'binary'), fc.nat()) as fc.Arbitrary<Instr>;

  /** Run a stack program; a step that would throw ShapeError leaves its operands in place. */
  function build(program: readonly Instr[]): Expr {
    const stack: Expr[] = [];
    for (const [kind, i] of program) {
      if (kind === 'leaf' || stack.length < (kind === 'unary' ? 1 : 2)) {
        stack.push(leaves[i % leaves.length]);
        continue;
      }
      const args = kind === 'unary' ? [stack.pop()!] : [stack[stack.length - 2], stack.pop()!];
      if (kind === 'binary') stack.pop();
      try {
        stack.push(
          kind === 'unary' ? unary[i % unary.length](args[0]) : binary[i % binary.length](args[0], args[1]),
        );
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        stack.push(...args);
      }
    }
    return stack[stack.length - 1];
  }

  it('parseExpr(toText(e)) === e for random well-shaped expressions', () => {
    fc.assert(
      fc.property(fc.array(instr, { minLength: 1, maxLength: 40 }), (program) => {
        const e = build(program);
        const text = toText(e);
        const back = parseExpr(text, scope);
        expect(toText(back), text).toBe(text);
        expect(back === e, text).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('prints an expression under 100 calls (past the recursive printer, by the DAG printer) the same way', () => {
    fc.assert(
      fc.property(fc.array(instr, { minLength: 1, maxLength: 40 }), (program) => {
        const e = build(program);
        let deep = e;
        for (let i = 0; i < 100; i++) deep = apply('exp', [deep]);
        const text = toText(deep);
        expect(text).toBe(`${'exp('.repeat(100)}${toText(e)}${')'.repeat(100)}`);
        expect(parseExpr(text, scope)).toBe(deep);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    "2*X'*(X*w - y)",
    'sum((X*w - y).^2)',
    "-(-x)' + x",
    '(-s)^2 + -s^2 + s^(-t) + s^t^2',
    "X*(A*X)' - X*X'*A'",
    'trace(A^2*inv(S)) - logdet(S) + norm(x - y)^2',
    "kron(A, A')*vec(A) + vec(A'*A)",
    'softmax(X, 2) .* (X - sum(X, 2)/d)./(1 + exp(-X))',
    "grad(sum(X), X) + 2*hessian(x'*A*x, x)*x",
  ])('%s', (text) => {
    const e = parseExpr(text, scope);
    expect(parseExpr(toText(e), scope)).toBe(e);
  });
});
