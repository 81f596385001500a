// Why a claim is not equal to the truth, for the mistakes people make: a transposed shape or value, a
// constant or symbolic factor (2, 1/2, −1, n, 1/n, det(X)), a term missing, extra or of the wrong sign, a
// missing weight, or else a counterexample. Everything is decided numerically at seeded points; the
// scalar-multiple diagnoses are in factors.ts.

import { toText } from '../emit/text.js';
import type { Expr } from '../ir/expr.js';
import { isScalar, type Shape, sameShape, shapeText } from '../ir/shape.js';
import { add, mul, num, transpose } from '../ops/build.js';
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
import { type FactorContext, fmt, ratioDiagnosis, varyingFactorDiagnosis } from './factors.js';
import { distribute, fitMultiple, negate, type Repair, repairs, summands, withNames } from './terms.js';

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

class Diagnoser implements FactorContext {
  readonly sampler: Sampler;
  readonly ref: string;
  private readonly tol: number;

  constructor(
    readonly claim: Expr,
    readonly truth: Expr,
    private readonly opts: DiagnoseOptions,
  ) {
    this.sampler = new Sampler([claim, truth], opts);
    this.ref = opts.reference ?? 'the true value';
    this.tol = opts.tolerance ?? DEFAULTS.tolerance;
  }

  readonly print = (e: Expr): string => toText(withNames(e, this.opts.names ?? new Map()));
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
      ratioDiagnosis(this) ||
      this.term() ||
      this.repaired() ||
      this.pair() ||
      varyingFactorDiagnosis(this);
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

  /** A term as text, simplified, with a negation in front: `-2*X'*y` rather than `-(2*X')*y`. */
  termText(e: Expr): string {
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
}
