// Diagnoses of a claim that is a scalar multiple of the truth: a constant (2, 1/2, −1), a monomial in the
// dims (n, 1/n, n/d, told apart as missing or stray by whether the truth divides by them), a scalar of either
// side or det(X) (adj(A) = det(A)·A⁻¹), or a factor that changes with the values (a lost normalization).
import { expandDerivatives } from '../diff/expand.js';
import { dimSymbols } from '../ir/dim.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar, isSquare } from '../ir/shape.js';
import { apply, div, mul, num } from '../ops/build.js';
import { simplify } from '../simplify/engine.js';
import type { Diagnosis } from './diagnose.js';
import type { Sampler } from './equal.js';
import { monomials, niceRational, pointRatio, rationalText } from './terms.js';

type Partial = Omit<Diagnosis, 'counterexample'>;

/** What these diagnoses read of the diagnoser: both sides, the sample points, and how to print. */
export interface FactorContext {
  readonly claim: Expr;
  readonly truth: Expr;
  readonly sampler: Sampler;
  /** How messages name the truth. */
  readonly ref: string;
  readonly print: (e: Expr) => string;
  /** A term as text, simplified, with any negation in front. */
  termText(e: Expr): string;
}

export const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Does the truth divide by these dims (`/n`), so that a claim n times too big is missing that 1/n? */
function divides(cx: FactorContext, m: ReadonlyMap<string, number>): boolean {
  const sizes = new Set<string>();
  for (const n of topoOrder([simplify(expandDerivatives(cx.truth)), cx.truth])) {
    if (n.kind === 'op' && n.op === 'size' && n.attrs.rows)
      for (const s of dimSymbols(n.attrs.rows)) sizes.add(s);
  }
  return m.size > 0 && [...m.keys()].every((s) => sizes.has(s));
}

/** The per-point ratios claim/truth, when the claim is a scalar multiple of the truth at every point. */
export function ratios(cx: FactorContext): { t: number; r: number }[] | null {
  const cs = cx.sampler.values(cx.claim);
  const gs = cx.sampler.values(cx.truth);
  const out: { t: number; r: number }[] = [];
  for (let t = 0; t < cs.length; t++) {
    const r = pointRatio(cs[t], gs[t]);
    if (r === null) return null;
    if (!Number.isNaN(r)) out.push({ t, r });
  }
  return out.length >= 2 ? out : null;
}

/** claim = c·Π sᵏ·truth for dim symbols s (a factor n, 1/n, n/d) or c·S^±1·truth for a scalar S of either side. */
export function ratioDiagnosis(cx: FactorContext): Partial | null {
  const rs = ratios(cx);
  if (!rs) return null;
  const points = cx.sampler.points;
  for (const m of monomials([...points[0].dims.keys()])) {
    const qs = rs.map(({ t, r }) => {
      let p = 1;
      for (const [s, k] of m) p *= points[t].dims.get(s)! ** k;
      return r / p;
    });
    if (!qs.every((q) => close(q, qs[0]))) continue;
    const c = niceRational(qs[0]);
    if (m.size > 0 && !c) continue;
    if (m.size === 0 && close(qs[0], 1)) return null;
    if (m.size === 0 && qs[0] === 0) {
      const term = cx.termText(simplify(cx.truth));
      return {
        kind: 'missing-term',
        message: `the claim is zero: it is missing all of ${cx.ref}, \`${term}\``,
        term,
      };
    }
    return factorOf(cx, c, m, qs[0]);
  }
  const nodes = topoOrder([simplify(cx.truth), simplify(cx.claim), expandDerivatives(cx.truth)]);
  // det(X) is the classic missing scalar, also where the truth is written with adj(X) or inv(X):
  // adj(A) = det(A)·A⁻¹
  const dets = [
    ...nodes.filter((n) => n.kind === 'var' && isSquare(n.shape) && !isScalar(n.shape)),
    ...nodes.flatMap((n) => (n.kind === 'op' && (n.op === 'adj' || n.op === 'inv') ? [n.args[0]] : [])),
  ].map((a) => apply('det', [a]));
  const scalars = [...new Set([...nodes, ...dets])].filter(
    (n) => isScalar(n.shape) && n.kind !== 'const' && !(n.kind === 'op' && n.op === 'neg'),
  );
  for (const s of scalars) {
    const vs = cx.sampler.values(s);
    for (const k of [1, -1] as const) {
      const qs = rs.map(({ t, r }) => r / vs[t].data[0] ** k);
      const c = niceRational(qs[0]);
      if (!c || !qs.every((q) => close(q, qs[0]))) continue;
      const [p, q] = c;
      const scaled = p === q ? s : mul(num(p), s);
      const factor = cx.print(
        simplify(k === 1 ? div(scaled, num(q)) : div(num(p), q === 1 ? s : mul(num(q), s))),
      );
      const unit = p === 1 && q === 1;
      const hint = unit ? ` (a ${k === 1 ? 'stray' : 'missing'} factor ${cx.print(s)})` : '';
      return { kind: 'factor', message: `the claim is ${factor} times ${cx.ref}${hint}`, factor };
    }
  }
  return null;
}

function factorOf(
  cx: FactorContext,
  c: readonly [number, number] | null,
  m: ReadonlyMap<string, number>,
  value: number,
): Partial {
  const { ref } = cx;
  if (!c) return { kind: 'factor', message: `the claim is ${fmt(value)} times ${ref}`, factor: fmt(value) };
  const factor = rationalText(c, m);
  if (factor === '-1')
    return { kind: 'sign', message: `the claim has the wrong sign: it is -1 times ${ref}`, factor };
  const [p, q] = c;
  const exps = [...m.values()];
  const inverse = new Map([...m].map(([s, k]) => [s, -k]));
  const why =
    p < 0
      ? ' (and the wrong sign)'
      : p === 1 && exps.every((k) => k <= 0)
        ? ` (a missing factor ${rationalText([q, 1], inverse)})`
        : q === 1 && exps.every((k) => k >= 0)
          ? divides(cx, m)
            ? ` (a missing factor ${rationalText([1, p], inverse)})`
            : ` (a stray factor ${factor})`
          : '';
  return { kind: 'factor', message: `the claim is ${factor} times ${ref}${why}`, factor };
}

/** A scalar multiple of a non-scalar truth whose ratio changes with the values: e.g. a missing normalization. */
export function varyingFactorDiagnosis(cx: FactorContext): Partial | null {
  if (cx.sampler.values(cx.truth).every((g) => g.data.length < 2)) return null;
  const rs = ratios(cx);
  if (!rs) return null;
  const values = rs.map(({ r }) => fmt(r)).join(', ');
  return {
    kind: 'factor',
    message: `the claim is a scalar multiple of ${cx.ref}, by a factor that changes with the values (${values}), e.g. a missing normalization`,
  };
}
