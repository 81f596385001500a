// Constant folding and the identities of 0, 1, ones, zeros and eye.
import type { Expr, OpExpr } from '../../ir/expr.js';
import { isScalar, type Shape, sameShape } from '../../ir/shape.js';
import { scalar } from '../../kernels/matrix.js';
import { apply, neg, num, ones, zeros } from '../../ops/build.js';
import { OPS, type OpName } from '../../ops/index.js';
import { constValue, isOnes, isOp, isZero, rule } from '../rule.js';

/** A zero of the given shape: `0` when 1×1, else zeros(m, n). */
export function zeroOf(s: Shape): Expr {
  return isScalar(s) ? num(0) : zeros(s.rows, s.cols);
}

/** An all-ones value of the given shape: `1` when 1×1, else ones(m, n). */
export function oneOf(s: Shape): Expr {
  return isScalar(s) ? num(1) : ones(s.rows, s.cols);
}

const FOLDABLE = new Set(['add', 'sub', 'emul', 'ediv', 'neg', 'epow']);

/** Whether a folded number reads well as a literal (integers and short decimals, not 0.333…). */
function readable(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v) < 1e15 && Number.isInteger(v * 1000);
}

export const foldConstants = rule('fold constants', '2 + 3 → 5', (e) => {
  if (!FOLDABLE.has(e.op)) return null;
  const vals = e.args.map(constValue);
  if (vals.some((v) => v === null)) return null;
  if (e.op === 'neg') return null; // -c is already the canonical negative constant
  const out = OPS[e.op as OpName].eval(
    vals.map((v) => scalar(v!)),
    e.attrs,
    { dim: () => 1 },
  ).data[0];
  return readable(out) ? num(out) : null;
});

/** x if it already has the node's shape (so dropping the other operand loses no broadcast). */
const keep = (e: OpExpr, x: Expr): Expr | null => (sameShape(x.shape, e.shape) ? x : null);

export const additiveZero = rule('additive zero', 'A + 0 → A, A − 0 → A, 0 − A → −A', (e) => {
  const [a, b] = e.args;
  if (e.op === 'add') return (isZero(b) ? keep(e, a) : null) ?? (isZero(a) ? keep(e, b) : null);
  if (e.op === 'sub') {
    if (isZero(b)) return keep(e, a);
    if (isZero(a) && sameShape(b.shape, e.shape)) return neg(b);
  }
  return null;
});

export const multiplicativeIdentity = rule(
  'multiplicative identity',
  '1 ⊙ A → A, A ⊘ 1 → A, A^1 → A',
  (e) => {
    const [a, b] = e.args;
    if (e.op === 'emul') return (isOnes(b) ? keep(e, a) : null) ?? (isOnes(a) ? keep(e, b) : null);
    if (e.op === 'ediv' && isOnes(b)) return keep(e, a);
    if (e.op === 'epow' && constValue(b) === 1) return keep(e, a);
    if (e.op === 'matmul') {
      if (isOp(a, 'eye')) return b;
      if (isOp(b, 'eye')) return a;
    }
    return null;
  },
);

export const annihilate = rule('zero product', '0 ⊙ A → 0, 0 ⊘ A → 0, 0·A → 0', (e) => {
  const [a, b] = e.args;
  if ((e.op === 'emul' || e.op === 'matmul') && (isZero(a) || isZero(b))) return zeroOf(e.shape);
  if (e.op === 'ediv' && isZero(a)) return zeroOf(e.shape);
  if (e.op === 'epow' && constValue(b) === 0) return oneOf(e.shape);
  if ((e.op === 'sum' || e.op === 'transpose' || e.op === 'neg' || e.op === 'trace') && isZero(a)) {
    return zeroOf(e.shape);
  }
  return null;
});

export const doubleNegation = rule('double negation', '−(−A) → A', (e) =>
  e.op === 'neg' && isOp(e.args[0], 'neg') ? e.args[0].args[0] : null,
);

export const scalarConstants = rule('1×1 constants', 'ones(1, 1) → 1, zeros(1, 1) → 0', (e) => {
  if (!isScalar(e.shape)) return null;
  if (e.op === 'ones' || e.op === 'eye') return num(1);
  if (e.op === 'zeros') return num(0);
  return null;
});

/** Rebuild `e` with the same op and attrs over `args` (for rules that move factors around). */
export function same(e: OpExpr, args: readonly Expr[]): Expr {
  return apply(e.op as OpName, args, e.attrs);
}
