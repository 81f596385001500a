// σ and softmax inside one term of a collected region: eᶻ ⊘ (1 + eᶻ) is σ(z), 1 ⊘ (1 + eᶻ) is σ(−z),
// e^Z ⊘ sum(e^Z, d) is softmax(Z, d), σ(u) ⊙ e^{−u} is σ(−u). A term's factors are rewritten in place.
import type { Expr } from '../../ir/expr.js';
import { apply, neg } from '../../ops/build.js';
import { constValue, isOp } from '../rule.js';
import { mulFactor, type Term } from './terms.js';

/** 1 + eᶻ as [z] when x is that sum (either order), else null. */
function onePlusExp(x: Expr): Expr | null {
  if (!isOp(x, 'add')) return null;
  const [a, b] = x.args;
  if (constValue(a) === 1 && isOp(b, 'exp')) return b.args[0];
  if (constValue(b) === 1 && isOp(a, 'exp')) return a.args[0];
  return null;
}

/** eᶻ ⊘ (1 + eᶻ) → σ(z), 1 ⊘ (1 + eᶻ) → σ(−z), e^Z ⊘ sum(e^Z, d) → softmax(Z, d), inside one term. */
export function recogniseSigmoid(t: Term, order: (x: Expr) => void): void {
  for (const [id, [base, k]] of [...t.factors]) {
    if (k !== -1) continue;
    const z = onePlusExp(base);
    if (!z) continue;
    t.factors.delete(id);
    const e = apply('exp', [z]);
    const numer = t.factors.get(e.id);
    let s: Expr;
    if (numer && numer[1] > 0) {
      mulFactor(t.factors, e, -1);
      s = apply('sigmoid', [z]);
    } else {
      s = apply('sigmoid', [isOp(z, 'neg') ? z.args[0] : neg(z)]);
    }
    order(s);
    mulFactor(t.factors, s, 1);
  }
  // e^Z ⊘ sum(e^Z, d) = softmax(Z, d)
  for (const [id, [base, k]] of [...t.factors]) {
    if (k !== -1 || !isOp(base, 'sum') || !isOp(base.args[0], 'exp')) continue;
    const e = base.args[0];
    const found = t.factors.get(e.id);
    if (!found || found[1] <= 0) continue;
    t.factors.delete(id);
    mulFactor(t.factors, e, -1);
    const s = apply('softmax', [e.args[0]], { dim: base.attrs.dim ?? 0 });
    order(s);
    mulFactor(t.factors, s, 1);
  }
  // σ(u) ⊙ e^{−u} = e^{−u}/(1 + e^{−u}) = σ(−u)
  for (const [, [base, k]] of [...t.factors]) {
    if (k !== 1 || !isOp(base, 'sigmoid')) continue;
    const u = base.args[0];
    const minusU = isOp(u, 'neg') ? u.args[0] : neg(u);
    const e = apply('exp', [minusU]);
    const found = t.factors.get(e.id);
    if (!found || found[1] <= 0) continue;
    mulFactor(t.factors, e, -1);
    mulFactor(t.factors, base, -1);
    const s = apply('sigmoid', [minusU]);
    order(s);
    mulFactor(t.factors, s, 1);
  }
}
