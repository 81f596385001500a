// σ and softmax recognised over compound arguments in derivatives, so that simplified gradients, Jacobians
// and Hessians are finite wherever they are: eᵘ ⊙ σ(−u) → σ(u) (the left side is ∞·0 at u = 800),
// diag(v) ⊙ c → diag(v ⊙ c) (so factors inside and outside a diag meet), N ⊘ Σ eᵘ → N with eᵘ as softmax(u).
import type { Expr, OpExpr } from '../../ir/expr.js';
import { isScalar, sameShape } from '../../ir/shape.js';
import {
  add,
  apply,
  diagm,
  div,
  matmul,
  mul,
  neg,
  num,
  pow,
  sigmoid,
  sub,
  transpose,
} from '../../ops/build.js';
import { constValue, isOp, rule } from '../rule.js';
import { DIAGONAL, EXP, EXP_SUM, productHas, productKinds, SIGMOID } from './factor-kinds.js';

/** True when a = −b structurally: −b, or b = −a, or a = q − p for b = p − q. */
function isNegation(a: Expr, b: Expr): boolean {
  if (isOp(a, 'neg') && a.args[0] === b) return true;
  if (isOp(b, 'neg') && b.args[0] === a) return true;
  return isOp(a, 'sub') && isOp(b, 'sub') && a.args[0] === b.args[1] && a.args[1] === b.args[0];
}

type Factor = [base: Expr, power: number];

/** Products with more factors than this are left alone (bounded work per node). */
const MAX_FACTORS = 32;

/**
 * The factors of a product ⊙ / ⊘ / integer .^ chain, with their powers, in order; null if not a product
 * or longer than MAX_FACTORS. Iterative, so a 10,000-deep chain costs nothing and cannot overflow the stack.
 */
function productFactors(e: Expr): Factor[] | null {
  if (!isOp(e, 'emul', 'ediv')) return null;
  const out: Factor[] = [];
  const stack: Factor[] = [[e, 1]];
  let visited = 0;
  while (stack.length > 0) {
    if (++visited > 4 * MAX_FACTORS) return null;
    const [x, k] = stack.pop()!;
    const p = isOp(x, 'epow') ? constValue(x.args[1]) : null;
    if (isOp(x, 'emul')) stack.push([x.args[1], k], [x.args[0], k]);
    else if (isOp(x, 'ediv')) stack.push([x.args[1], -k], [x.args[0], k]);
    else if (p !== null && Number.isInteger(p) && p !== 0) stack.push([(x as OpExpr).args[0], k * p]);
    else if (out.push([x, k]) > MAX_FACTORS) return null;
  }
  return out;
}

/** Π baseᵏ, in the given order; 1 when empty. */
function rebuildProduct(factors: readonly Factor[]): Expr {
  let numer: Expr | null = null;
  let denom: Expr | null = null;
  for (const [base, k] of factors) {
    const term = Math.abs(k) === 1 ? base : pow(base, num(Math.abs(k)));
    if (k > 0) numer = numer ? mul(numer, term) : term;
    else denom = denom ? mul(denom, term) : term;
  }
  const top = numer ?? num(1);
  return denom ? div(top, denom) : top;
}

/** u when x is 1 + eᵘ or eᵘ + 1, else null. */
function onePlusExpArgument(x: Expr): Expr | null {
  if (!isOp(x, 'add')) return null;
  const [a, b] = x.args;
  if (constValue(a) === 1 && isOp(b, 'exp') && sameShape(b.shape, x.shape)) return b.args[0];
  if (constValue(b) === 1 && isOp(a, 'exp') && sameShape(a.shape, x.shape)) return a.args[0];
  return null;
}

/**
 * σ(w) ⊙ e^{−w} = e^{−w}/(1 + e^{−w}) = σ(−w), also for σ(w)ᵏ and e^{−w} written e^{v} with v = −w
 * structurally (y − x against x − y), and σ(w) ⊘ eʷ = σ(−w).
 */
export const sigmoidTimesExp = rule(
  ['emul', 'ediv'],
  'σ times an exponential',
  'σ(w) ⊙ e⁻ʷ → σ(−w), σ(w) ⊘ eʷ → σ(−w), A ⊘ (1 + eᵘ)ᵏ → A ⊙ σ(−u)ᵏ',
  (e) => {
    // a logistic denominator, or both a σ and an exponential, among the factors
    const kinds = productKinds(e);
    if (!(kinds & EXP_SUM) && (kinds & (SIGMOID | EXP)) !== (SIGMOID | EXP)) return null;
    const factors = productFactors(e);
    if (!factors) return null;
    // 1/(1 + eᵘ) = σ(−u): a logistic denominator (a raw sweep writes σ's derivative this way) becomes σ,
    // which the rest of this rule can then meet with the exponential in the numerator
    let logistic = false;
    const named = factors.map(([x, k]): Factor => {
      const u = k < 0 ? onePlusExpArgument(x) : null;
      if (!u) return [x, k];
      logistic = true;
      return [sigmoid(isOp(u, 'neg') ? u.args[0] : neg(u)), -k];
    });
    if (logistic) {
      const out = rebuildProduct(named);
      return sameShape(out.shape, e.shape) ? out : null;
    }
    for (let i = 0; i < factors.length; i++) {
      const [s, k] = factors[i];
      if (k <= 0 || !isOp(s, 'sigmoid')) continue;
      const w = s.args[0];
      for (let j = 0; j < factors.length; j++) {
        const [x, m] = factors[j];
        if (!isOp(x, 'exp') || m === 0) continue;
        const v = x.args[0];
        // e^{v} with v = −w, or a divisor eʷ (= e^{−w} in the numerator)
        const match = m > 0 ? isNegation(v, w) : v === w;
        if (!match) continue;
        const rest = factors.map((f, n): Factor => {
          if (n === i) return [s, k - 1];
          if (n === j) return [x, m > 0 ? m - 1 : m + 1];
          return f;
        });
        const minusW = m > 0 ? v : isOp(w, 'neg') ? w.args[0] : neg(w);
        const out = mul(sigmoid(minusW), rebuildProduct(rest.filter(([, p]) => p !== 0)));
        return sameShape(out.shape, e.shape) ? out : null;
      }
    }
    return null;
  },
);

