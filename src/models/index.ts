// The architecture builders by name, as `matcalc export --model NAME` offers them.
export { attention } from './attention.js';
export { layerNorm } from './layernorm.js';
export { linearRegression, ridgeRegression } from './linear.js';
export { logisticRegression } from './logistic.js';
export { ACTIVATIONS, type Activation, MLP_LOSSES, type MlpLoss, mlp } from './mlp.js';
export { buildModel, type Model, modelMarkdown, type Size } from './model.js';
export { softmaxRegression } from './softmax.js';

export const MODEL_NAMES = [
  'linear',
  'ridge',
  'logistic',
  'softmax',
  'mlp',
  'layernorm',
  'attention',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
