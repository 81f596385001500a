// Constant folding and the identities of 0, 1, ones, zeros and eye.
import type { Expr, OpExpr } from '../../ir/expr.js';
import * as Q from '../../ir/rational.js';
import { isScalar, type Shape, sameShape } from '../../ir/shape.js';
import { add, apply, div, mul, neg, num, ones, zeros } from '../../ops/build.js';
import type { OpName } from '../../ops/index.js';
import { constValue, exactValue, isConst, isOnes, isOp, isZero, rule } from '../rule.js';

/** A zero of the given shape: `0` when 1×1, else zeros(m, n). */
export function zeroOf(s: Shape): Expr {
  return isScalar(s) ? num(0) : zeros(s.rows, s.cols);
}

/** An all-ones value of the given shape: `1` when 1×1, else ones(m, n). */
export function oneOf(s: Shape): Expr {
  return isScalar(s) ? num(1) : ones(s.rows, s.cols);
}

/** 10ᵏ as one literal, for k within the float range. */
const tenTo = (k: number): Expr => num(Number(`1e${k}`));

/** An integer as an expression of literals: one literal when a float spells it, else exact pieces. */
function integerExpr(n: bigint): Expr {
  const v = Q.toNumber(Q.ratio(n));
  if (v !== null) return num(v);
  let m = n;
  let k = 0;
  while (m % 10n === 0n) {
    m /= 10n;
    k++;
  }
  if (k === 0) {
    // m = hi·10¹⁵ + lo, each part spelled exactly
    const hi = m / 10n ** 15n;
    const lo = m % 10n ** 15n;
    return add(mul(integerExpr(hi), tenTo(15)), num(Number(lo)));
  }
  let acc = integerExpr(m);
  for (; k > 0; k -= 300) acc = mul(acc, tenTo(Math.min(k, 300)));
  return acc;
}

/**
 * The exact rational r as an expression: one literal when a float spells it, else a quotient and product
 * of literals that do (1/3, 1e300*1e100), so that no coefficient is ever rounded, over- or underflows.
 */
export function exactConst(r: Q.Rational): Expr {
  const v = Q.toNumber(r);
  if (v !== null) return num(v);
  if (Q.sign(r) < 0) return neg(exactConst(Q.neg(r)));
  const top = integerExpr(r.n);
  return r.d === 1n ? top : div(top, integerExpr(r.d));
}

/** The exact value of a 1×1 op over exact constants, or null when it is not a rational (2^0.5). */
function foldExact(op: string, [a, b]: readonly Q.Rational[]): Q.Rational | null {
  switch (op) {
    case 'add':
      return Q.add(a, b);
    case 'sub':
      return Q.sub(a, b);
    case 'emul':
      return Q.mul(a, b);
    case 'ediv':
      return Q.sign(b) === 0 ? null : Q.div(a, b);
    case 'epow':
      return Q.isInteger(b) ? Q.pow(a, Number(b.n)) : rationalRoot(a, b);
    default:
      return null;
  }
}

/** a^(p/q) when it is a rational spelled by a float (4^0.5 = 2), else null. */
function rationalRoot(a: Q.Rational, e: Q.Rational): Q.Rational | null {
  if (Q.sign(a) < 0 || e.d > 64n) return null;
  const guess = Q.approx(a) ** Q.approx(e);
  if (!Number.isFinite(guess) || guess === 0) return null;
  const r = Q.fromNumber(guess);
  const lhs = Q.pow(r, Number(e.d));
  const rhs = Q.pow(a, Number(e.n));
  return lhs && rhs && Q.equals(lhs, rhs) ? r : null;
}

const FOLDABLE = new Set(['add', 'sub', 'emul', 'ediv', 'epow']);

export const foldConstants = rule(
  ['add', 'sub', 'emul', 'ediv', 'epow'],
  'fold constants',
  '2 + 3 → 5, exactly (0.1 + 0.2 → 0.3)',
  (e) => {
    if (!FOLDABLE.has(e.op)) return null;
    // every argument a constant, checked before any exact (BigInt) value is made
    for (const a of e.args) if (constValue(a) === null) return null;
    const vals = e.args.map(exactValue);
    if (vals.some((v) => v === null)) return null;
    const out = foldExact(e.op, vals as Q.Rational[]);
    // Kept as written when no float spells the exact result (1e200*1e200 is not 1e400 = Infinity).
    const v = out && Q.toNumber(out);
    return v === null || v === undefined ? null : num(v);
  },
);

/** x if it already has the node's shape (so dropping the other operand loses no broadcast). */
const keep = (e: OpExpr, x: Expr): Expr | null => (sameShape(x.shape, e.shape) ? x : null);

export const additiveZero = rule(['add', 'sub'], 'additive zero', 'A + 0 → A, A − 0 → A, 0 − A → −A', (e) => {
  const [a, b] = e.args;
  if (e.op === 'add') return (isZero(b) ? keep(e, a) : null) ?? (isZero(a) ? keep(e, b) : null);
  if (e.op === 'sub') {
    if (isZero(b)) return keep(e, a);
    if (isZero(a) && sameShape(b.shape, e.shape)) return neg(b);
  }
  return null;
});

export const multiplicativeIdentity = rule(
  ['emul', 'ediv', 'epow', 'matmul'],
  'multiplicative identity',
  '1 ⊙ A → A, A ⊘ 1 → A, A^1 → A, IA → A, 1·A → A',
  (e) => {
    const [a, b] = e.args;
    if (e.op === 'emul') return (isOnes(b) ? keep(e, a) : null) ?? (isOnes(a) ? keep(e, b) : null);
    if (e.op === 'ediv' && isOnes(b)) return keep(e, a);
    if (e.op === 'epow' && constValue(b) === 1) return keep(e, a);
    if (e.op === 'matmul') {
      // a 1×1 factor 1 as well: 1·B = B without going through the scaling 1 ⊙ B
      if (isOp(a, 'eye') || isConst(a, 1)) return b;
      if (isOp(b, 'eye') || isConst(b, 1)) return a;
    }
    return null;
  },
);

export const annihilate = rule(
  ['emul', 'matmul', 'ediv', 'epow', 'sum', 'transpose', 'neg', 'trace'],
  'zero product',
  '0 ⊙ A → 0, 0 ⊘ A → 0, 0·A → 0',
  (e) => {
    const [a, b] = e.args;
    if ((e.op === 'emul' || e.op === 'matmul') && (isZero(a) || isZero(b))) return zeroOf(e.shape);
    if (e.op === 'ediv' && isZero(a)) return zeroOf(e.shape);
    if (e.op === 'epow' && constValue(b) === 0) return oneOf(e.shape);
    if ((e.op === 'sum' || e.op === 'transpose' || e.op === 'neg' || e.op === 'trace') && isZero(a)) {
      return zeroOf(e.shape);
    }
    return null;
  },
);

export const doubleNegation = rule(['neg'], 'double negation', '−(−A) → A', (e) =>
  e.op === 'neg' && isOp(e.args[0], 'neg') ? e.args[0].args[0] : null,
);

export const scalarConstants = rule(
  ['ones', 'eye', 'zeros'],
  '1×1 constants',
  'ones(1, 1) → 1, zeros(1, 1) → 0',
  (e) => {
    if (!isScalar(e.shape)) return null;
    if (e.op === 'ones' || e.op === 'eye') return num(1);
    if (e.op === 'zeros') return num(0);
    return null;
  },
);

/** Rebuild `e` with the same op and attrs over `args` (for rules that move factors around). */
export function same(e: OpExpr, args: readonly Expr[]): Expr {
  return apply(e.op as OpName, args, e.attrs);
}
