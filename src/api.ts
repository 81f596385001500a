// The engine's entry points with names resolved and results simplified: what src/index.ts exports and
// the CLI calls. Raw passes live in diff/, simplify/, numeric/; this file only composes them.

import { expandDerivatives } from './diff/expand.js';
import { gradRaw } from './diff/grad.js';
import { hessianRaw, hvpRaw } from './diff/hessian.js';
import { jacobianRaw } from './diff/jacobian.js';
import { ShapeError, ValueError } from './ir/errors.js';
import { type Expr, freeVars, topoOrder, type VarExpr } from './ir/expr.js';
import { closeScratch, openScratch } from './ir/intern.js';
import { isScalar, shapeText } from './ir/shape.js';
import type { Matrix } from './kernels/matrix.js';
import { evaluateMany, type Values } from './numeric/evaluate.js';
import { type CheckOptions, type CheckResult, checkGradients, checkJacobian } from './numeric/gradcheck.js';
import { bindValues, dimsUsed, requireDims } from './numeric/values.js';
import { transpose } from './ops/build.js';
import { substitute } from './ops/substitute.js';
import type { Scope } from './parse/index.js';
import { heldInput } from './parse/intermediate.js';
import { didYouMean } from './parse/suggest.js';
import { type Rewrite, simplifyMany, simplify as simplifyOne } from './simplify/engine.js';
import { operatorForm } from './simplify/operator-form.js';
import { refineCotangent } from './simplify/refine.js';

export type Layout = 'numerator' | 'denominator';
export type VarRef = string | VarExpr;

/**
 * Find variables by name among f's own variables, then the scope's declarations. `order`: topoOrder([f]), when
 * the caller has it (grad walks f once for both).
 */
export function resolveVars(
  f: Expr,
  refs: readonly VarRef[],
  scope?: Scope,
  order: readonly Expr[] = topoOrder([f]),
): VarExpr[] {
  const own = ownVars(order, refs.length);
  return refs.map((r) => {
    if (typeof r !== 'string') {
      // A variable of the same name from another declaration would silently get a zero gradient.
      const named = own(r.name);
      const mine = named.includes(r) ? r : named[0];
      if (mine && mine !== r) {
        throw new ValueError(
          `${r.name} (${shapeText(r.shape)}) is a variable of another scope; this expression's ${r.name} is ${shapeText(mine.shape)}${mine.qualifiers.length ? ` ${mine.qualifiers.join(' ')}` : ''}`,
        );
      }
      return r;
    }
    const v = own(r)[0] ?? scope?.vars.get(r);
    if (!v) {
      const names = order.filter((n) => n.kind === 'var').map((n) => (n as VarExpr).name);
      const hint = didYouMean(r, [...names, ...(scope?.vars.keys() ?? [])]);
      throw new ValueError(
        `${r} is not a variable of this expression${hint}; pass the scope that declares it`,
      );
    }
    return v;
  });
}

/**
 * The variables among the nodes of `order` by name, in the order met (usually one a name): a scan for the
 * usual few references, a table once `lookups` scans of the order would cost more than building it.
 */
function ownVars(order: readonly Expr[], lookups: number): (name: string) => readonly VarExpr[] {
  if (order.length * lookups <= 256) {
    return (name) => order.filter((n): n is VarExpr => n.kind === 'var' && n.name === name);
  }
  const byName = new Map<string, VarExpr[]>();
  for (const n of order) {
    if (n.kind !== 'var') continue;
    const list = byName.get(n.name);
    if (list) list.push(n);
    else byName.set(n.name, [n]);
  }
  return (name) => byName.get(name) ?? [];
}

/** The free variables of several expressions; two different variables of one name are refused. */
function distinctVars(es: readonly Expr[]): VarExpr[] {
  const byName = new Map<string, VarExpr>();
  for (const v of es.flatMap(freeVars)) {
    const prior = byName.get(v.name);
    if (prior && prior !== v) {
      throw new ValueError(
        `the expressions come from different scopes: ${v.name} is ${shapeText(prior.shape)} in one and ${shapeText(v.shape)} in another`,
      );
    }
    byName.set(v.name, v);
  }
  return [...byName.values()];
}

