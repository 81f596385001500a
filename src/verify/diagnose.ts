// Why a claim is not equal to the truth, for the mistakes people make: a transposed shape or value, a
// constant or symbolic factor (2, 1/2, −1, n, 1/n, det(X)), a term missing, extra or of the wrong sign, a
// missing weight, or else a counterexample. Everything is decided numerically at seeded points.
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar, sameShape, type Shape, shapeText } from '../ir/shape.js';
import type { Matrix } from '../kernels/matrix.js';
import { mul, num, transpose } from '../ops/build.js';
import { toText } from '../emit/text.js';
import { simplify } from '../simplify/engine.js';
import {
  type Counterexample,
  DEFAULTS,
  type EqualOptions,
  equal,
  numericMismatch,
  Sampler,
  scaleOf,
  type Verdict,
} from './equal.js';
import { distribute, niceRational, rationalText, repairs, summands } from './terms.js';

export type DiagnosisKind =
  | 'shape-transposed'
  | 'shape-mismatch'
  | 'transposed'
  | 'factor'
  | 'sign'
  | 'missing-term'
  | 'extra-term'
  | 'counterexample';

export interface Diagnosis {
  readonly kind: DiagnosisKind;
  /** One or two sentences for people. */
  readonly message: string;
  /** 'factor' and 'sign': claim = factor · truth, in the input language (`2`, `1/n`, `-1`, `det(X)`). */
  readonly factor?: string;
  /** 'missing-term', 'extra-term', and 'sign' of one term: that term, in the input language. */
  readonly term?: string;
  /** A repaired claim that equals the truth, when one was found. */
  readonly fix?: string;
  /** The worst differing entry, when the values were compared. */
  readonly counterexample?: Counterexample;
}

export interface DiagnoseOptions extends EqualOptions {
  /** How messages name the truth: "the gradient", "the previous line". */
  readonly reference?: string;
}

/** The verdict, and when the claim is not equal to the truth, the diagnosis. */
export interface Judgement {
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
}