/**
 * diag(v) ⊙ c = diag(v ⊙ c) for a column c of v's length (row i of diag(v) is scaled by cᵢ, and its only
 * nonzero is at (i, i)), diag(v) ⊙ r = diag(v ⊙ rᵀ) for a row r, and the same for ⊘ where c ≠ 0; over a
 * whole product, so 2·diag(v) ⊙ a ⊘ b → 2·diag(v ⊙ a ⊘ b). Scalars and other matrices stay outside.
 */
export const scaledDiagonal = rule(
  ['emul', 'ediv'],
  'scaling a diagonal matrix',
  'diag(v) ⊙ c → diag(v ⊙ c), diag(v) ⊙ rᵀ → diag(v ⊙ r), diag(v) ⊘ c → diag(v ⊘ c)',
  (e) => {
    if (!productHas(e, DIAGONAL)) return null;
    const factors = productFactors(e);
    const at = factors?.findIndex(([x, k]) => k === 1 && isOp(x, 'diagm')) ?? -1;
    if (!factors || at < 0) return null;
    const v = (factors[at][0] as OpExpr).args[0];
    const asColumn = (c: Expr): Expr | null =>
      isScalar(c.shape)
        ? null
        : sameShape(c.shape, v.shape)
          ? c
          : sameShape(c.shape, transpose(v).shape)
            ? transpose(c)
            : null;
    const inside: Factor[] = [[v, 1]];
    const outside: Factor[] = [];
    factors.forEach((f, n) => {
      if (n === at) return;
      const c = asColumn(f[0]);
      if (c) inside.push([c, f[1]]);
      else outside.push(f);
    });
    if (inside.length === 1) return null;
    const d = diagm(rebuildProduct(inside));
    const out = outside.length === 0 ? d : mul(rebuildProduct(outside), d);
    return sameShape(out.shape, e.shape) ? out : null;
  },
);

/**
 * N / s for a 1×1 s = Σ eᵘ, with one eᵘ factor in every term of N replaced by softmax(u) = eᵘ / Σ eᵘ;
 * null when some term has none.
 */
function absorbSoftmax(n: Expr, s: OpExpr): Expr | null {
  const expU = s.args[0];
  let budget = 4 * MAX_FACTORS;
  const go = (x: Expr): Expr | null => {
    if (--budget < 0) return null;
    if (x === expU) return apply('softmax', [expU.kind === 'op' ? expU.args[0] : expU], s.attrs);
    if (x.kind !== 'op') return null;
    const [l, r] = x.args;
    switch (x.op) {
      case 'add':
      case 'sub': {
        const gl = go(l);
        const gr = gl && go(r);
        return gl && gr && (x.op === 'add' ? add(gl, gr) : sub(gl, gr));
      }
      // linear in their one argument: a scalar divisor moves inside
      case 'neg':
      case 'transpose':
      case 'diagm':
      case 'diagv':
      case 'vec':
      case 'sum':
      case 'mean':
      case 'trace': {
        const g = go(l);
        return g && apply(x.op, [g], x.attrs);
      }
      case 'emul':
      case 'matmul': {
        const build = x.op === 'emul' ? mul : matmul;
        const gl = go(l);
        if (gl) return build(gl, r);
        const gr = go(r);
        return gr && build(l, gr);
      }
      case 'ediv': {
        const g = go(l);
        return g && div(g, r);
      }
      default:
        return null;
    }
  };
  return go(n);
}

/** [s, k] when `d` is s or sᵏ for an integer k ≥ 1 and a 1×1 s = Σ eᵘ, else null. */
function softmaxDenominator(d: Expr): [OpExpr, number] | null {
  const k = isOp(d, 'epow') ? constValue(d.args[1]) : 1;
  const s = isOp(d, 'epow') ? d.args[0] : d;
  if (k === null || !Number.isInteger(k) || k < 1 || k > 8) return null;
  return isOp(s, 'sum') && isOp(s.args[0], 'exp') && isScalar(s.shape) ? [s, k] : null;
}

/** (diag(eᵘ) − eᵘ (eᵘ)ᵀ/s) / s → diag(softmax(u)) − …: the Hessian and Jacobian of logsumexp and softmax. */
export const softmaxQuotient = rule(
  ['ediv'],
  'softmax in a quotient',
  'N(eᵘ) / (Σ eᵘ)ᵏ → N(softmax(u)) for a scalar Σ eᵘ and k factors eᵘ in every term of N',
  (e) => {
    if (e.op !== 'ediv') return null;
    const [n, d] = e.args;
    const found = softmaxDenominator(d);
    if (!found || n === found[0].args[0]) return null;
    let out: Expr | null = n;
    for (let i = 0; i < found[1] && out; i++) out = absorbSoftmax(out, found[0]);
    return out && sameShape(out.shape, e.shape) ? out : null;
  },
);

/** In the order the engine tries them, ahead of term collection. */
export const SIGMOID_SOFTMAX_RULES = [scaledDiagonal, sigmoidTimesExp, softmaxQuotient];
