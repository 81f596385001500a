// Elementwise algebra as rational polynomials. An expression built from + − ⊙ ⊘ and small integer powers
// over "atoms" (every other node) is flattened into terms c·Π atomᵏ; identical factors cancel
// (x ⊘ x → 1), sums are expanded so that terms can cancel, like terms are collected, σ is recognised
// (eᶻ ⊘ (1 + eᶻ) → σ(z)), and common factors are pulled out again ((P − Y)/n). Broadcasting is
// elementwise too, so all of this holds for any mix of shapes. Kept only when it makes the result smaller.
import { NodeCache, NodeFact } from '../../ir/cache.js';
import type { Expr, OpExpr } from '../../ir/expr.js';
import * as Q from '../../ir/rational.js';
import { isScalar, type Shape, sameShape } from '../../ir/shape.js';
import { add, div, mul, neg, num, pow, sub } from '../../ops/build.js';
import { exactValue, isOp, type Rule, rule } from '../rule.js';
import { alreadyNormal, shortcutForm } from './collect-shortcut.js';
import { exactConst, oneOf, zeroOf } from './constants.js';
import { recogniseSigmoid } from './logistic-terms.js';
import {
  collectLike,
  commonFactor,
  divideTerm,
  intPower,
  isAlgebra,
  MAX_REGION,
  MAX_TERMS,
  mulFactor,
  multiply,
  negate,
  type Term,
} from './terms.js';

const sizes = new NodeFact<number>();

/** Tree size of the algebra region under e (atoms count 1), capped at MAX_REGION + 1; cached per node. */
function regionSize(e: Expr): number {
  if (!isAlgebra(e)) return 1;
  const known = sizes.get(e);
  if (known !== undefined) return known;
  // the arguments' sizes known (the usual case, walking children first): no walk
  let n = 1;
  for (const a of e.args) {
    const k = isAlgebra(a) ? sizes.get(a) : 1;
    if (k === undefined) {
      n = -1;
      break;
    }
    n += k;
  }
  if (n > 0) {
    n = Math.min(n, MAX_REGION + 1);
    sizes.set(e, n);
    return n;
  }
  // children first, without recursion (regions can be deep before the cap is reached)
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1] as OpExpr;
    let waiting = false;
    for (const a of x.args) {
      if (isAlgebra(a) && !sizes.has(a)) {
        stack.push(a);
        waiting = true;
      }
    }
    if (waiting) continue;
    stack.pop();
    let n = 1;
    for (const a of x.args) n += isAlgebra(a) ? sizes.get(a)! : 1;
    sizes.set(x, Math.min(n, MAX_REGION + 1));
  }
  return sizes.get(e)!;
}

class Collector {
  /** First-seen order of atoms, for stable output order. */
  private readonly seen = new Map<number, number>();
  /** Sums that divide somewhere in the region: kept whole in numerators too, so that they can cancel. */
  private readonly divisors = new Set<number>();

