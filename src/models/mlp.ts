// A multilayer perceptron of any depth: layers d0, d1, …, dL; hidden layers h = act(z) with relu, tanh or
// sigmoid; a linear output layer; squared error or softmax cross-entropy (logsumexp(z) − yᵀz). Batch form:
// rows of X are examples, Zl = H(l−1)*Wl + bl' with Wl d(l−1)×dl; single form: zl = Wl*h(l−1) + bl, Wl dl×d(l−1).
import { buildModel, type Model, type Size, sizeText } from './model.js';

export type Activation = 'relu' | 'tanh' | 'sigmoid';
export type MlpLoss = 'softmax-ce' | 'squared';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];
export const MLP_LOSSES: readonly MlpLoss[] = ['softmax-ce', 'squared'];

export interface MlpOptions {
  /** Layer sizes from the input to the output, at least two: integers or dim names. */
  readonly layers: readonly Size[];
  readonly activation?: Activation;
  readonly loss?: MlpLoss;
  /** A batch of examples as rows of X (default), or one example as a column x. */
  readonly batch?: boolean;
}

const LOSS_TITLE: Readonly<Record<MlpLoss, string>> = {
  'softmax-ce': 'softmax cross-entropy',
  squared: 'squared error',
};

export function mlp(opts: MlpOptions): Model {
  const sizes = opts.layers.map(sizeText);
  if (sizes.length < 2) throw new RangeError('an MLP needs at least two layer sizes (input and output)');
  const act = opts.activation ?? 'relu';
  const lossKind = opts.loss ?? 'softmax-ce';
  const batch = opts.batch ?? true;
  const depth = sizes.length - 1;
  const out = sizes[depth];
  const decls: string[] = batch
    ? [`X: n x ${sizes[0]}`, `Y: n x ${out}${lossKind === 'softmax-ce' ? ' onehot' : ''}`]
    : [`x: ${sizes[0]}`, `y: ${out}`];
  const defs: [string, string][] = [];
  let input = batch ? 'X' : 'x';
  for (let l = 1; l <= depth; l++) {
    decls.push(
      batch ? `W${l}: ${sizes[l - 1]} x ${sizes[l]}` : `W${l}: ${sizes[l]} x ${sizes[l - 1]}`,
      `b${l}: ${sizes[l]}`,
    );
    const z = batch ? `Z${l}` : `z${l}`;
    defs.push([z, batch ? `${input}*W${l} + b${l}'` : `W${l}*${input} + b${l}`]);
    if (l < depth) {
      const h = batch ? `H${l}` : `h${l}`;
      defs.push([h, `${act}(${z})`]);
      input = h;
    }
  }
  const z = batch ? `Z${depth}` : `z${depth}`;
  const loss =
    lossKind === 'softmax-ce'
      ? batch
        ? `mean(logsumexp(${z}, 2) - sum(Y .* ${z}, 2))`
        : `logsumexp(${z}) - y'*${z}`
      : batch
        ? `mean(sum((${z} - Y).^2, 2))`
        : `sum((${z} - y).^2)`;
  defs.push(['L', loss]);
  const params = Array.from({ length: depth }, (_, k) => [`W${k + 1}`, `b${k + 1}`]).flat();
  const hidden = depth > 1 ? `, ${act}` : '';
  return buildModel({
    title: `MLP ${sizes.join('-')}${hidden}, ${LOSS_TITLE[lossKind]}, ${batch ? 'batch' : 'single example'}`,
    decls,
    defs,
    params,
  });
}
