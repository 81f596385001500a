// Models people write by hand in probabilistic ML: an embedding lookup (one-hot rows times the table)
// feeding a softmax classifier; a VAE's loss with the reparameterisation Z = M + exp(V/2) ⊙ E (E the
// drawn noise, an input) and the Gaussian KL −½ Σ(1 + V − M² − e^V); and the Gaussian-process negative
// log marginal likelihood ½ yᵀK⁻¹y + ½ log|K| + (n/2) log 2π for the RBF kernel
// K = e^{s}·exp(−D/(2e^{2l})) + e^{σ}·I, D the pairwise squared distances of the rows of X, with respect to
// the log signal variance s, log length-scale l and log noise variance σ.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export function embedding(opts: { vocabulary?: Size; width?: Size; classes?: Size } = {}): Model {
  const v = sizeText(opts.vocabulary ?? 'v');
  const d = sizeText(opts.width ?? 'd');
  const k = sizeText(opts.classes ?? 'k');
  return buildModel({
    title: 'embedding lookup (one-hot rows times the table), softmax classifier',
    decls: [`X: n x ${v} onehot`, `Y: n x ${k} onehot`, `E: ${v} x ${d}`, `W: ${d} x ${k}`, `b: ${k}`],
    defs: [
      ['H', 'X*E'],
      ['Z', "H*W + b'"],
      ['L', 'mean(logsumexp(Z, 2) - sum(Y .* Z, 2))'],
    ],
    params: ['E', 'W', 'b'],
  });
}

export function vae(opts: { features?: Size; latent?: Size } = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  const k = sizeText(opts.latent ?? 'k');
  return buildModel({
    title: 'variational autoencoder: linear encoder and decoder, reparameterised sample, Gaussian KL',
    decls: [`X: n x ${d}`, `E: n x ${k}`, `We: ${d} x ${k}`, `Wv: ${d} x ${k}`, `Wd: ${k} x ${d}`],
    defs: [
      ['M', 'X*We'],
      ['V', 'X*Wv'],
      ['Z', 'M + exp(V/2) .* E'],
      ['R', 'sum((Z*Wd - X).^2)/2'],
      ['KL', '-sum(1 + V - M.^2 - exp(V))/2'],
      ['L', 'R + KL'],
    ],
    params: ['We', 'Wv', 'Wd'],
  });
}

export function gaussianProcess(opts: { features?: Size } = {}): Model {
  const d = sizeText(opts.features ?? 'd');
  return buildModel({
    title: 'Gaussian-process negative log marginal likelihood, RBF kernel with noise',
    decls: [`X: n x ${d}`, 'y: n', 's: scalar', 'l: scalar', 'sigma: scalar'],
    defs: [
      ['q', 'sum(X.^2, 2)'],
      ['D', "q + q' - 2*X*X'"],
      ['K', 'exp(s)*exp(-D/(2*exp(2*l))) + exp(sigma)*eye(n)'],
      // (n/2) log 2π with log 2π = 1.8378770664093453
      ['L', "y'*inv(K)*y/2 + logdet(K)/2 + n*1.8378770664093453/2"],
    ],
    params: ['s', 'l', 'sigma'],
  });
}
