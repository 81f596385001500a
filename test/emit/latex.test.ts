// toLatex: expected strings for the precedence and juxtaposition cases, variable names, constants,
// derivatives and named nodes; every registry op renders under KaTeX strict mode, alone and in contexts.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { latexName, toLatex } from '../../src/emit/latex.js';
import { LATEX_INFIX, levelOf } from '../../src/emit/precedence.js';
import { type Dim, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { type Attrs, derivNode, type Expr, variable } from '../../src/ir/expr.js';
import { SCALAR, shape } from '../../src/ir/shape.js';
import {
  add,
  apply,
  div,
  exp,
  inv,
  kron,
  matmul,
  matpow,
  mul,
  neg,
  norm,
  num,
  pow,
  sub,
  sum,
  transpose,
  vec,
} from '../../src/ops/build.js';
import { OPS, type OpName } from '../../src/ops/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const render = (tex: string) => katex.renderToString(tex, { strict: 'error', throwOnError: true });

const n = dimSym('n');
const d = dimSym('d');
const scope = parseDecls(
  'X: n x d; Y: n x d; A: n x n; B: n x n; S: n x n spd; x: n; y: n; w: d; s: scalar; t: scalar',
);
const v = (name: string) => scope.vars.get(name)!;
const [A, X, x, s, t] = ['A', 'X', 'x', 's', 't'].map(v);
const p = (text: string) => parseExpr(text, scope);

const cases = (table: readonly (readonly [Expr, string])[]) =>
  it.each(table.map(([e, tex]) => ({ e, tex })))('$tex', ({ e, tex }) => {
    expect(toLatex(e)).toBe(tex);
    expect(() => render(tex)).not.toThrow();
  });

describe('toLatex: precedence', () => {
  cases([
    [p('s + t - s'), 's + t - s'],
    [p('s - (t - s)'), 's - \\left(t - s\\right)'],
    [p('s - (t + s)'), 's - \\left(t + s\\right)'],
    [p('s - -t'), 's - \\left(-t\\right)'],
    [p('-s + t'), '-s + t'],
    [p('A*B*A'), 'A B A'],
    [p('A*(B*A)'), 'A \\left(B A\\right)'],
    [p('(A + B)*A'), '\\left(A + B\\right) A'],
    [p('A*B + A'), 'A B + A'],
    [p('A*(-B)'), 'A \\left(-B\\right)'],
    [p('(-A)*B'), '-A B'],
    [p('-2*X'), '-2 X'],
    [p('s + -2*t'), 's + \\left(-2 t\\right)'],
    [p('s*(-2*t)'), 's \\left(-2 t\\right)'],
    [p('-(-2*t)'), '-\\left(-2 t\\right)'],
    // −(AB) = (−A)B: a negation commutes with a product, so it needs no parentheses
    [p('-(A*B)'), '-A B'],
    [p('-(2*A .* B)'), '-\\left(2 A\\right) \\odot B'],
    [p('-(-s)'), '-\\left(-s\\right)'],
    [p('2*3'), '2 \\cdot 3'],
    [p('2*X'), '2 X'],
    [p('X*2'), 'X \\cdot 2'],
    [p('s*2^t'), 's \\cdot 2^{t}'],
    [p('2*(s/t)'), '2 \\cdot \\frac{s}{t}'],
    [p('(X.*Y)*w'), '\\left(X \\odot Y\\right) w'],
    [p('X.*(Y*w)'), 'X \\odot \\left(Y w\\right)'],
    [p('X.*Y.*X'), 'X \\odot Y \\odot X'],
    [p('X./Y'), 'X \\oslash Y'],
    [p('kron(A, B)*kron(A, B)'), '\\left(A \\otimes B\\right) \\left(A \\otimes B\\right)'],
    [p('kron(A + B, A)'), '\\left(A + B\\right) \\otimes A'],
    [p('s^t'), 's^{t}'],
    [p('(s + t)^(s*t)'), '\\left(s + t\\right)^{s t}'],
    [p('(s^t)^2'), '\\left(s^{t}\\right)^{2}'],
    [p('s^t^2'), 's^{t^{2}}'],
    [p('-s^2'), '-s^{2}'],
    [p('(-s)^2'), '\\left(-s\\right)^{2}'],
    [p("(x').^2"), '\\left(x^{\\top}\\right)^{\\circ 2}'],
    [p('exp(s)^2'), '\\exp(s)^{2}'],
    [p('(s/t)^2'), '\\left(\\frac{s}{t}\\right)^{2}'],
    [p("A''"), '\\left(A^{\\top}\\right)^{\\top}'],
    [p("(A*B)'"), '\\left(A B\\right)^{\\top}'],
    [p("inv(A')"), '\\left(A^{\\top}\\right)^{-1}'],
    [p('inv(A)*A'), 'A^{-1} A'],
    [p("-A'"), '-A^{\\top}'],
    [p("(-A)'"), '\\left(-A\\right)^{\\top}'],
    [p('A^2*B'), 'A^{2} B'],
    [p("eye(n)'"), 'I_{n}^{\\top}'],
    [p("ones(n, 1)'*x"), '\\mathbf{1}_{n}^{\\top} x'],
    [p('(s + t)/(s*t)'), '\\frac{s + t}{s t}'],
    [p('exp(X*w)'), '\\exp\\left(X w\\right)'],
    [p('sum(X, 2)'), '\\operatorname{sum}_{2}(X)'],
    [p('softmax(X*w)'), '\\operatorname{softmax}\\left(X w\\right)'],
    [p('norm(x - y)^2'), '\\left\\lVert x - y \\right\\rVert^{2}'],
    [p('abs(s)^2'), '\\lvert s \\rvert^{2}'],
    [p('logdet(S)^2'), '\\left(\\log\\left\\lvert\\det\\left(S\\right)\\right\\rvert\\right)^{2}'],
    [p('sqrt(s + t)'), '\\sqrt{s + t}'],
    [p('sum(X)/n'), '\\frac{\\operatorname{sum}(X)}{n}'],
  ]);
});

describe('toLatex: names, constants, derivatives, named nodes', () => {
  it.each([
    ['x', 'x'],
    ['W1', 'W_{1}'],
    ['b12', 'b_{12}'],
    ['alpha', '\\alpha'],
    ['Sigma', '\\Sigma'],
    ['delta2', '\\delta_{2}'],
    ['loss', '\\mathrm{loss}'],
    ['x_hat', 'x_{\\mathrm{hat}}'],
    ['W_1', '\\mathrm{W\\_1}'],
    ['W1_i', 'W_{1,i}'],
    ['x_i_j', 'x_{i,j}'],
    ['_tmp', '\\mathrm{\\_tmp}'],
    ['h2o2', '\\mathrm{h2o2}'],
  ])('%s → %s', (name, tex) => {
    expect(latexName(name)).toBe(tex);
    expect(toLatex(variable(name, SCALAR))).toBe(tex);
    expect(() => render(tex)).not.toThrow();
  });

  const f = p('sum((X*w - y).^2)');
  cases([
    [num(3), '3'],
    [num(2.5), '2.5'],
    [num(-2), '-2'],
    [num(1.5e-7), '1.5 \\times 10^{-7}'],
    [mul(v('w'), num(1e21)), 'w \\left(1 \\times 10^{21}\\right)'],
    [
      derivNode('grad', f, v('w'), v('w').shape),
      '\\nabla_{w} \\operatorname{sum}\\left(\\left(X w - y\\right)^{\\circ 2}\\right)',
    ],
    [derivNode('grad', p('s*t'), s, SCALAR), '\\nabla_{s} \\left(s t\\right)'],
    [p('2*grad(s*t, s)'), '2 \\left(\\nabla_{s} \\left(s t\\right)\\right)'],
    [p('grad(s*t, s) + s'), '\\nabla_{s} \\left(s t\\right) + s'],
    [p('hessian(sum(exp(x)), x)'), '\\nabla^{2}_{x} \\operatorname{sum}\\left(\\exp(x)\\right)'],
    [
      p('jacobian(A*x, x)'),
      '\\frac{\\partial \\operatorname{vec} \\left(A x\\right)}{\\partial \\operatorname{vec} x}',
    ],
  ]);

  it('prints named nodes as given, at atomic precedence', () => {
    const h = p('tanh(X*w)');
    const e = p("(tanh(X*w) + y)'*tanh(X*w)");
    const names = new Map([[h.id, 'H']]);
    expect(toLatex(e, { names })).toBe('\\left(H + y\\right)^{\\top} H');
    const sup = new Map([[h.id, 'h^{(1)}']]);
    expect(toLatex(transpose(h), { names: sup })).toBe('{h^{(1)}}^{\\top}');
    expect(() => render(toLatex(transpose(h), { names: sup }))).not.toThrow();
  });
});

/** Examples of every op in the input language; the first of each has that op at its root. */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  add: ['x + y', 's + X', 'x + (y + x)'],
  sub: ['x - y', 'x - (y - x)'],
  neg: ['-x', '-(-s)', '-(A*B)'],
  emul: ['X.*Y', '2*X', 's*t', 'X.*(Y + X)'],
  ediv: ['X./Y', 'X/s', 's/(s + t)', '2./X'],
  epow: ['X.^2', 's^t', '(s + t)^(-1)', "(x').^3"],
  matmul: ['A*X', "X'*A*X", 'A*(-X)', '(A + B)*X'],
  transpose: ["X'", "(A*X)'", "A''"],
  trace: ['trace(A)', 'trace(A*B)'],
  det: ['det(A)', "det(A')"],
  logdet: ['logdet(S)', 'logdet(S + A*A)'],
  inv: ['inv(A)', "inv(A')", 'inv(A + S)'],
  matpow: ['A^2', "A'^3", '(A*B)^2'],
  kron: ['kron(A, X)', 'kron(A + A, X)'],
  softmax: ['softmax(x)', 'softmax(X, 2)', 'softmax(X, 1)'],
  logsoftmax: ['logsoftmax(x)', 'logsoftmax(X*w + x, 2)'],
  logsumexp: ['logsumexp(x)', 'logsumexp(X, 2)', 'logsumexp(X, 1)'],
  sum: ['sum(X)', 'sum(X, 1)', 'sum(X*w, 2)'],
  mean: ['mean(X)', 'mean(X, 1)', 'mean(A - B, 2)'],
  norm: ['norm(x)', 'norm(X - Y)'],
  size: ['n'],
  vec: ['vec(X)', "vec(X')"],
  diagm: ['diag(x)', "diag(x')", 'diag(A*x)'],
  diagv: ['diag(A)', 'diag(A*B)'],
  eye: ['eye(n)'],
  ones: ['ones(n, d)', 'ones(n, 1)'],
  zeros: ['zeros(n, d)', 'zeros(1, n)'],
  shift: ['shift(n, -1)', 'shift(n, 2)*X'],
  tril: ['tril(A)', 'tril(ones(n, n))'],
  masked_softmax: ["masked_softmax(A*B', tril(ones(n, n)))"],
  adj: ['adj(A)', "adj(A)'"],
  norm1: ['norm(x, 1)', 'norm(x - A*x, 1)'],
  max: ['max(X, Y)', 'max(1 - X, 0)'],
  min: ['min(X, s)', 'min(max(X, -1), 1)'],
};
const UNARY_FUNCTIONS = ['exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'softplus', 'sin', 'cos'];

/** An example of an op the table lacks: the first argument shapes and attrs it accepts and prints. */
function anyExample(op: OpName): Expr | undefined {
  const pool = [X, A, x, s, transpose(x)];
  const dims: readonly Dim[] = [n, d, ONE];
  const attrSets: readonly Attrs[] = [
    {},
    { dim: 0 },
    { dim: 1 },
    { dim: 2 },
    { power: 2 },
    ...dims.flatMap((rows) => dims.map((cols) => ({ rows, cols }))),
  ];
  const argSets: Expr[][] = [[]];
  for (let i = 0; i < OPS[op].arity; i++)
    argSets.splice(0, argSets.length, ...argSets.flatMap((a) => pool.map((e) => [...a, e])));
  for (const args of argSets) {
    for (const attrs of attrSets) {
      try {
        const e = apply(op, args, attrs);
        toLatex(e);
        return e;
      } catch {
        // not a combination this op accepts (or reads attrs it does not get)
      }
    }
  }
  return undefined;
}

function examplesOf(op: OpName): Expr[] {
  const texts =
    EXAMPLES[op] ??
    (UNARY_FUNCTIONS.includes(op) || op === 'sign' || op === 'step' ? [`${op}(x)`, `${op}(A + B')`] : []);
  const parsed = texts.map(p);
  if (parsed.length > 0) return parsed;
  const any = anyExample(op);
  return any ? [any] : [];
}

/** Surroundings that exercise each precedence rule on the example; those of the wrong shape are skipped. */
const CONTEXTS: readonly ((e: Expr) => Expr)[] = [
  (e) => e,
  neg,
  transpose,
  (e) => pow(e, num(2)),
  (e) => pow(num(2), e),
  (e) => mul(num(2), e),
  (e) => mul(e, num(3)),
  (e) => mul(e, e),
  (e) => matmul(e, transpose(e)),
  (e) => matmul(transpose(e), neg(e)),
  (e) => add(e, neg(e)),
  (e) => sub(e, sub(e, e)),
  (e) => inv(matmul(e, transpose(e))),
  (e) => matpow(matmul(transpose(e), e), 3),
  (e) => div(e, add(num(1), sum(e))),
  (e) => div(sum(e), num(2)),
  (e) => kron(e, neg(e)),
  (e) => exp(e),
  (e) => norm(e),
  (e) => derivNode('grad', sum(e), X, X.shape),
  (e) => derivNode('jacobian', vec(e), x, shape(vec(e).shape.rows, n)),
  (e) => derivNode('hessian', sum(e), x, shape(n, n)),
];

describe('toLatex: every registry op renders under KaTeX strict mode', () => {
  const ops = Object.keys(OPS) as OpName[];

  it.each(ops)('%s', (op) => {
    const examples = examplesOf(op);
    expect(examples.length, `add an example of ${op} to EXAMPLES`).toBeGreaterThan(0);
    const root = examples[0];
    expect(root.kind === 'op' && root.op, `the first example of ${op} has it at its root`).toBe(op);
    let rendered = 0;
    for (const e of examples) {
      for (const context of CONTEXTS) {
        let c: Expr;
        try {
          c = context(e);
        } catch (err) {
          if (err instanceof ShapeError) continue;
          throw err;
        }
        const tex = toLatex(c);
        expect(() => render(tex), tex).not.toThrow();
        const named = toLatex(c, { names: new Map([[e.id, 'H_{1}']]) });
        expect(() => render(named), named).not.toThrow();
        rendered++;
      }
    }
    expect(rendered).toBeGreaterThan(CONTEXTS.length / 2);
  });
});

describe('toLatex: depth', () => {
  it('prints a 10,000-deep exp(exp(…(x)))', () => {
    let e: Expr = x;
    for (let i = 0; i < 10_000; i++) e = exp(e);
    expect(toLatex(e)).toBe(`${'\\exp\\left('.repeat(9_999)}\\exp(x)${'\\right)'.repeat(9_999)}`);
  });

  it('prints a 10,000-term sum', () => {
    let e: Expr = s;
    for (let i = 1; i < 10_000; i++) e = add(e, mul(num(i), t));
    const tex = toLatex(e);
    expect(tex.startsWith('s + 1 t + 2 t + ')).toBe(true);
    expect(tex.endsWith(' + 9999 t')).toBe(true);
    expect(tex.split(' + ')).toHaveLength(10_000);
  });

  it('prints a 10,000-deep right-nested x - s (x - s (…))', () => {
    let e: Expr = x;
    for (let i = 0; i < 10_000; i++) e = sub(x, mul(s, e));
    expect(toLatex(e)).toBe(`${'x - s \\left('.repeat(9_999)}x - s x${'\\right)'.repeat(9_999)}`);
  });
});

describe('precedence table', () => {
  it('names the table to extend when a symbol is missing', () => {
    expect(() => levelOf(LATEX_INFIX, '\\star', 'LaTeX infix')).toThrow(/src\/emit\/precedence\.ts/);
    expect(levelOf(LATEX_INFIX, '\\odot', 'LaTeX infix')).toEqual({ prec: 2, assoc: 'left' });
  });
});
