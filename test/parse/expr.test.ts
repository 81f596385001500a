import { describe, expect, it } from 'vitest';
import { dimConst, dimMul, dimSym } from '../../src/ir/dim.js';
import { derivNode, type Expr, type VarExpr } from '../../src/ir/expr.js';
import { shape, shapeText } from '../../src/ir/shape.js';
import {
  add,
  apply,
  det,
  diagm,
  diagv,
  dimExpr,
  div,
  exp,
  eye,
  inv,
  kron,
  logdet,
  logsumexp,
  matmul,
  matpow,
  mean,
  mul,
  neg,
  norm,
  num,
  ones,
  pow,
  softmax,
  sub,
  sum,
  tanh,
  trace,
  transpose,
  vec,
  zeros,
} from '../../src/ops/build.js';
import { extendScope, parseDecls, parseExpr } from '../../src/parse/index.js';

const scope = parseDecls(`
  X: n x d; w: d; y: n; W: d x h; b: h
  S: n x n spd; A: n x n; B: n x n; s: scalar; t: scalar; r: 1 x d
`);
const v = (name: string): VarExpr => scope.vars.get(name)!;
const [X, w, y, W, b, S, A, B, s, t, r] = ['X', 'w', 'y', 'W', 'b', 'S', 'A', 'B', 's', 't', 'r'].map(v);
const n = dimSym('n');
const d = dimSym('d');
const h = dimSym('h');
const p = (text: string): Expr => parseExpr(text, scope);
const shapeOf = (text: string): string => shapeText(p(text).shape);

describe('arithmetic', () => {
  it('A*B is a matrix product, or scalar times matrix when either side is 1×1', () => {
    expect(p('X*w')).toBe(matmul(X, w));
    expect(p('s*X')).toBe(mul(s, X));
    expect(p('X*s')).toBe(mul(X, s));
    expect(p("w'*w")).toBe(matmul(transpose(w), w));
    expect(shapeOf("w'*w")).toBe('1×1');
  });

  it("transpose by ' and by transpose()", () => {
    expect(p("X'")).toBe(transpose(X));
    expect(p('transpose(X)')).toBe(transpose(X));
    expect(p("X''")).toBe(transpose(transpose(X)));
    expect(shapeOf("X'")).toBe('d×n');
  });

  it('+ - .* ./ and unary minus and plus, elementwise', () => {
    expect(p('X*w - y')).toBe(sub(matmul(X, w), y));
    expect(p('X + X')).toBe(add(X, X));
    expect(p('X .* X')).toBe(mul(X, X));
    expect(p('X ./ X')).toBe(div(X, X));
    expect(p('-X')).toBe(neg(X));
    expect(p('+X')).toBe(X);
    expect(p('s - -t')).toBe(sub(s, neg(t)));
  });

  it("broadcasting: X*W + b' adds the row to every row", () => {
    expect(p("X*W + b'")).toBe(add(matmul(X, W), transpose(b)));
    expect(shapeOf("X*W + b'")).toBe('n×h');
    expect(shapeOf('X - mean(X, 1)')).toBe('n×d');
    expect(shapeOf('X ./ sum(X, 2)')).toBe('n×d');
    expect(shapeOf('X + 1')).toBe('n×d');
    expect(shapeOf('r + w')).toBe('d×d');
  });

  it('A / s divides by a 1×1 expression, including dims used as scalars', () => {
    expect(p('X / s')).toBe(div(X, s));
    expect(p('w / n')).toBe(div(w, dimExpr(n)));
    expect(p('X / (2*n)')).toBe(div(X, mul(num(2), dimExpr(n))));
    expect(p('sum(X) / (n*d)')).toBe(div(sum(X), mul(dimExpr(n), dimExpr(d))));
    expect(p('n')).toBe(dimExpr(n));
    expect(p('n').shape).toEqual(shape(dimConst(1), dimConst(1)));
  });

  it('powers: .^ elementwise, s^p scalar, A^k integer matrix power, negative k through inv', () => {
    expect(p('X.^2')).toBe(pow(X, num(2)));
    expect(p('X.^X')).toBe(pow(X, X));
    expect(p('s^2')).toBe(pow(s, num(2)));
    expect(p('s^t')).toBe(pow(s, t));
    expect(p('2^s')).toBe(pow(num(2), s));
    expect(p('s^-1')).toBe(pow(s, neg(num(1))));
    expect(p('A^3')).toBe(matpow(A, 3));
    expect(p('A^0')).toBe(matpow(A, 0));
    expect(p('A^(2)')).toBe(matpow(A, 2));
    expect(p('A^-1')).toBe(inv(A));
    expect(p('A^(-1)')).toBe(inv(A));
    expect(p('A^-3')).toBe(matpow(inv(A), 3));
    expect(p('inv(A)^2')).toBe(matpow(inv(A), 2));
    expect(shapeOf('A^3')).toBe('n×n');
  });

  it('numbers are 1×1 constants', () => {
    expect(p('3')).toBe(num(3));
    expect(p('0.5')).toBe(num(0.5));
    expect(p('1e-3')).toBe(num(0.001));
    expect(p('-2')).toBe(neg(num(2)));
    expect(p('2*3')).toBe(mul(num(2), num(3)));
  });
});

