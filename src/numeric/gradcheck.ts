// Numeric checks of derivatives at points of the domain-aware sampler: every entry against Richardson-
// extrapolated central differences, and a random projection ⟨u, J v⟩ as in JAX's check_grads. Verdicts are
// pass, fail, or "cannot check" (no point in the domain, finite differences never settle, or their noise
// swamps every entry): never a pass without at least one entry actually checked.

import { ShapeError, ValueError } from '../ir/errors.js';
import { type Expr, freeVars, type VarExpr } from '../ir/expr.js';
import { sameShape, shapeText } from '../ir/shape.js';
import { SingularMatrixError } from '../kernels/linalg.js';
import type { Matrix } from '../kernels/matrix.js';
import { type Point, samplePoint } from './domains.js';
import { evaluateMany } from './evaluate.js';
import { assertEvaluable } from './limits.js';
import { randomDims, seededRandom } from './random.js';
import { entryLine, type Judgement, judge } from './refine.js';

export type CheckVerdict = 'pass' | 'fail' | 'cannot check';

import { dimsUsed } from './values.js';

export interface EntryError {
  readonly variable: string;
  /** 1-based row and column of the worst entry. */
  readonly row: number;
  readonly col: number;
  readonly symbolic: number;
  readonly numeric: number;
  readonly relError: number;
  readonly dims: Readonly<Record<string, number>>;
}

export interface CheckResult {
  /** verdict === 'pass'. */
  readonly ok: boolean;
  readonly verdict: CheckVerdict;
  /** Why the check cannot be made numerically here (null unless the verdict is 'cannot check'). */
  readonly reason: string | null;
  /** Worst relative error per variable over all trials. */
  readonly perVariable: readonly {
    readonly variable: string;
    readonly shape: string;
    readonly relError: number;
    readonly verdict: CheckVerdict;
  }[];
  /** The entry that decided a failure (else the worst entry). */
  readonly worst: EntryError | null;
  readonly trials: number;
  /** Worst relative error of the random-projection check ⟨G, V⟩ vs the directional derivative along V. */
  readonly projectionError: number;
}

export interface CheckOptions {
  /** Random instantiations of dims and values, at least 1. */
  readonly trials?: number;
  readonly seed?: number;
  readonly tolerance?: number;
  /** Dims to hold fixed instead of sampling (each at least 1). */
  readonly dims?: ReadonlyMap<string, number>;
  /** Variables with more entries than this are checked by random projections only (default 2,000). */
  readonly maxEntrywise?: number;
  /** Prints an expression in "cannot check" reasons (the CLI passes toText). */
  readonly show?: (e: Expr) => string;
  /** Claimed gradients to check, one per variable, instead of the engine's (check() in the API). */
  readonly claimed?: readonly Expr[];
}

/** Every dim symbol the expressions mention: in any node's shape or size (eye(p) inside a product too). */
export function symbolsOf(exprs: readonly Expr[]): string[] {
  return dimsUsed(exprs);
}

/** ∂f/∂x_i by central differences, Richardson-extrapolated: (4 D(h/2) − D(h)) / 3, error O(h⁴). */
export function finiteDifference(f: () => number, x: Float64Array, i: number): number {
  const [line, h] = entryLine(f, x, i);
  const central = (s: number) => (line(s) - line(-s)) / (2 * s);
  return (4 * central(h / 2) - central(h)) / 3;
}

function settings(opts: CheckOptions) {
  const trials = opts.trials ?? 2;
  if (!Number.isInteger(trials) || trials < 1)
    throw new ValueError(`a numeric check needs at least 1 trial, got ${trials}`);
  for (const [k, v] of opts.dims ?? []) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`dim ${k} = ${v}: a numeric check needs every size to be at least 1`);
  }
  return { trials, tol: opts.tolerance ?? 1e-5, rand: seededRandom(opts.seed ?? 20260101) };
}

/** f near the point: NaN where a step reaches a singular matrix (finite differences then cannot settle). */
function valueOrNaN(f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof SingularMatrixError) return Number.NaN;
    throw e;
  }
}

const uniqueVars = (vs: readonly VarExpr[]) => [...new Map(vs.map((v) => [v.name, v])).values()];

/**
 * The points a check samples, one per trial, from the same seeded stream (so a harness can re-draw them):
 * each in the domain of `reference`, or the sampler's reason why none is.
 */
export function checkPoints(
  reference: readonly Expr[],
  vars: readonly VarExpr[],
  opts: CheckOptions,
  onPoint: (point: Point, rand: () => number) => boolean,
): string | null {
  const { trials, rand } = settings(opts);
  const symbols = symbolsOf([...reference, ...vars]);
  for (let t = 0; t < trials; t++) {
    const s = samplePoint({
      vars,
      reference,
      dims: () => {
        const dims = randomDims(symbols, rand, opts.dims);
        assertEvaluable(reference, dims);
        return dims;
      },
      rand,
      show: opts.show,
    });
    if (!s.ok) return s.reason;
    if (!onPoint(s.point, rand)) return null;
  }
  return null;
}

