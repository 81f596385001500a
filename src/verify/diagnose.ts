// Why a claim is not equal to the truth, for the mistakes people make: a transposed shape or value, a
// constant or symbolic factor (2, 1/2, −1, n, 1/n, det(X)), a term missing, extra or of the wrong sign, a
// missing weight, or else a counterexample. Everything is decided numerically at seeded points.

import { expandDerivatives } from '../diff/expand.js';
import { toText } from '../emit/text.js';
import { dimSymbols } from '../ir/dim.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar, isSquare, type Shape, sameShape, shapeText } from '../ir/shape.js';
import { add, apply, div, mul, num, transpose } from '../ops/build.js';
import { simplify } from '../simplify/engine.js';
import { broadcastDiagnosis, onlyIf } from './assumptions.js';
import {
  type Counterexample,
  DEFAULTS,
  type EqualOptions,
  equal,
  numericMismatch,
  Sampler,
  type Verdict,
} from './equal.js';
import {
  distribute,
  fitMultiple,
  monomials,
  negate,
  niceRational,
  pointRatio,
  type Repair,
  rationalText,
  repairs,
  summands,
  withNames,
} from './terms.js';

export type DiagnosisKind =
  | 'shape-transposed'
  | 'shape-mismatch'
  | 'shape-conflict'
  | 'needs-symmetric'
  | 'needs-onehot'
  | 'wrong-axis'
  | 'broadcast'
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
  /** 'factor' and 'sign': claim = factor · truth (`2`, `1/n`, `-1`, `det(X)`), or the factor missing from a subterm. */
  readonly factor?: string;
  /** 'missing-term', 'extra-term', and 'sign' of one term: that term. */
  readonly term?: string;
  /** A repaired claim that equals the truth, when one was found. */
  readonly fix?: string;
  /** The worst differing entry, when the values could be compared. */
  readonly counterexample?: Counterexample;
}

