// The claim corpus for the verify tests: gradients of losses (least squares, logistic, softmax
// cross-entropy via logsumexp, 2-layer nets) and trace/det/logdet/quadratic-form identities, half right
// and half carrying the classic mistakes, each wrong one labelled with the diagnosis it must get.
import type { DiagnosisKind } from '../../src/verify/diagnose.js';

export interface Case {
  readonly name: string;
  readonly decls: string;
  /** A gradient claim: grad(f, wrt) = claim. */
  readonly f?: string;
  readonly wrt?: string;
  /** An identity claim: truth = claim. */
  readonly truth?: string;
  readonly claim: string;
  readonly expect: 'equal' | DiagnosisKind;
  /** Expected `factor`, `term` or `fix` of the diagnosis, when the case pins it down. */
  readonly factor?: string;
  readonly term?: string;
  readonly fix?: string;
}

const LS = { decls: 'X: n x d; w: d; y: n; lam: scalar', f: 'sum((X*w - y).^2)', wrt: 'w' };
const MSE = { ...LS, f: 'mean((X*w - y).^2)' };
const RIDGE = { ...LS, f: 'sum((X*w - y).^2) + lam*sum(w.^2)' };
const LOGISTIC = { decls: 'X: n x d; w: d; y: n', f: 'sum(softplus(X*w) - y .* (X*w))', wrt: 'w' };
const SOFTMAX_CE = { decls: 'W: k x d; x: d; y: k', f: "logsumexp(W*x) - y'*W*x", wrt: 'W' };
const BATCH_CE = {
  decls: 'X: n x d; W: d x k; Y: n x k',
  f: 'sum(logsumexp(X*W, 2)) - sum(Y .* (X*W))',
  wrt: 'W',
};
const NET = { decls: 'X: n x d; W1: d x h; w2: h; y: n', f: 'sum((tanh(X*W1)*w2 - y).^2)' };
const NET_W1 = { ...NET, wrt: 'W1' };
const NET_W2 = { ...NET, wrt: 'w2' };

