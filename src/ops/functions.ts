// Elementwise functions of one argument: exp log sqrt abs tanh sigmoid relu softplus sin cos sign step.
// Each keeps its argument's shape; its VJP is ct ⊙ f'(x), written with f's output where that is cheaper.
import * as K from '../kernels/scalar.js';
import {
  cos as cosE,
  div,
  neg,
  num,
  pow,
  sigmoid as sigmoidE,
  sign as signE,
  sin as sinE,
  step as stepE,
  sub,
  vecOf,
} from './build.js';
import { mapEval, sameShape } from './shared.js';
import type { OpSpec } from './spec.js';
import { mul } from './tidy.js';

export const exp: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d exp(A) = exp(A) ⊙ dA
  vjp: (ct, out) => [mul(ct, out)],
  // vec d exp(A) = vec(exp A) ⊙ J
  jvp: (out, _args, _attrs, [t]) => t && mul(vecOf(out), t),
  eval: mapEval(Math.exp),
  text: () => ({ form: 'call', name: 'exp' }),
  latex: () => ({ form: 'call', name: '\\exp' }),
  js: { kind: 'map', scalar: ([a]) => `Math.exp(${a})` },
  numpy: ([a]) => `np.exp(${a})`,
  rule: 'chain rule through exp',
};

export const log: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d log(A) = dA ⊘ A
  vjp: (ct, _out, [a]) => [div(ct, a)],
  // vec d log(A) = J ⊘ vec(A)
  jvp: (_out, [a], _attrs, [t]) => t && div(t, vecOf(a)),
  eval: mapEval(Math.log),
  text: () => ({ form: 'call', name: 'log' }),
  latex: () => ({ form: 'call', name: '\\log' }),
  js: { kind: 'map', scalar: ([a]) => `Math.log(${a})` },
  numpy: ([a]) => `np.log(${a})`,
  rule: 'chain rule through log',
  domain: ['pos'],
};

export const sqrt: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d √A = dA ⊘ (2√A)
  vjp: (ct, out) => [div(ct, mul(num(2), out))],
  // vec d √A = J ⊘ vec(2√A)
  jvp: (out, _args, _attrs, [t]) => t && div(t, vecOf(mul(num(2), out))),
  eval: mapEval(Math.sqrt),
  text: () => ({ form: 'call', name: 'sqrt' }),
  latex: () => ({ form: 'wrap', open: '\\sqrt{', close: '}' }),
  js: { kind: 'map', scalar: ([a]) => `Math.sqrt(${a})` },
  numpy: ([a]) => `np.sqrt(${a})`,
  rule: 'chain rule through sqrt',
  domain: ['pos'],
};

export const abs: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d|A| = sign(A) ⊙ dA, taking the subgradient 0 at A = 0
  vjp: (ct, _out, [a]) => [mul(ct, signE(a))],
  // vec d|A| = vec(sign A) ⊙ J
  jvp: (_out, [a], _attrs, [t]) => t && mul(vecOf(signE(a)), t),
  eval: mapEval(Math.abs),
  text: () => ({ form: 'call', name: 'abs' }),
  latex: () => ({ form: 'wrap', open: '\\lvert ', close: ' \\rvert' }),
  js: { kind: 'map', scalar: ([a]) => `Math.abs(${a})` },
  numpy: ([a]) => `np.abs(${a})`,
  rule: 'chain rule through abs',
};

export const tanh: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d tanh(A) = (1 - tanh(A)²) ⊙ dA
  vjp: (ct, out) => [mul(ct, sub(num(1), pow(out, num(2))))],
  // vec d tanh(A) = vec(1 - tanh(A)²) ⊙ J
  jvp: (out, _args, _attrs, [t]) => t && mul(vecOf(sub(num(1), pow(out, num(2)))), t),
  eval: mapEval(Math.tanh),
  text: () => ({ form: 'call', name: 'tanh' }),
  latex: () => ({ form: 'call', name: '\\tanh' }),
  js: { kind: 'map', scalar: ([a]) => `Math.tanh(${a})` },
  numpy: ([a]) => `np.tanh(${a})`,
  rule: 'chain rule through tanh',
};

