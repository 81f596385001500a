// The engine's entry points with names resolved and results simplified: what src/index.ts exports and
// the CLI calls. Raw passes live in diff/, simplify/, numeric/; this file only composes them.

import { expandDerivatives } from './diff/expand.js';
import { gradRaw } from './diff/grad.js';
import { hessianRaw } from './diff/hessian.js';
import { jacobianRaw } from './diff/jacobian.js';
import { ShapeError, ValueError } from './ir/errors.js';
import { type Expr, freeVars, type VarExpr } from './ir/expr.js';
import { isScalar, shapeText } from './ir/shape.js';
import type { Matrix } from './kernels/matrix.js';
import { evaluateMany, type Values } from './numeric/evaluate.js';
import { type CheckOptions, type CheckResult, checkGradients, checkJacobian } from './numeric/gradcheck.js';
import { bindValues } from './numeric/values.js';
import { transpose } from './ops/build.js';
import type { Scope } from './parse/index.js';
import { type Rewrite, simplifyMany, simplify as simplifyOne } from './simplify/engine.js';

export type Layout = 'numerator' | 'denominator';
export type VarRef = string | VarExpr;

/** Find variables by name among f's own variables, then the scope's declarations. */
export function resolveVars(f: Expr, refs: readonly VarRef[], scope?: Scope): VarExpr[] {
  const own = new Map(freeVars(f).map((v) => [v.name, v]));
  return refs.map((r) => {
    if (typeof r !== 'string') return r;
    const v = own.get(r) ?? scope?.vars.get(r);
    if (!v)
      throw new ValueError(`${r} is not a variable of this expression; pass the scope that declares it`);
    return v;
  });
}

export interface DerivOptions {
  readonly scope?: Scope;
  /** Receives every simplification rewrite. */
  readonly log?: Rewrite[];
  /** Skip simplification (the raw reverse sweep). */
  readonly raw?: boolean;
}

/** Simplified gradients of a scalar f (each the shape of its variable, G_ij = ∂f/∂X_ij). */
export function grad(f: Expr, wrt: readonly VarRef[], opts: DerivOptions = {}): Expr[] {
  const vars = resolveVars(f, wrt, opts.scope);
  if (!isScalar(f.shape)) {
    throw new ShapeError(
      `grad needs a scalar (1×1) expression, but this one is ${shapeText(f.shape)}; use jacobian for vector or matrix functions`,
    );
  }
  const raw = gradRaw(expandDerivatives(f), vars);
  return opts.raw ? raw : simplifyMany(raw, opts.log);
}

/**
 * True when a variable of e has qualifiers: simplifications that hold only at such points (inv(S)' → inv(S)
 * for symmetric S) do not preserve derivatives, so e is then differentiated as written.
 */
const qualified = (e: Expr): boolean => freeVars(e).some((v) => v.qualifiers.length > 0);

/** ∂vec f/∂vec x: (numel f)×(numel x) in numerator layout; its transpose in denominator layout. */
export function jacobian(f: Expr, x: VarRef, opts: DerivOptions & { layout?: Layout } = {}): Expr {
  const [v] = resolveVars(f, [x], opts.scope);
  // Differentiated in simplified form (exp(U) ./ sum(exp(U), 2) as softmax(U, 2)), whose derivative is finite
  // wherever the function is.
  const expanded = expandDerivatives(f);
  const j = jacobianRaw(opts.raw || qualified(expanded) ? expanded : simplifyOne(expanded), v);
  const oriented = opts.layout === 'denominator' ? transpose(j) : j;
  return opts.raw ? oriented : simplifyOne(oriented, opts.log);
}

/** The Hessian of a scalar f: the Jacobian of its gradient, (numel x)×(numel x). */
export function hessian(f: Expr, x: VarRef, opts: DerivOptions = {}): Expr {
  const [v] = resolveVars(f, [x], opts.scope);
  // The second sweep runs over the simplified gradient: σ(−x) differentiates to −diag(σ(−x) ⊙ σ(x)), where
  // the raw sweep divides by 1 − σ(−x), which is 0 at x = −800.
  const expanded = expandDerivatives(f);
  const h = hessianRaw(expanded, v, opts.raw || qualified(expanded) ? undefined : (g) => simplifyOne(g));
  return opts.raw ? h : simplifyOne(h, opts.log);
}

export function simplify(e: Expr, log?: Rewrite[]): Expr {
  return simplifyOne(e, log);
}

/** Evaluate expressions with values keyed by variable name; symbolic dims are bound from the values. */
export function evaluateAll(es: readonly Expr[], values: Values): Matrix[] {
  const expanded = es.map(expandDerivatives);
  const vars = [...new Map(expanded.flatMap(freeVars).map((v) => [v.name, v])).values()];
  const bound = bindValues(vars, values as Record<string, unknown>);
  return evaluateMany(expanded, bound.values, bound.dims);
}

export function evaluate(e: Expr, values: Values): Matrix {
  return evaluateAll([e], values)[0];
}

/** Check the gradients of f with respect to `wrt` against finite differences at random dims and values. */
export function check(
  f: Expr,
  wrt: readonly VarRef[],
  opts: CheckOptions & { scope?: Scope } = {},
): CheckResult {
  const vars = resolveVars(f, wrt, opts.scope);
  const gs = grad(f, vars);
  return checkGradients(expandDerivatives(f), vars, gs, opts);
}

/** Check a Jacobian expression (numerator layout) against finite differences. */
export function checkJac(f: Expr, x: VarExpr, jac: Expr, opts: CheckOptions = {}): CheckResult {
  return checkJacobian(expandDerivatives(f), x, jac, opts);
}
