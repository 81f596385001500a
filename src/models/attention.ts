// Single-head scaled dot-product attention over the rows of X (n×d): Q, K, V = X*Wq, X*Wk, X*Wv, weights
// softmax(Q*K'/sqrt(k), 2) normalized per row (per query), output A*V; trained against Y by squared error.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface AttentionOptions {
  readonly features?: Size;
  /** Width of queries and keys. */
  readonly keys?: Size;
  /** Width of values (and of the output). */
  readonly values?: Size;
}

export function attention(opts: AttentionOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  const k = sizeText(opts.keys ?? 'k');
  const m = sizeText(opts.values ?? 'm');
  return buildModel({
    title: 'single-head scaled dot-product attention, squared error',
    decls: [`X: n x ${d}`, `Y: n x ${m}`, `Wq: ${d} x ${k}`, `Wk: ${d} x ${k}`, `Wv: ${d} x ${m}`],
    defs: [
      ['Q', 'X*Wq'],
      ['K', 'X*Wk'],
      ['V', 'X*Wv'],
      ['A', `softmax(Q*K'/sqrt(${k}), 2)`],
      ['O', 'A*V'],
      ['L', 'sum((O - Y).^2)/2'],
    ],
    params: ['Wq', 'Wk', 'Wv'],
  });
}
