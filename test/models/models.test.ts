// The architecture builders: each loss's parameter gradients against finite differences at random sizes
// (src/api.ts check, two seeds), what each forward pass computes against hand-written references, and
// each model's NumPy export run by python3 against central differences.
import { describe, expect, it } from 'vitest';
import { check, evaluate, grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { toNumpyModule } from '../../src/emit/numpy.js';
import { shapeText } from '../../src/ir/shape.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import {
  attention,
  layerNorm,
  linearRegression,
  logisticRegression,
  type Model,
  mlp,
  modelMarkdown,
  ridgeRegression,
  softmaxRegression,
} from '../../src/models/index.js';
import { runPythonMany } from '../emit/python-driver.js';

const MODELS: readonly (readonly [string, () => Model])[] = [
  ['linear regression', () => linearRegression()],
  ['ridge regression', () => ridgeRegression()],
  ['logistic regression', () => logisticRegression()],
  ['softmax regression', () => softmaxRegression()],
  ['MLP d-h-k tanh, softmax CE, batch', () => mlp({ layers: ['d', 'h', 'k'], activation: 'tanh' })],
  ['MLP d-h-g-k relu, softmax CE, batch', () => mlp({ layers: ['d', 'h', 'g', 'k'], activation: 'relu' })],
  [
    'MLP d-h-k sigmoid, squared, batch',
    () => mlp({ layers: ['d', 'h', 'k'], activation: 'sigmoid', loss: 'squared' }),
  ],
  [
    'MLP 4 layers tanh, squared, single',
    () => mlp({ layers: ['d', 'h', 'g', 'm', 'k'], activation: 'tanh', loss: 'squared', batch: false }),
  ],
  ['MLP d-h-k relu, softmax CE, single', () => mlp({ layers: ['d', 'h', 'k'], batch: false })],
  [
    'MLP 5-3-1 (integer sizes, width-1 output)',
    () => mlp({ layers: [5, 3, 1], activation: 'tanh', loss: 'squared' }),
  ],
  ['layer normalization', () => layerNorm()],
  ['attention', () => attention()],
];

const rows = (m: Matrix): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('model gradients against finite differences at random sizes', () => {
  for (const [name, build] of MODELS) {
    it(name, () => {
      const m = build();
      for (const seed of [3, 17]) {
        const r = check(m.loss, m.params, { scope: m.scope, seed, trials: 2 });
        expect(r.perVariable.map((p) => p.variable)).toEqual(m.params);
        expect(
          r.ok,
          `${name} seed ${seed}: ${JSON.stringify(r.perVariable)} projection ${r.projectionError}`,
        ).toBe(true);
      }
    });
  }
});

