// The shared table of textbook gradients: each case is a scalar expression, its declarations, one variable,
// and the gradient as printed in its source (Matrix Cookbook, Nov 2012 edition, or an ML text), typed from
// the book in the input language independently of the engine. Used by test/cookbook.test.ts,
// test/simplify/textbook.test.ts and bench/simplify.ts.
import { children, type Expr, freeVars, topoOrder, type VarExpr } from '../../src/ir/expr.js';
import { type Matrix, maxRelDiff } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { symbolsOf } from '../../src/numeric/gradcheck.js';
import { randomDims, randomValues, seededRandom } from '../../src/numeric/random.js';
import { parseDecls, parseExpr, type Scope } from '../../src/parse/index.js';

export interface TextbookCase {
  /** The identity, with its citation. */
  readonly name: string;
  readonly source: 'cookbook' | 'ml';
  readonly decls: string;
  readonly expr: string;
  readonly wrt: string;
  /** The gradient as its source writes it, in the input language. */
  readonly textbook: string;
  /** Sizes held fixed in numeric checks (e.g. a tall X so that XᵀX is invertible). */
  readonly dims?: Readonly<Record<string, number>>;
  /** matcalc prints exactly `textbook` (asserted as text; the others are compared by value). */
  readonly exact?: boolean;
  /** A known simplification gap: matcalc's form has more operations than the textbook's + 10%. */
  readonly gap?: boolean;
}

type Entry = (
  name: string,
  decls: string,
  expr: string,
  wrt: string,
  textbook: string,
  dims?: Record<string, number>,
) => TextbookCase;
const entry =
  (source: TextbookCase['source']): Entry =>
  (name, decls, expr, wrt, textbook, dims) => ({ name, source, decls, expr, wrt, textbook, dims });
const c = entry('cookbook');
const ml = entry('ml');

const exact = (tc: TextbookCase): TextbookCase => ({ ...tc, exact: true });
const gap = (tc: TextbookCase): TextbookCase => ({ ...tc, gap: true });

const SQ = 'X: n x n; A: n x n; B: n x n; C: n x n';
// Neural-net shorthands, written out in full in each expression so the textbook form parses standalone.
const NET1 = 'W: k x d; x: d; b: k; y: k';
const NET2 = 'W1: h x d; b1: h; W2: k x h; b2: k; x: d; y: k';
const BATCH1 = 'X: n x d; W: d x k; b: k; Y: n x k';
const BATCH2 = 'X: n x d; W1: d x h; b1: h; W2: h x k; b2: k; Y: n x k';
const F2 = 'W2*tanh(W1*x + b1) + b2 - y';
const H2 = 'tanh(W1*x + b1)';
const Z1 = "X*W1 + b1'";
const OUT2 = `relu(${Z1})*W2 + b2' - Y`;
const LOGITS = `tanh(${Z1})*W2 + b2'`;
const SOFTMAX_CE = `sum(logsumexp(${LOGITS}, 2) - sum(Y .* (${LOGITS}), 2))`;

