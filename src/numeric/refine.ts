// Judging one derivative against finite differences along a line t ↦ f(x + t·v): Richardson-extrapolated
// central differences at shrinking steps, errors relative to the magnitudes with a floor at the rounding
// noise of the estimate (about ε·|f|/h), and three outcomes: agree, disagree (two successive steps settle
// on another value) or unsettled (they never settle: finite differences cannot tell here).

/** Central difference at step h, Richardson-extrapolated with h/2: (4 D(h/2) − D(h)) / 3. */
export function richardson(f: () => number, x: Float64Array, i: number, h: number): number {
  return estimateAt(entryLine(f, x, i)[0], h).value;
}

/** Steps tried, as fractions of the first step: a kink within a step, or fast curvature, needs smaller ones. */
export const REFINE_STEPS: readonly number[] = [1, 1e-1, 1e-2, 1e-3];

/** Rounding error of one evaluation of f, in units of ε·|f|: a few roundings, each amplified a little. */
const NOISE_ULPS = 16;
/** The absolute floor of the error scale: far below any gradient a double can show. */
const ABS_FLOOR = 1e-300;

interface Estimate {
  readonly value: number;
  /** Bound on the rounding noise of the estimate: 3·δ/h for δ the noise of f (the Richardson weights). */
  readonly noise: number;
  readonly step: number;
}

function estimateAt(line: (t: number) => number, h: number): Estimate {
  let fmag = 0;
  const at = (t: number) => {
    const v = line(t);
    fmag = Math.max(fmag, Math.abs(v));
    return v;
  };
  const central = (s: number) => (at(s) - at(-s)) / (2 * s);
  const value = (4 * central(h / 2) - central(h)) / 3;
  return { value, noise: (3 * NOISE_ULPS * Number.EPSILON * fmag) / h, step: h };
}

/**
 * |a − b| relative to max(|a|, |b|, noise/tol): the relative error, except where both are within the noise
 * of finite differences, which cannot resolve them better. NaN and ±Infinity agree with nothing.
 */
export function relativeError(a: number, b: number, noise: number, tol: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(noise)) return Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), noise / tol, ABS_FLOOR);
}

export type EntryVerdict =
  /** Agrees, and the entry is above the noise: a real check. */
  | 'agree'
  /** Agrees only because both are within the finite-difference noise: not a check of this entry. */
  | 'noise'
  | 'disagree'
  | 'unsettled';

export interface Judgement {
  readonly verdict: EntryVerdict;
  /** The finite-difference estimate that decided (the agreeing or settled one, else the first). */
  readonly numeric: number;
  readonly relError: number;
  /** Every estimate taken, for messages. */
  readonly estimates: readonly { readonly value: number; readonly step: number }[];
}

/**
 * The derivative of `line` at 0 against `symbolic`, at steps h0·REFINE_STEPS. A smaller step that agrees
 * settles it (a kink of abs/relu within the larger steps). A wrong derivative agrees at no step; it is
 * told from a function finite differences cannot follow by two successive estimates agreeing with each
 * other but not with it.
 */
export function judge(line: (t: number) => number, h0: number, symbolic: number, tol: number): Judgement {
  const ests: Estimate[] = [];
  for (const k of REFINE_STEPS) {
    const e = estimateAt(line, h0 * k);
    ests.push(e);
    const err = relativeError(e.value, symbolic, e.noise, tol);
    if (err <= tol) {
      // Exactly equal (f did not move, the derivative is 0) is a check; agreement within the noise is not.
      const aboveNoise =
        e.value === symbolic || Math.max(Math.abs(e.value), Math.abs(symbolic)) * tol > e.noise;
      return {
        verdict: aboveNoise ? 'agree' : 'noise',
        numeric: e.value,
        relError: err,
        estimates: ests,
      };
    }
  }
  const errs = ests.map((e) => relativeError(e.value, symbolic, e.noise, tol));
  for (let k = 0; k + 1 < ests.length; k++) {
    const [a, b] = [ests[k], ests[k + 1]];
    if (relativeError(a.value, b.value, Math.max(a.noise, b.noise), tol) <= tol) {
      return { verdict: 'disagree', numeric: b.value, relError: errs[k + 1], estimates: ests };
    }
  }
  return { verdict: 'unsettled', numeric: ests[0].value, relError: Math.min(...errs), estimates: ests };
}

/** The entry i of x as a line t ↦ f(x + t·e_i), and its first step 1e-3·max(1, |x_i|). */
export function entryLine(f: () => number, x: Float64Array, i: number): [(t: number) => number, number] {
  const old = x[i];
  const line = (t: number) => {
    x[i] = old + t;
    const v = f();
    x[i] = old;
    return v;
  };
  return [line, 1e-3 * Math.max(1, Math.abs(old))];
}