describe('the models as written', () => {
  it('an MLP has one weight and one bias per layer, shaped for rows (batch) or a column (single)', () => {
    const batch = mlp({ layers: [784, 256, 64, 10] });
    expect(batch.params).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    const shapes = (m: Model) => m.params.map((p) => shapeText(m.scope.vars.get(p)!.shape));
    expect(shapes(batch)).toEqual(['784×256', '256×1', '256×64', '64×1', '64×10', '10×1']);
    expect(shapeText(batch.scope.vars.get('X')!.shape)).toBe('n×784');
    expect(batch.scope.vars.get('Y')!.qualifiers).toEqual(['onehot']);
    const single = mlp({ layers: [784, 256, 10], batch: false });
    expect(shapes(single)).toEqual(['256×784', '256×1', '10×256', '10×1']);
    expect(shapeText(single.scope.vars.get('x')!.shape)).toBe('784×1');
    expect(single.source).toContain('z1 = W1*x + b1');
    expect(batch.source).toContain("Z1 = X*W1 + b1'");
    expect(batch.source).toContain('H1 = relu(Z1)');
    expect(batch.source).toContain('L = mean(logsumexp(Z3, 2) - sum(Y .* Z3, 2))');
    expect(batch.title).toBe('MLP 784-256-64-10, relu, softmax cross-entropy, batch');
  });

  it('refuses fewer than two layers and sizes that are not sizes', () => {
    expect(() => mlp({ layers: [10] })).toThrow(/at least two/);
    expect(() => mlp({ layers: [10, 0] })).toThrow(/positive integer/);
    expect(() => mlp({ layers: ['d', 'x-y'] })).toThrow(/integer or a name/);
  });

  it('the MLP softmax cross-entropy equals −mean log softmax at the label (hand-computed)', () => {
    const m = mlp({ layers: [2, 2], loss: 'softmax-ce' });
    // one layer: Z = X*W1 + b1'; X = I, W1 = [[1, 0], [0, 2]], b1 = 0 ⇒ Z = diag(1, 2)
    const values = {
      X: [
        [1, 0],
        [0, 1],
      ],
      Y: [
        [1, 0],
        [0, 1],
      ],
      W1: [
        [1, 0],
        [0, 2],
      ],
      b1: [0, 0],
    };
    const row1 = Math.log(Math.exp(1) + 1) - 1;
    const row2 = Math.log(1 + Math.exp(2)) - 2;
    expect(evaluate(m.loss, values).data[0]).toBeCloseTo((row1 + row2) / 2, 12);
  });

  it('layer normalization gives each row mean 0 and variance 1 before gain and bias', () => {
    const m = layerNorm({ eps: 1e-12 });
    const N = m.scope.defs.get('N')!;
    const H = [
      [1, 2, 3, 10],
      [-4, 0.5, 2, 2],
    ];
    const out = rows(evaluate(N, { H, Y: H, g: [1, 1, 1, 1], b: [0, 0, 0, 0] }));
    for (const r of out) {
      const mean = r.reduce((s, x) => s + x, 0) / r.length;
      const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length;
      expect(mean).toBeCloseTo(0, 10);
      expect(variance).toBeCloseTo(1, 8);
    }
  });

  it('attention weights are a softmax per query row, scaled by sqrt(k)', () => {
    const m = attention({ features: 2, keys: 4, values: 2 });
    const A = m.scope.defs.get('A')!;
    const eye2x4 = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ];
    const X = [
      [1, 0],
      [0, 2],
      [1, 1],
    ];
    const out = rows(
      evaluate(A, {
        X,
        Y: X,
        Wq: eye2x4,
        Wk: eye2x4,
        Wv: [
          [1, 0],
          [0, 1],
        ],
      }),
    );
    for (const r of out) expect(r.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    // row 1: scores q·k / 2 = [1, 0, 1]/2 (q = k = [1, 0]; [0, 2]; [1, 1])
    const e = [Math.exp(0.5), 1, Math.exp(0.5)];
    const z = e[0] + e[1] + e[2];
    expect(out[0]).toEqual(e.map((x) => expect.closeTo(x / z, 12)));
  });

  it('logistic regression is the binary cross-entropy −[y log σ(z) + (1−y) log(1−σ(z))]', () => {
    const m = logisticRegression({ features: 1 });
    const sigma = (t: number) => 1 / (1 + Math.exp(-t));
    const X = [[0.5], [-2]];
    const y = [1, 0];
    const [w, b] = [1.5, 0.25];
    const z = X.map(([x]) => x * w + b);
    const bce = z.map((t, i) => -(y[i] * Math.log(sigma(t)) + (1 - y[i]) * Math.log(1 - sigma(t))));
    expect(evaluate(m.loss, { X, y, w: [w], b }).data[0]).toBeCloseTo((bce[0] + bce[1]) / 2, 12);
  });

  it('ridge adds λ‖w‖² to the linear regression loss', () => {
    const values = {
      X: [
        [1, 2],
        [3, 4],
        [5, 7],
      ],
      y: [1, 2, 3],
      w: [0.5, -1],
      b: 0.1,
      lambda: 0.3,
    };
    const plain = evaluate(linearRegression().loss, values).data[0];
    expect(evaluate(ridgeRegression().loss, values).data[0]).toBeCloseTo(plain + 0.3 * 1.25, 12);
  });

  it('softmax regression and an MLP with no hidden layer are the same loss', () => {
    const values = {
      X: [
        [1, 2],
        [0, -1],
        [3, 1],
      ],
      Y: [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ],
      W: [
        [0.1, 0.2, -0.3],
        [0.5, -0.5, 0.2],
      ],
      b: [0.1, 0, -0.1],
    };
    const a = evaluate(softmaxRegression().loss, values).data[0];
    const b = evaluate(mlp({ layers: ['d', 'k'] }).loss, {
      X: values.X,
      Y: values.Y,
      W1: values.W,
      b1: values.b,
    }).data[0];
    expect(a).toBeCloseTo(b, 12);
  });

  it('the derivation-file form names the loss and its parameters', () => {
    const md = modelMarkdown(logisticRegression(), 'numpy');
    expect(md).toContain(
      '```matcalc\nlet X: n x d; y: n; w: d; b: scalar\nz = X*w + b\nL = mean(softplus(z) - y .* z)\ngrad L wrt w, b\nexport numpy\n```',
    );
  });
});

describe('model NumPy exports against central differences (python3)', () => {
  it('every model', () => {
    const jobs = MODELS.map(([, build], k) => {
      const m = build();
      const wrt = m.params.map((p) => m.scope.vars.get(p)!);
      const gs = grad(m.loss, wrt);
      const source = toNumpyModule({
        name: 'L',
        title: m.title,
        value: expandDerivatives(m.loss),
        grads: wrt.map((v, i) => ({ wrt: v, expr: gs[i] })),
        inputs: [...m.scope.vars.values()],
      });
      return { source, inputs: [...m.scope.vars.values()], grads: m.params, seed: 100 + k };
    });
    const reports = runPythonMany(jobs);
    reports.forEach((r, k) => {
      for (const p of jobs[k].grads) expect(r.errors[p], `${MODELS[k][0]}: ∂L/∂${p}`).toBeLessThan(1e-6);
    });
  });
});