  /** `expandSums` false: products keep their sum factors whole (only cancellation and collection). */
  constructor(
    root: Expr,
    private readonly expandSums = true,
  ) {
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (!isAlgebra(x)) continue;
      if (x.op === 'ediv') this.divisors.add(x.args[1].id);
      if (x.op === 'epow' && intPower(x)! < 0) this.divisors.add(x.args[0].id);
      stack.push(...x.args);
    }
  }

  private order(x: Expr): number {
    let k = this.seen.get(x.id);
    if (k === undefined) {
      k = this.seen.size;
      this.seen.set(x.id, k);
    }
    return k;
  }

  private atomTerm(x: Expr, k = 1): Term {
    this.order(x);
    return { coef: Q.ONE, factors: new Map([[x.id, [x, k]]]) };
  }

  /** Flatten a product into one term; identical factors (atoms or whole sums) cancel here. */
  private product(e: Expr): Term {
    const t: Term = { coef: Q.ONE, factors: new Map() };
    const walk = (x: Expr, k: number): void => {
      const c = exactValue(x);
      const ck = c && Q.pow(c, k);
      if (ck) {
        t.coef = Q.mul(t.coef, ck);
        return;
      }
      if (isOp(x, 'emul')) {
        walk(x.args[0], k);
        walk(x.args[1], k);
      } else if (isOp(x, 'ediv')) {
        walk(x.args[0], k);
        walk(x.args[1], -k);
      } else if (isOp(x, 'neg')) {
        if (k % 2 !== 0) t.coef = Q.neg(t.coef);
        walk(x.args[0], k);
      } else if (isOp(x, 'epow') && intPower(x) !== null) {
        walk(x.args[0], k * intPower(x)!);
      } else {
        this.order(x);
        const prev = t.factors.get(x.id);
        const exp = (prev ? prev[1] : 0) + k;
        if (exp === 0) t.factors.delete(x.id);
        else t.factors.set(x.id, [x, exp]);
      }
    };
    walk(e, 1);
    recogniseSigmoid(t, (x) => this.order(x));
    for (const [id, [base]] of t.factors) if (isOp(base, 'ones')) t.factors.delete(id);
    return t;
  }

  toPoly(e: Expr): Term[] {
    const c = exactValue(e);
    if (c !== null) return [{ coef: c, factors: new Map() }];
    if (!isAlgebra(e)) return [this.atomTerm(e)];
    switch (e.op) {
      case 'add':
        return [...this.toPoly(e.args[0]), ...this.toPoly(e.args[1])];
      case 'sub':
        return [...this.toPoly(e.args[0]), ...negate(this.toPoly(e.args[1]))];
      case 'neg':
        return negate(this.toPoly(e.args[0]));
      default:
        return this.expand(this.product(e));
    }
  }

  /** Multiply out the sums among a term's factors (positive powers only), within a size budget. */
  private expand(t: Term): Term[] {
    let result: Term[] = [{ coef: t.coef, factors: new Map() }];
    const kept: [Expr, number][] = [];
    for (const [base, k] of t.factors.values()) {
      if (this.expandSums && k > 0 && isOp(base, 'add', 'sub') && !this.divisors.has(base.id)) {
        const p = this.toPoly(base);
        let r = result;
        for (let i = 0; i < k && r.length <= MAX_TERMS; i++) r = multiply(r, p);
        if (r.length <= MAX_TERMS) {
          result = r;
          continue;
        }
      }
      kept.push([base, k]);
    }
    return result.map((r) => {
      for (const [base, k] of kept) mulFactor(r.factors, base, k);
      return r;
    });
  }

  /** After cancellation, the divisor sums left in numerators are expanded too (within the budget). */
  private expandRemaining(terms: Term[]): Term[] {
    if (!this.expandSums) return terms;
    const out: Term[] = [];
    for (const t of terms) {
      let r: Term[] = [{ coef: t.coef, factors: new Map() }];
      for (const [base, k] of t.factors.values()) {
        const p = k > 0 && k <= 3 && isOp(base, 'add', 'sub') ? this.toPoly(base) : null;
        let next = r;
        if (p) for (let i = 0; i < k; i++) next = multiply(next, p);
        if (p && next.length + out.length <= MAX_TERMS) r = next;
        else {
          for (const x of r) mulFactor(x.factors, base, k);
        }
      }
      out.push(...r);
    }
    return out;
  }

  /** Rebuild an expression from terms, pulling out common factors. */
  fromPoly(terms: Term[], shape: Shape): Expr {
    const live = collectLike(this.expandRemaining(terms));
    if (live.length === 0) return zeroOf(shape);
    if (live.length === 1) return this.termExpr(live[0]);
    const common = commonFactor(live);
    if (!common) return this.sumExpr(live);
    const inner = live.map((t) => divideTerm(t, common));
    return this.termExpr(common, this.sumExpr(inner));
  }

  private sumExpr(terms: Term[]): Expr {
    const score = (t: Term) => {
      let transposes = 0;
      let first = Number.POSITIVE_INFINITY;
      for (const [b] of t.factors.values()) {
        if (isOp(b, 'transpose')) transposes++;
        first = Math.min(first, this.seen.get(b.id) ?? 0);
      }
      return [Q.sign(t.coef) < 0 ? 1 : 0, transposes, first];
    };
    const sorted = terms
      .map((t) => ({ t, s: score(t) }))
      .sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1] || a.s[2] - b.s[2])
      .map((x) => x.t);
    let acc: Expr | null = null;
    for (const t of sorted) {
      const negative = Q.sign(t.coef) < 0;
      const body = this.termExpr({ coef: Q.abs(t.coef), factors: t.factors });
      acc = acc === null ? (negative ? neg(body) : body) : negative ? sub(acc, body) : add(acc, body);
    }
    return acc!;
  }

  /** c · Π numerator factors (· extra) ⊘ Π denominator factors, scalars first. */
  private termExpr(t: Term, extra?: Expr): Expr {
    // Scalars, then plain variables (y ⊙ σ(z), not σ(z) ⊙ y), then functions, then sums; else first seen.
    const rank = (x: Expr) => (isScalar(x.shape) ? 0 : isLeaf(x) ? 1 : isOp(x, 'add', 'sub') ? 3 : 2);
    const ordered = [...t.factors.values()].sort(
      ([a], [b]) => rank(a) - rank(b) || (this.seen.get(a.id) ?? 0) - (this.seen.get(b.id) ?? 0),
    );
    const numer: Expr[] = [];
    const denom: Expr[] = [];
    // 0.5x is written x/2, 1.5x stays 1.5x; a coefficient no float spells exactly is p·x/q (2x/3).
    const c = Q.abs(t.coef);
    if (c.n === 1n && c.d !== 1n) denom.push(exactConst(Q.ratio(c.d)));
    else if (Q.toNumber(c) !== null) {
      if (c.d !== 1n || c.n !== 1n) numer.push(exactConst(c));
    } else {
      if (c.n !== 1n) numer.push(exactConst(Q.ratio(c.n)));
      if (c.d !== 1n) denom.push(exactConst(Q.ratio(c.d)));
    }
    for (const [base, k] of ordered) {
      const p = Math.abs(k) === 1 ? base : pow(base, num(Math.abs(k)));
      (k > 0 ? numer : denom).push(p);
    }
    if (extra) {
      const at = numer.findIndex((x) => !isScalar(x.shape));
      numer.splice(at < 0 ? numer.length : at, 0, extra);
    }
    const top = numer.length === 0 ? num(1) : numer.reduce((a, b) => mul(a, b));
    const body =
      denom.length === 0
        ? top
        : div(
            top,
            denom.reduce((a, b) => mul(a, b)),
          );
    return Q.sign(t.coef) < 0 ? neg(body) : body;
  }
}

