// Derivatives with respect to a named intermediate `H = …` (∂L/∂H of backprop): H's definition inside L
// becomes an input variable H of the same shape, and the derivative is evaluated back at the definition.
import type { Expr, VarExpr } from '../ir/expr.js';
import { variable } from '../ir/expr.js';
import { substitute } from '../ops/substitute.js';
import type { Scope } from './decls.js';

/** What to differentiate for ∂f/∂name: f with the intermediate held as the input `wrt`, evaluated at `at`. */
export interface HeldInput {
  readonly f: Expr;
  readonly wrt: VarExpr;
  /** The intermediate's definition (absent for a declared variable). */
  readonly at?: Expr;
}

/** ∂f/∂name for a declared variable or a named definition of the scope; null when the name is neither. */
export function heldInput(scope: Scope, name: string, f: Expr): HeldInput | null {
  const v = scope.vars.get(name);
  if (v) return { f, wrt: v };
  const def = scope.defs.get(name);
  if (!def) return null;
  if (def.kind === 'var') return { f, wrt: def };
  const wrt = variable(name, def.shape);
  return { f: substitute(f, def, wrt), wrt, at: def };
}