/** Tallies of the entry judgements of one variable. */
class Tally {
  relError = 0;
  checked = 0;
  worst: { j: Judgement; e: EntryError } | null = null;
  decisive: { j: Judgement; e: EntryError } | null = null;
  unsettled: { j: Judgement; e: EntryError } | null = null;

  add(j: Judgement, e: EntryError): void {
    this.relError = Math.max(this.relError, j.relError);
    if (j.verdict === 'agree') this.checked++;
    if (!this.worst || j.relError > this.worst.j.relError) this.worst = { j, e };
    if (j.verdict === 'disagree' && (!this.decisive || j.relError > this.decisive.j.relError))
      this.decisive = { j, e };
    if (j.verdict === 'unsettled' && !this.unsettled) this.unsettled = { j, e };
  }
}

function steps(j: Judgement): string {
  return j.estimates.map((s) => `${s.value.toPrecision(3)} at step ${s.step.toExponential(0)}`).join(', ');
}

interface Tallied {
  readonly name: string;
  readonly tally: Tally;
  /** Covered by the projection only (too many entries for entrywise differences). */
  readonly projectionOnly: boolean;
}

const verdictOf = (t: Tally, covered: boolean): CheckVerdict =>
  t.decisive ? 'fail' : t.unsettled || (t.checked === 0 && !covered) ? 'cannot check' : 'pass';

/** The overall verdict: fail > cannot check > pass; a pass needs every variable actually checked. */
function conclude(
  vars: readonly Tallied[],
  projection: Tally | null,
  sampleFailure: string | null,
  trials: number,
  shapes: ReadonlyMap<string, string>,
): CheckResult {
  const worstOf = (ts: readonly Tally[]) =>
    ts.reduce<Tally['worst']>(
      (w, t) => (t.worst && (!w || t.worst.j.relError > w.j.relError) ? t.worst : w),
      null,
    )?.e ?? null;
  const tallies = vars.map((v) => v.tally);
  const projectionChecked = projection !== null && projection.checked > 0;
  const perVariable = vars.map((v) => ({
    variable: v.name,
    shape: shapes.get(v.name)!,
    relError: sampleFailure ? Number.NaN : v.tally.relError,
    verdict: sampleFailure
      ? ('cannot check' as const)
      : verdictOf(v.tally, v.projectionOnly && projectionChecked),
  }));
  const base = {
    perVariable,
    trials,
    projectionError: sampleFailure ? Number.NaN : (projection?.relError ?? 0),
  };
  if (sampleFailure)
    return { ok: false, verdict: 'cannot check', reason: sampleFailure, worst: null, ...base };
  const fail = tallies.find((t) => t.decisive);
  if (fail || projection?.decisive) {
    return {
      ok: false,
      verdict: 'fail',
      reason: null,
      worst: fail?.decisive?.e ?? worstOf(tallies),
      ...base,
    };
  }
  let reason: string | null = null;
  const u = tallies.find((t) => t.unsettled);
  if (u) {
    const { j, e } = u.unsettled!;
    reason =
      `finite differences do not settle at ${e.variable}[${e.row},${e.col}] (${steps(j)}; symbolic ` +
      `${e.symbolic.toPrecision(6)}): the function changes faster than the smallest step resolves, or is not ` +
      'finite around the point';
  } else if (projection?.unsettled) {
    reason = `finite differences along a random direction do not settle (${steps(projection.unsettled.j)})`;
  } else {
    const blind = perVariable.find((p) => p.verdict === 'cannot check');
    if (blind) {
      reason =
        `every entry of ∂f/∂${blind.variable} is within the rounding noise of finite differences at the sampled ` +
        'points (f is large relative to its change, or the gradient is 0 up to rounding), so none is confirmed';
    }
  }
  if (reason) return { ok: false, verdict: 'cannot check', reason, worst: worstOf(tallies), ...base };
  return { ok: true, verdict: 'pass', reason: null, worst: worstOf(tallies), ...base };
}

const shapeKey = (v: VarExpr) => `${v.shape.rows.key}×${v.shape.cols.key}`;

/**
 * Check gradients `grads[k]` of the scalar `f` with respect to `wrt[k]` against finite differences at
 * `trials` points in the domain of f and the gradients.
 */