export const sigmoid: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d σ(A) = σ(A) ⊙ (1 - σ(A)) ⊙ dA
  vjp: (ct, out) => [mul(mul(ct, out), sub(num(1), out))],
  // vec d σ(A) = vec(σ(A) ⊙ (1 - σ(A))) ⊙ J
  jvp: (out, _args, _attrs, [t]) => t && mul(vecOf(mul(out, sub(num(1), out))), t),
  eval: mapEval(K.sigmoid),
  text: () => ({ form: 'call', name: 'sigmoid' }),
  latex: () => ({ form: 'call', name: '\\sigma' }),
  js: { kind: 'map', scalar: ([a]) => `K.sigmoid(${a})` },
  numpy: ([a]) => `_sigmoid(${a})`,
  rule: 'chain rule through sigmoid',
};

export const relu: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d relu(A) = step(A) ⊙ dA, taking the subgradient 0 at A = 0
  vjp: (ct, _out, [a]) => [mul(ct, stepE(a))],
  // vec d relu(A) = vec(step A) ⊙ J
  jvp: (_out, [a], _attrs, [t]) => t && mul(vecOf(stepE(a)), t),
  eval: mapEval(K.relu),
  text: () => ({ form: 'call', name: 'relu' }),
  latex: () => ({ form: 'call', name: '\\operatorname{relu}' }),
  js: { kind: 'map', scalar: ([a]) => `K.relu(${a})` },
  numpy: ([a]) => `_relu(${a})`,
  rule: 'chain rule through relu',
};

export const softplus: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d log(1 + e^A) = σ(A) ⊙ dA
  vjp: (ct, _out, [a]) => [mul(ct, sigmoidE(a))],
  // vec d softplus(A) = vec(σ(A)) ⊙ J
  jvp: (_out, [a], _attrs, [t]) => t && mul(vecOf(sigmoidE(a)), t),
  eval: mapEval(K.softplus),
  text: () => ({ form: 'call', name: 'softplus' }),
  latex: () => ({ form: 'call', name: '\\operatorname{softplus}' }),
  js: { kind: 'map', scalar: ([a]) => `K.softplus(${a})` },
  numpy: ([a]) => `_softplus(${a})`,
  rule: 'chain rule through softplus',
};

export const sin: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d sin(A) = cos(A) ⊙ dA
  vjp: (ct, _out, [a]) => [mul(ct, cosE(a))],
  // vec d sin(A) = vec(cos A) ⊙ J
  jvp: (_out, [a], _attrs, [t]) => t && mul(vecOf(cosE(a)), t),
  eval: mapEval(Math.sin),
  text: () => ({ form: 'call', name: 'sin' }),
  latex: () => ({ form: 'call', name: '\\sin' }),
  js: { kind: 'map', scalar: ([a]) => `Math.sin(${a})` },
  numpy: ([a]) => `np.sin(${a})`,
  rule: 'chain rule through sin',
};

export const cos: OpSpec = {
  arity: 1,
  shape: sameShape,
  // d cos(A) = -sin(A) ⊙ dA
  vjp: (ct, _out, [a]) => [neg(mul(ct, sinE(a)))],
  // vec d cos(A) = -vec(sin A) ⊙ J
  jvp: (_out, [a], _attrs, [t]) => t && neg(mul(vecOf(sinE(a)), t)),
  eval: mapEval(Math.cos),
  text: () => ({ form: 'call', name: 'cos' }),
  latex: () => ({ form: 'call', name: '\\cos' }),
  js: { kind: 'map', scalar: ([a]) => `Math.cos(${a})` },
  numpy: ([a]) => `np.cos(${a})`,
  rule: 'chain rule through cos',
};

export const sign: OpSpec = {
  arity: 1,
  shape: sameShape,
  // Piecewise constant: the derivative is 0 wherever it exists (everywhere but 0), so no cotangent flows.
  vjp: () => [null],
  jvp: () => null,
  eval: mapEval(K.sign),
  text: () => ({ form: 'call', name: 'sign' }),
  latex: () => ({ form: 'call', name: '\\operatorname{sign}' }),
  js: { kind: 'map', scalar: ([a]) => `K.sign(${a})` },
  numpy: ([a]) => `np.sign(${a})`,
  rule: 'sign is locally constant',
};

export const step: OpSpec = {
  arity: 1,
  shape: sameShape,
  // Piecewise constant: the derivative is 0 wherever it exists (everywhere but 0), so no cotangent flows.
  vjp: () => [null],
  jvp: () => null,
  eval: mapEval(K.step),
  text: () => ({ form: 'call', name: 'step' }),
  latex: () => ({ form: 'call', name: '\\operatorname{step}' }),
  js: { kind: 'map', scalar: ([a]) => `K.step(${a})` },
  numpy: ([a]) => `_step(${a})`,
  rule: 'step is locally constant',
};
