// fast-check arbitraries of well-shaped expressions over the whole op table: symbolic dims n, d and n·d,
// NumPy broadcasting, qualifiers and domains respected (log/sqrt/./ of positive subexpressions, inv/logdet
// of spd-built or invertible-built matrices). Cases are Spec trees (spec.ts) so that fast-check can shrink them.
import fc from 'fast-check';
import { derivativeOptions, fullOptions, type Gen, posOptions, spdOptions } from './domains.js';
import type { Domain, Reduce, Spec, Unary } from './spec.js';
import {
  type Arb,
  binary,
  broadcastPairs,
  factorPairs,
  INNER,
  INVERTIBLE_SCALARS,
  isSquare,
  key,
  POSITIVE_FUNCTIONS,
  REDUCIBLE,
  type ShapeKey,
  SMALL,
  SQUARE_DIMS,
  unary,
  VARS_BY_SHAPE,
  w,
} from './tables.js';

export { build, type DimKey, type Domain, PALETTE, SCOPE, type Spec } from './spec.js';

class Generators implements Gen {
  private readonly cache = new Map<string, Arb>();
  /** Arguments of abs, relu, sign and step: no one-hot variable, whose exact zeros sit on the kink. */
  readonly kinkFree: Generators;

  constructor(readonly exclude: ReadonlySet<string> = new Set()) {
    this.kinkFree = exclude.has('Q') ? this : new Generators(new Set([...exclude, 'Q']));
  }

  /** An expression of shape s, in domain dom, nested at most `depth` deep. */
  expr(s: ShapeKey, dom: Domain, depth: number): Arb {
    const k = `${key(s)}:${dom}:${depth}`;
    let arb = this.cache.get(k);
    if (!arb) {
      arb = this.make(s, dom, depth);
      this.cache.set(k, arb);
    }
    return arb;
  }

  private make(s: ShapeKey, dom: Domain, depth: number): Arb {
    if ((dom === 'spd' || dom === 'full') && !isSquare(s))
      throw new Error(`fuzz: ${dom} needs a square shape`);
    if ((dom === 'spd' || dom === 'full') && s[0] === '1') return this.expr(s, 'pos', depth);
    const leaves = this.leaves(s, dom);
    if (depth <= 0) return leaves;
    const options =
      dom === 'any'
        ? this.anyOptions(s, depth - 1)
        : dom === 'pos'
          ? posOptions(this, s, depth - 1)
          : dom === 'spd'
            ? spdOptions(this, s, depth - 1)
            : fullOptions(this, s, depth - 1);
    return fc.oneof({ withCrossShrink: true, depthSize: 'max' }, w(4, leaves), ...options);
  }

  private leaves([r, c]: ShapeKey, dom: Domain): Arb {
    const fits = (v: { name: string; pos: boolean; spd: boolean }) =>
      !this.exclude.has(v.name) &&
      (dom === 'any' || (dom === 'pos' ? v.pos : dom === 'spd' ? v.spd : v.name !== 'Q'));
    const vars: Arb[] = (VARS_BY_SHAPE.get(`${r}x${c}`) ?? [])
      .filter(fits)
      .map((v) => fc.constant<Spec>({ k: 'var', name: v.name }));
    if (r !== c) {
      for (const v of (VARS_BY_SHAPE.get(`${c}x${r}`) ?? []).filter(fits)) {
        vars.push(fc.constant<Spec>({ k: 'transpose', a: { k: 'var', name: v.name } }));
      }
    }
    if (dom === 'any' && r === 'nd' && c === '1') {
      vars.push(
        fc.constantFrom<Spec>(
          { k: 'vec', a: { k: 'var', name: 'X' } },
          { k: 'vec', a: { k: 'var', name: 'W' } },
        ),
      );
    }
    if (dom === 'pos' && vars.length === 0 && (r !== '1' || c !== '1')) {
      // exp of a variable of the shape keeps a leaf positive without a positive variable to hand.
      for (const v of VARS_BY_SHAPE.get(`${r}x${c}`) ?? [])
        vars.push(fc.constant<Spec>({ k: 'exp', a: { k: 'var', name: v.name } }));
    }
    const consts: Arb[] = [];
    if (r === '1' && c === '1') {
      consts.push(fc.constantFrom<Spec>(...SMALL.map((v) => ({ k: 'num', v }) as const)));
      consts.push(fc.constantFrom<Spec>({ k: 'dim', name: 'n' }, { k: 'dim', name: 'd' }));
    } else if (dom === 'spd' || dom === 'full') {
      consts.push(fc.constant<Spec>({ k: 'eye', r, c }));
    } else {
      consts.push(fc.constant<Spec>({ k: 'ones', r, c }));
      if (dom === 'any' && r === c) consts.push(fc.constant<Spec>({ k: 'eye', r, c }));
    }
    const zeros =
      dom === 'any' && (r !== '1' || c !== '1') ? [w(1, fc.constant<Spec>({ k: 'zeros', r, c }))] : [];
    if (vars.length === 0) return fc.oneof(...consts, ...zeros.map((z) => z.arbitrary));
    return fc.oneof(w(1, fc.oneof(...consts)), ...zeros, w(10, fc.oneof(...vars)));
  }

