// The option lists of the positive, spd, invertible domains and of derivatives written in the language,
// for the generator of arbitraries.ts: each is a weighted list of arbitraries of one shape.
import fc from 'fast-check';
import type { DimKey, Domain, Reduce, Spec, Unary } from './spec.js';
import {
  type Arb,
  binary,
  broadcastPairs,
  factorPairs,
  INNER,
  NUMEL_SHAPES,
  NUMEL_VARS,
  REDUCIBLE,
  type ShapeKey,
  SMALL,
  SQUARE_DIMS,
  unary,
  VARS_BY_SHAPE,
  w,
} from './tables.js';

/** What an option list needs of its generator. */
export interface Gen {
  expr(s: ShapeKey, dom: Domain, depth: number): Arb;
  readonly exclude: ReadonlySet<string>;
  readonly kinkFree: Gen;
}

/** Every entry positive: exp, σ, softplus, squares plus a constant, products and sums of positives. */
export function posOptions(g: Gen, s: ShapeKey, d: number) {
  const [r, c] = s;
  const any = (sh: ShapeKey) => g.expr(sh, 'any', d);
  const pos = (sh: ShapeKey) => g.expr(sh, 'pos', d);
  const pairs = broadcastPairs(s);
  const posPair = fc.oneof(...pairs.map(([a, b]) => fc.tuple(pos(a), pos(b))));
  const opts = [
    w(
      3,
      fc.tuple(fc.constantFrom<Unary>('exp', 'sigmoid', 'softplus'), any(s)).map(([k, a]) => unary(k)(a)),
    ),
    w(1, pos(s).map(unary('sqrt'))),
    w(2, posPair.map(binary('add'))),
    w(2, posPair.map(binary('emul'))),
    w(1, posPair.map(binary('ediv'))),
    w(1, fc.tuple(pos(s), any(['1', '1'])).map(binary('epow'))),
    // a.^2 + c
    w(
      2,
      fc.tuple(any(s), fc.constantFrom(...SMALL)).map(
        ([a, v]): Spec => ({
          k: 'add',
          a: { k: 'epow', a, b: { k: 'num', v: 2 } },
          b: { k: 'num', v },
        }),
      ),
    ),
    w(1, pos([c, r]).map(unary('transpose'))),
    w(2, fc.oneof(...INNER.map((k) => fc.tuple(pos([r, k]), pos([k, c])))).map(binary('times'))),
    w(
      1,
      fc
        .tuple(fc.constantFrom<Reduce>('softmax'), any(s), fc.constantFrom<0 | 1 | 2>(0, 1, 2))
        .map(([k, a, dim]): Spec => ({ k, a, dim })),
    ),
    w(
      1,
      fc
        .oneof(
          ...factorPairs(r).flatMap(([r1, r2]) =>
            factorPairs(c).map(([c1, c2]) => fc.tuple(pos([r1, c1]), pos([r2, c2]))),
          ),
        )
        .map(binary('kron')),
    ),
  ];
  if (r === '1' && c === '1') {
    opts.push(
      w(
        2,
        fc
          .tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(...REDUCIBLE.map(pos)))
          .map(([k, a]): Spec => ({ k, a, dim: 0 })),
      ),
      w(1, fc.oneof(...REDUCIBLE.map(pos)).map(unary('norm'))),
      w(
        1,
        fc
          .tuple(
            fc.constantFrom<Unary>('trace', 'det'),
            fc.oneof(...SQUARE_DIMS.map((m) => g.expr([m, m], 'spd', d))),
          )
          .map(([k, a]) => unary(k)(a)),
      ),
    );
  }
  if (r === '1' && c !== '1') {
    opts.push(
      w(
        1,
        fc
          .tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(pos(['n', c]), pos(['d', c])))
          .map(([k, a]): Spec => ({ k, a, dim: 1 })),
      ),
    );
  }
  if (c === '1' && r !== '1') {
    opts.push(
      w(
        1,
        fc
          .tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(pos([r, 'n']), pos([r, 'd'])))
          .map(([k, a]): Spec => ({ k, a, dim: 2 })),
      ),
    );
    if (r !== 'nd') opts.push(w(1, g.expr([r, r], 'spd', d).map(unary('diag'))));
    opts.push(w(1, fc.oneof(...factorPairs(r).map(pos)).map(unary('vec'))));
  }
  return opts;
}

