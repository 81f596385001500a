// Elementwise arithmetic with NumPy broadcasting: add, sub, neg, emul (.* and scalar×matrix), ediv, epow.
// VJP results may have the broadcast shape; grad/ sums them back to each operand's shape.
import { freeVars } from '../ir/expr.js';
import { isScalar } from '../ir/shape.js';
import { addTangents, div, fullTangent, log, neg as negE, vecBroadcast, vecOf } from './build.js';
import { broadcastShape, mapEval, mapEval2, sameShape } from './shared.js';
import type { OpSpec } from './spec.js';
import { minusOne, mul, pow } from './tidy.js';

export const add: OpSpec = {
  arity: 2,
  shape: broadcastShape('add'),
  // d(A + B) = dA + dB; broadcast operands are summed back by the engine.
  vjp: (ct) => [ct, ct],
  // vec d(A + B) = J_A + J_B
  jvp: (out, _args, _attrs, [ta, tb]) => {
    const t = addTangents(ta, tb);
    return t && fullTangent(t, out.shape);
  },
  eval: mapEval2((x, y) => x + y),
  text: () => ({ form: 'infix', symbol: '+' }),
  latex: () => ({ form: 'infix', symbol: '+' }),
  js: { kind: 'map', scalar: ([a, b]) => `${a} + ${b}` },
  numpy: ([a, b]) => `${a} + ${b}`,
  rule: 'sum rule',
};

export const sub: OpSpec = {
  arity: 2,
  shape: broadcastShape('subtract'),
  // d(A - B) = dA - dB
  vjp: (ct, _out, _args, _attrs, needs) => [ct, needs?.[1] === false ? null : negE(ct)],
  // vec d(A - B) = J_A - J_B
  jvp: (out, _args, _attrs, [ta, tb]) => {
    const t = addTangents(ta, tb && negE(tb));
    return t && fullTangent(t, out.shape);
  },
  eval: mapEval2((x, y) => x - y),
  text: () => ({ form: 'infix', symbol: '-' }),
  latex: () => ({ form: 'infix', symbol: '-' }),
  js: { kind: 'map', scalar: ([a, b]) => `(${a}) - (${b})` },
  numpy: ([a, b]) => `${a} - ${b}`,
  rule: 'difference rule',
};

export const neg: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d(-A) = -dA
  vjp: (ct) => [negE(ct)],
  jvp: (_out, _args, _attrs, [t]) => t && negE(t),
  eval: mapEval((x) => -x),
  text: () => ({ form: 'prefix', symbol: '-' }),
  latex: () => ({ form: 'prefix', symbol: '-' }),
  js: { kind: 'map', scalar: ([a]) => `-${a}` },
  numpy: ([a]) => `-${a}`,
  rule: 'negation',
};

export const emul: OpSpec = {
  arity: 2,
  shape: broadcastShape('multiply elementwise'),
  // d(A ⊙ B) = dA ⊙ B + A ⊙ dB
  vjp: (ct, _out, [a, b], _attrs, needs) => [
    needs?.[0] === false ? null : mul(ct, b),
    needs?.[1] === false ? null : mul(ct, a),
  ],
  // vec d(A ⊙ B) = vec(B) ⊙ J_A + vec(A) ⊙ J_B, each vec a column scaling the rows of a tangent
  jvp: (out, [a, b], _attrs, [ta, tb]) =>
    addTangents(ta && mul(vecBroadcast(b, out.shape), ta), tb && mul(vecBroadcast(a, out.shape), tb)),
  eval: mapEval2((x, y) => x * y),
  // `s*A` is how the language writes a scalar times a matrix; `.*` otherwise.
  text: ([a, b]) => ({ form: 'infix', symbol: isScalar(a) || isScalar(b) ? '*' : '.*' }),
  latex: ([a, b]) => ({ form: 'infix', symbol: isScalar(a) || isScalar(b) ? '' : '\\odot' }),
  js: { kind: 'map', scalar: ([a, b]) => `(${a}) * (${b})` },
  numpy: ([a, b]) => `${a} * ${b}`,
  rule: 'product rule for the elementwise product',
};

export const ediv: OpSpec = {
  arity: 2,
  shape: broadcastShape('divide elementwise'),
  // d(A ⊘ B) = dA ⊘ B - (A ⊘ B) ⊙ dB ⊘ B
  vjp: (ct, out, [, b], _attrs, needs) => [
    needs?.[0] === false ? null : div(ct, b),
    needs?.[1] === false ? null : negE(div(mul(ct, out), b)),
  ],
  // vec d(A ⊘ B) = J_A ⊘ vec(B) - vec((A ⊘ B) ⊘ B) ⊙ J_B
  jvp: (out, [, b], _attrs, [ta, tb]) =>
    addTangents(ta && div(ta, vecBroadcast(b, out.shape)), tb && negE(mul(vecOf(div(out, b)), tb))),
  eval: mapEval2((x, y) => x / y),
  text: ([, b]) => ({ form: 'infix', symbol: isScalar(b) ? '/' : './' }),
  latex: ([, b]) => (isScalar(b) ? { form: 'frac' } : { form: 'infix', symbol: '\\oslash' }),
  js: { kind: 'map', scalar: ([a, b]) => `(${a}) / (${b})` },
  numpy: ([a, b]) => `${a} / ${b}`,
  rule: 'quotient rule',
};

export const epow: OpSpec = {
  arity: 2,
  shape: broadcastShape('take elementwise powers of'),
  // d(A^P) = P ⊙ A^(P-1) ⊙ dA + A^P ⊙ log(A) ⊙ dP. An exponent free of variables (`2`, `-2`, `1/2`, `n`)
  // gets no cotangent, so that the common `x.^2` never builds log of a possibly negative base.
  vjp: (ct, out, [a, p], _attrs, needs) => [
    needs?.[0] === false ? null : mul(ct, mul(p, pow(a, minusOne(p)))),
    needs?.[1] === false || freeVars(p).length === 0 ? null : mul(mul(ct, out), log(a)),
  ],
  // vec d(A^P) = vec(P ⊙ A^(P-1)) ⊙ J_A + vec(A^P ⊙ log A) ⊙ J_P; log A only when P depends on x.
  jvp: (out, [a, p], _attrs, [ta, tp]) =>
    addTangents(ta && mul(vecOf(mul(p, pow(a, minusOne(p)))), ta), tp && mul(vecOf(mul(out, log(a))), tp)),
  eval: mapEval2(Math.pow),
  text: ([a, p]) => ({ form: 'infix', symbol: isScalar(a) && isScalar(p) ? '^' : '.^' }),
  // x^{∘2} (a Hadamard power) unless both are scalars: `X^{2}` would be read as the matrix power X·X.
  latex: ([a, p]) => ({ form: 'infix', symbol: isScalar(a) && isScalar(p) ? '^' : '^\\circ' }),
  js: { kind: 'map', scalar: ([a, p]) => `Math.pow(${a}, ${p})` },
  numpy: ([a, p]) => `${a} ** ${p}`,
  rule: 'power rule',
};
