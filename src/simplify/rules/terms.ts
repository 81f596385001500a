// The terms of elementwise algebra: a region of + − ⊙ ⊘ and small integer powers over atoms (every other
// node) is a sum of terms c·Π atomᵏ with exact rational c. Term arithmetic (products, like terms, common
// factors) for collect.ts; which nodes belong to a region (isAlgebra).
import type { Expr, OpExpr } from '../../ir/expr.js';
import * as Q from '../../ir/rational.js';
import { constValue } from '../rule.js';

export interface Term {
  coef: Q.Rational;
  /** atom id → [atom, exponent] */
  factors: Map<number, [Expr, number]>;
}

export const MAX_REGION = 300;
export const MAX_TERMS = 48;
export const MAX_POWER = 6;

export function intPower(e: OpExpr): number | null {
  const k = constValue(e.args[1]);
  return k !== null && Number.isInteger(k) && Math.abs(k) <= MAX_POWER ? k : null;
}

export function isAlgebra(e: Expr): e is OpExpr {
  if (e.kind !== 'op') return false;
  if (e.op === 'epow') return intPower(e) !== null;
  return e.op === 'add' || e.op === 'sub' || e.op === 'neg' || e.op === 'emul' || e.op === 'ediv';
}

export function negate(ts: Term[]): Term[] {
  return ts.map((t) => ({ coef: Q.neg(t.coef), factors: t.factors }));
}

export function mulFactor(f: Map<number, [Expr, number]>, base: Expr, k: number): void {
  const prev = f.get(base.id);
  const exp = (prev ? prev[1] : 0) + k;
  if (exp === 0) f.delete(base.id);
  else f.set(base.id, [base, exp]);
}

export function multiply(a: Term[], b: Term[]): Term[] {
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

export function termKey(t: Term): string {
  return [...t.factors.entries()]
    .map(([id, [, k]]) => `${id}^${k}`)
    .sort()
    .join('*');
}

export function collectLike(terms: Term[]): Term[] {
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
export function commonFactor(terms: Term[]): Term | null {
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

export function divideTerm(t: Term, by: Term): Term {
  const factors = new Map(t.factors);
  for (const [base, k] of by.factors.values()) mulFactor(factors, base, -k);
  return { coef: Q.div(t.coef, by.coef), factors };
}
