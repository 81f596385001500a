// Elementwise algebra as rational polynomials. An expression built from + − ⊙ ⊘ and small integer powers
// over "atoms" (every other node) is flattened into terms c·Π atomᵏ; identical factors cancel
// (x ⊘ x → 1), sums are expanded so that terms can cancel, like terms are collected, σ is recognised
// (eᶻ ⊘ (1 + eᶻ) → σ(z)), and common factors are pulled out again ((P − Y)/n). Broadcasting is
// elementwise too, so all of this holds for any mix of shapes. Kept only when it makes the result smaller.
import { NodeCache } from '../../ir/cache.js';
import type { Expr, OpExpr } from '../../ir/expr.js';
import * as Q from '../../ir/rational.js';
import { isScalar, type Shape, sameShape } from '../../ir/shape.js';
import { add, apply, div, mul, neg, num, pow, sub } from '../../ops/build.js';
import { constValue, exactValue, isOp, type Rule, rule } from '../rule.js';
import { exactConst, oneOf, zeroOf } from './constants.js';

interface Term {
  coef: Q.Rational;
  /** atom id → [atom, exponent] */
  factors: Map<number, [Expr, number]>;
}

const MAX_REGION = 300;
const MAX_TERMS = 48;
const MAX_POWER = 6;

function intPower(e: OpExpr): number | null {
  const k = constValue(e.args[1]);
  return k !== null && Number.isInteger(k) && Math.abs(k) <= MAX_POWER ? k : null;
}

function isAlgebra(e: Expr): e is OpExpr {
  if (e.kind !== 'op') return false;
  if (e.op === 'epow') return intPower(e) !== null;
  return e.op === 'add' || e.op === 'sub' || e.op === 'neg' || e.op === 'emul' || e.op === 'ediv';
}

const sizes = new NodeCache<number>();

/** Tree size of the algebra region under e (atoms count 1), capped at MAX_REGION + 1; cached per node. */
function regionSize(e: Expr): number {
  if (!isAlgebra(e)) return 1;
  const known = sizes.get(e);
  if (known !== undefined) return known;
  // children first, without recursion (regions can be deep before the cap is reached)
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1] as OpExpr;
    const pending = x.args.filter((a) => isAlgebra(a) && !sizes.has(a));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
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

function negate(ts: Term[]): Term[] {
  return ts.map((t) => ({ coef: Q.neg(t.coef), factors: t.factors }));
}

function mulFactor(f: Map<number, [Expr, number]>, base: Expr, k: number): void {
  const prev = f.get(base.id);
  const exp = (prev ? prev[1] : 0) + k;
  if (exp === 0) f.delete(base.id);
  else f.set(base.id, [base, exp]);
}

function multiply(a: Term[], b: Term[]): Term[] {
  const out: Term[] = [];
  for (const x of a) {
    for (const y of b) {
      const factors = new Map(x.factors);
      for (const [base, k] of y.factors.values()) mulFactor(factors, base, k);
      out.push({ coef: Q.mul(x.coef, y.coef), factors });
    }
  }
  return out;
}

function termKey(t: Term): string {
  return [...t.factors.entries()]
    .map(([id, [, k]]) => `${id}^${k}`)
    .sort()
    .join('*');
}

