// The TeX a post may use, one construct at a time: each row is a textbook identity written in TeX (it must
// verify) and, where it makes sense, the same with one slip (it must not). The identities are the
// reference (Matrix Cookbook equation numbers where they come from there), not the engine's output.
import { describe, expect, it } from 'vitest';
import { verifyDocument } from '../../src/verify/claims.js';

const post = (decls: string, math: string) => `<!-- matcalc let ${decls} -->\n\n$$\n${math}\n$$\n`;

function verdicts(decls: string, math: string) {
  const r = verifyDocument(post(decls, math), 'post.md');
  const steps = r.checks.flatMap((c) => (c.kind === 'chain' ? c.steps : [c]));
  return { r, steps, equal: steps.map((s) => s.verdict.equal) };
}

/** [what, decls, a true relation, the relation with a slip (or null)]. */
const CONSTRUCTS: readonly (readonly [string, string, string, string | null])[] = [
  [
    'juxtaposition and ^\\top',
    'X: n x d; w: d; y: n',
    '\\nabla_w \\|X w - y\\|^2 = 2 X^\\top (X w - y)',
    '\\nabla_w \\|X w - y\\|^2 = 2 X (X w - y)',
  ],
  [
    '\\cdot and ^T',
    'X: n x d; w: d; y: n',
    '\\nabla_{w} \\|X w - y\\|^2 = 2 X^T \\cdot (X w - y)',
    '\\nabla_{w} \\|X w - y\\|^2 = X^T \\cdot (X w - y)',
  ],
  [
    '\\times and ^{\\mathsf{T}}',
    'X: n x d; w: d; y: n',
    '\\nabla_w \\|X w - y\\|^2 = 2 \\times X^{\\mathsf{T}} (X w - y)',
    null,
  ],
  [
    'a prime for the transpose',
    'A: n x n; x: n',
    "\\nabla_x (x' A x) = (A + A') x",
    "\\nabla_x (x' A x) = 2 A' x",
  ],
  [
    '^{-1} (Cookbook 61)',
    'X: n x n; a: n; b: n',
    '\\nabla_X (a^\\top X^{-1} b) = -X^{-\\top} a b^\\top X^{-\\top}',
    '\\nabla_X (a^\\top X^{-1} b) = X^{-\\top} a b^\\top X^{-\\top}',
  ],
  [
    '\\odot and \\circ',
    'x: n; y: n',
    '\\nabla_x \\operatorname{sum}(x \\odot y) = y \\circ \\mathbf{1}_n',
    '\\nabla_x \\operatorname{sum}(x \\odot y) = x',
  ],
  [
    '\\oslash',
    'x: n positive; y: n',
    '\\nabla_y \\operatorname{sum}(y \\oslash x) = \\mathbf{1} \\oslash x',
    '\\nabla_y \\operatorname{sum}(y \\oslash x) = x',
  ],
  [
    '\\frac and \\left( \\right)',
    'x: n; c: scalar',
    '\\nabla_x \\left( \\frac{c}{2} x^\\top x \\right) = c x',
    '\\nabla_x \\left( \\frac{c}{2} x^\\top x \\right) = \\frac{c}{2} x',
  ],
  [
    '\\partial L / \\partial W',
    'X: n x d; W: d x k',
    '\\partial \\operatorname{sum}(X W) / \\partial W = X^\\top \\mathbf{1}_n \\mathbf{1}_k^\\top',
    null,
  ],
  [
    '\\sigma with and without parentheses',
    'x: n',
    '\\nabla_x \\operatorname{sum}(\\log \\sigma(x)) = \\mathbf{1} - \\sigma(x)',
    '\\nabla_x \\operatorname{sum}(\\log \\sigma(x)) = \\sigma(x)',
  ],
  [
    '\\tanh without parentheses',
    'z: n',
    '\\frac{\\partial \\tanh z}{\\partial z} = \\operatorname{diag}(1 - \\tanh(z) \\odot \\tanh(z))',
    null,
  ],
  [
    '\\exp, \\ln',
    'x: n',
    '\\nabla_x \\operatorname{sum}(\\exp(x)) = \\exp x',
    '\\nabla_x \\operatorname{sum}(\\ln \\exp x) = x',
  ],
  [
    '\\sqrt',
    'x: scalar positive',
    '\\frac{\\partial \\sqrt{x}}{\\partial x} = \\frac{1}{2 \\sqrt{x}}',
    '\\frac{\\partial \\sqrt{x}}{\\partial x} = \\frac{1}{\\sqrt{x}}',
  ],
  [
    '\\mathrm and \\text function names',
    'z: n; y: n',
    '\\nabla_z \\left( \\mathrm{logsumexp}(z) \\right) = \\text{softmax}(z)',
    null,
  ],
  [
    '\\det and \\log\\det (Cookbook 49, 57)',
    'X: n x n',
    '\\nabla_X \\log\\det X = X^{-\\top}',
    '\\nabla_X \\det X = \\det(X) X^{-1}',
  ],
  [
    '\\operatorname{tr} (Cookbook 100)',
    'A: n x n; X: n x n',
    '\\nabla_X \\operatorname{tr}(A X) = A^\\top',
    '\\nabla_X \\operatorname{tr}(A X) = A',
  ],
  ['\\|X\\|_F^2 (Cookbook 103)', 'X: n x d', '\\nabla_X \\|X\\|_F^2 = 2 X', '\\nabla_X \\|X\\|_F^2 = X'],
  ['\\left\\| \\right\\|', 'x: n', '\\nabla_x \\left\\| x \\right\\|^2 = 2 x', null],
  [
    'I without a size',
    'A: n x n; x: n; lambda: scalar',
    '\\nabla_x \\left( x^\\top (A + \\lambda I) x \\right) = (A + A^\\top + 2 \\lambda I) x',
    '\\nabla_x \\left( x^\\top (A + \\lambda I) x \\right) = (A + A^\\top + \\lambda I) x',
  ],
  [
    '\\mathbf{1} without a size',
    'X: n x d; b: d',
    '\\nabla_b \\operatorname{sum}(X + \\mathbf{1} b^\\top) = n \\mathbf{1}_d',
    '\\nabla_b \\operatorname{sum}(X + \\mathbf{1} b^\\top) = \\mathbf{1}_d',
  ],
  ['\\mathbf{0}', 'x: n; y: n', '\\nabla_x (y^\\top y) = \\mathbf{0}', '\\nabla_y (y^\\top y) = \\mathbf{0}'],
  [
    'X^2 of a square matrix is a power',
    'A: n x n',
    '\\nabla_A \\operatorname{tr}(A^2) = 2 A^\\top',
    '\\nabla_A \\operatorname{tr}(A^2) = 2 A',
  ],
  ['X^{\\circ 2} is elementwise', 'X: n x d', '\\nabla_X \\operatorname{sum}(X^{\\circ 2}) = 2 X', null],
  [
    'Hessian forms',
    'A: n x n; x: n',
    '\\nabla^2_x (x^\\top A x) = A + A^\\top',
    '\\frac{\\partial^2 (x^\\top A x)}{\\partial x \\partial x^\\top} = 2 A',
  ],
  ['\\nabla_w^2', 'X: n x d; w: d', '\\nabla_w^2 \\|X w\\|^2 = 2 X^\\top X', null],
  [
    'a Jacobian with an expression above',
    't: k',
    '\\frac{\\partial \\log \\operatorname{softmax}(t)}{\\partial t} = I_k - \\mathbf{1}_k \\operatorname{softmax}(t)^\\top',
    null,
  ],
  [
    'names: W_{1}, \\hat{Y}, \\mathbf{x}, \\boldsymbol{x}, \\vec{x}, \\bm{x}',
    'W1: n x n; Yhat: n x n; x: n',
    '\\nabla_{\\mathbf{x}} \\left( \\boldsymbol{x}^\\top W_{1} \\vec{x} + \\bm{x}^\\top \\hat{Y} x \\right) = (W_1 + W_1^\\top + \\hat{Y} + \\hat{Y}^\\top) x',
    null,
  ],
  [
    'names: \\delta_2, \\lambda',
    'delta2: n; lambda: scalar',
    '\\nabla_{\\delta_2} \\left( \\lambda \\delta_2^\\top \\delta_2 \\right) = 2 \\lambda \\delta_2',
    '\\nabla_{\\delta_2} \\left( \\lambda \\delta_2^\\top \\delta_2 \\right) = \\lambda \\delta_2',
  ],
  [
    'the operator form \\frac{\\partial}{\\partial W} f and \\|·\\|_F (Cookbook eq. 97/98)',
    'X: n x d; W: d x k; Y: n x k',
    '\\frac{\\partial}{\\partial W} \\|X W - Y\\|_F^2 = 2 X^\\top (X W - Y)',
    '\\frac{\\partial}{\\partial W} \\|X W - Y\\|_F^2 = X^\\top (X W - Y)',
  ],
  [
    '\\left\\lVert X \\right\\rVert_{F}, as matcalc prints a matrix norm (d‖X‖ = ⟨X, dX⟩/‖X‖)',
    'X: n x d',
    '\\frac{\\partial}{\\partial X} \\left\\lVert X \\right\\rVert_{F} = \\frac{X}{\\left\\lVert X \\right\\rVert_{F}}',
    '\\frac{\\partial}{\\partial X} \\left\\lVert X \\right\\rVert_{F} = \\frac{X^\\top}{\\left\\lVert X \\right\\rVert_{F}}',
  ],
];

