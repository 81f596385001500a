// Every op of the registry, differentiated through the real pipeline (parse → grad → simplify) at symbolic
// shapes and checked against finite differences at two random instantiations; plus several variables in
// one call, exact zeros for absent variables, broadcast cotangents summed back, and grad of a non-scalar.
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { toText } from '../../src/emit/text.js';
import { ShapeError } from '../../src/ir/errors.js';
import { type Expr, topoOrder, type VarExpr } from '../../src/ir/expr.js';
import { sameShape } from '../../src/ir/shape.js';
import { checkGradients } from '../../src/numeric/gradcheck.js';
import { OPS, type OpName } from '../../src/ops/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { fixedDims, valueDifference } from '../helpers/cases.js';

const SEED = 20260315;
const TOLERANCE = 1e-6;

interface OpExample {
  readonly expr: string;
  readonly decls: string;
  readonly wrt: readonly string[];
  readonly dims?: Readonly<Record<string, number>>;
}

const ex = (
  expr: string,
  decls: string,
  wrt: readonly string[],
  dims?: Record<string, number>,
): OpExample => ({
  expr,
  decls,
  wrt,
  dims,
});

// R, r are random weights, so ⟨R, op(…)⟩ projects the Jacobian generically.
const M = 'R: n x d; X: n x d; Y: n x d';
const POS = 'R: n x d; X: n x d positive; Y: n x d positive';
const SQUARE = 'R: n x n; X: n x n; S: n x n spd';
const SOFT = 'R: n x k; S: n x k; r: n; c: k; z: k; q: k';
/** `sum(R .* f(X))`: an elementwise function of X, projected. */
const unary = (fn: string, decls = M) => ex(`sum(R .* ${fn}(X))`, decls, ['X', 'R']);

