// A second opinion on a failed finite-difference check, at the very point the check sampled: every entry
// is re-differenced at steps h·10⁻ᵏ. It agrees when some step agrees (a kink within the larger steps); it
// disagrees when two successive steps agree with each other and not with the symbolic value (finite
// differences have converged, to something else); otherwise finite differences cannot tell (a function
// oscillating faster than the smallest step resolves) and the case is inconclusive, never passed.
import { type Expr, freeVars, topoOrder, type VarExpr } from '../../src/ir/expr.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import type { Point } from '../../src/numeric/domains.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { checkPoints, type EntryError } from '../../src/numeric/gradcheck.js';
import { richardson } from '../../src/numeric/refine.js';

export type Verdict = 'agree' | 'disagree' | 'inconclusive';

export interface Confirmation {
  readonly verdict: Verdict;
  /** The entry that decided a disagreement (or the first inconclusive one). */
  readonly detail?: string;
}

const STEPS = [1, 1e-1, 1e-2, 1e-3, 1e-4];

/**
 * One entry: the estimates at each step against the symbolic value. `scale` bounds the magnitude of f's
 * intermediate values, so that rounding noise, about ε·scale/h at step h, is never taken for agreement
 * of two estimates (cancellation makes them land on the same few representable values).
 */
export function judgeEntry(
  f: () => number,
  x: Float64Array,
  i: number,
  symbolic: number,
  tol: number,
  scale: number,
): Verdict {
  const h = 1e-3 * Math.max(1, Math.abs(x[i]));
  const size = (a: number, b: number) => Math.max(1, Math.abs(a), Math.abs(b));
  const steps = STEPS.map((k) => h * k);
  const estimates = steps.map((step) => richardson(f, x, i, step));
  const noise = steps.map((step) => (16 * Number.EPSILON * scale) / step);
  if (estimates.some((d) => Math.abs(d - symbolic) <= tol * size(d, symbolic))) return 'agree';
  for (let k = 0; k + 1 < estimates.length; k++) {
    const [a, b] = [estimates[k], estimates[k + 1]];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const settled = Math.abs(a - b) <= tol * size(a, b);
    const beyondNoise = (d: number, n: number) => Math.abs(d - symbolic) > tol * size(d, symbolic) + n;
    if (settled && beyondNoise(a, noise[k]) && beyondNoise(b, noise[k + 1])) return 'disagree';
  }
  return 'inconclusive';
}

/** The largest magnitude among f's intermediate values at the point (Infinity when one is not finite). */
function intermediateScale(
  f: Expr,
  values: ReadonlyMap<string, Matrix>,
  dims: ReadonlyMap<string, number>,
): number {
  let m = 1;
  for (const v of evaluateMany(topoOrder([f]), values, dims)) {
    for (const x of v.data) m = Math.max(m, Math.abs(x));
  }
  return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m;
}

function combine(entries: Iterable<{ verdict: Verdict; detail: string }>): Confirmation {
  let inconclusive: string | undefined;
  for (const e of entries) {
    if (e.verdict === 'disagree') return { verdict: 'disagree', detail: e.detail };
    if (e.verdict === 'inconclusive' && inconclusive === undefined) inconclusive = e.detail;
  }
  return inconclusive === undefined
    ? { verdict: 'agree' }
    : { verdict: 'inconclusive', detail: inconclusive };
}

const uniqueVars = (vs: readonly VarExpr[]) => [...new Map(vs.map((v) => [v.name, v])).values()];

/** The first point checkGradients samples (trials = 1), drawn by the same sampler from the same seed. */
function firstPoint(
  reference: readonly Expr[],
  vars: readonly VarExpr[],
  dims: ReadonlyMap<string, number>,
  seed: number,
): Point {
  let point: Point | null = null;
  const failure = checkPoints(reference, vars, { dims, seed, trials: 1 }, (p) => {
    point = p;
    return false;
  });
  if (!point) throw new Error(`fuzz harness: checkGradients found no point: ${failure}`);
  return point;
}

export function confirmGradients(
  f: Expr,
  wrt: readonly VarExpr[],
  grads: readonly Expr[],
  dims: ReadonlyMap<string, number>,
  seed: number,
  tol: number,
  worst?: EntryError | null,
): Confirmation {
  const vars = uniqueVars([...freeVars(f), ...wrt, ...grads.flatMap(freeVars)]);
  const point = firstPoint([f, ...grads], vars, dims, seed);
  const symbolic = evaluateMany(grads, point.values, point.dims);
  if (worst) {
    const k = wrt.findIndex((v) => v.name === worst.variable);
    const at = symbolic[k];
    if (!Object.is(at.data[(worst.row - 1) * at.cols + worst.col - 1], worst.symbolic)) {
      throw new Error('fuzz harness: the confirmation point is not the point checkGradients sampled');
    }
  }
  const fOf = () => evaluateMany([f], point.values, point.dims)[0].data[0];
  const scale = intermediateScale(f, point.values, point.dims);
  function* entries() {
    for (const [k, v] of wrt.entries()) {
      const x = point.values.get(v.name) as Matrix;
      for (let i = 0; i < x.data.length; i++) {
        const s = symbolic[k].data[i];
        const verdict = judgeEntry(fOf, x.data, i, s, tol, scale);
        yield {
          verdict,
          detail: `${v.name}[${Math.floor(i / x.cols) + 1},${(i % x.cols) + 1}] symbolic ${s}`,
        };
      }
    }
  }
  return combine(entries());
}

/** The same for a Jacobian ∂vec f/∂vec x (numerator layout, vec stacks columns) at checkJacobian's point. */
export function confirmJacobian(
  f: Expr,
  x: VarExpr,
  jac: Expr,
  dims: ReadonlyMap<string, number>,
  seed: number,
  tol: number,
): Confirmation {
  const vars = uniqueVars([...freeVars(f), x, ...freeVars(jac)]);
  const point = firstPoint([f, jac], vars, dims, seed);
  const [J] = evaluateMany([jac], point.values, point.dims);
  const xv = point.values.get(x.name) as Matrix;
  const [f0] = evaluateMany([f], point.values, point.dims);
  const scale = intermediateScale(f, point.values, point.dims);
  function* entries() {
    for (let c = 0; c < xv.data.length; c++) {
      const xi = (c % xv.rows) * xv.cols + Math.floor(c / xv.rows);
      for (let r = 0; r < f0.data.length; r++) {
        const fi = (r % f0.rows) * f0.cols + Math.floor(r / f0.rows);
        const s = J.data[r * J.cols + c];
        const fOf = () => evaluateMany([f], point.values, point.dims)[0].data[fi];
        yield {
          verdict: judgeEntry(fOf, xv.data, xi, s, tol, scale),
          detail: `J[${r + 1},${c + 1}] symbolic ${s}`,
        };
      }
    }
  }
  return combine(entries());
}
