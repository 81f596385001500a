// Elementwise functions of one argument: exp log sqrt abs tanh sigmoid relu softplus sin cos sign step.
import { mul } from './build.js';
import { mapEval, sameShape } from './shared.js';
import type { OpSpec } from './spec.js';

export const exp: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d exp(A) = exp(A) ⊙ dA
  vjp: (ct, out) => [mul(ct, out)],
  eval: mapEval(Math.exp),
  text: () => ({ form: 'call', name: 'exp' }),
  latex: () => ({ form: 'call', name: '\\exp' }),
  js: { kind: 'map', scalar: ([a]) => `Math.exp(${a})` },
  numpy: ([a]) => `np.exp(${a})`,
  rule: 'chain rule through exp',
};