/** At least one example per op, each using that op; the type makes a missing op a compile error too. */
const EXAMPLES: Record<OpName, readonly OpExample[]> = {
  add: [
    ex('sum(R .* (X + Y))', M, ['X', 'Y']),
    ex("sum(R .* (X + b'))", 'R: n x d; X: n x d; b: d', ['X', 'b']),
    ex('sum(R .* (X + s))', 'R: n x d; X: n x d; s: scalar', ['X', 's']),
  ],
  sub: [
    ex('sum(R .* (X - Y))', M, ['X', 'Y']),
    ex('sum(R .* (c - X))', 'R: n x d; X: n x d; c: n', ['X', 'c']),
  ],
  neg: [ex('sum(R .* -X)', M, ['X'])],
  emul: [
    ex('sum(R .* X .* Y)', M, ['X', 'Y', 'R']),
    ex('sum(R .* (X .* c))', 'R: n x d; X: n x d; c: n', ['X', 'c']),
    ex('sum(R .* (s*X))', 'R: n x d; X: n x d; s: scalar', ['X', 's']),
  ],
  ediv: [
    ex('sum(R .* (X ./ Y))', POS, ['X', 'Y']),
    ex('sum(R .* X)/s', 'R: n x d; X: n x d; s: scalar positive', ['X', 's']),
  ],
  epow: [
    ex('sum(R .* X.^3)', M, ['X']),
    ex('sum(R .* X.^Y)', POS, ['X', 'Y']),
    ex('sum(R .* X.^0.5)', POS, ['X']),
    ex("(x'*x)^1.5", 'x: n', ['x']),
  ],
  abs: [unary('abs')],
  cos: [unary('cos')],
  exp: [unary('exp')],
  log: [unary('log', POS)],
  relu: [unary('relu')],
  sigmoid: [unary('sigmoid')],
  sign: [unary('sign'), ex('sum(R .* sign(X) .* X)', M, ['X'])],
  sin: [unary('sin')],
  softplus: [unary('softplus')],
  sqrt: [unary('sqrt', POS)],
  step: [unary('step'), ex('sum(R .* step(X) .* X)', M, ['X'])],
  tanh: [unary('tanh')],
  log1p: [unary('log1p', POS)],
  expm1: [unary('expm1')],
  tan: [ex('sum(R .* tan(tanh(X)))', M, ['X'])],
  atan: [unary('atan')],
  asin: [ex('sum(R .* asin(0.9*tanh(X)))', M, ['X'])],
  acos: [ex('sum(R .* acos(0.9*tanh(X)))', M, ['X'])],
  erf: [unary('erf')],
  max: [ex('sum(R .* max(X, Y))', M, ['X', 'Y']), ex('sum(max(1 - X*w, 0))', 'X: n x d; w: d', ['w'])],
  min: [
    ex('sum(R .* min(X, Y))', M, ['X', 'Y']),
    ex("sum(R .* min(X, c'))", 'R: n x d; X: n x d; c: d', ['X', 'c']),
  ],
  adj: [ex('sum(R .* adj(X))', SQUARE, ['X', 'R']), ex('trace(adj(S))', SQUARE, ['S'])],
  norm1: [ex('norm(x - a, 1)', 'x: n; a: n', ['x', 'a'])],
  tril: [ex('sum(R .* tril(X))', SQUARE, ['X']), ex('sum(tril(X*Y))', 'X: n x d; Y: d x n', ['X', 'Y'])],
  shift: [ex('sum(R .* (shift(n, -1)*X*W))', 'R: n x k; X: n x d; W: d x k', ['X', 'W'])],
  masked_softmax: [
    ex("sum(R .* masked_softmax(Q*K', tril(ones(n, n))))", 'R: n x n; Q: n x d; K: n x d', ['Q', 'K']),
    ex('sum(R .* masked_softmax(S, M))', 'R: n x k; S: n x k; M: n x k positive', ['S', 'M']),
  ],
  normcdf: [unary('normcdf')],
  normpdf: [unary('normpdf')],
  gelu_erf: [unary('gelu_erf'), ex('sum(gelu_erf(X*W))', 'X: n x d; W: d x k', ['W'])],
  gelu_tanh: [unary('gelu_tanh'), ex('sum(gelu_tanh(X*W))', 'X: n x d; W: d x k', ['W'])],
  det: [ex('det(X)', SQUARE, ['X']), ex('det(S)*trace(R*S)', SQUARE, ['S', 'R'])],
  inv: [
    ex('trace(R*inv(S))', SQUARE, ['S', 'R']),
    ex("a'*inv(S)*b", 'S: n x n spd; a: n; b: n', ['S', 'a', 'b']),
  ],
  kron: [
    ex('sum(kron(C, D) .* sin(kron(A, B)))', 'A: m x n; B: p x q; C: m x n; D: p x q', ['A', 'B', 'C']),
    ex('sum(R .* kron(A, B))', 'R: 6 x 6; A: 2 x 3; B: 3 x 2', ['A', 'B']),
    ex("sum(R .* kron(a, b'))", 'R: m x n; a: m; b: n', ['a', 'b']),
  ],
  logdet: [ex('logdet(S)', SQUARE, ['S']), ex("logdet(X'*X + eye(d))", 'X: n x d', ['X'])],
  matmul: [
    ex('sum(R .* (A*B))', 'R: m x p; A: m x n; B: n x p', ['A', 'B']),
    ex("x'*A*x", 'x: n; A: n x n', ['x', 'A']),
  ],
  matpow: [ex('trace(R*X^3)', SQUARE, ['X', 'R']), ex('sum(R .* X^2)', SQUARE, ['X'])],
  trace: [ex('trace(R .* X)', SQUARE, ['X', 'R']), ex('trace(X)^2', SQUARE, ['X'])],
  transpose: [
    ex("sum(R .* X')", 'R: d x n; X: n x d', ['X']),
    ex("(X*u)'*(X*u)", 'X: n x d; u: d', ['X', 'u']),
  ],
  diagm: [ex('sum(R .* diag(x))', 'R: n x n; x: n', ['x'])],
  diagv: [ex("r'*diag(X)", 'r: n; X: n x n', ['X', 'r'])],
  eye: [ex('sum(R .* (X + eye(n)))', SQUARE, ['X']), ex('trace(R*(X - 2*eye(n)))', SQUARE, ['X'])],
  ones: [ex('sum(R .* (X*ones(d, k)))', 'R: n x k; X: n x d', ['X', 'R'])],
  zeros: [ex('sum(R .* (X + zeros(n, d)))', M, ['X'])],
  size: [ex('sum(R .* X)*n', M, ['X']), ex('sum(R .* X)/(n*d)', M, ['X'])],
  vec: [ex('sum(vec(R) .* vec(X).^2)', M, ['X', 'R'])],
  mean: [
    ex('mean(R .* X)', M, ['X']),
    ex('sum(r .* mean(X, 1))', 'r: 1 x d; X: n x d', ['X']),
    ex('sum(r .* mean(X, 2))', 'r: n; X: n x d', ['X']),
  ],
  norm: [
    ex('norm(X)', M, ['X']),
    ex('norm(x - a)', 'x: n; a: n', ['x', 'a']),
    ex('norm(R .* X)', M, ['X', 'R']),
  ],
  sum: [
    ex('sum(R .* X.^2)', M, ['X']),
    ex('sum(r .* sum(X, 1))', 'r: 1 x d; X: n x d', ['X', 'r']),
    ex('sum(r .* sum(X.^2, 2))', 'r: n; X: n x d', ['X', 'r']),
  ],
  logsoftmax: [
    ex('sum(R .* logsoftmax(S, 2))', SOFT, ['S', 'R']),
    ex('sum(R .* logsoftmax(S, 1))', SOFT, ['S']),
    ex('sum(q .* logsoftmax(z))', SOFT, ['z', 'q']),
  ],
  logsumexp: [
    ex('sum(r .* logsumexp(S, 2))', SOFT, ['S', 'r']),
    ex("sum(c' .* logsumexp(S, 1))", SOFT, ['S', 'c']),
    ex('logsumexp(z)', SOFT, ['z']),
  ],
  softmax: [
    ex('sum(R .* softmax(S, 2))', SOFT, ['S', 'R']),
    ex('sum(R .* softmax(S, 1))', SOFT, ['S']),
    ex('sum(q .* softmax(z))', SOFT, ['z', 'q']),
  ],
};

