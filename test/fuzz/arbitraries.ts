// fast-check arbitraries of well-shaped expressions over the whole op table: symbolic dims n, d and n·d,
// NumPy broadcasting, qualifiers and domains respected (log/sqrt/./ of positive subexpressions, inv/logdet
// of spd-built matrices). A case is plain data (a Spec tree) so that fast-check can shrink it.
import fc from 'fast-check';
import { type Dim, dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { derivNode, type Expr } from '../../src/ir/expr.js';
import { isVector, shape } from '../../src/ir/shape.js';
import * as B from '../../src/ops/build.js';
import { parseDecls, type Scope } from '../../src/parse/index.js';

/** Every variable a generated expression may use; a case declares only those it mentions. */
export const PALETTE =
  's: scalar; t: scalar positive; x: n; y: n; p: n positive; u: d; r: 1 x n; A: n x n; B: n x n; ' +
  'S: n x n spd; T: n x n symmetric; X: n x d; P: n x d positive; Q: n x d onehot; W: d x n; C: d x d; V: d x d spd';

export const SCOPE: Scope = parseDecls(PALETTE);

/** Dims of generated shapes: `nd` is the product n·d, reached through vec, kron, ones and eye. */
export type DimKey = '1' | 'n' | 'd' | 'nd';
const DIMS: Record<DimKey, Dim> = { '1': ONE, n: dimSym('n'), d: dimSym('d'), nd: dimMul(dimSym('n'), dimSym('d')) };
const DIM_OF_KEY = new Map<string, DimKey>(Object.entries(DIMS).map(([k, v]) => [v.key, k as DimKey]));

/**
 * `pos`: every entry positive (log, sqrt, ./, norm and real powers take these); `spd`: symmetric positive
 * definite; `full`: square and invertible for almost every value of its variables (det, logdet, inv).
 */
export type Domain = 'any' | 'pos' | 'spd' | 'full';

export type Unary =
  | 'neg'
  | 'transpose'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'softplus'
  | 'sin'
  | 'cos'
  | 'sign'
  | 'step'
  | 'trace'
  | 'det'
  | 'logdet'
  | 'inv'
  | 'diag'
  | 'norm'
  | 'vec';
export type Binary = 'add' | 'sub' | 'emul' | 'ediv' | 'epow' | 'times' | 'kron';
export type Reduce = 'sum' | 'mean' | 'softmax' | 'logsoftmax' | 'logsumexp';

/** A generated expression as data; `build` turns it into an Expr exactly as the parser would. */
export type Spec =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'dim'; readonly name: 'n' | 'd' }
  | { readonly k: 'eye' | 'ones' | 'zeros'; readonly r: DimKey; readonly c: DimKey }
  | { readonly k: Unary; readonly a: Spec }
  | { readonly k: Binary; readonly a: Spec; readonly b: Spec }
  | { readonly k: Reduce; readonly a: Spec; readonly dim: 0 | 1 | 2 }
  | { readonly k: 'matpow'; readonly a: Spec; readonly power: number }
  /** M*M' + eye(m) (`side` 'left') or M'*M + eye(m): symmetric positive definite. */
  | { readonly k: 'gram'; readonly a: Spec; readonly side: 'left' | 'right' }
  /** grad(f, x), jacobian(f, x), hessian(f, x) written in the language. */
  | { readonly k: 'grad' | 'jacobian' | 'hessian'; readonly a: Spec; readonly x: string };

