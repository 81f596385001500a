// Hessian of a scalar f with respect to x: the vec-form Jacobian of its gradient, ∂vec(∇f)/∂vec(x),
// (numel x)×(numel x). Symmetric for twice continuously differentiable f.
import { ShapeError } from '../ir/errors.js';
import type { Expr, VarExpr } from '../ir/expr.js';
import { isScalar, isVector, shapeText } from '../ir/shape.js';
import { vec, vecOf } from '../ops/build.js';
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

/**
 * Unsimplified Hessian-vector product H·vec(V), (numel x)×1, forward over reverse: the directional
 * derivative of vec(∇f) along V, so no Kronecker or commutation matrix of the full Hessian is formed.
 */
export function hvpRaw(f: Expr, x: VarExpr, direction: Expr): Expr {
  if (direction.shape !== x.shape) {
    throw new ShapeError(
      `hvp needs a direction of the variable's shape ${shapeText(x.shape)}, got ${shapeText(direction.shape)}`,
    );
  }
  if (!isScalar(f.shape)) {
    throw new ShapeError(`hvp needs a scalar (1×1) expression, but this one is ${shapeText(f.shape)}`);
  }
  const [g] = gradRaw(f, [x]);
  return jacobianRaw(vecOf(g), x, vecOf(direction));
}
