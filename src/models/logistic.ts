// Logistic regression on a batch: rows of X (n×d) are examples, y (n) labels in {0, 1}. The mean binary
// cross-entropy −[y log σ(z) + (1−y) log(1−σ(z))] is written as softplus(z) − y·z, which never overflows.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface LogisticOptions {
  /** Number of features (default the symbolic `d`). */
  readonly features?: Size;
}

/** z = X*w + b; L = mean(softplus(z) - y .* z) */
export function logisticRegression(opts: LogisticOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  return buildModel({
    title: 'logistic regression, mean binary cross-entropy',
    decls: [`X: n x ${d}`, 'y: n', `w: ${d}`, 'b: scalar'],
    defs: [
      ['z', 'X*w + b'],
      ['L', 'mean(softplus(z) - y .* z)'],
    ],
    params: ['w', 'b'],
  });
}