export function build(s: Spec): Expr {
  switch (s.k) {
    case 'var':
      return SCOPE.vars.get(s.name)!;
    case 'num':
      return B.num(s.v);
    case 'dim':
      return B.dimExpr(DIMS[s.name]);
    case 'eye':
      return B.eye(DIMS[s.r]);
    case 'ones':
      return B.ones(DIMS[s.r], DIMS[s.c]);
    case 'zeros':
      return B.zeros(DIMS[s.r], DIMS[s.c]);
    case 'times':
      return B.times(build(s.a), build(s.b));
    case 'add':
    case 'sub':
    case 'emul':
    case 'ediv':
    case 'epow':
    case 'kron':
      return B.apply(s.k, [build(s.a), build(s.b)]);
    case 'diag': {
      const a = build(s.a);
      return isVector(a.shape) ? B.diagm(a) : B.diagv(a);
    }
    case 'sum':
    case 'mean':
    case 'softmax':
    case 'logsoftmax':
    case 'logsumexp':
      return B.apply(s.k, [build(s.a)], { dim: s.dim });
    case 'matpow': {
      // As the parser reads A^k: A^-1 is inv(A), A^-k is inv(A)^k.
      const a = build(s.a);
      if (s.power === -1) return B.inv(a);
      return s.power < 0 ? B.matpow(B.inv(a), -s.power) : B.matpow(a, s.power);
    }
    case 'gram': {
      const m = build(s.a);
      const g = s.side === 'left' ? B.matmul(m, B.transpose(m)) : B.matmul(B.transpose(m), m);
      return B.add(g, B.eye(g.shape.rows));
    }
    case 'grad':
    case 'jacobian':
    case 'hessian': {
      // As the parser builds them (parse/calls.ts): grad has x's shape, the others numel × numel.
      const f = build(s.a);
      const x = SCOPE.vars.get(s.x)!;
      const numel = (e: Expr) => dimMul(e.shape.rows, e.shape.cols);
      const sh =
        s.k === 'grad' ? x.shape : s.k === 'jacobian' ? shape(numel(f), numel(x)) : shape(numel(x), numel(x));
      return derivNode(s.k, f, x, sh);
    }
    default:
      return B.apply(s.k, [build(s.a)]);
  }
}

/** The DimKey of a built dim (for the shapes of generated expressions). */
export function dimKeyOf(d: Dim): DimKey {
  const k = DIM_OF_KEY.get(d.key);
  if (!k) throw new Error(`fuzz: unexpected dim ${d.key}`);
  return k;
}

// ---- generators -------------------------------------------------------------------------------------

type Arb = fc.Arbitrary<Spec>;
type ShapeKey = readonly [DimKey, DimKey];

const VARS_BY_SHAPE = new Map<string, { name: string; pos: boolean; spd: boolean }[]>();
for (const v of SCOPE.vars.values()) {
  const key = `${dimKeyOf(v.shape.rows)}x${dimKeyOf(v.shape.cols)}`;
  const list = VARS_BY_SHAPE.get(key) ?? [];
  list.push({ name: v.name, pos: v.qualifiers.includes('positive'), spd: v.qualifiers.includes('spd') });
  VARS_BY_SHAPE.set(key, list);
}

const SQUARE_DIMS: readonly DimKey[] = ['n', 'd'];
/** Variables by their number of entries, and the shapes with a given number of entries. */
const NUMEL_VARS: Record<DimKey, string[]> = { '1': [], n: [], d: [], nd: [] };
for (const v of SCOPE.vars.values()) {
  const [r, c] = [dimKeyOf(v.shape.rows), dimKeyOf(v.shape.cols)];
  // n×n and d×d variables have n² and d² entries, a dim outside the table.
  const numel: DimKey | null = r === '1' ? c : c === '1' ? r : r !== c ? 'nd' : null;
  if (numel) NUMEL_VARS[numel].push(v.name);
}
const NUMEL_SHAPES: Record<DimKey, ShapeKey[]> = {
  '1': [['1', '1']],
  n: [
    ['n', '1'],
    ['1', 'n'],
  ],
  d: [
    ['d', '1'],
    ['1', 'd'],
  ],
  nd: [
    ['n', 'd'],
    ['d', 'n'],
  ],
};
const INNER: readonly DimKey[] = ['1', 'n', 'd'];
/** Source shapes of reductions to 1×1 and of norm. */
const REDUCIBLE: readonly ShapeKey[] = [
  ['n', '1'],
  ['1', 'n'],
  ['n', 'd'],
  ['d', 'n'],
  ['n', 'n'],
  ['nd', '1'],
];