function opsIn(e: Expr): Set<string> {
  return new Set(topoOrder([e]).flatMap((n) => (n.kind === 'op' ? [n.op] : [])));
}

function load(example: OpExample): { f: Expr; vars: VarExpr[] } {
  const scope = parseDecls(example.decls);
  const f = parseExpr(example.expr, scope);
  return { f, vars: example.wrt.map((name) => scope.vars.get(name)!) };
}

/** Worst relative error per variable, against finite differences at two random instantiations. */
function fdErrors(f: Expr, vars: readonly VarExpr[], grads: readonly Expr[], dims?: Record<string, number>) {
  const result = checkGradients(f, vars, grads, {
    trials: 2,
    seed: SEED,
    tolerance: TOLERANCE,
    dims: fixedDims({ dims }),
  });
  return Object.fromEntries(result.perVariable.map((p) => [p.variable, p.relError]));
}

const within = (errors: Record<string, number>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v < TOLERANCE]));
const allTrue = (errors: Record<string, number>) =>
  Object.fromEntries(Object.keys(errors).map((k) => [k, true]));

describe('the example table covers the op registry', () => {
  it.each(Object.keys(OPS))('%s has an example', (op) => {
    expect((EXAMPLES as Record<string, readonly OpExample[] | undefined>)[op]?.length ?? 0).toBeGreaterThan(
      0,
    );
  });

  it('names no op the registry lacks', () => {
    expect(Object.keys(EXAMPLES).filter((op) => !Object.hasOwn(OPS, op))).toEqual([]);
  });
});

describe.each(Object.entries(EXAMPLES))(
  'VJP of %s through grad, against finite differences',
  (op, examples) => {
    it.each(examples.map((e) => [`${e.expr} wrt ${e.wrt.join(', ')}`, e] as const))(
      '%s',
      (_label, example) => {
        const { f, vars } = load(example);
        expect(opsIn(f)).toContain(op);
        const simplified = grad(f, vars);
        for (const [k, g] of simplified.entries()) expect(sameShape(g.shape, vars[k].shape)).toBe(true);
        const errors = fdErrors(f, vars, simplified, example.dims);
        expect(within(errors), JSON.stringify(errors)).toEqual(allTrue(errors));
        // The raw sweep too, so a wrong VJP rule is told apart from a wrong simplification.
        const raw = grad(f, vars, { raw: true });
        const rawErrors = fdErrors(f, vars, raw, example.dims);
        expect(within(rawErrors), JSON.stringify(rawErrors)).toEqual(allTrue(rawErrors));
      },
    );
  },
);

