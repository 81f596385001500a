// Softmax (multinomial logistic) regression on a batch: rows of X (n×d) are examples, rows of Y (n×k)
// one-hot labels; the mean cross-entropy −Σ y log softmax(z) per row is logsumexp(z) − yᵀz.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface SoftmaxOptions {
  readonly features?: Size;
  readonly classes?: Size;
}

/** Z = X*W + b'; L = mean(logsumexp(Z, 2) - sum(Y .* Z, 2)) */
export function softmaxRegression(opts: SoftmaxOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  const k = sizeText(opts.classes ?? 'k');
  return buildModel({
    title: 'softmax regression, mean cross-entropy',
    decls: [`X: n x ${d}`, `Y: n x ${k} onehot`, `W: ${d} x ${k}`, `b: ${k}`],
    defs: [
      ['Z', "X*W + b'"],
      ['L', 'mean(logsumexp(Z, 2) - sum(Y .* Z, 2))'],
    ],
    params: ['W', 'b'],
  });
}