const w = (weight: number, arbitrary: Arb) => ({ weight, arbitrary });
const unary = (k: Unary) => (a: Spec): Spec => ({ k, a });
const binary = (k: Binary) => ([a, b]: [Spec, Spec]): Spec => ({ k, a, b });
const isSquare = ([r, c]: ShapeKey) => r === c;
const key = ([r, c]: ShapeKey) => `${r}x${c}`;

/** Operand shapes of a broadcasting binary op with result shape s (equal, scalar, row, column, outer). */
function broadcastPairs([r, c]: ShapeKey): [ShapeKey, ShapeKey][] {
  const pairs: [ShapeKey, ShapeKey][] = [[[r, c], [r, c]]];
  if (r !== '1' || c !== '1') {
    pairs.push([[r, c], ['1', '1']], [['1', '1'], [r, c]]);
  }
  if (r !== '1' && c !== '1') {
    pairs.push([[r, c], ['1', c]], [['1', c], [r, c]], [[r, c], [r, '1']], [[r, '1'], ['1', c]]);
  }
  return pairs;
}

/** Ways to write a dim as a product of two dims of the table (kron operands). */
function factorPairs(d: DimKey): [DimKey, DimKey][] {
  switch (d) {
    case '1':
      return [['1', '1']];
    case 'n':
      return [
        ['n', '1'],
        ['1', 'n'],
      ];
    case 'd':
      return [
        ['d', '1'],
        ['1', 'd'],
      ];
    case 'nd':
      return [
        ['n', 'd'],
        ['d', 'n'],
        ['nd', '1'],
      ];
  }
}

const SMALL = [0.5, 1, 2, 3] as const;

class Generators {
  private readonly cache = new Map<string, Arb>();
  /** Arguments of abs, relu, sign and step: no one-hot variable, whose exact zeros sit on the kink. */
  private readonly kinkFree: Generators;

  constructor(private readonly exclude: ReadonlySet<string> = new Set()) {
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
    if ((dom === 'spd' || dom === 'full') && !isSquare(s)) throw new Error(`fuzz: ${dom} needs a square shape`);
    if ((dom === 'spd' || dom === 'full') && s[0] === '1') return this.expr(s, 'pos', depth);
    const leaves = this.leaves(s, dom);
    if (depth <= 0) return leaves;
    const options =
      dom === 'any'
        ? this.anyOptions(s, depth - 1)
        : dom === 'pos'
          ? this.posOptions(s, depth - 1)
          : dom === 'spd'
            ? this.spdOptions(s, depth - 1)
            : this.fullOptions(s, depth - 1);
    return fc.oneof({ withCrossShrink: true }, w(4, leaves), ...options);
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
      vars.push(fc.constantFrom<Spec>({ k: 'vec', a: { k: 'var', name: 'X' } }, { k: 'vec', a: { k: 'var', name: 'W' } }));
    }
    if (dom === 'pos' && vars.length === 0 && (r !== '1' || c !== '1')) {
      // exp of a variable of the shape keeps a leaf positive without a positive variable to hand.
      for (const v of VARS_BY_SHAPE.get(`${r}x${c}`) ?? []) vars.push(fc.constant<Spec>({ k: 'exp', a: { k: 'var', name: v.name } }));
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
    const zeros = dom === 'any' && (r !== '1' || c !== '1') ? [w(1, fc.constant<Spec>({ k: 'zeros', r, c }))] : [];
    if (vars.length === 0) return fc.oneof(...consts, ...zeros.map((z) => z.arbitrary));
    return fc.oneof(w(1, fc.oneof(...consts)), ...zeros, w(10, fc.oneof(...vars)));
  }

