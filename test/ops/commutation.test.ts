// The commutation op K_{m,n}: its defining identity K vec(X) = vec(Xᵀ) (Magnus & Neudecker ch. 3 §7) and
// K_{m,n}ᵀ = K_{n,m} = K_{m,n}⁻¹, in the interpreter, the compiled closure, NumPy and the input language.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compile, toLatex, toText } from '../../src/index.js';
import { dimSym } from '../../src/ir/dim.js';
import { shapeText } from '../../src/ir/shape.js';
import { type Matrix, matrix } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { commutation } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const [m, n] = ['m', 'n'].map(dimSym);

/** vec of a row-major m×n matrix, stacking columns. */
function vecOf(x: Matrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < x.cols; j++) for (let i = 0; i < x.rows; i++) out.push(x.data[i * x.cols + j]);
  return out;
}

function times(k: Matrix, v: readonly number[]): number[] {
  return Array.from({ length: k.rows }, (_, r) => v.reduce((s, x, c) => s + k.data[r * k.cols + c] * x, 0));
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const x = matrix(rows, cols);
  for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(seed * 7.1 + i * 1.3);
  return x;
}

function transposeOf(x: Matrix): Matrix {
  const t = matrix(x.cols, x.rows);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < x.cols; j++) t.data[j * x.rows + i] = x.data[i * x.cols + j];
  return t;
}

describe('commutation(m, n)', () => {
  it('is mn×mn with symbolic sizes', () => {
    expect(shapeText(commutation(m, n).shape)).toBe('m·n×m·n');
  });

  it.each([
    [2, 3],
    [3, 2],
    [1, 4],
    [4, 4],
  ])('K_{%i,%i} vec(X) = vec(Xᵀ), interpreted and compiled', (rows, cols) => {
    const X = randomMatrix(rows, cols, rows + cols);
    const dims = new Map([
      ['m', rows],
      ['n', cols],
    ]);
    const [K] = evaluateMany([commutation(m, n)], new Map(), dims);
    expect(times(K, vecOf(X))).toEqual(vecOf(transposeOf(X)));
    const compiled = compile(commutation(m, n))({ m: rows, n: cols });
    expect(Array.from(compiled.data)).toEqual(Array.from(K.data));
    // K_{m,n}ᵀ = K_{n,m}: the transpose sends vec(Xᵀ) back to vec(X).
    const [Knm] = evaluateMany([commutation(n, m)], new Map(), dims);
    expect(Array.from(Knm.data)).toEqual(Array.from(transposeOf(K).data));
  });

  it('reads and prints as commutation(m, n), K_{m,n} in LaTeX', () => {
    const scope = parseDecls('X: m x n');
    const e = parseExpr("commutation(m, n)*vec(X) - vec(X')", scope);
    expect(toText(e)).toBe("commutation(m, n)*vec(X) - vec(X')");
    expect(toLatex(commutation(m, n))).toBe('K_{m,n}');
  });

  it('the NumPy template builds the same permutation', () => {
    const code = OPS.commutation.numpy([], { rows: m, cols: n });
    const script = `import numpy as np\nm, n = 3, 2\nK = ${code}\nX = np.arange(6.0).reshape((3, 2))\nprint(np.array_equal(K @ X.reshape((-1, 1), order='F'), X.T.reshape((-1, 1), order='F')))`;
    expect(execFileSync('python3', ['-c', script]).toString().trim()).toBe('True');
  });
});
