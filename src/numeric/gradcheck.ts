// Numeric checks of derivatives: central finite differences with Richardson extrapolation entry by entry,
// and a random-projection check ⟨u, J v⟩ in the style of JAX's check_grads, at random dims and values.

import { type Expr, freeVars, type VarExpr } from '../ir/expr.js';
import type { Matrix } from '../kernels/matrix.js';
import { evaluateMany } from './evaluate.js';
import { randomDims, randomValues, seededRandom } from './random.js';
import { REFINE_STEPS, refineDifference } from './refine.js';
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
  readonly ok: boolean;
  /** Worst relative error per variable over all trials. */
  readonly perVariable: readonly {
    readonly variable: string;
    readonly shape: string;
    readonly relError: number;
  }[];
  readonly worst: EntryError | null;
  readonly trials: number;
  /** Worst relative error of the random-projection check ⟨G, V⟩ vs the directional derivative along V. */
  readonly projectionError: number;
}

export interface CheckOptions {
  readonly trials?: number;
  readonly seed?: number;
  readonly tolerance?: number;
  /** Dims to hold fixed instead of sampling. */
  readonly dims?: ReadonlyMap<string, number>;
  /** Variables with more entries than this are checked by random projections only (default 2,000). */
  readonly maxEntrywise?: number;
}

/**
 * Directional derivative of f at the current values along random directions V (one per variable at once),
 * Richardson-extrapolated, against ⟨G, V⟩ — JAX's check_grads idea: one number checks the whole gradient.
 */
function projectionError(
  f: () => number,
  xs: readonly Float64Array[],
  gs: readonly Float64Array[],
  rand: () => number,
): number {
  const vs = xs.map((x) => Float64Array.from(x, () => rand() * 2 - 1));
  let predicted = 0;
  gs.forEach((g, k) => {
    for (let i = 0; i < g.length; i++) predicted += g[i] * vs[k][i];
  });
  const olds = xs.map((x) => x.slice());
  const at = (t: number) => {
    xs.forEach((x, k) => {
      for (let i = 0; i < x.length; i++) x[i] = olds[k][i] + t * vs[k][i];
    });
    return f();
  };
  const central = (s: number) => (at(s) - at(-s)) / (2 * s);
  // Smaller steps when the first disagrees: a kink along the line within the step, or curvature (near a
  // singular matrix) that the first step does not resolve; a wrong gradient agrees at no step.
  let err = Number.POSITIVE_INFINITY;
  for (const h of [1e-3, ...REFINE_STEPS.map((k) => 1e-3 * k)]) {
    err = Math.min(err, relError((4 * central(h / 2) - central(h)) / 3, predicted));
    if (err <= 1e-9) break;
  }
  xs.forEach((x, k) => {
    x.set(olds[k]);
  });
  return err;
}

/** Every dim symbol the expressions mention: in any node's shape or size (eye(p) inside a product too). */
export function symbolsOf(exprs: readonly Expr[]): string[] {
  return dimsUsed(exprs);
}

/** ∂f/∂x_i by central differences, Richardson-extrapolated: (4 D(h/2) − D(h)) / 3, error O(h⁴). */
export function finiteDifference(f: () => number, x: Float64Array, i: number): number {
  const old = x[i];
  const h = 1e-3 * Math.max(1, Math.abs(old));
  const central = (step: number) => {
    x[i] = old + step;
    const fp = f();
    x[i] = old - step;
    const fm = f();
    x[i] = old;
    return (fp - fm) / (2 * step);
  };
  const d1 = central(h);
  const d2 = central(h / 2);
  return (4 * d2 - d1) / 3;
}

function relError(numeric: number, symbolic: number): number {
  // Equal numbers agree; NaN agrees with nothing, not even NaN (a check must not pass vacuously).
  if (numeric === symbolic) return 0;
  const e = Math.abs(numeric - symbolic) / Math.max(1, Math.abs(numeric), Math.abs(symbolic));
  return Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
}

/** The finite difference, re-taken at smaller steps when it disagrees (a kink within the first step). */
function differenceNear(f: () => number, x: Float64Array, i: number, symbolic: number, tol: number): number {
  const numeric = finiteDifference(f, x, i);
  const agrees = (n: number, s: number) => relError(n, s) <= tol;
  return agrees(numeric, symbolic) ? numeric : (refineDifference(f, x, i, symbolic, agrees) ?? numeric);
}

/**
 * Check gradients `grads[k]` of the scalar `f` with respect to `wrt[k]` against finite differences at
 * `trials` random instantiations of dims and values.
 */