export function checkGradients(
  f: Expr,
  wrt: readonly VarExpr[],
  grads: readonly Expr[],
  opts: CheckOptions = {},
): CheckResult {
  const { trials, tol } = settings(opts);
  if (grads.length !== wrt.length)
    throw new ShapeError(`${grads.length} gradients given for ${wrt.length} variables`);
  grads.forEach((g, k) => {
    if (!sameShape(g.shape, wrt[k].shape))
      throw new ShapeError(
        `the gradient with respect to ${wrt[k].name} must be ${shapeText(wrt[k].shape)}, like ${wrt[k].name}; got ${shapeText(g.shape)}`,
      );
  });
  const vars = uniqueVars([...freeVars(f), ...wrt, ...grads.flatMap(freeVars)]);
  const tallies = new Map(wrt.map((v) => [v.name, new Tally()]));
  const projection = new Tally();
  const maxEntrywise = opts.maxEntrywise ?? 2000;
  const projectionOnly = new Set<string>();
  const failure = checkPoints([f, ...grads], vars, opts, ({ dims, values }, rand) => {
    const symbolic = evaluateMany(grads, values, dims);
    const fOf = () => valueOrNaN(() => evaluateMany([f], values, dims)[0].data[0]);
    const at = Object.fromEntries(dims);
    const xs = wrt.map((v) => values.get(v.name)!.data);
    const p = projectionLine(fOf, xs, symbolic, rand);
    const pj = judge(p.line, p.h, p.predicted, tol);
    projection.add(pj, {
      variable: '⟨∇f, V⟩',
      row: 1,
      col: 1,
      symbolic: p.predicted,
      numeric: pj.numeric,
      relError: pj.relError,
      dims: at,
    });
    wrt.forEach((v, k) => {
      const x = values.get(v.name)! as Matrix;
      const g = symbolic[k];
      if (x.data.length > maxEntrywise) {
        projectionOnly.add(v.name);
        return;
      }
      for (let i = 0; i < x.data.length; i++) {
        const [line, h] = entryLine(fOf, x.data, i);
        const j = judge(line, h, g.data[i], tol);
        tallies.get(v.name)!.add(j, {
          variable: v.name,
          row: Math.floor(i / x.cols) + 1,
          col: (i % x.cols) + 1,
          symbolic: g.data[i],
          numeric: j.numeric,
          relError: j.relError,
          dims: at,
        });
      }
    });
    return true;
  });
  return conclude(
    wrt.map((v) => ({
      name: v.name,
      tally: tallies.get(v.name)!,
      projectionOnly: projectionOnly.has(v.name),
    })),
    projection,
    failure,
    trials,
    new Map(wrt.map((v) => [v.name, shapeKey(v)])),
  );
}

/** f along a random direction V (all variables at once), and the predicted slope ⟨G, V⟩. */
function projectionLine(
  f: () => number,
  xs: readonly Float64Array[],
  gs: readonly Matrix[],
  rand: () => number,
): { line: (t: number) => number; h: number; predicted: number } {
  const vs = xs.map((x) => Float64Array.from(x, () => rand() * 2 - 1));
  let predicted = 0;
  gs.forEach((g, k) => {
    for (let i = 0; i < g.data.length; i++) predicted += g.data[i] * vs[k][i];
  });
  const olds = xs.map((x) => x.slice());
  let size = 1;
  for (const x of olds) for (const v of x) size = Math.max(size, Math.abs(v));
  const line = (t: number) => {
    xs.forEach((x, k) => {
      for (let i = 0; i < x.length; i++) x[i] = olds[k][i] + t * vs[k][i];
    });
    const v = f();
    xs.forEach((x, k) => {
      x.set(olds[k]);
    });
    return v;
  };
  return { line, h: 1e-3 * size, predicted };
}

/**
 * Check a Jacobian J = ∂vec f/∂vec x (numerator layout, vec stacks columns) against finite differences.
 */
export function checkJacobian(f: Expr, x: VarExpr, jac: Expr, opts: CheckOptions = {}): CheckResult {
  const { trials, tol } = settings(opts);
  const vars = uniqueVars([...freeVars(f), x, ...freeVars(jac)]);
  const tally = new Tally();
  const failure = checkPoints([f, jac], vars, opts, ({ dims, values }) => {
    const [J] = evaluateMany([jac], values, dims);
    const xv = values.get(x.name)!;
    const [f0] = evaluateMany([f], values, dims);
    const at = Object.fromEntries(dims);
    // Column c of J is ∂vec f / ∂(vec x)_c; vec index c ↔ row-major entry (c mod rows, c div rows).
    for (let c = 0; c < xv.data.length; c++) {
      const xi = (c % xv.rows) * xv.cols + Math.floor(c / xv.rows);
      for (let r = 0; r < f0.data.length; r++) {
        const fi = (r % f0.rows) * f0.cols + Math.floor(r / f0.rows);
        const symbolic = J.data[r * J.cols + c];
        const fOf = () => valueOrNaN(() => evaluateMany([f], values, dims)[0].data[fi]);
        const [line, h] = entryLine(fOf, xv.data, xi);
        const j = judge(line, h, symbolic, tol);
        tally.add(j, {
          variable: x.name,
          row: r + 1,
          col: c + 1,
          symbolic,
          numeric: j.numeric,
          relError: j.relError,
          dims: at,
        });
      }
    }
    return true;
  });
  return conclude(
    [{ name: x.name, tally, projectionOnly: false }],
    null,
    failure,
    trials,
    new Map([[x.name, shapeKey(x)]]),
  );
}
