// Structural op records: vec (column stacking), diagm/diagv, eye/ones/zeros — shape rules with symbolic
// dims, eval against NumPy and hand-computed values, VJPs against finite differences, printing forms.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { dimConst, dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { variable } from '../../src/ir/expr.js';
import { shape, shapeText } from '../../src/ir/shape.js';
import { fromRows, type Matrix, matrix, maxRelDiff, toRows } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply, diagm, diagv, eye, kron, matmul, ones, transpose, vec, zeros } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { rng, vjpError } from '../helpers/vjpcheck.js';

const [n, d] = ['n', 'd'].map(dimSym);
const nd = dimMul(n, d);
const noDims = { dim: () => 1 };

describe('shape rules', () => {
  it('vec of m×n is (m·n)×1', () => {
    expect(shapeText(OPS.vec.shape([shape(n, d)], {}))).toBe('d·n×1');
    expect(OPS.vec.shape([shape(n, d)], {}).rows).toBe(nd);
    expect(shapeText(OPS.vec.shape([shape(dimConst(3), n)], {}))).toBe('3·n×1');
  });

  it('diagm takes a column or a row; anything else is a ShapeError naming the op', () => {
    expect(shapeText(OPS.diagm.shape([shape(d, ONE)], {}))).toBe('d×d');
    expect(shapeText(OPS.diagm.shape([shape(ONE, d)], {}))).toBe('d×d');
    expect(shapeText(OPS.diagm.shape([shape(ONE, ONE)], {}))).toBe('1×1');
    expect(() => OPS.diagm.shape([shape(n, d)], {})).toThrow(ShapeError);
    expect(() => OPS.diagm.shape([shape(n, d)], {})).toThrow(
      'diagm (diag of a vector) needs a d×1 or 1×d vector, got n×d',
    );
  });

  it('diagv takes a square matrix to a column', () => {
    expect(shapeText(OPS.diagv.shape([shape(n, n)], {}))).toBe('n×1');
    expect(() => OPS.diagv.shape([shape(n, d)], {})).toThrow(
      'diagv (diag of a matrix) needs a square matrix, got n×d',
    );
  });

  it('eye, ones, zeros take their sizes from attrs', () => {
    expect(shapeText(eye(nd).shape)).toBe('d·n×d·n');
    expect(shapeText(ones(n, d).shape)).toBe('n×d');
    expect(shapeText(ones(n).shape)).toBe('n×1');
    expect(shapeText(zeros(dimConst(2), n).shape)).toBe('2×n');
    expect(() => OPS.eye.shape([], { rows: n, cols: d })).toThrow('eye needs a square matrix, got n×d');
  });
});