  private anyOptions(s: ShapeKey, d: number) {
    const [r, c] = s;
    const any = (sh: ShapeKey) => this.expr(sh, 'any', d);
    const pos = (sh: ShapeKey) => this.expr(sh, 'pos', d);
    const kinkFree = (sh: ShapeKey) => this.kinkFree.expr(sh, 'any', d);
    const pairs = broadcastPairs(s);
    const pairOf = (f: (sh: ShapeKey) => Arb, g: (sh: ShapeKey) => Arb) =>
      fc.oneof(...pairs.map(([a, b]) => fc.tuple(f(a), g(b))));
    const opts = [
      w(5, pairOf(any, any).map(binary('add'))),
      w(3, pairOf(any, any).map(binary('sub'))),
      // max and min: piecewise linear, kinks where the operands tie; drawn without the one-hot Q, whose
      // exact 0s and 1s would tie with constants (a kink at the sample point itself, not a wrong rule)
      w(1, pairOf(kinkFree, kinkFree).map(binary('max'))),
      w(1, pairOf(kinkFree, kinkFree).map(binary('min'))),
      w(4, pairOf(any, any).map(binary('emul'))),
      w(2, pairOf(any, pos).map(binary('ediv'))),
      w(1, pairOf(pos, any).map(binary('epow'))),
      w(
        1,
        fc
          .tuple(any(s), fc.constantFrom(2, 3))
          .map(([a, p]): Spec => ({ k: 'epow', a, b: { k: 'num', v: p } })),
      ),
      w(1, any(s).map(unary('neg'))),
      w(1, any([c, r]).map(unary('transpose'))),
      w(1, any(s).map(unary('tril'))),
      w(6, fc.oneof(...INNER.map((k) => fc.tuple(any([r, k]), any([k, c])))).map(binary('times'))),
      w(
        1,
        fc.oneof(fc.tuple(any(['1', '1']), any(s)), fc.tuple(any(s), any(['1', '1']))).map(binary('times')),
      ),
      w(
        5,
        fc
          .tuple(
            fc.constantFrom<Unary>(
              'exp',
              'tanh',
              'sigmoid',
              'softplus',
              'sin',
              'cos',
              'atan',
              'erf',
              'normcdf',
              'normpdf',
              'gelu_erf',
              'gelu_tanh',
            ),
            any(s),
          )
          .map(([k, a]) => unary(k)(a)),
      ),
      w(
        2,
        fc.tuple(fc.constantFrom(...POSITIVE_FUNCTIONS), pos(s)).map(([k, a]) => unary(k)(a)),
      ),
      w(
        2,
        fc
          .tuple(fc.constantFrom<Unary>('abs', 'relu', 'sign', 'step'), this.kinkFree.expr(s, 'any', d))
          .map(([k, a]) => unary(k)(a)),
      ),
      w(
        1,
        fc
          .tuple(
            fc.constantFrom<Reduce>('softmax', 'logsoftmax'),
            any(s),
            fc.constantFrom<0 | 1 | 2>(0, 1, 2),
          )
          .map(([k, a, dim]): Spec => ({ k, a, dim })),
      ),
    ];
    opts.push(...derivativeOptions(this, s, d));
    if (r !== '1' || c !== '1') {
      const kronPairs = factorPairs(r).flatMap(([r1, r2]) =>
        factorPairs(c).map(([c1, c2]) => fc.tuple(any([r1, c1]), any([r2, c2]))),
      );
      opts.push(w(1, fc.oneof(...kronPairs).map(binary('kron'))));
    }
    if (r === '1' && c === '1') {
      const reducible = fc.oneof(...REDUCIBLE.map(any));
      opts.push(
        w(
          4,
          fc
            .tuple(fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'), reducible)
            .map(([k, a]): Spec => ({ k, a, dim: 0 })),
        ),
        w(1, fc.oneof(...REDUCIBLE.map(pos)).map(unary('norm'))),
        w(2, fc.oneof(...SQUARE_DIMS.map((m) => any([m, m]))).map(unary('trace'))),
        w(
          3,
          fc
            .tuple(
              fc.constantFrom(...INVERTIBLE_SCALARS),
              fc.oneof(
                ...SQUARE_DIMS.flatMap((m) => [this.expr([m, m], 'spd', d), this.expr([m, m], 'full', d)]),
              ),
            )
            .map(([k, a]) => unary(k)(a)),
        ),
        w(
          1,
          fc
            .oneof(fc.tuple(any(['1', 'nd']), any(['nd', '1'])), fc.tuple(any(['1', 'n']), any(['n', '1'])))
            .map(binary('times')),
        ),
      );
    }
    if (r === '1' && c !== '1') {
      opts.push(
        w(
          2,
          fc
            .tuple(
              fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'),
              fc.oneof(any(['n', c]), any(['d', c])),
            )
            .map(([k, a]): Spec => ({ k, a, dim: 1 })),
        ),
      );
    }
    if (c === '1' && r !== '1') {
      opts.push(
        w(
          2,
          fc
            .tuple(
              fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'),
              fc.oneof(any([r, 'n']), any([r, 'd'])),
            )
            .map(([k, a]): Spec => ({ k, a, dim: 2 })),
        ),
      );
      if (r !== 'nd') opts.push(w(1, any([r, r]).map(unary('diag'))));
      opts.push(w(1, fc.oneof(...factorPairs(r).map(any)).map(unary('vec'))));
    }
    if (r === c && r !== '1') {
      opts.push(
        w(2, fc.oneof(this.expr(s, 'spd', d), this.expr(s, 'full', d)).map(unary('inv'))),
        w(
          1,
          fc.tuple(any(s), fc.constantFrom(0, 2, 3)).map(([a, power]): Spec => ({ k: 'matpow', a, power })),
        ),
        w(
          1,
          fc
            .tuple(this.expr(s, 'full', d), fc.constantFrom(-1, -2))
            .map(([a, power]): Spec => ({ k: 'matpow', a, power })),
        ),
        w(1, fc.oneof(any([r, '1']), any(['1', r])).map(unary('diag'))),
      );
    }
    return opts;
  }
}

const GEN = new Generators();

/** Shapes of the non-scalar functions whose Jacobians are checked. */
export const JACOBIAN_SHAPES: readonly ShapeKey[] = [
  ['n', '1'],
  ['1', 'n'],
  ['n', 'd'],
  ['d', 'n'],
  ['n', 'n'],
  ['d', '1'],
];

/** An expression of a given shape and domain, nested at most maxDepth deep (shrinking goes shallower). */
export function exprArb(s: ShapeKey, dom: Domain, maxDepth: number): Arb {
  return fc.oneof(...Array.from({ length: maxDepth + 1 }, (_, d) => w((d + 1) ** 2, GEN.expr(s, dom, d))));
}

export interface FuzzCase {
  /** The scalar loss whose gradients are checked. */
  readonly f: Spec;
  /** Sizes of n and d (distinct, so that a confused n and d shows). */
  readonly dims: readonly [number, number];
  readonly seed: number;
  /** Optionally a non-scalar g whose Jacobian is checked; `pick` chooses the variable. */
  readonly jac: { readonly g: Spec; readonly pick: number } | null;
  /** Optionally the Hessian of f with respect to one of its variables. */
  readonly hess: { readonly pick: number } | null;
}

/** `arb` with weight `yes` against null with weight `no`; shrinks to null. */
function sometimes<T>(yes: number, no: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: no, arbitrary: fc.constant(null) }, { weight: yes, arbitrary: arb });
}

export function caseArb(maxDepth = 5): fc.Arbitrary<FuzzCase> {
  return fc.record({
    f: exprArb(['1', '1'], 'any', maxDepth),
    dims: fc.constantFrom<readonly [number, number]>([2, 3], [3, 2], [3, 4], [4, 2], [2, 4], [1, 3], [2, 1]),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    jac: sometimes(
      1,
      4,
      fc.record({
        g: fc.oneof(...JACOBIAN_SHAPES.map((s) => exprArb(s, 'any', Math.min(3, maxDepth)))),
        pick: fc.nat(7),
      }),
    ),
    hess: sometimes(1, 9, fc.record({ pick: fc.nat(7) })),
  });
}