  private anyOptions(s: ShapeKey, d: number) {
    const [r, c] = s;
    const any = (sh: ShapeKey) => this.expr(sh, 'any', d);
    const pos = (sh: ShapeKey) => this.expr(sh, 'pos', d);
    const pairs = broadcastPairs(s);
    const pairOf = (f: (sh: ShapeKey) => Arb, g: (sh: ShapeKey) => Arb) =>
      fc.oneof(...pairs.map(([a, b]) => fc.tuple(f(a), g(b))));
    const opts = [
      w(3, pairOf(any, any).map(binary('add'))),
      w(2, pairOf(any, any).map(binary('sub'))),
      w(2, pairOf(any, any).map(binary('emul'))),
      w(2, pairOf(any, pos).map(binary('ediv'))),
      w(1, pairOf(pos, any).map(binary('epow'))),
      w(1, fc.tuple(any(s), fc.constantFrom(2, 3)).map(([a, p]): Spec => ({ k: 'epow', a, b: { k: 'num', v: p } }))),
      w(1, any(s).map(unary('neg'))),
      w(1, any([c, r]).map(unary('transpose'))),
      w(4, fc.oneof(...INNER.map((k) => fc.tuple(any([r, k]), any([k, c])))).map(binary('times'))),
      w(1, fc.oneof(fc.tuple(any(['1', '1']), any(s)), fc.tuple(any(s), any(['1', '1']))).map(binary('times'))),
      w(
        5,
        fc.tuple(fc.constantFrom<Unary>('exp', 'tanh', 'sigmoid', 'softplus', 'sin', 'cos'), any(s)).map(([k, a]) => unary(k)(a)),
      ),
      w(2, fc.tuple(fc.constantFrom<Unary>('log', 'sqrt'), pos(s)).map(([k, a]) => unary(k)(a))),
      w(
        2,
        fc.tuple(fc.constantFrom<Unary>('abs', 'relu', 'sign', 'step'), this.kinkFree.expr(s, 'any', d)).map(([k, a]) =>
          unary(k)(a),
        ),
      ),
      w(1, fc.tuple(fc.constantFrom<Reduce>('softmax', 'logsoftmax'), any(s), fc.constantFrom<0 | 1 | 2>(0, 1, 2)).map(
        ([k, a, dim]): Spec => ({ k, a, dim }),
      )),
    ];
    opts.push(...this.derivativeOptions(s, d));
    if (r !== '1' || c !== '1') {
      const kronPairs = factorPairs(r).flatMap(([r1, r2]) => factorPairs(c).map(([c1, c2]) => fc.tuple(any([r1, c1]), any([r2, c2]))));
      opts.push(w(1, fc.oneof(...kronPairs).map(binary('kron'))));
    }
    if (r === '1' && c === '1') {
      const reducible = fc.oneof(...REDUCIBLE.map(any));
      opts.push(
        w(4, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'), reducible).map(([k, a]): Spec => ({ k, a, dim: 0 }))),
        w(1, fc.oneof(...REDUCIBLE.map(pos)).map(unary('norm'))),
        w(2, fc.oneof(...SQUARE_DIMS.map((m) => any([m, m]))).map(unary('trace'))),
        w(
          3,
          fc
            .tuple(
              fc.constantFrom<Unary>('logdet', 'det'),
              fc.oneof(...SQUARE_DIMS.flatMap((m) => [this.expr([m, m], 'spd', d), this.expr([m, m], 'full', d)])),
            )
            .map(([k, a]) => unary(k)(a)),
        ),
        w(1, fc.oneof(fc.tuple(any(['1', 'nd']), any(['nd', '1'])), fc.tuple(any(['1', 'n']), any(['n', '1']))).map(binary('times'))),
      );
    }
    if (r === '1' && c !== '1') {
      opts.push(w(2, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'), fc.oneof(any(['n', c]), any(['d', c]))).map(([k, a]): Spec => ({ k, a, dim: 1 }))));
    }
    if (c === '1' && r !== '1') {
      opts.push(w(2, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean', 'logsumexp'), fc.oneof(any([r, 'n']), any([r, 'd']))).map(([k, a]): Spec => ({ k, a, dim: 2 }))));
      if (r !== 'nd') opts.push(w(1, any([r, r]).map(unary('diag'))));
      opts.push(w(1, fc.oneof(...factorPairs(r).map(any)).map(unary('vec'))));
    }
    if (r === c && r !== '1') {
      opts.push(
        w(2, fc.oneof(this.expr(s, 'spd', d), this.expr(s, 'full', d)).map(unary('inv'))),
        w(1, fc.tuple(any(s), fc.constantFrom(0, 2, 3)).map(([a, power]): Spec => ({ k: 'matpow', a, power }))),
        w(1, fc.tuple(this.expr(s, 'full', d), fc.constantFrom(-1, -2)).map(([a, power]): Spec => ({ k: 'matpow', a, power }))),
        w(1, fc.oneof(any([r, '1']), any(['1', r])).map(unary('diag'))),
      );
    }
    return opts;
  }

  private posOptions(s: ShapeKey, d: number) {
    const [r, c] = s;
    const any = (sh: ShapeKey) => this.expr(sh, 'any', d);
    const pos = (sh: ShapeKey) => this.expr(sh, 'pos', d);
    const pairs = broadcastPairs(s);
    const posPair = fc.oneof(...pairs.map(([a, b]) => fc.tuple(pos(a), pos(b))));
    const opts = [
      w(3, fc.tuple(fc.constantFrom<Unary>('exp', 'sigmoid', 'softplus'), any(s)).map(([k, a]) => unary(k)(a))),
      w(1, pos(s).map(unary('sqrt'))),
      w(2, posPair.map(binary('add'))),
      w(2, posPair.map(binary('emul'))),
      w(1, posPair.map(binary('ediv'))),
      w(1, fc.tuple(pos(s), any(['1', '1'])).map(binary('epow'))),
      // a.^2 + c
      w(2, fc.tuple(any(s), fc.constantFrom(...SMALL)).map(([a, v]): Spec => ({
        k: 'add',
        a: { k: 'epow', a, b: { k: 'num', v: 2 } },
        b: { k: 'num', v },
      }))),
      w(1, pos([c, r]).map(unary('transpose'))),
      w(2, fc.oneof(...INNER.map((k) => fc.tuple(pos([r, k]), pos([k, c])))).map(binary('times'))),
      w(1, fc.tuple(fc.constantFrom<Reduce>('softmax'), any(s), fc.constantFrom<0 | 1 | 2>(0, 1, 2)).map(([k, a, dim]): Spec => ({ k, a, dim }))),
      w(1, fc.oneof(...factorPairs(r).flatMap(([r1, r2]) => factorPairs(c).map(([c1, c2]) => fc.tuple(pos([r1, c1]), pos([r2, c2]))))).map(binary('kron'))),
    ];
    if (r === '1' && c === '1') {
      opts.push(
        w(2, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(...REDUCIBLE.map(pos))).map(([k, a]): Spec => ({ k, a, dim: 0 }))),
        w(1, fc.oneof(...REDUCIBLE.map(pos)).map(unary('norm'))),
        w(1, fc.tuple(fc.constantFrom<Unary>('trace', 'det'), fc.oneof(...SQUARE_DIMS.map((m) => this.expr([m, m], 'spd', d)))).map(([k, a]) => unary(k)(a))),
      );
    }
    if (r === '1' && c !== '1') {
      opts.push(w(1, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(pos(['n', c]), pos(['d', c]))).map(([k, a]): Spec => ({ k, a, dim: 1 }))));
    }
    if (c === '1' && r !== '1') {
      opts.push(w(1, fc.tuple(fc.constantFrom<Reduce>('sum', 'mean'), fc.oneof(pos([r, 'n']), pos([r, 'd']))).map(([k, a]): Spec => ({ k, a, dim: 2 }))));
      if (r !== 'nd') opts.push(w(1, this.expr([r, r], 'spd', d).map(unary('diag'))));
      opts.push(w(1, fc.oneof(...factorPairs(r).map(pos)).map(unary('vec'))));
    }
    return opts;
  }

  private spdOptions(s: ShapeKey, d: number) {
    const [m] = s;
    const spd = this.expr(s, 'spd', d);
    const opts = [
      w(3, fc.tuple(fc.oneof(...INNER.map((k) => this.expr([m, k], 'any', d))), fc.constantFrom<'left' | 'right'>('left')).map(([a, side]): Spec => ({ k: 'gram', a, side }))),
      w(1, fc.oneof(...INNER.map((k) => this.expr([k, m], 'any', d))).map((a): Spec => ({ k: 'gram', a, side: 'right' }))),
      w(2, fc.tuple(spd, spd).map(binary('add'))),
      w(1, fc.tuple(this.expr(['1', '1'], 'pos', d), spd).map(binary('times'))),
      w(1, spd.map(unary('inv'))),
      w(1, spd.map(unary('transpose'))),
      w(1, fc.tuple(spd, fc.constantFrom(2, -1)).map(([a, power]): Spec => ({ k: 'matpow', a, power }))),
    ];
    if (m !== 'nd') opts.push(w(1, this.expr([m, '1'], 'pos', d).map(unary('diag'))));
    else opts.push(w(1, fc.tuple(this.expr(['n', 'n'], 'spd', d), this.expr(['d', 'd'], 'spd', d)).map(binary('kron'))));
    return opts;
  }

  /**
   * Derivatives written in the language: grad(f, x) has x's shape; jacobian(g, x) is numel g × numel x;
   * hessian(f, x) is numel x × numel x. Their functions are kept shallow: a Hessian inside a gradient is
   * already a third derivative.
   */
  private derivativeOptions([r, c]: ShapeKey, d: number) {
    const inner = Math.min(d, 1);
    const varsOf = (numel: DimKey) => NUMEL_VARS[numel].filter((v) => !this.exclude.has(v));
    const opts: { weight: number; arbitrary: Arb }[] = [];
    const exact = (VARS_BY_SHAPE.get(`${r}x${c}`) ?? []).map((v) => v.name).filter((v) => !this.exclude.has(v));
    if (exact.length > 0) {
      opts.push(w(1, fc.tuple(this.expr(['1', '1'], 'any', inner), fc.constantFrom(...exact)).map(([a, x]): Spec => ({ k: 'grad', a, x }))));
    }
    const xs = varsOf(c);
    const gShapes = NUMEL_SHAPES[r];
    if (xs.length > 0 && gShapes.length > 0) {
      const g = fc.oneof(...gShapes.map((sh) => this.expr(sh, 'any', inner)));
      opts.push(w(1, fc.tuple(g, fc.constantFrom(...xs)).map(([a, x]): Spec => ({ k: 'jacobian', a, x }))));
    }
    if (r === c && varsOf(r).length > 0) {
      opts.push(w(1, fc.tuple(this.expr(['1', '1'], 'any', 0), fc.constantFrom(...varsOf(r))).map(([a, x]): Spec => ({ k: 'hessian', a, x }))));
    }
    return opts;
  }

  /** Square and invertible: products, inverses, powers and transposes of invertible factors, or spd. */
  private fullOptions(s: ShapeKey, d: number) {
    const [m] = s;
    const full = this.expr(s, 'full', d);
    const opts = [
      w(3, this.expr(s, 'spd', d)),
      w(2, fc.tuple(full, full).map(binary('times'))),
      w(1, fc.tuple(this.expr(['1', '1'], 'pos', d), full).map(binary('times'))),
      w(1, full.map(unary('inv'))),
      w(1, full.map(unary('transpose'))),
      w(1, full.map(unary('neg'))),
      w(1, fc.tuple(full, fc.constantFrom(2, 3, -1)).map(([a, power]): Spec => ({ k: 'matpow', a, power }))),
    ];
    if (m === 'nd') opts.push(w(1, fc.tuple(this.expr(['n', 'n'], 'full', d), this.expr(['d', 'd'], 'full', d)).map(binary('kron'))));
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
  return fc.oneof(...Array.from({ length: maxDepth + 1 }, (_, d) => w(d + 1, GEN.expr(s, dom, d))));
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

export function caseArb(maxDepth = 4): fc.Arbitrary<FuzzCase> {
  return fc.record({
    f: exprArb(['1', '1'], 'any', maxDepth),
    dims: fc.constantFrom<readonly [number, number]>([2, 3], [3, 2], [3, 4], [4, 2], [2, 4]),
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