export interface DiagnoseOptions extends EqualOptions {
  /** How messages name the truth: "the gradient", "the previous line". */
  readonly reference?: string;
  /** Named definitions, printed by name in messages (`p` rather than `softmax(t)`). */
  readonly names?: ReadonlyMap<string, Expr>;
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

/** Explain how `claim` differs from `truth` (which it is assumed not to equal). */
export function diagnose(claim: Expr, truth: Expr, opts: DiagnoseOptions = {}): Diagnosis {
  return new Diagnoser(claim, truth, opts).run();
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

export function counterexampleText(ce: Counterexample, ref: string): string {
  const dims = Object.entries(ce.dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `at ${dims || 'the declared sizes'}, entry (${ce.row},${ce.col}) of the claim is ${fmt(ce.claimed)} but ${ref} is ${fmt(ce.expected)}`;
}

type Partial = Omit<Diagnosis, 'counterexample'>;

interface Candidate {
  readonly expr: Expr;
  readonly from: 'truth' | 'claim';
}

const broadcastsTo = (s: Shape, to: Shape): boolean =>
  (s.rows === to.rows || s.rows.key === '1') && (s.cols === to.cols || s.cols.key === '1');

class Diagnoser {
  private readonly sampler: Sampler;
  private readonly ref: string;
  private readonly tol: number;

  constructor(
    private readonly claim: Expr,
    private readonly truth: Expr,
    private readonly opts: DiagnoseOptions,
  ) {
    this.sampler = new Sampler([claim, truth], opts);
    this.ref = opts.reference ?? 'the true value';
    this.tol = opts.tolerance ?? DEFAULTS.tolerance;
  }

  private readonly print = (e: Expr): string => toText(withNames(e, this.opts.names ?? new Map()));
  private readonly code = (e: Expr): string => `\`${this.print(e)}\``;

  private equalAll(a: Expr, b: Expr): boolean {
    return sameShape(a.shape, b.shape) && numericMismatch(this.sampler, a, b, this.tol) === null;
  }

  private repairsCache: Repair[] | null = null;
  /** One-edit variants of the claim (computed once). */
  private valueRepairs(): Repair[] {
    this.repairsCache ??= repairs(this.claim, this.truth, 'value', this.print);
    return this.repairsCache;
  }

  private equalsTruth(r: Repair): string {
    return `${this.code(r.expr)} equals ${this.ref}`;
  }

  run(): Diagnosis {
    const { claim, truth, ref } = this;
    const spread = this.broadcast();
    if (spread) return spread;
    if (!sameShape(claim.shape, truth.shape)) return this.shape();
    const ce = numericMismatch(this.sampler, claim, truth, this.tol) ?? undefined;
    const failure = this.sampler.failure;
    if (failure)
      return { kind: 'counterexample', message: `cannot decide numerically: ${failure}`, counterexample: ce };
    const square = truth.shape.rows === truth.shape.cols && !isScalar(truth.shape);
    const found =
      this.axis() ||
      (square && this.transposed()) ||
      this.qualified() ||
      this.ratio() ||
      this.term() ||
      this.repaired() ||
      this.pair() ||
      this.varyingFactor();
    if (found) return { ...found, counterexample: ce };
    const repair = this.valueRepairs().find((r) => !r.weight && this.equalAll(r.expr, truth));
    const at = ce ? counterexampleText(ce, ref) : `the claim differs from ${ref}`;
    const cause = repair ? `; likely cause: ${repair.cause} (${this.equalsTruth(repair)})` : '';
    return {
      kind: 'counterexample',
      message: at + cause,
      fix: repair && this.print(repair.expr),
      counterexample: ce,
    };
  }

  private qualified(): Partial | null {
    return onlyIf(this.claim, this.truth, this.opts, this.ref, this.print);
  }

  /** A sum or mean over the wrong axis: `sum(S, 2)` where `sum(S, 1)'` is meant. */
  private axis(): Partial | null {
    for (const r of repairs(this.claim, this.truth, 'shape', this.print)) {
      if (!r.cause.startsWith('summing over the wrong axis') || !this.equalAll(r.expr, this.truth)) continue;
      return { kind: 'wrong-axis', message: `${r.cause} (${this.equalsTruth(r)})`, fix: this.print(r.expr) };
    }
    return null;
  }

  private broadcast(): Diagnosis | null {
    const fits = () =>
      repairs(this.claim, this.truth, 'shape', this.print).find((r) => this.equalAll(r.expr, this.truth));
    return broadcastDiagnosis(this.claim, this.truth, this.print, fits, (r) => this.equalsTruth(r));
  }

  private shape(): Diagnosis {
    const { claim, truth, ref } = this;
    const sizes = `the claim is ${shapeText(claim.shape)} but ${ref} is ${shapeText(truth.shape)}`;
    const axis = this.axis();
    if (axis) return { ...axis, message: `${sizes}: ${axis.message}` };
    const found = repairs(claim, truth, 'shape', this.print).find((r) => this.equalAll(r.expr, truth));
    const more = found ? `; likely cause: ${found.cause} (${this.equalsTruth(found)})` : '';
    const fix = found && this.print(found.expr);
    if (!sameShape(transpose(claim).shape, truth.shape))
      return { kind: 'shape-mismatch', message: sizes + more, fix };
    const flipped = simplify(transpose(claim));
    const transposedShape = `${sizes}: the claim has the transposed shape of ${ref}`;
    if (this.equalAll(flipped, truth)) {
      return {
        kind: 'shape-transposed',
        message: `${transposedShape}, and its transpose ${this.code(flipped)} equals it`,
        fix: this.print(flipped),
      };
    }
    return {
      kind: 'shape-transposed',
      message: `${transposedShape} (its transpose ${this.code(flipped)} still differs)${more}`,
      fix,
    };
  }

  /** Does the truth divide by these dims (`/n`), so that a claim n times too big is missing that 1/n? */
  private divides(m: ReadonlyMap<string, number>): boolean {
    const sizes = new Set<string>();
    for (const n of topoOrder([simplify(expandDerivatives(this.truth)), this.truth])) {
      if (n.kind === 'op' && n.op === 'size' && n.attrs.rows)
        for (const s of dimSymbols(n.attrs.rows)) sizes.add(s);
    }
    return m.size > 0 && [...m.keys()].every((s) => sizes.has(s));
  }

  /** claim = truthᵀ for a square truth. */
  private transposed(): Partial | null {
    if (!this.equalAll(this.claim, transpose(this.truth))) return null;
    const fix = simplify(transpose(this.claim));
    return {
      kind: 'transposed',
      message: `the claim is the transpose of ${this.ref}: ${this.code(fix)} equals it`,
      fix: this.print(fix),
    };
  }

  /** The per-point ratios claim/truth, when the claim is a scalar multiple of the truth at every point. */
  private ratios(): { t: number; r: number }[] | null {
    const cs = this.sampler.values(this.claim);
    const gs = this.sampler.values(this.truth);
    const out: { t: number; r: number }[] = [];
    for (let t = 0; t < cs.length; t++) {
      const r = pointRatio(cs[t], gs[t]);
      if (r === null) return null;
      if (!Number.isNaN(r)) out.push({ t, r });
    }
    return out.length >= 2 ? out : null;
  }

  /** claim = c·Π sᵏ·truth for dim symbols s (a factor n, 1/n, n/d) or c·S^±1·truth for a scalar S of either side. */
  private ratio(): Partial | null {
    const rs = this.ratios();
    if (!rs) return null;
    const points = this.sampler.points;
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
        const term = this.termText(simplify(this.truth));
        return {
          kind: 'missing-term',
          message: `the claim is zero: it is missing all of ${this.ref}, \`${term}\``,
          term,
        };
      }
      return this.factor(c, m, qs[0]);
    }
    const nodes = topoOrder([simplify(this.truth), simplify(this.claim), expandDerivatives(this.truth)]);
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
      const vs = this.sampler.values(s);
      for (const k of [1, -1] as const) {
        const qs = rs.map(({ t, r }) => r / vs[t].data[0] ** k);
        const c = niceRational(qs[0]);
        if (!c || !qs.every((q) => close(q, qs[0]))) continue;
        const [p, q] = c;
        const scaled = p === q ? s : mul(num(p), s);
        const factor = this.print(
          simplify(k === 1 ? div(scaled, num(q)) : div(num(p), q === 1 ? s : mul(num(q), s))),
        );
        const unit = p === 1 && q === 1;
        const hint = unit ? ` (a ${k === 1 ? 'stray' : 'missing'} factor ${this.print(s)})` : '';
        return { kind: 'factor', message: `the claim is ${factor} times ${this.ref}${hint}`, factor };
      }
    }
    return null;
  }