describe('the TeX a post may use', () => {
  for (const [what, decls, right, wrong] of CONSTRUCTS) {
    it(what, () => {
      const r = verdicts(decls, right);
      expect(r.r.unread).toEqual([]);
      expect(r.equal).toEqual([true]);
      if (wrong) {
        const w = verdicts(decls, wrong);
        expect(w.r.unread).toEqual([]);
        expect(w.equal).toEqual([false]);
      }
    });
  }
});

// What `matcalc grad --format latex` prints, a post can paste: f and its printed gradient, written as
// ∂f/∂x = ∇, read back by the reader and verified. (The reference is the interpreter's value of f, through
// verify's equality; the printer and reader are what is under test.)
const PRINTED: readonly (readonly [string, string, string])[] = [
  ['sum((X*w - y).^2)', 'X: n x d; w: d; y: n', 'w'],
  ['norm(X*W - Y)', 'X: n x d; W: d x k; Y: n x k', 'W'],
  ['norm(x - y)', 'x: n; y: n', 'x'],
  ["x'*A*x", 'x: n; A: n x n', 'x'],
  ['trace(inv(X)*A)', 'X: n x n; A: n x n', 'X'],
  ['logdet(X)', 'X: n x n spd', 'X'],
  ['sum(log(1 + exp(-y .* (X*w))))', 'X: n x d; w: d; y: n', 'w'],
  ['sum(sigmoid(X*w))', 'X: n x d; w: d', 'w'],
  ["trace(A*X*B*X')", 'A: n x n; X: n x p; B: p x p', 'X'],
  ['sum(exp(x) ./ (1 + x.^2))', 'x: n', 'x'],
  // an elementwise and a matrix power of a square matrix must print differently (3 X^{∘2} vs 3 (Xᵀ)²)
  ['sum(X.^3)', 'X: n x n', 'X'],
  ['trace(X^3)', 'X: n x n', 'X'],
  ['sum(abs(x - y))', 'x: n; y: n', 'x'],
  ['sum(tanh(W*x))', 'W: m x n; x: n', 'W'],
  ['sum(softplus(x)) + sum(relu(x))', 'x: n', 'x'],
  ['logsumexp(x)', 'x: n', 'x'],
  ['sum(erf(x))', 'x: n', 'x'],
  ['det(X)', 'X: n x n', 'X'],
  ['sum(log(softmax(z)) .* y)', 'z: k; y: k', 'z'],
  ['sqrt(sum(x.^2)) / n', 'x: n', 'x'],
  // (XᵀSX)⁻² prints as a negative power, and a negated product without parentheses
  ["trace(inv(X'*S*X))", 'X: n x d; S: n x n spd', 'X'],
  ['trace(inv(X)^2)', 'X: n x n', 'X'],
  ["logdet(X'*X)", 'X: n x d', 'X'],
  // functions along a dim print with it as a subscript, \operatorname{softmax}_{2}, and sized ones 1_{1×d}
  ['sum(sum(X, 2).^2)', 'X: n x d', 'X'],
  ['sum(logsumexp(X, 2))', 'X: n x d', 'X'],
  ['-sum(Y .* log(softmax(X*W, 2)))/n', 'X: n x d; W: d x k; Y: n x k', 'W'],
  ['sum(mean(X, 1).^2)', 'X: n x d', 'X'],
];