describe('grad', () => {
  it('takes several variables in one call, each gradient the shape of its variable', () => {
    const scope = parseDecls('X: n x d; W: d x k; b: k; Y: n x k');
    const f = parseExpr("sum((tanh(X*W + b') - Y).^2)", scope);
    const vars = ['W', 'b', 'X', 'Y'].map((v) => scope.vars.get(v)!);
    const gs = grad(f, vars);
    expect(gs).toHaveLength(4);
    for (const [k, g] of gs.entries()) expect(sameShape(g.shape, vars[k].shape)).toBe(true);
    const errors = fdErrors(f, vars, gs);
    expect(within(errors), JSON.stringify(errors)).toEqual(allTrue(errors));
    // One call agrees with one call per variable.
    for (const [k, v] of vars.entries()) expect(grad(f, [v])[0]).toBe(gs[k]);
  });

  it('accepts names resolved through the scope', () => {
    const scope = parseDecls('X: n x d; w: d; y: n');
    const [g] = grad(parseExpr('sum((X*w - y).^2)', scope), ['w'], { scope });
    expect(toText(g)).toBe("2*X'*(X*w - y)");
  });

  it.each([
    ['z: n', 'zeros(n, 1)'],
    ['Z: m x k', 'zeros(m, k)'],
    ['t: scalar', '0'],
  ])('gives an exact zero of its shape for a variable the expression does not use (%s)', (decl, zero) => {
    const scope = parseDecls(`x: n; ${decl}`);
    const name = decl.split(':')[0];
    const [gx, gz] = grad(parseExpr('sum(exp(x))', scope), ['x', name], { scope });
    expect(toText(gx)).toBe('exp(x)');
    expect(sameShape(gz.shape, scope.vars.get(name)!.shape)).toBe(true);
    expect(toText(gz)).toBe(zero);
    expect(valueDifference([gz, parseExpr(zero, scope)], SEED)).toBe(0);
  });

  describe('sums broadcast cotangents back to the argument shape', () => {
    const cases = [
      ["X*W + b'", 'b', "sum(R, 1)'", 'R: n x k; X: n x d; W: d x k; b: k'],
      ['X + c', 'c', 'sum(R, 2)', 'R: n x d; X: n x d; c: n'],
      ['X + s', 's', 'sum(R)', 'R: n x d; X: n x d; s: scalar'],
      ['X .* c', 'c', 'sum(R .* X, 2)', 'R: n x d; X: n x d; c: n'],
    ] as const;
    it.each(cases)('sum(R .* (%s)) wrt %s = %s', (body, wrt, want, decls) => {
      const scope = parseDecls(decls);
      const f = parseExpr(`sum(R .* (${body}))`, scope);
      const v = scope.vars.get(wrt)!;
      const [g] = grad(f, [v]);
      // Printed as the parsed `want` prints, so spacing conventions of emit/ do not matter.
      expect(toText(g)).toBe(toText(parseExpr(want, scope)));
      const errors = fdErrors(f, [v], [g]);
      expect(within(errors), JSON.stringify(errors)).toEqual(allTrue(errors));
    });

    it('through a nonlinearity: sum(tanh(X*W + b′)) wrt b sums the rows of 1 − tanh²', () => {
      const scope = parseDecls('X: n x d; W: d x k; b: k');
      const f = parseExpr("sum(tanh(X*W + b'))", scope);
      const [g] = grad(f, ['b'], { scope });
      const want = parseExpr("sum(1 - tanh(X*W + b').^2, 1)'", scope);
      expect(valueDifference([g, want], SEED)).toBeLessThan(1e-12);
      const errors = fdErrors(f, [scope.vars.get('b')!], [g]);
      expect(within(errors), JSON.stringify(errors)).toEqual(allTrue(errors));
    });
  });

  it.each([
    ['X*w', 'X: n x d; w: d'],
    ['exp(x)', 'x: n'],
    ["X'", 'X: n x d'],
  ])('of a non-scalar %s throws a ShapeError pointing to jacobian', (text, decls) => {
    const scope = parseDecls(decls);
    const f = parseExpr(text, scope);
    const wrt = [...scope.vars.keys()].slice(-1);
    expect(() => grad(f, wrt, { scope })).toThrow(ShapeError);
    expect(() => grad(f, wrt, { scope })).toThrow(/jacobian/);
  });
});
