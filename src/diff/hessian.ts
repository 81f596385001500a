// Hessian of a scalar f with respect to x: the vec-form Jacobian of its gradient, ∂vec(∇f)/∂vec(x),
// (numel x)×(numel x). Symmetric for twice continuously differentiable f.
import { ShapeError } from '../ir/errors.js';
import type { Expr, VarExpr } from '../ir/expr.js';
import { isScalar, isVector, shapeText } from '../ir/shape.js';
import { vec } from '../ops/build.js';
import { gradRaw } from './grad.js';
import { jacobianRaw } from './jacobian.js';

/**
 * Unsimplified Hessian of a 1×1 f: jacobianRaw of the gradient, vec'd first when x is a matrix. `tidy`
 * (the simplifier, from api.ts) may rewrite the gradient before the second sweep.
 */
export function hessianRaw(f: Expr, x: VarExpr, tidy: (g: Expr) => Expr = (g) => g): Expr {
  if (!isScalar(f.shape)) {
    throw new ShapeError(
      `hessian needs a scalar (1×1) expression, but this one is ${shapeText(f.shape)}; use jacobian for vector or matrix functions`,
    );
  }
  const g = tidy(gradRaw(f, [x])[0]);
  return jacobianRaw(isVector(x.shape) ? g : vec(g), x);
}