export const TEXTBOOK_CASES: readonly TextbookCase[] = [
  // Matrix Cookbook §2.1: determinants.
  // adj(X) = det(X) X⁻¹ (eq. 148): the adjugate form also holds, and evaluates, at singular X
  exact(c('∂det(X)/∂X = adj(X)ᵀ = det(X) X⁻ᵀ (eq. 49)', SQ, 'det(X)', 'X', "adj(X)'")),
  c('∂det(AXB)/∂X = det(AXB) X⁻ᵀ (eq. 51)', SQ, 'det(A*X*B)', 'X', "det(A*X*B)*inv(X)'"),
  gap(
    c('∂det(XᵀAX)/∂X = 2 det(XᵀAX) X⁻ᵀ, X square (eq. 52)', SQ, "det(X'*A*X)", 'X', "2*det(X'*A*X)*inv(X)'"),
  ),
  exact(
    c('∂ln det(XᵀX)/∂X = 2 (X⁺)ᵀ (eq. 55)', 'X: n x d', "logdet(X'*X)", 'X', "2*X*inv(X'*X)", { n: 5, d: 3 }),
  ),
  exact(c('∂ln|det X|/∂X = X⁻ᵀ (eq. 57)', SQ, 'logdet(X)', 'X', "inv(X)'")),
  gap(c('∂det(Xᵏ)/∂X = k det(Xᵏ) X⁻ᵀ (eq. 58)', SQ, 'det(X^3)', 'X', "3*det(X^3)*inv(X)'")),
  // §2.2: inverses.
  c('∂aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ (eq. 61)', 'X: n x n; a: n; b: n', "a'*inv(X)*b", 'X', "-inv(X)'*a*b'*inv(X)'"),
  c('∂det(X⁻¹)/∂X = −det(X⁻¹) X⁻ᵀ (eq. 62)', SQ, 'det(inv(X))', 'X', "-det(inv(X))*inv(X)'"),
  c('∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ (eq. 63)', SQ, 'trace(A*inv(X)*B)', 'X', "-(inv(X)*B*A*inv(X))'"),
  c(
    '∂tr((X + A)⁻¹)/∂X = −((X + A)⁻¹(X + A)⁻¹)ᵀ (eq. 64)',
    SQ,
    'trace(inv(X + A))',
    'X',
    "-(inv(X + A)*inv(X + A))'",
  ),
  // §2.4.1–2.4.2: scalar forms.
  exact(c('∂xᵀa/∂x = a (eq. 69)', 'x: n; a: n', "x'*a", 'x', 'a')),
  exact(c('∂aᵀXb/∂X = abᵀ (eq. 70)', 'a: n; X: n x m; b: m', "a'*X*b", 'X', "a*b'")),
  exact(c('∂aᵀXᵀb/∂X = baᵀ (eq. 71)', 'a: m; X: n x m; b: n', "a'*X'*b", 'X', "b*a'")),
  exact(c('∂aᵀXa/∂X = aaᵀ (eq. 72)', 'a: n; X: n x n', "a'*X*a", 'X', "a*a'")),
  c('∂bᵀXᵀXc/∂X = X(bcᵀ + cbᵀ) (eq. 77)', 'b: m; X: n x m; c: m', "b'*X'*X*c", 'X', "X*(b*c' + c*b')"),
  c(
    '∂(Bx + b)ᵀC(Dx + c)/∂x = BᵀC(Dx + c) + DᵀCᵀ(Bx + b) (eq. 78)',
    'B: m x n; x: n; b: m; C: m x p; D: p x n; c: p',
    "(B*x + b)'*C*(D*x + c)",
    'x',
    "B'*C*(D*x + c) + D'*C'*(B*x + b)",
  ),
  exact(c('∂xᵀBx/∂x = (B + Bᵀ)x (eq. 81)', 'x: n; B: n x n', "x'*B*x", 'x', "(B + B')*x")),
  c(
    '∂bᵀXᵀDXc/∂X = DᵀXbcᵀ + DXcbᵀ (eq. 82)',
    'b: m; X: n x m; D: n x n; c: m',
    "b'*X'*D*X*c",
    'X',
    "D'*X*b*c' + D*X*c*b'",
  ),
  exact(
    c(
      '∂(Xb + c)ᵀD(Xb + c)/∂X = (D + Dᵀ)(Xb + c)bᵀ (eq. 83)',
      'X: n x m; b: m; c: n; D: n x n',
      "(X*b + c)'*D*(X*b + c)",
      'X',
      "(D + D')*(X*b + c)*b'",
    ),
  ),
  c(
    '∂(x − As)ᵀW(x − As)/∂s = −2AᵀW(x − As), W symmetric (§2.4.2)',
    'x: n; A: n x m; s: m; W: n x n symmetric',
    "(x - A*s)'*W*(x - A*s)",
    's',
    "-2*A'*W*(x - A*s)",
  ),
  c(
    '∂(x − As)ᵀW(x − As)/∂A = −2W(x − As)sᵀ, W symmetric (§2.4.2)',
    'x: n; A: n x m; s: m; W: n x n symmetric',
    "(x - A*s)'*W*(x - A*s)",
    'A',
    "-2*W*(x - A*s)*s'",
  ),
  c(
    '∂(x − s)ᵀW(x − s)/∂x = 2W(x − s), W symmetric (§2.4.2)',
    'x: n; s: n; W: n x n symmetric',
    "(x - s)'*W*(x - s)",
    'x',
    '2*W*(x - s)',
  ),
  c(
    '∂aᵀX²b/∂X = abᵀXᵀ + Xᵀabᵀ (eq. 90, n = 2)',
    'a: n; X: n x n; b: n',
    "a'*X^2*b",
    'X',
    "a*b'*X' + X'*a*b'",
  ),
  // §2.5: traces.
  exact(c('∂tr(X)/∂X = I (eq. 99)', 'X: n x n', 'trace(X)', 'X', 'eye(n)')),
  exact(c('∂tr(XA)/∂X = Aᵀ (eq. 100)', 'X: n x m; A: m x n', 'trace(X*A)', 'X', "A'")),
  exact(c('∂tr(AXB)/∂X = AᵀBᵀ (eq. 101)', 'A: m x n; X: n x p; B: p x m', 'trace(A*X*B)', 'X', "A'*B'")),
  exact(c('∂tr(AXᵀB)/∂X = BA (eq. 102)', 'A: m x p; X: n x p; B: n x m', "trace(A*X'*B)", 'X', 'B*A')),
  exact(c('∂tr(XᵀA)/∂X = A (eq. 103)', 'X: n x m; A: n x m', "trace(X'*A)", 'X', 'A')),
  exact(c('∂tr(AXᵀ)/∂X = A (eq. 104)', 'X: n x m; A: n x m', "trace(A*X')", 'X', 'A')),
  gap(
    c('∂tr(A ⊗ X)/∂X = tr(A) I (eq. 105)', 'A: m x m; X: n x n', 'trace(kron(A, X))', 'X', 'trace(A)*eye(n)'),
  ),
  exact(c('∂tr(X²)/∂X = 2Xᵀ (eq. 106)', SQ, 'trace(X^2)', 'X', "2*X'")),
  c('∂tr(X²B)/∂X = (XB + BX)ᵀ (eq. 107)', SQ, 'trace(X^2*B)', 'X', "(X*B + B*X)'"),
  c('∂tr(XᵀBX)/∂X = BX + BᵀX (eq. 108)', 'X: n x m; B: n x n', "trace(X'*B*X)", 'X', "B*X + B'*X"),
  c('∂tr(XBXᵀ)/∂X = XBᵀ + XB (eq. 111)', 'X: n x m; B: m x m', "trace(X*B*X')", 'X', "X*B' + X*B"),
  c('∂tr(AXBX)/∂X = AᵀXᵀBᵀ + BᵀXᵀAᵀ (eq. 114)', SQ, 'trace(A*X*B*X)', 'X', "A'*X'*B' + B'*X'*A'"),
  exact(c('∂tr(XᵀX)/∂X = 2X (eq. 115)', 'X: n x m', "trace(X'*X)", 'X', '2*X')),
  c(
    '∂tr(BᵀXᵀCXB)/∂X = CᵀXBBᵀ + CXBBᵀ (eq. 116)',
    'B: m x p; X: n x m; C: n x n',
    "trace(B'*X'*C*X*B)",
    'X',
    "C'*X*B*B' + C*X*B*B'",
  ),
  c(
    '∂tr(XᵀBXC)/∂X = BXC + BᵀXCᵀ (eq. 117)',
    'X: n x m; B: n x n; C: m x m',
    "trace(X'*B*X*C)",
    'X',
    "B*X*C + B'*X*C'",
  ),
  c(
    '∂tr(AXBXᵀC)/∂X = AᵀCᵀXBᵀ + CAXB (eq. 118)',
    'A: p x n; X: n x m; B: m x m; C: n x p',
    "trace(A*X*B*X'*C)",
    'X',
    "A'*C'*X*B' + C*A*X*B",
  ),
  c(
    '∂tr((AXB + C)(AXB + C)ᵀ)/∂X = 2Aᵀ(AXB + C)Bᵀ (eq. 119)',
    'A: p x n; X: n x m; B: m x q; C: p x q',
    "trace((A*X*B + C)*(A*X*B + C)')",
    'X',
    "2*A'*(A*X*B + C)*B'",
  ),
  c('∂tr(Xᵏ)/∂X = k(Xᵏ⁻¹)ᵀ (eq. 121, k = 3)', SQ, 'trace(X^3)', 'X', "3*(X^2)'"),
  c('∂tr(AX⁻¹B)/∂X = −X⁻ᵀAᵀBᵀX⁻ᵀ (eq. 124)', SQ, 'trace(A*inv(X)*B)', 'X', "-inv(X)'*A'*B'*inv(X)'"),
  // §2.6–2.7: norms.
  exact(
    c('∂‖x − a‖₂/∂x = (x − a)/‖x − a‖₂ (eq. 129)', 'x: n; a: n', 'norm(x - a)', 'x', '(x - a)/norm(x - a)'),
  ),
  exact(c('∂‖x‖₂²/∂x = 2x (eq. 131)', 'x: n', 'norm(x)^2', 'x', '2*x')),
  exact(c('∂‖X‖_F²/∂X = 2X (eq. 132)', 'X: n x m', 'norm(X)^2', 'X', '2*X')),
  // Machine-learning losses.
  exact(
    ml(
      'least squares: ∇‖Xw − y‖² = 2Xᵀ(Xw − y) (Hastie et al., ESL §3.2)',
      'X: n x d; w: d; y: n',
      'sum((X*w - y).^2)',
      'w',
      "2*X'*(X*w - y)",
    ),
  ),
  ml(
    'ridge: ∇(‖Xw − y‖² + λwᵀw) = 2Xᵀ(Xw − y) + 2λw (ESL §3.4.1)',
    'X: n x d; w: d; y: n; lambda: scalar',
    "sum((X*w - y).^2) + lambda*w'*w",
    'w',
    "2*X'*(X*w - y) + 2*lambda*w",
  ),
  exact(
    ml(
      'logistic regression, 0/1 labels: ∇ = Xᵀ(σ(Xw) − y) (Bishop, PRML eq. 4.91)',
      'X: n x d; w: d; y: n',
      'sum(-y .* log(sigmoid(X*w)) - (1 - y) .* log(1 - sigmoid(X*w)))',
      'w',
      "X'*(sigmoid(X*w) - y)",
    ),
  ),
  ml(
    'logistic regression, ±1 labels: ∇ = −Xᵀ(y ⊙ σ(−y ⊙ Xw)) (Murphy, MLaPP §8.3.1)',
    'X: n x d; w: d; y: n',
    'sum(log(1 + exp(-y .* (X*w))))',
    'w',
    "-X'*(y .* sigmoid(-y .* (X*w)))",
  ),
  exact(
    ml(
      'softmax regression, weights: ∇_W = Xᵀ(softmax(XW + 1bᵀ) − Y)/n (PRML eq. 4.109)',
      'X: n x d; W: d x k; b: k; Y: n x k',
      "sum(logsumexp(X*W + b', 2) - sum(Y .* (X*W + b'), 2))/n",
      'W',
      "X'*(softmax(X*W + b', 2) - Y)/n",
    ),
  ),
  exact(
    ml(
      'softmax regression, bias: ∇_b = (softmax(XW + 1bᵀ) − Y)ᵀ1/n (PRML eq. 4.109)',
      'X: n x d; W: d x k; b: k; Y: n x k',
      "sum(logsumexp(X*W + b', 2) - sum(Y .* (X*W + b'), 2))/n",
      'b',
      "sum(softmax(X*W + b', 2) - Y, 1)'/n",
    ),
  ),
  exact(
    ml(
      'cross-entropy of softmax, one-hot labels: ∇_W = Xᵀ(softmax(XW) − Y) (PRML eq. 4.109)',
      'X: n x d; W: d x k; Y: n x k onehot',
      '-sum(Y .* logsoftmax(X*W, 2))',
      'W',
      "X'*(softmax(X*W, 2) - Y)",
    ),
  ),
  ml(
    'Gaussian covariance: ∇_Σ(½ln|Σ| + ½(x − μ)ᵀΣ⁻¹(x − μ)) = ½(Σ⁻¹ − Σ⁻¹(x − μ)(x − μ)ᵀΣ⁻¹) (PRML §2.3.4)',
    'S: n x n spd; x: n; m: n',
    "0.5*logdet(S) + 0.5*(x - m)'*inv(S)*(x - m)",
    'S',
    "(inv(S) - inv(S)*(x - m)*(x - m)'*inv(S))/2",
  ),
  exact(
    ml(
      '∇ logsumexp(z) = softmax(z) (Boyd & Vandenberghe, Convex Optimization §3.1.5)',
      'z: k',
      'logsumexp(z)',
      'z',
      'softmax(z)',
    ),
  ),
  ml(
    'score function: ∇_t Σ softmax(t) ⊙ f = π ⊙ (f − πᵀf) (Sutton & Barto, RL 2nd ed. §2.8)',
    't: k; f: k',
    'sum(softmax(t) .* f)',
    't',
    "softmax(t) .* (f - softmax(t)'*f)",
  ),
  ml(
    '1-layer sigmoid net, one example: ∇_W = (2(σ(z) − y) ⊙ σ(z) ⊙ (1 − σ(z)))xᵀ (PRML §5.3)',
    NET1,
    'sum((sigmoid(W*x + b) - y).^2)',
    'W',
    "(2*(sigmoid(W*x + b) - y) .* sigmoid(W*x + b) .* (1 - sigmoid(W*x + b)))*x'",
  ),
  ml(
    '1-layer sigmoid net, one example: ∇_b = 2(σ(z) − y) ⊙ σ(z) ⊙ (1 − σ(z)) (PRML §5.3)',
    NET1,
    'sum((sigmoid(W*x + b) - y).^2)',
    'b',
    '2*(sigmoid(W*x + b) - y) .* sigmoid(W*x + b) .* (1 - sigmoid(W*x + b))',
  ),
  ml(
    '1-layer tanh net, batch: ∇_W = Xᵀ(2(tanh(Z) − Y) ⊙ (1 − tanh²(Z))) (PRML §5.3)',
    BATCH1,
    "sum((tanh(X*W + b') - Y).^2)",
    'W',
    "X'*(2*(tanh(X*W + b') - Y) .* (1 - tanh(X*W + b').^2))",
  ),
  ml(
    '1-layer tanh net, batch: ∇_b = (2(tanh(Z) − Y) ⊙ (1 − tanh²(Z)))ᵀ1 (PRML §5.3)',
    BATCH1,
    "sum((tanh(X*W + b') - Y).^2)",
    'b',
    "sum(2*(tanh(X*W + b') - Y) .* (1 - tanh(X*W + b').^2), 1)'",
  ),
  exact(
    ml(
      '2-layer tanh net, one example: ∇_W2 = 2r hᵀ (PRML §5.3.2)',
      NET2,
      `sum((${F2}).^2)`,
      'W2',
      `2*(${F2})*${H2}'`,
    ),
  ),
  exact(
    ml('2-layer tanh net, one example: ∇_b2 = 2r (PRML §5.3.2)', NET2, `sum((${F2}).^2)`, 'b2', `2*(${F2})`),
  ),
  ml(
    '2-layer tanh net, one example: ∇_W1 = ((W2ᵀ 2r) ⊙ (1 − h²))xᵀ (PRML eq. 5.56)',
    NET2,
    `sum((${F2}).^2)`,
    'W1',
    `((W2'*2*(${F2})) .* (1 - ${H2}.^2))*x'`,
  ),
  ml(
    '2-layer tanh net, one example: ∇_b1 = (W2ᵀ 2r) ⊙ (1 − h²) (PRML eq. 5.56)',
    NET2,
    `sum((${F2}).^2)`,
    'b1',
    `(W2'*2*(${F2})) .* (1 - ${H2}.^2)`,
  ),
  ml(
    '2-layer relu net, batch: ∇_W2 = relu(Z1)ᵀ 2R (PRML §5.3.1)',
    BATCH2,
    `sum((${OUT2}).^2)`,
    'W2',
    `relu(${Z1})'*2*(${OUT2})`,
  ),
  ml(
    '2-layer relu net, batch: ∇_b2 = (2R)ᵀ1 (PRML §5.3.1)',
    BATCH2,
    `sum((${OUT2}).^2)`,
    'b2',
    `sum(2*(${OUT2}), 1)'`,
  ),
  ml(
    '2-layer relu net, batch: ∇_W1 = Xᵀ((2R W2ᵀ) ⊙ step(Z1)) (PRML §5.3.1)',
    BATCH2,
    `sum((${OUT2}).^2)`,
    'W1',
    `X'*((2*(${OUT2})*W2') .* step(${Z1}))`,
  ),
  ml(
    '2-layer relu net, batch: ∇_b1 = ((2R W2ᵀ) ⊙ step(Z1))ᵀ1 (PRML §5.3.1)',
    BATCH2,
    `sum((${OUT2}).^2)`,
    'b1',
    `sum((2*(${OUT2})*W2') .* step(${Z1}), 1)'`,
  ),
  exact(
    ml(
      '2-layer tanh net, softmax cross-entropy: ∇_W2 = Hᵀ(softmax(HW2 + 1b2ᵀ) − Y) (PRML eq. 4.109, §5.3)',
      BATCH2,
      SOFTMAX_CE,
      'W2',
      `tanh(${Z1})'*(softmax(${LOGITS}, 2) - Y)`,
    ),
  ),
  ml(
    '2-layer tanh net, softmax cross-entropy: ∇_W1 = Xᵀ(((P − Y)W2ᵀ) ⊙ (1 − H²)) (PRML eq. 5.56)',
    BATCH2,
    SOFTMAX_CE,
    'W1',
    `X'*(((softmax(${LOGITS}, 2) - Y)*W2') .* (1 - tanh(${Z1}).^2))`,
  ),
];