describe('eval', () => {
  const X = fromRows([
    [1, -2, 3, 0.5],
    [4, 5, -6, 2],
    [7, 8, 9, -1],
  ]);

  it('vec stacks columns (NumPy X.flatten("F"))', () => {
    const v = OPS.vec.eval([X], {}, noDims);
    expect([v.rows, v.cols]).toEqual([12, 1]);
    // X.flatten('F')
    expect(Array.from(v.data)).toEqual([1.0, 4.0, 7.0, -2.0, 5.0, 8.0, 3.0, -6.0, 9.0, 0.5, 2.0, -1.0]);
  });

  it('vec(A X B) = (Bᵀ ⊗ A) vec(X) (Magnus & Neudecker; Matrix Cookbook, the vec operator)', () => {
    const rand = rng(7);
    const random = (r: number, c: number): Matrix => {
      const m = matrix(r, c);
      for (let i = 0; i < m.data.length; i++) m.data[i] = rand() * 2 - 1;
      return m;
    };
    const [p, q, r, s] = [2, 3, 4, 5];
    const Av = variable('A', shape(dimConst(p), dimConst(q)));
    const Xv = variable('X', shape(dimConst(q), dimConst(r)));
    const Bv = variable('B', shape(dimConst(r), dimConst(s)));
    const lhs = vec(matmul(matmul(Av, Xv), Bv));
    const rhs = matmul(kron(transpose(Bv), Av), vec(Xv));
    const values = new Map([
      ['A', random(p, q)],
      ['X', random(q, r)],
      ['B', random(r, s)],
    ]);
    const [l, rr] = evaluateMany([lhs, rhs], values, new Map());
    expect(l.rows).toBe(p * s);
    expect(maxRelDiff(l, rr)).toBeLessThan(1e-12);
  });

  it('diagm from a column or a row; diagv back', () => {
    const col = fromRows([[1], [2], [3]]);
    const expected = [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 3],
    ];
    expect(toRows(OPS.diagm.eval([col], {}, noDims))).toEqual(expected);
    expect(toRows(OPS.diagm.eval([fromRows([[1, 2, 3]])], {}, noDims))).toEqual(expected);
    const sq = fromRows([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 10],
    ]);
    // np.diag(X).reshape(-1, 1)
    expect(toRows(OPS.diagv.eval([sq], {}, noDims))).toEqual([[1], [5], [10]]);
  });

  it('eye, ones, zeros read their sizes from the evaluation dims, including products n·d', () => {
    const dims = new Map([
      ['n', 2],
      ['d', 3],
    ]);
    const [I, O, Z, S] = evaluateMany(
      [eye(n), ones(n, d), zeros(nd), apply('size', [], { rows: d })],
      new Map(),
      dims,
    );
    expect(toRows(I)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(toRows(O)).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect([Z.rows, Z.cols]).toEqual([6, 1]);
    expect(Array.from(Z.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(S.data[0]).toBe(3);
    const [bigEye] = evaluateMany([eye(nd)], new Map(), dims);
    expect(bigEye.rows).toBe(6);
    expect(bigEye.data.reduce((a, b) => a + b, 0)).toBe(6);
  });
});

describe('VJPs against central differences', () => {
  it('vec', () => {
    expect(vjpError('vec', [[3, 2]])).toBeLessThan(1e-6);
    expect(vjpError('vec', [[2, 5]], {}, [], 2)).toBeLessThan(1e-6);
    expect(vjpError('vec', [[1, 4]], {}, [], 3)).toBeLessThan(1e-6);
  });

  it('diagm of a column and of a row', () => {
    expect(vjpError('diagm', [[4, 1]])).toBeLessThan(1e-6);
    expect(vjpError('diagm', [[2, 1]], {}, [], 2)).toBeLessThan(1e-6);
    expect(vjpError('diagm', [[1, 3]], {}, [], 3)).toBeLessThan(1e-6);
    expect(vjpError('diagm', [[1, 5]], {}, [], 4)).toBeLessThan(1e-6);
  });

  it('diagv', () => {
    expect(vjpError('diagv', [[3, 3]])).toBeLessThan(1e-6);
    expect(vjpError('diagv', [[5, 5]], {}, [], 2)).toBeLessThan(1e-6);
  });

  it('diagm of a row sends back a row, diagv a square matrix', () => {
    const r = variable('r', shape(ONE, d));
    const out = diagm(r);
    const [g] = OPS.diagm.vjp(out, out, [r], {});
    expect(g && shapeText(g.shape)).toBe('1×d');
    const S = variable('S', shape(n, n));
    const dv = diagv(S);
    const [gs] = OPS.diagv.vjp(dv, dv, [S], {});
    expect(gs && shapeText(gs.shape)).toBe('n×n');
  });

  it('constants have no arguments and so no cotangents', () => {
    for (const c of [eye(n), ones(n, d), zeros(n, d)]) {
      if (c.kind !== 'op') throw new Error('constant should be an op node');
      expect(OPS[c.op as 'eye'].vjp(c, c, [], c.attrs)).toEqual([]);
    }
  });
});

describe('printing forms', () => {
  const render = (tex: string) => katex.renderToString(tex, { strict: 'error', throwOnError: true });

  it('text is the input language', () => {
    expect(OPS.vec.text([shape(n, d)], {})).toEqual({ form: 'call', name: 'vec' });
    expect(OPS.diagm.text([shape(n, ONE)], {})).toEqual({ form: 'call', name: 'diag' });
    expect(OPS.diagv.text([shape(n, n)], {})).toEqual({ form: 'call', name: 'diag' });
    expect(OPS.eye.text([], { rows: n, cols: n })).toEqual({ form: 'call', name: 'eye', extra: ['n'] });
    expect(OPS.ones.text([], { rows: n, cols: d })).toEqual({
      form: 'call',
      name: 'ones',
      extra: ['n', 'd'],
    });
    expect(OPS.zeros.text([], { rows: nd, cols: ONE })).toEqual({
      form: 'call',
      name: 'zeros',
      extra: ['d*n', '1'],
    });
  });

  it('LaTeX atoms render under KaTeX strict mode', () => {
    const atoms = [
      OPS.eye.latex([], { rows: nd, cols: nd }),
      OPS.ones.latex([], { rows: n, cols: d }),
      OPS.ones.latex([], { rows: n, cols: ONE }),
      OPS.zeros.latex([], { rows: n, cols: d }),
    ];
    expect(atoms).toEqual([
      { form: 'atom', text: 'I_{d \\cdot n}' },
      { form: 'atom', text: '\\mathbf{1}_{n\\times d}' },
      { form: 'atom', text: '\\mathbf{1}_{n}' },
      { form: 'atom', text: '0_{n\\times d}' },
    ]);
    for (const a of atoms) if (a.form === 'atom') expect(() => render(a.text)).not.toThrow();
    expect(() =>
      render('\\operatorname{vec}\\left(X\\right)\\operatorname{diag}\\left(x\\right)'),
    ).not.toThrow();
  });

  it('NumPy templates', () => {
    expect(OPS.vec.numpy(['X'], {})).toBe("X.reshape((-1, 1), order='F')");
    expect(OPS.diagm.numpy(['x'], {})).toBe('np.diagflat(x)');
    expect(OPS.diagv.numpy(['X'], {})).toBe('np.diag(X).reshape(-1, 1)');
    expect(OPS.eye.numpy([], { rows: nd, cols: nd })).toBe('np.eye(d*n)');
    expect(OPS.ones.numpy([], { rows: n, cols: d })).toBe('np.ones((n, d))');
    expect(OPS.zeros.numpy([], { rows: n, cols: ONE })).toBe('np.zeros((n, 1))');
  });

  it('js templates name kernels that exist, and those kernels fill a preallocated out', async () => {
    const K: Record<string, unknown> = await import('../../src/kernels/index.js');
    for (const op of ['vec', 'diagm', 'diagv', 'eye', 'ones', 'zeros'] as const) {
      const js = OPS[op].js;
      if (js.kind !== 'kernel') throw new Error(`${op} should call a kernel`);
      expect(typeof K[js.name]).toBe('function');
    }
    const out = matrix(2, 3);
    out.data.fill(7);
    const zerosJs = OPS.zeros.js;
    if (zerosJs.kind === 'kernel') {
      const fill = K[zerosJs.name] as (o: Matrix, ...x: unknown[]) => Matrix;
      fill(out, ...(zerosJs.extra?.({}) ?? []));
    }
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
