// Interning under the two ways a node is kept (ir/expr.ts): owned by its youngest argument while that one
// is young, else in a weak table. Equal structure is one object whichever way it was stored and however
// much was built in between (its arguments grow old), and a session that holds old nodes and builds many new
// expressions over them does not keep those expressions.
import { describe, expect, it } from 'vitest';
import { dimConst, dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { declareVariables, type Expr, internedCount, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { add, apply, matmul, mul, num, sum, trace, transpose } from '../../src/ops/build.js';
import { collect } from '../helpers/gc.js';

const n = dimSym('n');
const sq = shape(n, n);

/** More nodes than a node stays young for (ir/intern.ts YOUTH), so that everything made before is old afterwards. */
function passEpochs(): void {
  for (let i = 0; i < 10_000; i++) variable(`throwaway${i}`, sq);
}

describe('interning across owners and epochs', () => {
  it('finds a node built while its argument was young after that argument has grown old', () => {
    const A = variable('A_epoch', sq);
    const X = variable('X_epoch', sq);
    const young = trace(matmul(A, X));
    passEpochs();
    expect(trace(matmul(A, X))).toBe(young);
    // a new parent of the old nodes goes to the weak table and is found there again
    const later = add(matmul(A, X), transpose(X));
    passEpochs();
    expect(add(matmul(A, X), transpose(X))).toBe(later);
    expect(later.kind === 'op' && later.args[0]).toBe((young.kind === 'op' && young.args[0]) as Expr);
  });

  it('keeps one object per structure when an argument owns many parents', () => {
    const X = variable('X_many', sq);
    const built = Array.from({ length: 200 }, (_, i) => apply('matpow', [X], { power: i + 1 }));
    const again = Array.from({ length: 200 }, (_, i) => apply('matpow', [X], { power: i + 1 }));
    for (let i = 0; i < 200; i++) expect(again[i]).toBe(built[i]);
    expect(new Set(built).size).toBe(200);
  });

  it('does not keep the expressions a session builds over the nodes it holds', async () => {
    const X = variable('X_session', sq);
    const w = variable('w_session', shape(n, ONE));
    const held = matmul(X, w);
    passEpochs();
    await collect();
    const before = internedCount();
    let built = 0;
    const square = matmul(held, transpose(held));
    passEpochs();
    for (let i = 0; i < 3000; i++) {
      // each expression is new; some of its nodes have only held nodes as arguments (a power of `square`)
      const e = sum(mul(num(1 + i / 7), add(held, matmul(transpose(X), held))));
      const f = trace(apply('matpow', [square], { power: i + 2 }));
      built += e.id > 0 && f.id > 0 ? 1 : 0;
    }
    const during = internedCount();
    expect(built).toBe(3000);
    expect(during - before).toBeGreaterThan(3000);
    await collect();
    expect(internedCount() - before).toBeLessThan((during - before) / 20);
    expect(matmul(X, w)).toBe(held);
    expect(matmul(held, transpose(held))).toBe(square);
  });
});

describe('dims and shapes', () => {
  it('are canonical whichever way a monomial is built', () => {
    const d = dimSym('d');
    expect(dimMul(n, d)).toBe(dimMul(d, n));
    expect(dimMul(n, ONE)).toBe(n);
    expect(dimMul(dimConst(2), dimConst(3))).toBe(dimConst(6));
    expect(dimMul(dimConst(2), n).key).toBe('2*n');
    expect(dimMul(n, n).key).toBe('n^2');
    expect(dimMul(dimMul(n, d), dimConst(1))).toBe(dimMul(d, n));
  });

  it('gives one shape object per pair of dims, also when cache slots collide', () => {
    const dims = Array.from({ length: 40 }, (_, i) => dimSym(`s${i}`));
    const first = dims.flatMap((a) => dims.map((b) => shape(a, b)));
    const second = dims.flatMap((a) => dims.map((b) => shape(a, b)));
    for (let i = 0; i < first.length; i++) expect(second[i]).toBe(first[i]);
    expect(new Set(first).size).toBe(first.length);
  });
});

describe('variables declared together (declareVariables)', () => {
  const col = shape(n, ONE);

  it('are the objects `variable` gives, one per name, shape and qualifier set', () => {
    const [a, b] = declareVariables(['A_group', 'b_group'], [sq, col], [[], ['positive']]);
    expect(variable('A_group', sq)).toBe(a);
    expect(variable('b_group', col, ['positive'])).toBe(b);
    expect(variable('b_group', col)).not.toBe(b);
    const [a2, b2, c] = declareVariables(
      ['A_group', 'b_group', 'c_group'],
      [sq, col, sq],
      [[], ['positive'], []],
    );
    expect(a2).toBe(a);
    expect(b2).toBe(b);
    expect(variable('c_group', sq)).toBe(c);
    const [c1, c2] = declareVariables(['c_group', 'c_group'], [sq, sq], [[], []]);
    expect(c1).toBe(c);
    expect(c2).toBe(c);
    const [d1, d2] = declareVariables(['d_group', 'd_group'], [sq, sq], [[], []]);
    expect(d2).toBe(d1);
  });

  it('keeps names apart that share a table key (ir/intern.ts nameKey, a 30-bit FNV-1a)', () => {
    // the key as ir/intern.ts computes it, to find names that collide
    const key = (s: string): number => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h & 0x3fffffff;
    };
    const seen = new Map<number, string>();
    const pairs: [string, string][] = [];
    for (let i = 0; pairs.length < 3; i++) {
      const name = `collide${i}`;
      const other = seen.get(key(name));
      if (other !== undefined) pairs.push([other, name]);
      else seen.set(key(name), name);
    }
    const [[a1, a2], [b1, b2], [c1, c2]] = pairs;
    // one by one, then both new in one group, then one old and one new
    const x1 = variable(a1, sq);
    const x2 = variable(a2, sq);
    expect(x1).not.toBe(x2);
    expect([x1.name, x2.name]).toEqual([a1, a2]);
    expect(variable(a1, sq)).toBe(x1);
    expect(variable(a2, sq)).toBe(x2);
    const [y1, y2] = declareVariables([b1, b2], [sq, col], [[], []]);
    expect(y1).not.toBe(y2);
    expect(variable(b1, sq)).toBe(y1);
    expect(variable(b2, col)).toBe(y2);
    expect(declareVariables([b2, b1], [col, sq], [[], []])).toEqual([y2, y1]);
    const z1 = variable(c1, col);
    const [z1again, z2] = declareVariables([c1, c2], [col, col], [[], []]);
    expect(z1again).toBe(z1);
    expect(z2.name).toBe(c2);
    expect(variable(c2, col)).toBe(z2);
  });

  it('keeps a group while any member is reachable and frees it with the last one', async () => {
    await collect();
    const before = internedCount();
    let held: Expr | undefined = (() => {
      const groups = Array.from({ length: 300 }, (_, i) =>
        declareVariables([`P${i}_group`, `Q${i}_group`, `R${i}_group`], [sq, sq, col], [[], [], []]),
      );
      return groups[7][1];
    })();
    await collect();
    // the held member keeps its two siblings (one group), nothing else
    expect(internedCount() - before).toBe(3);
    expect(declareVariables(['P7_group'], [sq], [[]])[0].name).toBe('P7_group');
    expect(variable('Q7_group', sq)).toBe(held);
    held = undefined;
    await collect();
    expect(internedCount()).toBe(before);
  });
});
