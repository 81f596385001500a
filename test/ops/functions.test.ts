// Elementwise function records: shape, eval against NumPy, stability at |x| = 1000, syntax forms, JS
// templates, and every VJP against finite differences (test/helpers/vjpcheck.ts).
import { describe, expect, it } from 'vitest';
import { dimSym } from '../../src/ir/dim.js';
import { variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import * as K from '../../src/kernels/index.js';
import { type Matrix, matrix } from '../../src/kernels/matrix.js';
import { apply } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { type ArgKind, vjpError } from '../helpers/vjpcheck.js';

const FUNCTIONS = [
  'exp',
  'log',
  'sqrt',
  'abs',
  'tanh',
  'sigmoid',
  'relu',
  'softplus',
  'sin',
  'cos',
  'sign',
  'step',
] as const;
const ctx = { dim: () => 1 };
const at = (op: (typeof FUNCTIONS)[number], xs: readonly number[]): Float64Array =>
  OPS[op].eval([matrix(1, xs.length, xs)], {}, ctx).data;

describe('shape', () => {
  it.each(FUNCTIONS)('%s keeps a symbolic shape', (op) => {
    const s = shape(dimSym('n'), dimSym('d'));
    expect(OPS[op].shape([s], {})).toBe(s);
    expect(apply(op, [variable('X', s)]).shape).toEqual(s);
  });
});

describe('eval', () => {
  const x = [0.3, -1.2, 2.5, -0.7];
  const ax = x.map(Math.abs);
  // Reference values computed with numpy (log and sqrt of |x|; softplus as np.log1p(np.exp(x))).
  it.each([
    ['log', ax, [-1.2039728043259361, 0.1823215567939546, 0.9162907318741551, -0.35667494393873245]],
    ['sqrt', ax, [0.5477225575051661, 1.0954451150103321, 1.5811388300841898, 0.8366600265340756]],
    ['tanh', x, [0.2913126124515909, -0.8336546070121552, 0.9866142981514303, -0.6043677771171634]],
    ['sigmoid', x, [0.574442516811659, 0.23147521650098238, 0.9241418199787566, 0.3318122278318339]],
    ['softplus', x, [0.8543552444685272, 0.2632824673380312, 2.5788897342925496, 0.4031860488854579]],
    ['sin', x, [0.29552020666133955, -0.9320390859672263, 0.5984721441039565, -0.644217687237691]],
    ['cos', x, [0.955336489125606, 0.3623577544766736, -0.8011436155469337, 0.7648421872844885]],
    ['exp', [0, 1], [1, Math.E]],
    ['abs', x, ax],
    ['relu', x, [0.3, 0, 2.5, 0]],
    ['sign', [...x, 0], [1, -1, 1, -1, 0]],
    ['step', [...x, 0], [1, 0, 1, 0, 0]],
  ] as const)('%s', (op, input, want) => {
    Array.from(at(op, input)).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 13);
    });
  });

  it('log(0) is -Infinity and sqrt(0) is 0', () => {
    expect(at('log', [0])[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(at('sqrt', [0])[0]).toBe(0);
  });

  it('sigmoid and softplus are stable at |x| = 1000', () => {
    expect(Array.from(at('sigmoid', [-1000, 1000]))).toEqual([0, 1]);
    expect(at('softplus', [1000])[0]).toBe(1000);
    const low = at('softplus', [-1000])[0];
    expect(low).toBeGreaterThanOrEqual(0);
    expect(low).toBeLessThan(1e-300);
    // e^{-40} survives: the naive log(1 + e^x) would round it away.
    expect(at('softplus', [-40])[0]).toBeCloseTo(Math.exp(-40), 30);
  });

  it('sign(0) is +0 and the piecewise kernels propagate NaN', () => {
    expect(Object.is(at('sign', [-0])[0], 0)).toBe(true);
    for (const op of ['sign', 'step', 'relu', 'sigmoid', 'softplus'] as const)
      expect(at(op, [Number.NaN])[0]).toBeNaN();
  });
});

describe('syntax forms', () => {
  const s = shape(dimSym('n'), dimSym('d'));
  it.each(FUNCTIONS)('%s is written as a call of its own name', (op) => {
    expect(OPS[op].text([s], {})).toEqual({ form: 'call', name: op });
  });

  it.each([
    ['log', { form: 'call', name: '\\log' }],
    ['sqrt', { form: 'wrap', open: '\\sqrt{', close: '}' }],
    ['abs', { form: 'wrap', open: '\\lvert ', close: ' \\rvert' }],
    ['tanh', { form: 'call', name: '\\tanh' }],
    ['sigmoid', { form: 'call', name: '\\sigma' }],
    ['relu', { form: 'call', name: '\\operatorname{relu}' }],
    ['softplus', { form: 'call', name: '\\operatorname{softplus}' }],
    ['sin', { form: 'call', name: '\\sin' }],
    ['cos', { form: 'call', name: '\\cos' }],
    ['sign', { form: 'call', name: '\\operatorname{sign}' }],
    ['step', { form: 'call', name: '\\operatorname{step}' }],
  ] as const)('latex of %s', (op, want) => {
    expect(OPS[op].latex([s], {})).toEqual(want);
  });

  it.each([
    ['sigmoid', '_sigmoid((x))'],
    ['softplus', '_softplus((x))'],
    ['relu', '_relu((x))'],
    ['step', '_step((x))'],
    ['sign', 'np.sign((x))'],
    ['log', 'np.log((x))'],
  ] as const)('numpy of %s', (op, want) => {
    expect(OPS[op].numpy(['(x)'], {})).toBe(want);
  });

  it.each(FUNCTIONS)('JS map template of %s agrees with eval', (op) => {
    const js = OPS[op].js;
    if (js.kind !== 'map') throw new Error(`${op} should be a map`);
    const f = new Function('K', 'x', `return ${js.scalar(['x'])};`) as (k: typeof K, x: number) => number;
    const xs = [0.3, 1.7, 4, ...(op === 'log' || op === 'sqrt' ? [] : [-2.5, -0.1, 0, -1000, 1000])];
    const want: Matrix = OPS[op].eval([matrix(1, xs.length, xs)], {}, ctx);
    xs.forEach((x, i) => {
      expect(f(K, x)).toBe(want.data[i]);
    });
  });
});

describe('VJPs against finite differences', () => {
  const kinds: Record<string, ArgKind> = {
    log: 'positive',
    sqrt: 'positive',
    abs: 'awayFromZero',
    relu: 'awayFromZero',
  };
  const sizes = [
    [3, 4],
    [5, 1],
  ] as const;
  it.each(FUNCTIONS.flatMap((op) => sizes.map((sz) => [op, sz] as const)))('%s at %j', (op, sz) => {
    expect(vjpError(op, [sz], {}, [kinds[op] ?? 'any'], 11)).toBeLessThan(1e-6);
  });

  it('sign and step send no cotangent', () => {
    const x = variable('x', shape(dimSym('n'), dimSym('d')));
    for (const op of ['sign', 'step'] as const)
      expect(OPS[op].vjp(x, apply(op, [x]), [x], {})).toEqual([null]);
  });

  it('the kinked functions take the subgradient 0 at 0', () => {
    const x = variable('x', shape(dimSym('n'), dimSym('d')));
    const absCt = OPS.abs.vjp(x, apply('abs', [x]), [x], {})[0];
    const reluCt = OPS.relu.vjp(x, apply('relu', [x]), [x], {})[0];
    expect(absCt).toBe(apply('emul', [x, apply('sign', [x])]));
    expect(reluCt).toBe(apply('emul', [x, apply('step', [x])]));
  });
});
