// The determinant's gradient adj(A)ᵀ at singular A, where det(A)·A⁻ᵀ cannot be evaluated: checked against
// central differences of det (a polynomial, so the differences are exact to rounding) at matrices of rank
// n − 1 and n − 2, through the interpreter and a compiled closure; adj(A)·A = det(A)·I at random A.
import { describe, expect, it } from 'vitest';
import { evaluate, grad } from '../../src/api.js';
import { compile } from '../../src/emit/js.js';
import { det as detK } from '../../src/kernels/linalg.js';
import { type Matrix, matrix } from '../../src/kernels/matrix.js';
import { seededRandom } from '../../src/numeric/random.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

/** A random n×n matrix of the given rank: a sum of `rank` outer products. */
function ofRank(n: number, rank: number, rand: () => number): Matrix {
  const m = matrix(n, n);
  for (let r = 0; r < rank; r++) {
    const u = Array.from({ length: n }, () => rand() * 2 - 1);
    const v = Array.from({ length: n }, () => rand() * 2 - 1);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.data[i * n + j] += u[i] * v[j];
  }
  return m;
}

const detOf = (a: Matrix): number => detK(matrix(1, 1), a).data[0];

function fdGradient(a: Matrix): Float64Array {
  const g = new Float64Array(a.data.length);
  const h = 1e-5;
  for (let k = 0; k < a.data.length; k++) {
    const p = { ...a, data: a.data.slice() };
    const q = { ...a, data: a.data.slice() };
    p.data[k] += h;
    q.data[k] -= h;
    g[k] = (detOf(p) - detOf(q)) / (2 * h);
  }
  return g;
}

describe('the gradient of det at singular matrices', () => {
  const scope = parseDecls('A: n x n');
  const [g] = grad(parseExpr('det(A)', scope), ['A'], { scope });
  const fn = compile(g);
  const cases = [2, 3, 4, 5].flatMap((n) =>
    [n - 1, n - 2].filter((r) => r >= 0).map((rank) => [n, rank] as const),
  );

  it.each(cases)('n = %i, rank %i', (n, rank) => {
    const a = ofRank(n, rank, seededRandom(100 * n + rank));
    const want = fdGradient(a);
    const scale = Math.max(1, ...want.map(Math.abs));
    for (const got of [evaluate(g, { A: a }).data, fn({ A: a }).data]) {
      got.forEach((v, k) => {
        expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(v - want[k]) / scale).toBeLessThan(1e-8);
      });
    }
  });

  it('adj(A)·A = det(A)·I at random matrices (Cookbook eq. 148)', () => {
    const s = parseDecls('A: n x n');
    const e = parseExpr('adj(A)*A - det(A)*eye(n)', s);
    for (let n = 1; n <= 6; n++) {
      const a = ofRank(n, n, seededRandom(n));
      const r = evaluate(e, { A: a });
      const scale = Math.max(1, Math.abs(detOf(a)));
      r.data.forEach((v) => {
        expect(Math.abs(v) / scale).toBeLessThan(1e-10);
      });
    }
  });
});
