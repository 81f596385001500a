// Shapes declared the way posts state them, in inline or display math (`X \in \mathbb{R}^{n \times d}`), and
// several definitions on one row (`H = …, \quad P = …`). References: the textbook gradients of least squares
// (2Xᵀ(Xw − y)), of a tanh layer under squared loss, and the dimension rules themselves.
import { describe, expect, it } from 'vitest';
import { readLatex } from '../../src/parse/latex/index.js';
import { verifyDocument } from '../../src/verify/claims.js';

function run(src: string) {
  const r = verifyDocument(src, 'post.md');
  const steps = r.checks.flatMap((c) => (c.kind === 'chain' ? c.steps : [c]));
  return { unread: r.unread.map((u) => u.reason), equal: steps.map((s) => s.verdict.equal), steps };
}

const members = (src: string) =>
  readLatex(src, false)
    .items.filter((i) => i.kind === 'member')
    .map((i) => (i.kind === 'member' ? `${i.names.join(',')}: ${i.spec}` : ''));

describe('declarations stated as memberships', () => {
  it.each([
    ['a matrix', '$X \\in \\mathbb{R}^{n \\times d}$', 'X: n x d'],
    ['a column vector, without braces', '$w \\in \\mathbb{R}^d$', 'w: d'],
    ['a scalar', '$\\lambda \\in \\mathbb{R}$', 'lambda: scalar'],
    ['several names, subscripts', '$W_1, W_2 \\in \\mathbb{R}^{h\\times h}$', 'W1,W2: h x h'],
    ['a row vector', '$a \\in \\mathbb{R}^{1 \\times k}$', 'a: 1 x k'],
    ['positive entries', '$x \\in \\mathbb{R}^n_{+}$', 'x: n positive'],
    ['symmetric positive definite', '$S \\in \\mathbb{S}^{n}_{++}$', 'S: n x n spd'],
    ['symmetric', '$\\Sigma \\in \\mathbb{S}^n$', 'Sigma: n x n symmetric'],
    ['labels in a set', '$y \\in \\{-1, +1\\}^n$', 'y: n'],
    ['in \\( \\)', 'let \\(\\mathbf{x} \\in \\mathbb{R}^{d}\\) be', 'x: d'],
    ['in display math', '$$\nX \\in \\mathbb{R}^{n \\times d}\n$$', 'X: n x d'],
    ["KaTeX's \\R", '$X \\in \\R^{n \\times d}$', 'X: n x d'],
    ['a layer index in a superscript', '$W^{(1)} \\in \\mathbb{R}^{d \\times h}$', 'W1: d x h'],
    ['a condition after the shape', '$A \\in \\mathbb{R}^{n \\times n}, A \\succ 0$', 'A: n x n'],
  ])('%s: %s', (_what, tex, want) => {
    expect(members(`Let ${tex}.\n`)).toEqual([want]);
  });

  it('several memberships in one formula, split at commas', () => {
    expect(
      members('Let $x \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^n$ and $w, b \\in \\mathbb{R}^h$.\n'),
    ).toEqual(['x: d', 'y: n', 'w,b: h']);
  });

  it('layer-indexed names read as names everywhere: W^{(1)} is W1', () => {
    const post = (claim: string) =>
      `Let $X \\in \\mathbb{R}^{n \\times d}$, $W^{(1)} \\in \\mathbb{R}^{d \\times h}$, $Y \\in \\mathbb{R}^{n \\times h}$.\n\n$$\nL = \\frac{1}{2} \\|X W^{(1)} - Y\\|_F^2\n$$\n\n$$\n\\nabla_{W^{(1)}} L = ${claim}\n$$\n`;
    expect(run(post('X^\\top (X W^{(1)} - Y)'))).toMatchObject({ unread: [], equal: [true] });
    expect(run(post('{X W^{(1)}}^\\top (X W^{(1)} - Y)')).equal).toEqual([false]);
  });

  it('memberships that state no shape are no declarations', () => {
    expect(members('Let $x \\in \\mathcal{X}$, $i \\in \\{1, \\dots, n\\}$ and cost \\$5 or $10.\n')).toEqual(
      [],
    );
    expect(members('Code `$x \\in \\mathbb{R}^n$` is not math.\n')).toEqual([]);
  });

  it('a post that declares its shapes in prose is checked as written', () => {
    const post = (claim: string) =>
      `Let $X \\in \\mathbb{R}^{n \\times d}$, $w \\in \\mathbb{R}^{d}$ and $y \\in \\mathbb{R}^n$.\n\n$$\nL = \\|X w - y\\|^2\n$$\n\n$$\n\\nabla_w L = ${claim}\n$$\n`;
    expect(run(post('2 X^\\top (X w - y)'))).toMatchObject({ unread: [], equal: [true] });
    const slip = run(post('2 X (X w - y)'));
    expect(slip.equal).toEqual([false]);
    expect(slip.steps[0].diagnosis?.message).toMatch(/transpose/);
  });

  it('a size that is not a symbol or a number is reported, and so is a second, different shape', () => {
    const r = run(
      'Let $X \\in \\mathbb{R}^{n^2 \\times d}$ and $w \\in \\mathbb{R}^d$, then $w \\in \\mathbb{R}^{k}$.\n',
    );
    expect(r.unread).toHaveLength(2);
    expect(r.unread[0]).toMatch(/sizes/);
    expect(r.unread[1]).toMatch(/`w` is already declared as d×1/);
  });

  it('a comment may declare more than the prose says (onehot), and the same shape again is nothing new', () => {
    const r = run(
      '<!-- matcalc let Y: n x k onehot; Z: n x k -->\n\nLet $Y, Z \\in \\mathbb{R}^{n \\times k}$, $Z \\in \\mathbb{R}^{n \\times k}$.\n\n$$\nL = \\sum Y \\odot \\log Z\n$$\n\n$$\n\\nabla_Z L = Y \\oslash Z\n$$\n',
    );
    expect(r).toMatchObject({ unread: [], equal: [true] });
  });
});

describe('several relations on one row', () => {
  const post = (claim: string) =>
    `Let $X \\in \\mathbb{R}^{n \\times d}$, $W \\in \\mathbb{R}^{d \\times h}$, $Y \\in \\mathbb{R}^{n \\times h}$.\n\n$$\nH = \\tanh(X W), \\quad E = H - Y, \\qquad L = \\frac{1}{2} \\sum E \\odot E\n$$\n\n$$\n\\frac{\\partial L}{\\partial W} = ${claim}\n$$\n`;

  it('definitions separated by wide spaces are each read; a bare \\sum adds up every entry', () => {
    // ∂/∂W ½‖tanh(XW) − Y‖²_F = Xᵀ((H − Y) ⊙ (1 − H⊙H))
    expect(run(post('X^\\top (E \\odot (1 - H \\odot H))'))).toMatchObject({ unread: [], equal: [true] });
    expect(run(post('X^\\top E')).equal).toEqual([false]);
  });

  it('words after a wide space stay the reason of the relation', () => {
    const doc = readLatex('$$\nA = B \\quad \\text{by the chain rule}\n$$\n', false);
    const rel = doc.items.find((i) => i.kind === 'relation');
    expect(rel?.kind === 'relation' && rel.steps.map((s) => s.reason)).toEqual([
      undefined,
      'by the chain rule',
    ]);
  });
});