export function judge(claim: Expr, truth: Expr, opts: DiagnoseOptions = {}): Judgement {
  const verdict = equal(claim, truth, opts);
  return verdict.equal ? { verdict } : { verdict, diagnosis: diagnose(claim, truth, opts) };
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const code = (e: Expr | string): string => `\`${typeof e === 'string' ? e : toText(e)}\``;

/** Explain how `claim` differs from `truth` (which it is assumed not to equal). */
export function diagnose(claim: Expr, truth: Expr, opts: DiagnoseOptions = {}): Diagnosis {
  const ref = opts.reference ?? 'the true value';
  const sampler = new Sampler([claim, truth], opts);
  const tol = opts.tolerance ?? DEFAULTS.tolerance;
  const equalAll = (a: Expr, b: Expr) => sameShape(a.shape, b.shape) && numericMismatch(sampler, a, b, tol) === null;
  if (!sameShape(claim.shape, truth.shape)) return shapeDiagnosis(claim, truth, ref, equalAll);

  const ce = numericMismatch(sampler, claim, truth, tol) ?? undefined;
  const square = truth.shape.rows === truth.shape.cols && !isScalar(truth.shape);
  if (square && equalAll(claim, transpose(truth))) {
    const fix = toText(simplify(transpose(claim)));
    return {
      kind: 'transposed',
      message: `the claim is the transpose of ${ref}: ${code(fix)} equals it`,
      fix,
      counterexample: ce,
    };
  }
  const ratio = ratioDiagnosis(claim, truth, sampler, ref);
  if (ratio) return { ...ratio, counterexample: ce };
  const term = termDiagnosis(claim, truth, sampler, ref, tol);
  if (term) return { ...term, counterexample: ce };
  const found = repairs(claim, truth, 'value').find((r) => equalAll(r.expr, truth));
  if (found?.weight) {
    return {
      kind: 'factor',
      message: `${found.cause}: ${code(found.expr)} equals ${ref}`,
      factor: toText(found.weight),
      fix: toText(found.expr),
      counterexample: ce,
    };
  }
  const varying = varyingRatio(claim, truth, sampler);
  if (varying) {
    return {
      kind: 'factor',
      message: `the claim is a scalar multiple of ${ref}, by a factor that changes with the values (${varying}), e.g. a missing normalization`,
      counterexample: ce,
    };
  }
  const at = ce ? counterexampleText(ce, ref) : `the claim differs from ${ref}`;
  const cause = found ? `; likely cause: ${found.cause} (${code(found.expr)} equals ${ref})` : '';
  return { kind: 'counterexample', message: at + cause, fix: found ? toText(found.expr) : undefined, counterexample: ce };
}

export function counterexampleText(ce: Counterexample, ref: string): string {
  const dims = Object.entries(ce.dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `at ${dims || 'the declared sizes'}, entry (${ce.row},${ce.col}) of the claim is ${fmt(ce.claimed)} but ${ref} is ${fmt(ce.expected)}`;
}

function shapeDiagnosis(claim: Expr, truth: Expr, ref: string, equalAll: (a: Expr, b: Expr) => boolean): Diagnosis {
  const sizes = `the claim is ${shapeText(claim.shape)} but ${ref} is ${shapeText(truth.shape)}`;
  const fixes = repairs(claim, truth, 'shape').filter((r) => sameShape(r.expr.shape, truth.shape));
  const found = fixes.find((r) => equalAll(r.expr, truth));
  if (sameShape(transpose(claim).shape, truth.shape)) {
    const flipped = simplify(transpose(claim));
    if (equalAll(flipped, truth)) {
      return {
        kind: 'shape-transposed',
        message: `${sizes}: the claim has the transposed shape of ${ref}, and its transpose ${code(flipped)} equals it`,
        fix: toText(flipped),
      };
    }
    const more = found ? `; likely cause: ${found.cause} (${code(found.expr)} equals ${ref})` : '';
    return {
      kind: 'shape-transposed',
      message: `${sizes}: the claim has the transposed shape of ${ref} (its transpose ${code(flipped)} still differs)${more}`,
      fix: found ? toText(found.expr) : undefined,
    };
  }
  const more = found ? `; likely cause: ${found.cause} (${code(found.expr)} equals ${ref})` : '';
  return { kind: 'shape-mismatch', message: sizes + more, fix: found ? toText(found.expr) : undefined };
}

/** claim/truth at one point when it is the same number at every entry; null when it is not, NaN when truth is 0. */
function pointRatio(c: Matrix, g: Matrix): number | null {
  const scale = scaleOf(c, g);
  let best = -1;
  let r = Number.NaN;
  for (let i = 0; i < g.data.length; i++) {
    const [a, b] = [c.data[i], g.data[i]];
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      return null;
    }
    if (Math.abs(b) > best && Math.abs(b) > 1e-9 * scale) {
      best = Math.abs(b);
      r = a / b;
    }
  }
  for (let i = 0; i < g.data.length; i++) {
    const [a, b] = [c.data[i], g.data[i]];
    if (Number.isNaN(a)) continue;
    const want = Number.isNaN(r) ? 0 : r * b;
    if (Math.abs(a - want) > 1e-7 * scale * Math.max(1, Math.abs(Number.isNaN(r) ? 0 : r))) return null;
  }
  return r;
}

/** The per-point ratios claim/truth when the claim is a scalar multiple of the truth at every point. */
function pointRatios(claim: Expr, truth: Expr, sampler: Sampler): { t: number; r: number }[] | null {
  const cs = sampler.values(claim);
  const gs = sampler.values(truth);
  const out: { t: number; r: number }[] = [];
  for (let t = 0; t < cs.length; t++) {
    const r = pointRatio(cs[t], gs[t]);
    if (r === null) return null;
    if (!Number.isNaN(r)) out.push({ t, r });
  }
  return out.length >= 2 ? out : null;
}

const close = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** Exponent vectors over the symbols with Σ|k| ≤ 2, simplest first (the empty one is a constant). */
function monomials(symbols: readonly string[]): Map<string, number>[] {
  const out: Map<string, number>[] = [new Map()];
  const ks = [1, -1, 2, -2];
  for (const s of symbols) for (const k of ks) out.push(new Map([[s, k]]));
  symbols.forEach((s, i) => {
    for (const u of symbols.slice(i + 1)) for (const a of [1, -1]) for (const b of [1, -1]) out.push(new Map([[s, a], [u, b]]));
  });
  return out.sort((x, y) => weight(x) - weight(y));
}
const weight = (m: Map<string, number>) => [...m.values()].reduce((s, k) => s + Math.abs(k), 0);

function ratioDiagnosis(claim: Expr, truth: Expr, sampler: Sampler, ref: string): Omit<Diagnosis, 'counterexample'> | null {
  const rs = pointRatios(claim, truth, sampler);
  if (!rs) return null;
  const symbols = [...sampler.points[0].dims.keys()];
  for (const m of monomials(symbols)) {
    const qs = rs.map(({ t, r }) => {
      let p = 1;
      for (const [s, k] of m) p *= sampler.points[t].dims.get(s)! ** k;
      return r / p;
    });
    if (!qs.every((q) => close(q, qs[0]))) continue;
    const c = niceRational(qs[0]);
    if (m.size > 0 && !c) continue;
    if (m.size === 0 && close(qs[0], 1)) return null;
    return factorDiagnosis(c ? rationalText(c, m) : fmt(qs[0]), c ? rationalText([c[1], c[0]], negate(m)) : null, ref);
  }
  // A scalar that appears in either side: claim = c · S^±1 · truth.
  const scalars = topoOrder([simplify(truth), simplify(claim)]).filter(
    (n) => isScalar(n.shape) && n.kind !== 'const' && !(n.kind === 'op' && n.op === 'neg'),
  );
  for (const s of scalars) {
    const vs = sampler.values(s);
    for (const k of [1, -1]) {
      const qs = rs.map(({ t, r }) => r / vs[t].data[0] ** k);
      const c = niceRational(qs[0]);
      if (!c || !qs.every((q) => close(q, qs[0]))) continue;
      const sExpr = k === 1 ? s : simplify(num(1)) === s ? s : null;
      const text = k === 1 ? scaledText(c, toText(s)) : `${scaledText(c, '1')}/${toText(s).length > 1 ? `(${toText(s)})` : toText(s)}`;
      const inverse = k === -1 && c[0] === 1 && c[1] === 1 ? toText(s) : null;
      void sExpr;
      return factorDiagnosis(text, inverse, ref);
    }
  }
  return null;
}

function negate(m: Map<string, number>): Map<string, number> {
  return new Map([...m].map(([s, k]) => [s, -k]));
}

function scaledText([p, q]: readonly [number, number], what: string): string {
  const c = q === 1 ? String(p) : `${p}/${q}`;
  if (c === '1') return what;
  if (c === '-1') return `-${what}`;
  return what === '1' ? c : `${c}*${what}`;
}

function factorDiagnosis(factor: string, reciprocal: string | null, ref: string): Omit<Diagnosis, 'counterexample'> {
  if (factor === '-1') {
    return { kind: 'sign', message: `the claim has the wrong sign: it is -1 times ${ref}`, factor };
  }
  const negative = factor.startsWith('-');
  const missing = reciprocal && !reciprocal.startsWith('-') && reciprocal !== '1' && !reciprocal.includes('/');
  const why = negative
    ? ' (and the wrong sign)'
    : missing && /^\d+\/|^1\//.test(factor)
      ? ` (a missing factor ${reciprocal})`
      : !factor.includes('/')
        ? ` (a stray factor ${factor})`
        : '';
  return { kind: 'factor', message: `the claim is ${factor} times ${ref}${why}`, factor };
}

/** The per-point ratios as text, when the claim is a scalar multiple of a non-scalar truth. */
function varyingRatio(claim: Expr, truth: Expr, sampler: Sampler): string | null {
  if (sampler.values(truth).every((g) => g.data.length < 2)) return null;
  const rs = pointRatios(claim, truth, sampler);
  return rs ? rs.map(({ r }) => fmt(r)).join(', ') : null;
}

interface Candidate {
  readonly expr: Expr;
  readonly from: 'truth' | 'claim';
}

function broadcastsTo(s: Shape, to: Shape): boolean {
  return (s.rows === to.rows || s.rows.key === '1') && (s.cols === to.cols || s.cols.key === '1');
}

/** Terms of the truth and of the claim: as written, after simplification, and with products expanded. */
function termPool(claim: Expr, truth: Expr): Candidate[] {
  const seen = new Set<number>();
  const out: Candidate[] = [];
  const push = (es: readonly Expr[], from: Candidate['from']) => {
    for (const e of es) {
      if (!broadcastsTo(e.shape, truth.shape)) continue;
      const key = simplify(e).id;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ expr: e, from });
    }
  };
  for (const [e, from] of [
    [truth, 'truth'],
    [claim, 'claim'],
  ] as const) {
    const s = simplify(e);
    push(summands(e), from);
    push(summands(s), from);
    push(distribute(s) ?? [], from);
  }
  return out;
}