export interface DerivOptions {
  readonly scope?: Scope;
  /** Receives every simplification rewrite. */
  readonly log?: Rewrite[];
  /** Skip simplification (the raw reverse sweep). */
  readonly raw?: boolean;
}

/**
 * Simplified gradients of a scalar f: each the shape of its variable, G_ij = ∂f/∂X_ij (denominator
 * layout, the default); with `layout: 'numerator'` the derivative ∂f/∂Xᵀ, the transpose of the gradient.
 */
export function grad(f: Expr, wrt: readonly VarRef[], opts: DerivOptions & { layout?: Layout } = {}): Expr[] {
  // cotangents built in simplified form (simplify/refine.ts); their rewrites go to the log first
  const log = opts.log;
  const refine = opts.raw ? undefined : log ? (e: Expr) => refineCotangent(e, log) : refineCotangent;
  return returning(log, () => {
    const expanded = expandDerivatives(f);
    // one walk of f names its variables and orders the sweep
    const order = topoOrder([expanded]);
    const vars = resolveVars(f, wrt, opts.scope, expanded === f ? order : undefined);
    if (!isScalar(f.shape)) {
      throw new ShapeError(
        `grad needs a scalar (1×1) expression, but this one is ${shapeText(f.shape)}; use jacobian for vector or matrix functions`,
      );
    }
    const gradients = gradRaw(expanded, vars, undefined, refine, order);
    const raw = opts.layout === 'numerator' ? gradients.map(transpose) : gradients;
    return opts.raw ? raw : simplifyMany(raw, log);
  });
}

/**
 * run(), a derivative computation, with the nodes it makes and does not return let go of at its end
 * (ir/intern.ts scratch): its intermediate cotangents and rewrites would otherwise stay findable, and so
 * alive, as long as the variables they were built over. Not when a log holds them.
 */
function returning<T extends Expr | Expr[]>(log: Rewrite[] | undefined, run: () => T): T {
  const made = log ? null : openScratch();
  let out: T | undefined;
  try {
    out = run();
    return out;
  } finally {
    closeScratch(made, out === undefined ? undefined : Array.isArray(out) ? out : [out]);
  }
}

/** ∂f/∂H for a named intermediate H of the scope (H held as an input, evaluated at its definition), or a variable. */
export function gradAt(f: Expr, name: string, opts: DerivOptions = {}): Expr {
  const held = opts.scope ? heldInput(opts.scope, name, f) : null;
  if (!held?.at) return grad(f, [name], opts)[0];
  const [g] = grad(held.f, [held.wrt], { ...opts, raw: true });
  const at = substitute(g, held.wrt, held.at);
  return opts.raw ? at : simplifyOne(at, opts.log);
}

/**
 * True when a variable of e has qualifiers: simplifications that hold only at such points (inv(S)' → inv(S)
 * for symmetric S) do not preserve derivatives, so e is then differentiated as written.
 */
const qualified = (e: Expr): boolean => freeVars(e).some((v) => v.qualifiers.length > 0);

/**
 * Whether to simplify before a second sweep (for stable forms): not for qualified variables (above), and not
 * for very large expressions, where simplifying the intermediate costs more than it can save (a 10,000-deep
 * exp(exp(…)) chain).
 */
const presimplify = (e: Expr): boolean => !qualified(e) && topoOrder([e]).length <= 2000;

/** ∂vec f/∂vec x: (numel f)×(numel x) in numerator layout; its transpose in denominator layout. */
export function jacobian(f: Expr, x: VarRef, opts: DerivOptions & { layout?: Layout } = {}): Expr {
  const [v] = resolveVars(f, [x], opts.scope);
  // Differentiated in simplified form (exp(U) ./ sum(exp(U), 2) as softmax(U, 2)), whose derivative is finite
  // wherever the function is.
  return returning(opts.log, () => {
    const expanded = expandDerivatives(f);
    const j = jacobianRaw(opts.raw || !presimplify(expanded) ? expanded : simplifyOne(expanded), v);
    const oriented = opts.layout === 'denominator' ? transpose(j) : j;
    return opts.raw ? oriented : operatorForm(simplifyOne(oriented, opts.log));
  });
}

