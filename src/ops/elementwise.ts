// Elementwise arithmetic with NumPy broadcasting: add, sub, neg, emul (.* and scalar×matrix), ediv, epow.
import { neg as negE } from './build.js';
import { broadcastShape, mapEval, mapEval2, sameShape } from './shared.js';
import type { OpSpec } from './spec.js';

export const add: OpSpec = {
  arity: 2,
  shape: broadcastShape('add'),
  // d(A + B) = dA + dB; broadcast operands are summed back by the engine.
  vjp: (ct) => [ct, ct],
  eval: mapEval2((x, y) => x + y),
  text: () => ({ form: 'infix', symbol: '+' }),
  latex: () => ({ form: 'infix', symbol: '+' }),
  js: { kind: 'map', scalar: ([a, b]) => `${a} + ${b}` },
  numpy: ([a, b]) => `${a} + ${b}`,
  rule: 'sum rule',
};

export const neg: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d(-A) = -dA
  vjp: (ct) => [negE(ct)],
  eval: mapEval((x) => -x),
  text: () => ({ form: 'prefix', symbol: '-' }),
  latex: () => ({ form: 'prefix', symbol: '-' }),
  js: { kind: 'map', scalar: ([a]) => `-${a}` },
  numpy: ([a]) => `-${a}`,
  rule: 'negation',
};