export function checkGradients(
  f: Expr,
  wrt: readonly VarExpr[],
  grads: readonly Expr[],
  opts: CheckOptions = {},
): CheckResult {
  const trials = opts.trials ?? 2;
  const tol = opts.tolerance ?? 1e-5;
  const rand = seededRandom(opts.seed ?? 20260101);
  const vars = [
    ...new Map([...freeVars(f), ...wrt, ...grads.flatMap(freeVars)].map((v) => [v.name, v])).values(),
  ];
  const symbols = symbolsOf([f, ...grads, ...wrt]);
  const perVar = new Map<string, number>(wrt.map((v) => [v.name, 0]));
  let worst: EntryError | null = null;
  let projection = 0;
  for (let t = 0; t < trials; t++) {
    const dims = randomDims(symbols, rand, opts.dims);
    const values = randomValues(vars, dims, rand);
    const symbolic = evaluateMany(grads, values, dims);
    const fOf = () => evaluateMany([f], values, dims)[0].data[0];
    projection = Math.max(
      projection,
      projectionError(
        fOf,
        wrt.map((v) => values.get(v.name)!.data),
        symbolic.map((g) => g.data),
        rand,
      ),
    );
    wrt.forEach((v, k) => {
      const x = values.get(v.name)! as Matrix;
      const g = symbolic[k];
      if (x.data.length > (opts.maxEntrywise ?? 2000)) return;
      for (let i = 0; i < x.data.length; i++) {
        const numeric = differenceNear(fOf, x.data, i, g.data[i], tol);
        const err = relError(numeric, g.data[i]);
        if (err > perVar.get(v.name)!) perVar.set(v.name, err);
        if (!worst || err > worst.relError) {
          worst = {
            variable: v.name,
            row: Math.floor(i / x.cols) + 1,
            col: (i % x.cols) + 1,
            symbolic: g.data[i],
            numeric,
            relError: err,
            dims: Object.fromEntries(dims),
          };
        }
      }
    });
  }
  const perVariable = wrt.map((v) => ({
    variable: v.name,
    shape: `${v.shape.rows.key}×${v.shape.cols.key}`,
    relError: perVar.get(v.name)!,
  }));
  return {
    ok: perVariable.every((p) => p.relError <= tol) && projection <= tol,
    perVariable,
    worst,
    trials,
    projectionError: projection,
  };
}

/**
 * Check a Jacobian J = ∂vec f/∂vec x (numerator layout, vec stacks columns) against finite differences.
 */
export function checkJacobian(f: Expr, x: VarExpr, jac: Expr, opts: CheckOptions = {}): CheckResult {
  const trials = opts.trials ?? 2;
  const tol = opts.tolerance ?? 1e-5;
  const rand = seededRandom(opts.seed ?? 20260101);
  const vars = [...new Map([...freeVars(f), x, ...freeVars(jac)].map((v) => [v.name, v])).values()];
  const symbols = symbolsOf([f, jac, x]);
  let worstErr = 0;
  let worst: EntryError | null = null;
  for (let t = 0; t < trials; t++) {
    const dims = randomDims(symbols, rand, opts.dims);
    const values = randomValues(vars, dims, rand);
    const [J] = evaluateMany([jac], values, dims);
    const xv = values.get(x.name)!;
    const [f0] = evaluateMany([f], values, dims);
    // Column c of J is ∂vec f / ∂(vec x)_c; vec index c ↔ row-major entry (c mod rows, c div rows).
    for (let c = 0; c < xv.data.length; c++) {
      const xi = (c % xv.rows) * xv.cols + Math.floor(c / xv.rows);
      for (let r = 0; r < f0.data.length; r++) {
        const fi = (r % f0.rows) * f0.cols + Math.floor(r / f0.rows);
        const symbolic = J.data[r * J.cols + c];
        const numeric = differenceNear(
          () => evaluateMany([f], values, dims)[0].data[fi],
          xv.data,
          xi,
          symbolic,
          tol,
        );
        const err = relError(numeric, symbolic);
        if (err > worstErr || !worst) {
          worstErr = Math.max(worstErr, err);
          worst = {
            variable: x.name,
            row: r + 1,
            col: c + 1,
            symbolic,
            numeric,
            relError: err,
            dims: Object.fromEntries(dims),
          };
        }
      }
    }
  }
  return {
    ok: worstErr <= tol,
    perVariable: [{ variable: x.name, shape: `${x.shape.rows.key}×${x.shape.cols.key}`, relError: worstErr }],
    worst,
    trials,
    projectionError: 0,
  };
}