/** The multiple α with truth − claim = α·T at every point (T broadcast), when α is a small rational. */
function fitTerm(sampler: Sampler, claim: Expr, truth: Expr, term: Expr, tol: number): [number, number] | null {
  const cs = sampler.values(claim);
  const gs = sampler.values(truth);
  const ts = sampler.values(term);
  let dot = 0;
  let norm = 0;
  const at = (m: Matrix, i: number, cols: number) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    return m.data[(m.rows === 1 ? 0 : r) * m.cols + (m.cols === 1 ? 0 : c)];
  };
  for (let t = 0; t < cs.length; t++) {
    for (let i = 0; i < gs[t].data.length; i++) {
      const d = gs[t].data[i] - cs[t].data[i];
      const x = at(ts[t], i, gs[t].cols);
      if (!Number.isFinite(d) || !Number.isFinite(x)) return null;
      dot += d * x;
      norm += x * x;
    }
  }
  if (norm < 1e-12) return null;
  const alpha = niceRational(dot / norm);
  if (!alpha || alpha[0] === 0) return null;
  const a = alpha[0] / alpha[1];
  for (let t = 0; t < cs.length; t++) {
    const scale = scaleOf(cs[t], gs[t]);
    for (let i = 0; i < gs[t].data.length; i++) {
      const d = gs[t].data[i] - cs[t].data[i];
      if (Math.abs(d - a * at(ts[t], i, gs[t].cols)) > 1e3 * tol * scale) return null;
    }
  }
  return alpha;
}