/** The Hessian of a scalar f: the Jacobian of its gradient, (numel x)×(numel x); transposed in denominator layout. */
export function hessian(f: Expr, x: VarRef, opts: DerivOptions & { layout?: Layout } = {}): Expr {
  const [v] = resolveVars(f, [x], opts.scope);
  // The second sweep runs over the simplified gradient: σ(−x) differentiates to −diag(σ(−x) ⊙ σ(x)), where
  // the raw sweep divides by 1 − σ(−x), which is 0 at x = −800.
  return returning(opts.log, () => {
    const expanded = expandDerivatives(f);
    const simplified = opts.raw || !presimplify(expanded) ? undefined : (g: Expr) => simplifyOne(g);
    const jac = hessianRaw(expanded, v, simplified);
    const h = opts.layout === 'denominator' ? transpose(jac) : jac;
    return opts.raw ? h : operatorForm(simplifyOne(h, opts.log));
  });
}

/**
 * The Hessian-vector product H·vec(V) of a scalar f, (numel x)×1 (for a vector x, the x-shaped H v):
 * the directional derivative of the gradient along V, simplified without forming H.
 */
export function hvp(f: Expr, x: VarRef, direction: VarRef | Expr, opts: DerivOptions = {}): Expr {
  const [v] = resolveVars(f, [x], opts.scope);
  const d =
    typeof direction === 'string' || direction.kind === 'var'
      ? resolveVars(f, [direction as VarRef], opts.scope)[0]
      : direction;
  return returning(opts.log, () => {
    const h = hvpRaw(expandDerivatives(f), v, expandDerivatives(d));
    return opts.raw ? h : simplifyOne(h, opts.log);
  });
}

export function simplify(e: Expr, log?: Rewrite[]): Expr {
  return simplifyOne(e, log);
}

export interface EvalOptions {
  /** The declarations: every declared variable given a value fixes dims (`eye(p)` from B: m x p). */
  readonly scope?: Scope;
  /** Sizes given directly by dim name. */
  readonly dims?: Readonly<Record<string, number>>;
}

/**
 * Evaluate expressions with values keyed by variable name. Symbolic dims are bound from the values of
 * their variables, of any other declared variable given (with `scope`), and from sizes given by name.
 */
export function evaluateAll(es: readonly Expr[], values: Values, opts: EvalOptions = {}): Matrix[] {
  const expanded = es.map(expandDerivatives);
  const vars = distinctVars(expanded);
  const declared = [...(opts.scope?.vars.values() ?? [])];
  const bound = bindValues(vars, values as Record<string, unknown>, { declared, dims: opts.dims });
  requireDims(dimsUsed(expanded), bound.dims, declared);
  return evaluateMany(expanded, bound.values, bound.dims);
}

export function evaluate(e: Expr, values: Values, opts: EvalOptions = {}): Matrix {
  return evaluateAll([e], values, opts)[0];
}

/** Check the gradients of f with respect to `wrt` (or `opts.claimed` ones) against finite differences at random dims and values. */
export function check(
  f: Expr,
  wrt: readonly VarRef[],
  opts: CheckOptions & { scope?: Scope } = {},
): CheckResult {
  const vars = resolveVars(f, wrt, opts.scope);
  const gs = opts.claimed?.map(expandDerivatives) ?? grad(f, vars);
  return checkGradients(expandDerivatives(f), vars, gs, opts);
}

/** Check a Jacobian expression (numerator layout) against finite differences. */
export function checkJac(f: Expr, x: VarExpr, jac: Expr, opts: CheckOptions = {}): CheckResult {
  return checkJacobian(expandDerivatives(f), x, jac, opts);
}