describe("matcalc's printed LaTeX reads back", () => {
  for (const [f, decls, wrt] of PRINTED) {
    it(`∂/∂${wrt} ${f}`, async () => {
      const { grad } = await import('../../src/api.js');
      const { toLatex, latexName } = await import('../../src/emit/latex.js');
      const { parseDecls, parseExpr } = await import('../../src/parse/index.js');
      const scope = parseDecls(decls);
      const e = parseExpr(f, scope);
      const [g] = grad(e, [wrt], { scope });
      const v = scope.vars.get(wrt)!;
      const math = `\\frac{\\partial}{\\partial ${latexName(v.name)}} \\left(${toLatex(e)}\\right) = ${toLatex(g)}`;
      const r = verdicts(decls, math);
      expect({ math, unread: r.r.unread }).toEqual({ math, unread: [] });
      expect(r.equal).toEqual([true]);
    });
  }
});

describe('functions along a dim', () => {
  // ∂/∂W of −Σ Y ⊙ log softmax_rows(XW) / n = Xᵀ(P − Y)/n for one-hot rows of Y (P the row softmax)
  const decls = 'X: n x d; W: d x k; Y: n x k onehot';
  const loss = 'L = -\\frac{1}{n} \\sum Y \\odot \\log \\operatorname{softmax}_{2}(X W)';

  it('softmax_2 is over each row, and a slip (the columns) is caught', () => {
    const right = verdicts(
      decls,
      `${loss} \\\\ \\nabla_W L = \\frac{1}{n} X^\\top (\\operatorname{softmax}_{2}(X W) - Y)`,
    );
    expect(right.r.unread).toEqual([]);
    expect(right.equal).toEqual([true]);
    const slip = verdicts(
      decls,
      `${loss} \\\\ \\nabla_W L = \\frac{1}{n} X^\\top (\\operatorname{softmax}_{1}(X W) - Y)`,
    );
    expect(slip.equal).toEqual([false]);
  });

  it('a softmax of a matrix without its dim is refused, saying how to write it', () => {
    const r = verdicts(decls, '\\nabla_W L = \\operatorname{softmax}(X W)');
    expect(r.r.unread.map((u) => u.reason).join('\n')).toMatch(
      /\\operatorname\{softmax\}_\{2\} for each row/,
    );
  });
});