function termDiagnosis(
  claim: Expr,
  truth: Expr,
  sampler: Sampler,
  ref: string,
  tol: number,
): Omit<Diagnosis, 'counterexample'> | null {
  const pool = termPool(claim, truth);
  const scaled = (alpha: readonly [number, number], e: Expr) =>
    alpha[0] === alpha[1] ? toText(e) : toText(simplify(mul(num(alpha[0] / alpha[1]), e)));
  for (const { expr, from } of pool) {
    const alpha = fitTerm(sampler, claim, truth, expr, tol);
    if (!alpha) continue;
    const a = alpha[0] / alpha[1];
    if ((from === 'truth' && a === 2) || (from === 'claim' && a === -2)) {
      const term = toText(expr);
      return { kind: 'sign', message: `the term ${code(term)} has the wrong sign in the claim`, term };
    }
    if (a > 0) {
      const term = scaled(alpha, expr);
      return { kind: 'missing-term', message: `the claim is missing the term ${code(term)} of ${ref}`, term };
    }
    const term = scaled([-alpha[0], alpha[1]], expr);
    return { kind: 'extra-term', message: `the claim has an extra term ${code(term)} that ${ref} does not`, term };
  }
  const truthTerms = pool.filter((c) => c.from === 'truth').slice(0, 12);
  for (let i = 0; i < truthTerms.length; i++) {
    for (let j = i + 1; j < truthTerms.length; j++) {
      const [x, y] = [truthTerms[i].expr, truthTerms[j].expr];
      if (!sameShape(x.shape, y.shape)) continue;
      const both = simplify(mul(num(1), x)) === x ? x : x;
      void both;
      const sum = simplifyPair(x, y);
      const alpha = fitTerm(sampler, claim, truth, sum, tol);
      if (alpha && alpha[0] === alpha[1]) {
        const term = toText(sum);
        return { kind: 'missing-term', message: `the claim is missing the terms ${code(term)} of ${ref}`, term };
      }
    }
  }
  return null;
}

function simplifyPair(x: Expr, y: Expr): Expr {
  return simplify(summands(x).length >= 0 ? addExpr(x, y) : x);
}

import { add as addExpr } from '../ops/build.js';
