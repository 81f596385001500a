// Numerically stable equivalents of compositions whose literal evaluation overflows or underflows: the
// identities compile() and the NumPy export apply (so the interpreter agrees with generated code), and
// log(1 − σ(x)), which they do not yet.
import type { Expr, OpExpr } from '../ir/expr.js';
import { sameShape } from '../ir/shape.js';
import { logsoftmax, logsumexp, neg, softplus } from '../ops/build.js';

const isOp = (e: Expr, op: string): e is OpExpr => e.kind === 'op' && e.op === op;
const isOne = (e: Expr): boolean => e.kind === 'const' && e.value === 1;

/** A stable expression equal to `e`, or null when `e` is not one of the compositions below. */
export function stableForm(e: OpExpr): Expr | null {
  if (e.op !== 'log' || e.args[0].kind !== 'op') return null;
  const a = e.args[0];
  // log σ(x) = −softplus(−x): σ(−1000) underflows to 0, whose log is −∞, not −1000
  if (a.op === 'sigmoid') return neg(softplus(neg(a.args[0])));
  // log softmax(z) = logsoftmax(z)
  if (a.op === 'softmax') return logsoftmax(a.args[0], a.attrs.dim ?? 0);
  // log Σ exp(z) = logsumexp(z)
  if (a.op === 'sum' && isOp(a.args[0], 'exp')) return logsumexp(a.args[0].args[0], a.attrs.dim ?? 0);
  // log(1 − σ(x)) = −softplus(x): the other half of the logistic loss
  if (
    a.op === 'sub' &&
    isOne(a.args[0]) &&
    isOp(a.args[1], 'sigmoid') &&
    sameShape(a.args[1].shape, a.shape)
  ) {
    return neg(softplus(a.args[1].args[0]));
  }
  // log(1 + eˣ) = softplus(x)
  if (a.op === 'add') {
    const [l, r] = a.args;
    if (isOne(l) && isOp(r, 'exp') && sameShape(r.shape, a.shape)) return softplus(r.args[0]);
    if (isOne(r) && isOp(l, 'exp') && sameShape(l.shape, a.shape)) return softplus(l.args[0]);
  }
  return null;
}