/** Symmetric positive definite: M·Mᵀ + I, sums, positive multiples, inverses, powers. */
export function spdOptions(g: Gen, s: ShapeKey, d: number) {
  const [m] = s;
  const spd = g.expr(s, 'spd', d);
  const opts = [
    w(
      3,
      fc
        .tuple(
          fc.oneof(...INNER.map((k) => g.expr([m, k], 'any', d))),
          fc.constantFrom<'left' | 'right'>('left'),
        )
        .map(([a, side]): Spec => ({ k: 'gram', a, side })),
    ),
    w(
      1,
      fc
        .oneof(...INNER.map((k) => g.expr([k, m], 'any', d)))
        .map((a): Spec => ({ k: 'gram', a, side: 'right' })),
    ),
    w(2, fc.tuple(spd, spd).map(binary('add'))),
    w(1, fc.tuple(g.expr(['1', '1'], 'pos', d), spd).map(binary('times'))),
    w(1, spd.map(unary('inv'))),
    w(1, spd.map(unary('transpose'))),
    w(
      1,
      fc.tuple(spd, fc.constantFrom(2, -1)).map(([a, power]): Spec => ({ k: 'matpow', a, power })),
    ),
  ];
  if (m !== 'nd') opts.push(w(1, g.expr([m, '1'], 'pos', d).map(unary('diag'))));
  else
    opts.push(w(1, fc.tuple(g.expr(['n', 'n'], 'spd', d), g.expr(['d', 'd'], 'spd', d)).map(binary('kron'))));
  return opts;
}

/**
 * Derivatives written in the language: grad(f, x) has x's shape; jacobian(g, x) is numel g × numel x;
 * hessian(f, x) is numel x × numel x. Their functions are kept shallow: a Hessian inside a gradient is
 * already a third derivative.
 */
export function derivativeOptions(g: Gen, [r, c]: ShapeKey, d: number) {
  const inner = Math.min(d, 1);
  const varsOf = (numel: DimKey) => NUMEL_VARS[numel].filter((v) => !g.exclude.has(v));
  const opts: { weight: number; arbitrary: Arb }[] = [];
  const exact = (VARS_BY_SHAPE.get(`${r}x${c}`) ?? []).map((v) => v.name).filter((v) => !g.exclude.has(v));
  if (exact.length > 0) {
    opts.push(
      w(
        1,
        fc
          .tuple(g.expr(['1', '1'], 'any', inner), fc.constantFrom(...exact))
          .map(([a, x]): Spec => ({ k: 'grad', a, x })),
      ),
    );
  }
  const xs = varsOf(c);
  const gShapes = NUMEL_SHAPES[r];
  if (xs.length > 0 && gShapes.length > 0) {
    const f = fc.oneof(...gShapes.map((sh) => g.expr(sh, 'any', inner)));
    opts.push(
      w(
        1,
        fc.tuple(f, fc.constantFrom(...xs)).map(([a, x]): Spec => ({ k: 'jacobian', a, x })),
      ),
    );
  }
  if (r === c && varsOf(r).length > 0) {
    opts.push(
      w(
        1,
        fc
          .tuple(g.expr(['1', '1'], 'any', 0), fc.constantFrom(...varsOf(r)))
          .map(([a, x]): Spec => ({ k: 'hessian', a, x })),
      ),
    );
  }
  return opts;
}

/** Square and invertible: products, inverses, powers and transposes of invertible factors, or spd. */
export function fullOptions(g: Gen, s: ShapeKey, d: number) {
  const [m] = s;
  const full = g.expr(s, 'full', d);
  const opts = [
    w(3, g.expr(s, 'spd', d)),
    w(2, fc.tuple(full, full).map(binary('times'))),
    w(1, fc.tuple(g.expr(['1', '1'], 'pos', d), full).map(binary('times'))),
    w(1, full.map(unary('inv'))),
    w(1, full.map(unary('transpose'))),
    w(1, full.map(unary('neg'))),
    w(
      1,
      fc.tuple(full, fc.constantFrom(2, 3, -1)).map(([a, power]): Spec => ({ k: 'matpow', a, power })),
    ),
  ];
  if (m === 'nd')
    opts.push(
      w(1, fc.tuple(g.expr(['n', 'n'], 'full', d), g.expr(['d', 'd'], 'full', d)).map(binary('kron'))),
    );
  return opts;
}
