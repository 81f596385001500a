// The architecture builders by name, as `matcalc export --model NAME` offers them.
export { attention } from './attention.js';
export { conv1d, convNet } from './convolution.js';
export { layerNorm } from './layernorm.js';
export { linearRegression, ridgeRegression } from './linear.js';
export { logisticRegression } from './logistic.js';
export { ACTIVATIONS, type Activation, MLP_LOSSES, type MlpLoss, mlp } from './mlp.js';
export { buildModel, type Model, modelMarkdown, type Size } from './model.js';
export { embedding, gaussianProcess, vae } from './probabilistic.js';
export { elmanRnn, gru } from './recurrent.js';
export { softmaxRegression } from './softmax.js';
export { multiHeadAttention, transformerBlock } from './transformer.js';

export const MODEL_NAMES = [
  'linear',
  'ridge',
  'logistic',
  'softmax',
  'mlp',
  'layernorm',
  'attention',
  'mha',
  'transformer',
  'rnn',
  'gru',
  'conv1d',
  'convnet',
  'embedding',
  'vae',
  'gp',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