export const RIGHT: readonly Case[] = [
  { name: 'least squares', ...LS, claim: "2*X'*(X*w - y)", expect: 'equal' },
  { name: 'least squares, expanded', ...LS, claim: "2*X'*X*w - 2*X'*y", expect: 'equal' },
  { name: 'mean squared error', ...MSE, claim: "2*X'*(X*w - y)/n", expect: 'equal' },
  { name: 'ridge', ...RIDGE, claim: "2*X'*(X*w - y) + 2*lam*w", expect: 'equal' },
  {
    name: 'squared norm of the residual',
    ...LS,
    f: 'norm(X*w - y)^2',
    claim: "2*X'*X*w - 2*X'*y",
    expect: 'equal',
  },
  {
    name: 'logistic loss, ±1 labels',
    decls: 'X: n x d; w: d; y: n',
    f: 'sum(log(1 + exp(-y .* (X*w))))',
    wrt: 'w',
    claim: "-X'*(y .* sigmoid(-y .* (X*w)))",
    expect: 'equal',
  },
  { name: 'logistic loss, 0/1 labels', ...LOGISTIC, claim: "X'*(sigmoid(X*w) - y)", expect: 'equal' },
  {
    name: 'mean logistic loss',
    ...LOGISTIC,
    f: 'mean(softplus(X*w) - y .* (X*w))',
    claim: "X'*(sigmoid(X*w) - y)/n",
    expect: 'equal',
  },
  {
    name: 'softmax cross-entropy via logsumexp, wrt W',
    ...SOFTMAX_CE,
    claim: "(softmax(W*x) - y)*x'",
    expect: 'equal',
  },
  {
    name: 'softmax cross-entropy via logsumexp, wrt x',
    ...SOFTMAX_CE,
    wrt: 'x',
    claim: "W'*(softmax(W*x) - y)",
    expect: 'equal',
  },
  { name: 'batch softmax cross-entropy', ...BATCH_CE, claim: "X'*(softmax(X*W, 2) - Y)", expect: 'equal' },
  {
    name: 'cross-entropy with unnormalized targets',
    decls: 'z: k; y: k',
    f: '-sum(y .* logsoftmax(z))',
    wrt: 'z',
    claim: 'softmax(z)*sum(y) - y',
    expect: 'equal',
  },
  {
    name: '2-layer net, output weights',
    ...NET_W2,
    claim: "2*tanh(X*W1)'*(tanh(X*W1)*w2 - y)",
    expect: 'equal',
  },
  {
    name: '2-layer net, hidden weights',
    ...NET_W1,
    claim: "X'*((2*(tanh(X*W1)*w2 - y)*w2') .* (1 - tanh(X*W1).^2))",
    expect: 'equal',
  },
  {
    name: '2-layer relu net, hidden bias',
    decls: 'X: n x d; W1: d x h; b1: h; w2: h; y: n',
    f: "sum((relu(X*W1 + b1')*w2 - y).^2)",
    wrt: 'b1',
    claim: "((2*(relu(X*W1 + b1')*w2 - y)*w2') .* step(X*W1 + b1'))'*ones(n, 1)",
    expect: 'equal',
  },
  // Matrix Cookbook (Petersen & Pedersen 2012) eq. 100: ∂tr(XA)/∂X = Aᵀ.
  { name: 'trace(XA)', decls: 'X: m x n; A: n x m', f: 'trace(X*A)', wrt: 'X', claim: "A'", expect: 'equal' },
  // Cookbook eq. 102: ∂tr(AXB)/∂X = AᵀBᵀ.
  {
    name: 'trace(AXB)',
    decls: 'A: p x m; X: m x n; B: n x p',
    f: 'trace(A*X*B)',
    wrt: 'X',
    claim: "A'*B'",
    expect: 'equal',
  },
  // Cookbook eq. 108: ∂tr(XᵀBX)/∂X = BX + BᵀX.
  {
    name: "trace(X'AX)",
    decls: 'X: n x k; A: n x n',
    f: "trace(X'*A*X)",
    wrt: 'X',
    claim: "A*X + A'*X",
    expect: 'equal',
  },
  {
    name: "trace(X'SX), S symmetric",
    decls: 'X: n x k; S: n x n symmetric',
    f: "trace(X'*S*X)",
    wrt: 'X',
    claim: '2*S*X',
    expect: 'equal',
  },
  // Cookbook eq. 49: ∂det(X)/∂X = det(X) X⁻ᵀ.
  { name: 'det', decls: 'X: n x n', f: 'det(X)', wrt: 'X', claim: "det(X)*inv(X)'", expect: 'equal' },
  // Cookbook eq. 57: ∂log|det X|/∂X = X⁻ᵀ.
  { name: 'logdet', decls: 'X: n x n', f: 'logdet(X)', wrt: 'X', claim: "inv(X')", expect: 'equal' },
  {
    name: 'logdet of an spd matrix',
    decls: 'S: n x n spd',
    f: 'logdet(S)',
    wrt: 'S',
    claim: 'inv(S)',
    expect: 'equal',
  },
  // Cookbook eq. 81: ∂xᵀBx/∂x = (B + Bᵀ)x.
  {
    name: 'quadratic form',
    decls: 'x: n; A: n x n',
    f: "x'*A*x",
    wrt: 'x',
    claim: "A*x + A'*x",
    expect: 'equal',
  },
  // Cookbook eq. 70: ∂aᵀXb/∂X = abᵀ.
  {
    name: 'bilinear form',
    decls: 'a: m; X: m x n; b: n',
    f: "a'*X*b",
    wrt: 'X',
    claim: "a*b'",
    expect: 'equal',
  },
  {
    name: 'logsumexp',
    decls: 'x: n',
    f: 'logsumexp(x)',
    wrt: 'x',
    claim: 'exp(x)/sum(exp(x))',
    expect: 'equal',
  },
  // Cookbook eq. 16: Tr(AB) = Tr(BA).
  {
    name: 'cyclic trace',
    decls: 'A: m x n; B: n x m',
    truth: 'trace(A*B)',
    claim: 'trace(B*A)',
    expect: 'equal',
  },
  {
    name: 'transpose of a product',
    decls: 'A: m x n; B: n x k',
    truth: "(A*B)'",
    claim: "B'*A'",
    expect: 'equal',
  },
  {
    name: 'logdet = log det on spd',
    decls: 'S: n x n spd',
    truth: 'logdet(S)',
    claim: 'log(det(S))',
    expect: 'equal',
  },
  {
    name: 'inverse of a product',
    decls: 'A: n x n; B: n x n',
    truth: 'inv(A*B)',
    claim: 'inv(B)*inv(A)',
    expect: 'equal',
  },
  { name: 'log of exp', decls: 'x: n', truth: 'x', claim: 'log(exp(x))', expect: 'equal' },
  { name: 'sqrt of a square is abs', decls: 'x: n', truth: 'abs(x)', claim: 'sqrt(x.^2)', expect: 'equal' },
  {
    name: 'Frobenius inner product',
    decls: 'X: n x d; Y: n x d',
    truth: 'sum(X .* Y)',
    claim: "trace(X'*Y)",
    expect: 'equal',
  },
  {
    name: 'softmax through logsumexp',
    decls: 'z: k',
    truth: 'softmax(z)',
    claim: 'exp(z - logsumexp(z))',
    expect: 'equal',
  },
  { name: 'sigmoid symmetry', decls: 'x: n', truth: 'sigmoid(-x)', claim: '1 - sigmoid(x)', expect: 'equal' },
  {
    name: 'quadratic form of the transpose',
    decls: 'x: n; A: n x n',
    truth: "x'*A*x",
    claim: "x'*A'*x",
    expect: 'equal',
  },
];

