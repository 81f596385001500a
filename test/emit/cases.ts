// Expressions that exercise every op's code template, with hostile names, shared by the NumPy, JAX and TS
// module tests: each case becomes a ModuleSpec (value, simplified gradients, every declared input).
import { grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import type { ModuleSpec } from '../../src/emit/numpy.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

export interface EmitCase {
  readonly name: string;
  readonly decls: string;
  readonly expr: string;
  readonly wrt: readonly string[];
}

export const CASES: readonly EmitCase[] = [
  { name: 'least squares', decls: 'X: n x d; w: d; y: n', expr: 'sum((X*w - y).^2)', wrt: ['w', 'X', 'y'] },
  {
    name: 'regularized logistic loss',
    decls: 'X: n x d; w: d; y: n; lambda: scalar',
    expr: 'sum(log(1 + exp(-y .* (X*w)))) + lambda*norm(w)^2/n',
    wrt: ['w', 'lambda'],
  },
  {
    name: 'softmax cross-entropy over rows',
    decls: 'X: n x d; W: d x k; b: k; Y: n x k onehot',
    expr: "mean(logsumexp(X*W + b', 2) - sum(Y .* (X*W + b'), 2))",
    wrt: ['W', 'b'],
  },
  {
    name: 'logdet, trace and inverse',
    decls: 'S: n x n spd; A: n x n; c: n',
    expr: "logdet(S) - trace(S*A) + c'*inv(S)*c",
    wrt: ['S', 'A', 'c'],
  },
  { name: 'determinant and matrix power', decls: 'A: n x n', expr: 'det(A)^2 + trace(A^3)', wrt: ['A'] },
  {
    name: 'kron and vec',
    decls: 'A: m x n; B: p x q',
    expr: 'sum(vec(kron(A, B)) .* sin(vec(kron(B, A)))) + norm(kron(A, B))',
    wrt: ['A', 'B'],
  },
  {
    name: 'diag both ways',
    decls: 'A: n x n; x: n',
    expr: 'sum(diag(x)*A*diag(x)) + sum(diag(A).^2)',
    wrt: ['A', 'x'],
  },
  {
    name: 'elementwise functions',
    decls: 'x: n; p: n positive',
    expr: 'sum(tanh(x) .* sin(x) + cos(x) .* sigmoid(x) + softplus(x) + sqrt(p) + log(p) + abs(x) + relu(x) + exp(x/3) + x ./ p)',
    wrt: ['x', 'p'],
  },
  {
    name: 'special functions and GELU',
    decls: 'x: n; p: n positive',
    expr: 'sum(gelu_erf(x) + gelu_tanh(x) + erf(x) .* atan(x) + log1p(p) + expm1(x/2) + tan(x/2) + asin(tanh(x)/2) + acos(tanh(x)/3) + normcdf(x) .* normpdf(x))',
    wrt: ['x', 'p'],
  },
  {
    name: 'GELU layer (its value and derivative share Φ)',
    decls: 'X: n x d; W: d x h; Y: n x h',
    expr: 'sum((gelu_erf(X*W) - Y).^2)/2',
    wrt: ['W', 'X'],
  },
  {
    name: 'masks, shifts, adjugate, 1-norm, max and min',
    decls: 'Q: n x d; K: n x d; A: n x n; X: n x d; W: d x k; x: n',
    expr: "sum(masked_softmax(Q*K', tril(ones(n, n))) .* A) + det(A) + sum(adj(A)) + norm(x, 1) + sum(max(X*W, 0.5) - min(X*W, -0.5)) + sum((shift(n, -1)*X*W).^2) + sum(tril(A).^2)",
    wrt: ['Q', 'K', 'A', 'W', 'x'],
  },
  {
    name: 'means along dims',
    decls: 'X: n x d',
    expr: 'sum(mean(X, 1).^2) + sum(mean(X, 2).^3) + mean(X)^2 + sum(sum(X, 1)) * sum(sum(X, 2))',
    wrt: ['X'],
  },
  {
    name: 'softmax of a vector',
    decls: 'z: k; c: k',
    expr: 'sum(softmax(z) .* c) + sum(logsoftmax(z) .* c) + logsumexp(z)',
    wrt: ['z', 'c'],
  },
  {
    name: 'sizes and constants',
    decls: 'x: n; s: scalar',
    expr: 'sum(x)/n + 2.5*s^2 + s*n + 0.001*sum(x.^2)',
    wrt: ['x', 's'],
  },
  {
    name: 'eye and ones',
    decls: 'A: n x n; v: n',
    expr: "trace(A + eye(n)) + sum(ones(n, 1)'*A) + sum((A - eye(n))*v)",
    wrt: ['A', 'v'],
  },
  { name: 'integer dims', decls: 'X: 3 x d; w: d; r: 1 x 3', expr: 'sum((r*X*w).^2)', wrt: ['X', 'w', 'r'] },
  {
    name: 'keyword and awkward names',
    decls:
      'lambda: scalar; def: n; None: n; np: n x n; values: n; _arg: n; t1: n; constructor: n; __proto__: n; toString: n; K: n; Math: n; j: n',
    expr: 'lambda*sum(def .* None) + sum(np*values) + sum(_arg.^2) + sum(t1 .* constructor) + sum(exp(__proto__) .* toString) + sum(K .* Math) + sum(j)',
    wrt: ['lambda', 'def', 'np', '_arg', 't1', '__proto__', 'toString', 'K', 'j'],
  },
  {
    name: 'awkward dim names',
    decls: 'A: class x return; x: return',
    expr: 'sum(tanh(A*x)) / class',
    wrt: ['A', 'x'],
  },
];

/** The case as a module: its value, simplified gradients and every declared name as an input. */
export function caseSpec(c: EmitCase): ModuleSpec {
  const scope = parseDecls(c.decls);
  const f = parseExpr(c.expr, scope);
  const gs = grad(f, c.wrt, { scope });
  return {
    name: 'f',
    title: `f = ${c.expr}`,
    value: expandDerivatives(f),
    grads: c.wrt.map((w, k) => ({ wrt: scope.vars.get(w)!, expr: gs[k] })),
    inputs: [...scope.vars.values()],
  };
}
