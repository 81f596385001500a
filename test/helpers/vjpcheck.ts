// Test helper: check one op's VJP rule against central finite differences at concrete sizes.
// f(args) = ⟨R, op(args)⟩ for a random R; its gradient by the VJP (seed R) must match FD entry by entry.

import { vjpSweep } from '../../src/diff/grad.js';
import { dimConst } from '../../src/ir/dim.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { type Matrix, matrix } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { seededRandom } from '../../src/numeric/random.js';
import { apply } from '../../src/ops/build.js';
import type { OpName } from '../../src/ops/index.js';

/** Deterministic PRNG, so tests never depend on luck. */
export const rng = seededRandom;

/** `unit`: inside (−0.9, 0.9), the domain of asin and acos with room for finite differences. */
export type ArgKind = 'any' | 'positive' | 'spd' | 'awayFromZero' | 'unit';

export function randomMatrix(r: number, c: number, kind: ArgKind, rand: () => number): Matrix {
  const m = matrix(r, c);
  for (let i = 0; i < m.data.length; i++) {
    const u = rand() * 2 - 1;
    m.data[i] =
      kind === 'positive'
        ? 0.5 + rand() * 1.5
        : kind === 'awayFromZero'
          ? Math.sign(u || 1) * (0.3 + Math.abs(u))
          : kind === 'unit'
            ? 0.9 * u
            : u;
  }
  if (kind === 'spd' && r === c) {
    // A Aᵀ + r·I is symmetric positive definite and well conditioned.
    const s = matrix(r, r);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        let acc = i === j ? r : 0;
        for (let k = 0; k < r; k++) acc += m.data[i * r + k] * m.data[j * r + k];
        s.data[i * r + j] = acc;
      }
    return s;
  }
  return m;
}

/**
 * Max relative error between the VJP-derived gradient of ⟨R, op(args)⟩ and central differences, over all
 * arguments. `kinds` says how to sample each argument.
 */
export function vjpError(
  op: OpName,
  sizes: readonly (readonly [number, number])[],
  attrs: Attrs = {},
  kinds: readonly ArgKind[] = [],
  seed = 1,
): number {
  const rand = rng(seed);
  const vars = sizes.map(([r, c], k) => variable(`a${k}`, shape(dimConst(r), dimConst(c))));
  const out = apply(op, vars, attrs);
  const dims = new Map<string, number>();
  const values = new Map<string, Matrix>();
  sizes.forEach(([r, c], k) => {
    values.set(`a${k}`, randomMatrix(r, c, kinds[k] ?? 'any', rand));
  });
  const [outVal] = evaluateMany([out], values, dims);
  const R = randomMatrix(outVal.rows, outVal.cols, 'any', rand);
  const seedVar = variable('R__seed', out.shape);
  values.set('R__seed', R);
  const cts = vjpSweep(out, seedVar, vars);
  const f = (): number => {
    const [o] = evaluateMany([out], values, dims);
    let s = 0;
    for (let i = 0; i < o.data.length; i++) s += R.data[i] * o.data[i];
    return s;
  };
  let worst = 0;
  vars.forEach((v, k) => {
    const ct = cts[k];
    const x = values.get(v.name)!;
    const g = ct ? evaluateMany([ct], values, dims)[0] : matrix(x.rows, x.cols);
    for (let i = 0; i < x.data.length; i++) {
      const old = x.data[i];
      const h = 1e-5 * Math.max(1, Math.abs(old));
      x.data[i] = old + h;
      const fp = f();
      x.data[i] = old - h;
      const fm = f();
      x.data[i] = old;
      const fd = (fp - fm) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g.data[i]) / Math.max(1, Math.abs(fd)));
    }
  });
  return worst;
}