export const WRONG: readonly Case[] = [
  {
    name: 'trace(XA) as A',
    decls: 'X: m x n; A: n x m',
    f: 'trace(X*A)',
    wrt: 'X',
    claim: 'A',
    expect: 'shape-transposed',
    fix: "A'",
  },
  {
    name: 'trace(XA), square, as A',
    decls: 'X: n x n; A: n x n',
    f: 'trace(X*A)',
    wrt: 'X',
    claim: 'A',
    expect: 'transposed',
    fix: "A'",
  },
  { name: 'least squares without the 2', ...LS, claim: "X'*(X*w - y)", expect: 'factor', factor: '1/2' },
  { name: 'least squares, residual backwards', ...LS, claim: "2*X'*(y - X*w)", expect: 'sign', factor: '-1' },
  { name: 'mean squared error without 1/n', ...MSE, claim: "2*X'*(X*w - y)", expect: 'factor', factor: 'n' },
  { name: 'mean squared error over d', ...MSE, claim: "2*X'*(X*w - y)/d", expect: 'factor', factor: 'n/d' },
  {
    name: 'ridge without the regularizer',
    ...RIDGE,
    claim: "2*X'*(X*w - y)",
    expect: 'missing-term',
    term: '2*lam*w',
  },
  {
    name: 'least squares with a regularizer',
    ...LS,
    claim: "2*X'*(X*w - y) + 2*lam*w",
    expect: 'extra-term',
    term: '2*lam*w',
  },
  {
    name: 'least squares, expanded, missing a term',
    ...LS,
    claim: "2*X'*X*w",
    expect: 'missing-term',
    term: "-2*X'*y",
  },
  {
    name: 'logistic, label sign flipped',
    ...LOGISTIC,
    claim: "X'*(sigmoid(X*w) + y)",
    expect: 'sign',
    term: "-X'*y",
  },
  { name: 'logistic, transposed', ...LOGISTIC, claim: "(sigmoid(X*w) - y)'*X", expect: 'shape-transposed' },
  {
    name: 'mean logistic without 1/n',
    ...LOGISTIC,
    f: 'mean(softplus(X*w) - y .* (X*w))',
    claim: "X'*(sigmoid(X*w) - y)",
    expect: 'factor',
    factor: 'n',
  },
  {
    name: 'softmax cross-entropy, outer product reversed',
    ...SOFTMAX_CE,
    claim: "x*(softmax(W*x) - y)'",
    expect: 'shape-transposed',
  },
  {
    name: 'softmax cross-entropy, target sign',
    ...SOFTMAX_CE,
    claim: "(softmax(W*x) + y)*x'",
    expect: 'sign',
  },
  {
    name: 'batch cross-entropy, transposed',
    ...BATCH_CE,
    claim: "(softmax(X*W, 2) - Y)'*X",
    expect: 'shape-transposed',
  },
  {
    name: 'batch cross-entropy without the targets',
    ...BATCH_CE,
    claim: "X'*softmax(X*W, 2)",
    expect: 'missing-term',
    term: "-X'*Y",
  },
  {
    name: 'cross-entropy assuming targets sum to 1',
    decls: 'z: k; y: k',
    f: '-sum(y .* logsoftmax(z))',
    wrt: 'z',
    claim: 'softmax(z) - y',
    expect: 'needs-onehot',
  },
  {
    name: "2-layer net without tanh'",
    ...NET_W1,
    claim: "X'*(2*(tanh(X*W1)*w2 - y)*w2')",
    expect: 'factor',
    factor: '1 - tanh(X*W1).^2',
  },
  {
    name: '2-layer net, output weights as a row',
    ...NET_W2,
    claim: "2*(tanh(X*W1)*w2 - y)'*tanh(X*W1)",
    expect: 'shape-transposed',
  },
  {
    name: "X'*G written G*X'",
    decls: 'X: n x d; W: d x d; Y: n x d',
    f: "trace(W'*X'*Y)",
    wrt: 'W',
    claim: "Y*X'",
    expect: 'shape-mismatch',
    fix: "X'*Y",
  },
  {
    name: 'det without the transpose',
    decls: 'X: n x n',
    f: 'det(X)',
    wrt: 'X',
    claim: 'det(X)*inv(X)',
    expect: 'transposed',
  },
  {
    name: 'det without det',
    decls: 'X: n x n',
    f: 'det(X)',
    wrt: 'X',
    claim: "inv(X)'",
    expect: 'factor',
    factor: '1/det(X)',
  },
  {
    name: 'logdet of spd, sign',
    decls: 'S: n x n spd',
    f: 'logdet(S)',
    wrt: 'S',
    claim: '-inv(S)',
    expect: 'sign',
  },
  {
    name: "trace(X'SX) without the 2",
    decls: 'X: n x k; S: n x n symmetric',
    f: "trace(X'*S*X)",
    wrt: 'X',
    claim: 'S*X',
    expect: 'factor',
    factor: '1/2',
  },
  {
    name: 'quadratic form, one term',
    decls: 'x: n; A: n x n',
    f: "x'*A*x",
    wrt: 'x',
    claim: 'A*x',
    expect: 'missing-term',
    term: "A'*x",
  },
  {
    name: 'quadratic form assuming symmetry',
    decls: 'x: n; A: n x n',
    f: "x'*A*x",
    wrt: 'x',
    claim: '2*A*x',
    expect: 'needs-symmetric',
  },
  {
    name: 'logsumexp without normalizing',
    decls: 'x: n',
    f: 'logsumexp(x)',
    wrt: 'x',
    claim: 'exp(x)',
    expect: 'factor',
  },
  {
    name: 'sum of exp, stray constant',
    decls: 'x: n',
    f: 'sum(exp(x))',
    wrt: 'x',
    claim: 'exp(x) - 1',
    expect: 'extra-term',
    term: '-1',
  },
  {
    name: 'sqrt of a square is not x',
    decls: 'x: n',
    truth: 'sqrt(x.^2)',
    claim: 'x',
    expect: 'counterexample',
  },
  {
    name: 'trace is not multiplicative',
    decls: 'A: n x n; B: n x n',
    truth: 'trace(A*B)',
    claim: 'trace(A)*trace(B)',
    expect: 'counterexample',
  },
  {
    name: 'transpose of a product, order kept',
    decls: 'A: n x n; B: n x n',
    truth: "(A*B)'",
    claim: "A'*B'",
    expect: 'counterexample',
    fix: "B'*A'",
  },
  {
    name: 'mean is not sum',
    decls: 'x: n',
    truth: 'mean(x)',
    claim: 'sum(x)',
    expect: 'factor',
    factor: 'n',
  },
];
