// Layer normalization of each row of H (n×d): (h − mean(h)) / sqrt(var(h) + eps), then a gain g and a
// bias b per feature, broadcast as rows; trained against targets Y by squared error. eps is a constant.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface LayerNormOptions {
  readonly features?: Size;
  /** The variance floor; a constant in the expression (default 1e-5). */
  readonly eps?: number;
}

/** C = H - mean(H, 2); N = C ./ sqrt(mean(C.^2, 2) + eps); O = N .* g' + b'; L = sum((O - Y).^2)/2 */
export function layerNorm(opts: LayerNormOptions = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  const eps = opts.eps ?? 1e-5;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`eps must be a positive number, not ${eps}`);
  return buildModel({
    title: 'layer normalization with gain and bias, squared error',
    decls: [`H: n x ${d}`, `Y: n x ${d}`, `g: ${d}`, `b: ${d}`],
    defs: [
      ['C', 'H - mean(H, 2)'],
      ['N', `C ./ sqrt(mean(C.^2, 2) + ${eps})`],
      ['O', "N .* g' + b'"],
      ['L', 'sum((O - Y).^2)/2'],
    ],
    params: ['g', 'b', 'H'],
  });
}