function collectLike(terms: Term[]): Term[] {
  const byKey = new Map<string, Term>();
  for (const t of terms) {
    const key = termKey(t);
    const prev = byKey.get(key);
    if (prev) prev.coef = Q.add(prev.coef, t.coef);
    else byKey.set(key, { coef: t.coef, factors: new Map(t.factors) });
  }
  return [...byKey.values()].filter((t) => Q.sign(t.coef) !== 0);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The largest factor common to all terms (coefficient gcd, shared atoms), or null when it is 1. */
function commonFactor(terms: Term[]): Term | null {
  const coefs = terms.map((t) => Q.abs(t.coef));
  let g = coefs.every(Q.isInteger)
    ? Q.ratio(coefs.map((c) => c.n).reduce(gcd))
    : coefs.every((c) => Q.equals(c, coefs[0]))
      ? coefs[0]
      : Q.ONE;
  if (terms.every((t) => Q.sign(t.coef) < 0)) g = Q.neg(g);
  const factors = new Map<number, [Expr, number]>();
  for (const [id, [base, k0]] of terms[0].factors) {
    const ks = terms.map((t) => t.factors.get(id)?.[1] ?? 0);
    if (ks.every((k) => k > 0)) factors.set(id, [base, Math.min(...ks)]);
    else if (ks.every((k) => k < 0)) factors.set(id, [base, Math.max(...ks)]);
    void k0;
  }
  return Q.equals(g, Q.ONE) && factors.size === 0 ? null : { coef: g, factors };
}

function divideTerm(t: Term, by: Term): Term {
  const factors = new Map(t.factors);
  for (const [base, k] of by.factors.values()) mulFactor(factors, base, -k);
  return { coef: Q.div(t.coef, by.coef), factors };
}

/** 1 + eᶻ as [z] when x is that sum (either order), else null. */
function onePlusExp(x: Expr): Expr | null {
  if (!isOp(x, 'add')) return null;
  const [a, b] = x.args;
  if (constValue(a) === 1 && isOp(b, 'exp')) return b.args[0];
  if (constValue(b) === 1 && isOp(a, 'exp')) return a.args[0];
  return null;
}

/** eᶻ ⊘ (1 + eᶻ) → σ(z), 1 ⊘ (1 + eᶻ) → σ(−z), e^Z ⊘ sum(e^Z, d) → softmax(Z, d), inside one term. */
function recogniseSigmoid(t: Term, order: (x: Expr) => void): void {
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

/** An atom of a region that collection writes back as itself: not algebra, a constant, ones or a negation. */
function plainAtom(x: Expr): boolean {
  return !isAlgebra(x) && x.kind !== 'const' && !isOp(x, 'ones') && !isOp(x, 'neg');
}

/** a − b, or a + b with a no more transposed than b, for distinct atoms: collection writes it as it is. */
function normalPair(e: Expr): boolean {
  if (!isOp(e, 'add', 'sub')) return false;
  const [a, b] = e.args;
  if (a === b || !plainAtom(a) || !plainAtom(b)) return false;
  return e.op === 'sub' || !isOp(a, 'transpose') || isOp(b, 'transpose');
}

/** A literal written as itself as a coefficient: not 0, 1 or a unit fraction 1/k (which is written x/k). */
function plainCoefficient(c: Expr): boolean {
  return c.kind === 'const' && Q.fromNumber(c.value).n > 1n;
}

/**
 * Nodes that term collection provably writes back unchanged, decided without building anything: −x and
 * c·x for one atom x and a plain coefficient c, a − b and a + b of distinct atoms (normalPair), and
 * c·(a ± b) of such a pair.
 */
export function alreadyNormal(e: OpExpr): boolean {
  if (e.op === 'neg') return plainAtom(e.args[0]);
  if (e.op === 'add' || e.op === 'sub') return normalPair(e);
  if (e.op !== 'emul') return false;
  const [c, x] = e.args;
  return plainCoefficient(c) && (plainAtom(x) || normalPair(x)) && sameShape(x.shape, e.shape);
}

/**
 * The normal form of e when it is decided without collecting: e itself when alreadyNormal, b + a for a sum
 * a + b of distinct atoms with a transposed and b not (collection writes the less transposed term first).
 */
export function shortcutForm(e: OpExpr): Expr | null {
  if (alreadyNormal(e)) return e;
  if (e.op === 'emul') return scaledAtom(e);
  if (e.op !== 'add') return null;
  const [a, b] = e.args;
  if (a === b || !plainAtom(a) || !plainAtom(b) || !isOp(a, 'transpose') || isOp(b, 'transpose')) return null;
  return add(b, a);
}

/** Most factors scaledAtom looks at (⊙ chains can be thousands long; those take the full collection). */
const MAX_SCALED_FACTORS = 16;

/**
 * The normal form of a ⊙ product of constants, ones and one atom or normal pair x of the product's shape,
 * when the constants multiply to 1 (x) or to a positive c that a literal spells with numerator > 1 (c·x);
 * else null.
 */
function scaledAtom(e: OpExpr): Expr | null {
  let coef = Q.ONE;
  let x: Expr | null = null;
  const stack: Expr[] = [e];
  for (let seen = 0; stack.length > 0; seen++) {
    if (seen > MAX_SCALED_FACTORS) return null;
    const f = stack.pop()!;
    if (isOp(f, 'emul')) {
      stack.push(f.args[1], f.args[0]);
      continue;
    }
    const c = exactValue(f);
    if (c !== null) coef = Q.mul(coef, c);
    else if (isOp(f, 'ones')) continue;
    else if (x === null && (plainAtom(f) || normalPair(f))) x = f;
    else return null;
  }
  if (x === null || !sameShape(x.shape, e.shape) || Q.sign(coef) <= 0) return null;
  if (Q.equals(coef, Q.ONE)) return x;
  return coef.n > 1n && Q.toNumber(coef) !== null ? mul(exactConst(coef), x) : null;
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