describe('implicit multiplication where it is unambiguous', () => {
  it('a number times anything', () => {
    expect(p('2X')).toBe(mul(num(2), X));
    expect(p('2 X')).toBe(mul(num(2), X));
    expect(p('2(X + X)')).toBe(mul(num(2), add(X, X)));
    expect(p('-2w')).toBe(mul(neg(num(2)), w));
    expect(p('1/2 w')).toBe(mul(div(num(1), num(2)), w));
  });

  it('a transpose or parenthesis times a symbol or parenthesis', () => {
    expect(p("A'B")).toBe(matmul(transpose(A), B));
    expect(p("X'(y)")).toBe(matmul(transpose(X), y));
    expect(p('(A + B)A')).toBe(matmul(add(A, B), A));
    expect(p('(A + B)(A - B)')).toBe(matmul(add(A, B), sub(A, B)));
    expect(p("A'B'A")).toBe(matmul(matmul(transpose(A), transpose(B)), A));
  });
});

describe('functions', () => {
  it('elementwise functions of one argument', () => {
    for (const f of [
      'exp',
      'log',
      'sqrt',
      'abs',
      'tanh',
      'sigmoid',
      'relu',
      'softplus',
      'sin',
      'cos',
      'sign',
      'step',
    ]) {
      const e = p(`${f}(X)`);
      expect(e.kind === 'op' && e.op).toBe(f);
      expect(e).toBe(apply(f as 'exp', [X]));
      expect(e.shape).toEqual(X.shape);
    }
  });

  it("sum and mean over all entries, down columns (1), across rows (2) — MATLAB's dims", () => {
    expect(p('sum(X)')).toBe(sum(X, 0));
    expect(p('sum(X, 1)')).toBe(sum(X, 1));
    expect(p('sum(X, 2)')).toBe(sum(X, 2));
    expect(p('sum(X, (2))')).toBe(sum(X, 2));
    expect(shapeOf('sum(X, 1)')).toBe('1×d');
    expect(shapeOf('sum(X, 2)')).toBe('n×1');
    expect(p('mean(X)')).toBe(mean(X, 0));
    expect(p('mean(X, 1)')).toBe(mean(X, 1));
    expect(shapeOf('mean(X, 2)')).toBe('n×1');
  });

  it('trace det logdet inv of square matrices', () => {
    expect(p('trace(A)')).toBe(trace(A));
    expect(p('det(S)')).toBe(det(S));
    expect(p('logdet(S)')).toBe(logdet(S));
    expect(p('inv(S)')).toBe(inv(S));
    expect(shapeOf("trace(X'*X)")).toBe('1×1');
  });

  it('diag: a vector (column, row or 1×1) to a matrix, a square matrix to its diagonal', () => {
    expect(p('diag(w)')).toBe(diagm(w));
    expect(shapeOf('diag(w)')).toBe('d×d');
    expect(p('diag(r)')).toBe(diagm(r));
    expect(shapeOf('diag(r)')).toBe('d×d');
    expect(p('diag(s)')).toBe(diagm(s));
    expect(p('diag(A)')).toBe(diagv(A));
    expect(shapeOf('diag(A)')).toBe('n×1');
  });

  it('norm, vec, kron', () => {
    expect(p('norm(w)')).toBe(norm(w));
    expect(p('norm(X)')).toBe(norm(X));
    expect(p('vec(X)')).toBe(vec(X));
    expect(p('vec(X)').shape).toEqual(shape(dimMul(n, d), dimConst(1)));
    expect(p('kron(X, W)')).toBe(kron(X, W));
    expect(p('kron(X, W)').shape).toEqual(shape(dimMul(n, d), dimMul(d, h)));
  });

  it('softmax, logsoftmax, logsumexp over all entries or along a dim', () => {
    expect(p('softmax(w)')).toBe(softmax(w, 0));
    expect(p('softmax(X, 2)')).toBe(softmax(X, 2));
    expect(p('logsoftmax(X, 1)')).toBe(apply('logsoftmax', [X], { dim: 1 }));
    expect(p('logsumexp(w)')).toBe(logsumexp(w, 0));
    expect(p('logsumexp(X, 2)')).toBe(logsumexp(X, 2));
    expect(shapeOf('logsumexp(X, 2)')).toBe('n×1');
    expect(shapeOf('logsumexp(X, 1)')).toBe('1×d');
    expect(shapeOf('softmax(X, 2)')).toBe('n×d');
  });

  it('eye, ones, zeros take dims; a single size is a column', () => {
    expect(p('eye(n)')).toBe(eye(n));
    expect(p('eye(3)')).toBe(eye(dimConst(3)));
    expect(p('ones(n)')).toBe(ones(n, dimConst(1)));
    expect(p('ones(n, 1)')).toBe(ones(n));
    expect(p('ones(1, d)')).toBe(ones(dimConst(1), d));
    expect(p('zeros(n, d)')).toBe(zeros(n, d));
    expect(p('zeros(d)')).toBe(zeros(d));
    expect(p('eye(n*d)')).toBe(eye(dimMul(n, d)));
    expect(p('ones(2*n, n^2)')).toBe(ones(dimMul(dimConst(2), n), dimMul(n, n)));
    expect(p('eye(2n)')).toBe(eye(dimMul(dimConst(2), n)));
    expect(shapeOf('ones(n, d)')).toBe('n×d');
  });

  it('grad, jacobian, hessian as expressions with their shapes', () => {
    const f = sum(pow(sub(matmul(X, w), y), num(2)));
    expect(p('grad(sum((X*w - y).^2), w)')).toBe(derivNode('grad', f, w, w.shape));
    expect(shapeOf('grad(sum(X*W), W)')).toBe('d×h');
    expect(p('jacobian(X*w, w)')).toBe(derivNode('jacobian', matmul(X, w), w, shape(n, d)));
    expect(p('jacobian(X*W, W)').shape).toEqual(shape(dimMul(n, h), dimMul(d, h)));
    expect(shapeOf("jacobian(w', w)")).toBe('d×d');
    expect(p('hessian(sum(exp(X*w)), w)').shape).toEqual(shape(d, d));
    expect(p('hessian(sum(X), X)').shape).toEqual(shape(dimMul(n, d), dimMul(n, d)));
    expect(p('grad(s^2, s)').shape).toEqual(s.shape);
    expect(shapeOf("grad(w'*grad(sum(exp(w)), w), w)")).toBe('d×1');
  });
});