  private factor(
    c: readonly [number, number] | null,
    m: ReadonlyMap<string, number>,
    value: number,
  ): Partial {
    const { ref } = this;
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
            ? this.divides(m)
              ? ` (a missing factor ${rationalText([1, p], inverse)})`
              : ` (a stray factor ${factor})`
            : '';
    return { kind: 'factor', message: `the claim is ${factor} times ${ref}${why}`, factor };
  }

  /** A term as text, simplified, with a negation in front: `-2*X'*y` rather than `-(2*X')*y`. */
  private termText(e: Expr): string {
    const text = this.print(simplify(e));
    const flipped = simplify(negate(e));
    const other = this.print(flipped);
    if (!text.startsWith('-') || other.startsWith('-')) return text;
    return flipped.kind === 'op' && (flipped.op === 'add' || flipped.op === 'sub')
      ? `-(${other})`
      : `-${other}`;
  }

  /** Terms of the truth and of the claim: as written, after simplification, and with products expanded. */
  private termPool(): Candidate[] {
    const seen = new Set<number>();
    const out: Candidate[] = [];
    const push = (es: readonly Expr[], from: Candidate['from']) => {
      for (const e of es) {
        if (!broadcastsTo(e.shape, this.truth.shape)) continue;
        const key = simplify(e).id;
        if (!seen.has(key)) out.push({ expr: e, from });
        seen.add(key);
      }
    };
    for (const [e, from] of [
      [this.truth, 'truth'],
      [this.claim, 'claim'],
    ] as const) {
      const s = simplify(e);
      push(summands(e), from);
      push(summands(s), from);
      push(distribute(s) ?? [], from);
    }
    return out;
  }

  /** The multiple α with truth − claim = α·T at every point (T broadcast), when α is a small rational. */
  private fitTerm(term: Expr): [number, number] | null {
    const s = this.sampler;
    return fitMultiple(s.values(this.claim), s.values(this.truth), s.values(term), 1e3 * this.tol);
  }

  /** truth − claim = α·T for one term T of either side: a term missing, extra, or of the wrong sign. */
  private term(): Partial | null {
    const { ref } = this;
    for (const { expr, from } of this.termPool()) {
      const alpha = this.fitTerm(expr);
      if (!alpha) continue;
      const [p, q] = alpha;
      if ((from === 'truth' && p === 2 * q) || (from === 'claim' && p === -2 * q)) {
        const term = this.termText(expr);
        return { kind: 'sign', message: `the term \`${term}\` has the wrong sign in the claim`, term };
      }
      const term = this.termText(p === q ? expr : mul(num(Math.abs(p) / q), expr));
      if (p > 0)
        return { kind: 'missing-term', message: `the claim is missing the term \`${term}\` of ${ref}`, term };
      return {
        kind: 'extra-term',
        message: `the claim has an extra term \`${term}\` that ${ref} does not have`,
        term,
      };
    }
    return null;
  }

  /** truth − claim = T₁ + T₂ for two terms of the truth. */
  private pair(): Partial | null {
    const terms = this.termPool()
      .filter((c) => c.from === 'truth')
      .slice(0, 12);
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const [x, y] = [terms[i].expr, terms[j].expr];
        if (!sameShape(x.shape, y.shape)) continue;
        const both = simplify(add(x, y));
        const alpha = this.fitTerm(both);
        if (alpha && alpha[0] === alpha[1]) {
          const term = this.termText(both);
          return {
            kind: 'missing-term',
            message: `the claim is missing the terms \`${term}\` of ${this.ref}`,
            term,
          };
        }
      }
    }
    return null;
  }

  /** One factor from either side inserted at (or divided out of) one subterm makes the claim right. */
  private repaired(): Partial | null {
    const found = this.valueRepairs().find((r) => r.weight && this.equalAll(r.expr, this.truth));
    if (!found?.weight) return null;
    return {
      kind: 'factor',
      message: `${found.cause}: ${this.equalsTruth(found)}`,
      factor: this.print(found.weight),
      fix: this.print(found.expr),
    };
  }

  /** A scalar multiple of a non-scalar truth whose ratio changes with the values: e.g. a missing normalization. */
  private varyingFactor(): Partial | null {
    if (this.sampler.values(this.truth).every((g) => g.data.length < 2)) return null;
    const rs = this.ratios();
    if (!rs) return null;
    const values = rs.map(({ r }) => fmt(r)).join(', ');
    return {
      kind: 'factor',
      message: `the claim is a scalar multiple of ${this.ref}, by a factor that changes with the values (${values}), e.g. a missing normalization`,
    };
  }
}
