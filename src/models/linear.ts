// Linear and ridge regression on a batch: rows of X (n×d) are examples, y (n) the targets, w (d) and the
// scalar b the parameters; the loss is the mean squared error (plus λ‖w‖² for ridge).
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface RegressionOptions {
  /** Number of features (default the symbolic `d`). */
  readonly features?: Size;
}

const decls = (d: string) => [`X: n x ${d}`, `y: n`, `w: ${d}`, `b: scalar`];

/** L = mean((X*w + b - y).^2) */
export function linearRegression(opts: RegressionOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  return buildModel({
    title: 'linear regression, mean squared error',
    decls: decls(d),
    defs: [['L', 'mean((X*w + b - y).^2)']],
    params: ['w', 'b'],
  });
}

/** L = mean((X*w + b - y).^2) + lambda*sum(w.^2); the bias is not penalized, λ ≥ 0 is an input. */
export function ridgeRegression(opts: RegressionOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  return buildModel({
    title: 'ridge regression, mean squared error plus λ‖w‖²',
    decls: [...decls(d), 'lambda: scalar positive'],
    defs: [['L', 'mean((X*w + b - y).^2) + lambda*sum(w.^2)']],
    params: ['w', 'b'],
  });
}