describe('names bound to expressions and layout', () => {
  it('a definition parses to the expression it names', () => {
    const W1 = parseDecls('W1: d x h; b1: h', scope);
    const H = parseExpr("tanh(X*W1 + b1')", W1);
    const withH = extendScope(W1, 'H', H);
    expect(parseExpr('H', withH)).toBe(H);
    expect(parseExpr('sum(H)', withH)).toBe(
      sum(tanh(add(matmul(X, W1.vars.get('W1')!), transpose(W1.vars.get('b1')!)))),
    );
  });

  it('newlines inside parentheses or after an operator, a trailing newline, comments, CRLF', () => {
    expect(p('sum(X*w -\n  y)')).toBe(sum(sub(matmul(X, w), y)));
    expect(p('X*w -\n y')).toBe(sub(matmul(X, w), y));
    expect(p('exp(w)\n')).toBe(exp(w));
    expect(p('\n  exp(w)  # the exponential\n')).toBe(exp(w));
    expect(p('(X*w\r\n - y)')).toBe(sub(matmul(X, w), y));
  });

  it('builds a shared DAG: the same subexpression twice is one node', () => {
    const e = p('exp(X*w) + exp(X*w)');
    expect(e.kind === 'op' && e.args[0] === e.args[1]).toBe(true);
  });
});

describe('deep input', () => {
  it('a sum of 10,000 terms parses into a left-leaning chain without overflowing', () => {
    const e = p(Array.from({ length: 10_000 }, () => 'w').join(' + '));
    let depth = 0;
    let cur: Expr = e;
    while (cur.kind === 'op') {
      expect(cur.op).toBe('add');
      cur = cur.args[0];
      depth++;
    }
    expect(cur).toBe(w);
    expect(depth).toBe(9_999);
    expect(e.shape).toEqual(w.shape);
  });

  it('a long chain of mixed operators and calls', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => (i % 2 ? 'exp(s)' : "w'*w")).join(' - ');
    expect(p(text).shape).toEqual(s.shape);
  });
});