function isLeaf(x: Expr): boolean {
  return x.kind === 'var' || (isOp(x, 'transpose') && x.args[0].kind === 'var');
}

const normalForms = new NodeCache<Expr>();

/** The smaller of the collected forms with and without expanding sums (unexpanded on a tie); cached. */
export function normalise(e: Expr): Expr {
  let out = normalForms.get(e);
  if (!out) {
    out = (isAlgebra(e) && shortcutForm(e)) || fullNormalForm(e);
    normalForms.set(e, out);
  }
  return out;
}

/** Some product in e's region has a sum among its factors (else expanding sums changes nothing). */
function hasSumFactor(root: Expr): boolean {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (!isAlgebra(x)) continue;
    if (x.op === 'emul' || x.op === 'ediv' || x.op === 'epow') {
      for (const a of x.op === 'epow' ? [x.args[0]] : x.args) {
        let f = a;
        while (isOp(f, 'neg')) f = f.args[0];
        if (isOp(f, 'add', 'sub')) return true;
      }
    }
    stack.push(...x.args);
  }
  return false;
}

/** normalise without the shortcut (exported for the test that checks the shortcut against it). */
export function fullNormalForm(e: Expr): Expr {
  const forms = (hasSumFactor(e) ? [false, true] : [false]).map((expand) => {
    const c = new Collector(e, expand);
    let out = c.fromPoly(c.toPoly(e), e.shape);
    if (!sameShape(out.shape, e.shape)) out = mul(out, oneOf(e.shape));
    return out;
  });
  return forms.length === 2 && regionSize(forms[1]) < regionSize(forms[0]) ? forms[1] : forms[0];
}

export const collectTerms: Rule = {
  ...rule(
    ['add', 'sub', 'neg', 'emul', 'ediv', 'epow'],
    'collect terms',
    'cancel x ⊘ x, expand and collect like terms, factor out common factors, eᶻ/(1 + eᶻ) → σ(z)',
    (e) => {
      if (!isAlgebra(e) || alreadyNormal(e)) return null;
      const before = regionSize(e);
      if (before > MAX_REGION) return null;
      const out = normalise(e);
      if (out === e || !sameShape(out.shape, e.shape)) return null;
      const after = regionSize(out);
      if (after < before) return out;
      // Same size: accept only a canonical reordering (normalising the result changes nothing).
      return after === before && normalise(out) === out ? out : null;
    },
  ),
  // Inside an algebra region the region's root collects every term at once; collecting at each level
  // first would redo overlapping regions.
  // (Only where the parent's region is within the budget, else nobody above would collect it.)
  inside: (parent) => isAlgebra(parent) && regionSize(parent) <= MAX_REGION,
};