export interface LoadedCase {
  readonly scope: Scope;
  readonly f: Expr;
  readonly variable: VarExpr;
  readonly textbook: Expr;
}

export function loadCase(tc: TextbookCase): LoadedCase {
  const scope = parseDecls(tc.decls);
  const variable = scope.vars.get(tc.wrt);
  if (!variable) throw new Error(`${tc.name}: ${tc.wrt} is not declared`);
  return { scope, f: parseExpr(tc.expr, scope), variable, textbook: parseExpr(tc.textbook, scope) };
}

export function fixedDims(tc: { readonly dims?: Readonly<Record<string, number>> }): Map<string, number> {
  return new Map(Object.entries(tc.dims ?? {}));
}

/**
 * Evaluate every expression at the same random dims and values (qualifiers honoured) and return the
 * largest relative difference of each from the first.
 */
export function valueDifference(
  exprs: readonly Expr[],
  seed: number,
  dims: ReadonlyMap<string, number> = new Map(),
): number {
  const rand = seededRandom(seed);
  const vars = [...new Map(exprs.flatMap(freeVars).map((v) => [v.name, v])).values()];
  const at = randomDims(symbolsOf(exprs), rand, dims);
  const values = randomValues(vars, at, rand);
  const [first, ...rest] = evaluateMany(exprs, values, at) as Matrix[];
  return Math.max(0, ...rest.map((m) => maxRelDiff(m, first)));
}

/** Operations of an expression — op and derivative nodes, not leaves — once per DAG node and as a tree. */
export function countOps(e: Expr): { readonly dag: number; readonly tree: number } {
  const tree = new Map<number, number>();
  let dag = 0;
  for (const node of topoOrder([e])) {
    const own = node.kind === 'deriv' || (node.kind === 'op' && node.args.length > 0) ? 1 : 0;
    dag += own;
    tree.set(node.id, own + children(node).reduce((sum, k) => sum + tree.get(k.id)!, 0));
  }
  return { dag, tree: tree.get(e.id)! };
}

/** The bench's goal: no more operations than the textbook form + 10%. */
export const withinTextbook = (ours: number, book: number): boolean => ours <= book * 1.1 + 1e-9;
