// Today's architectures (multi-head and causal attention, a pre-LN transformer block, Elman RNN, GRU,
// causal convolutions, an embedding classifier, a VAE, a Gaussian process): parameter gradients against
// finite differences at two seeds, forward passes against hand-written loops, and every model's NumPy and
// JAX exports run by python3 against central differences at two sets of sizes.
import { describe, expect, it } from 'vitest';
import { check, evaluate, grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { toJaxModule } from '../../src/emit/jax.js';
import { toNumpyModule } from '../../src/emit/numpy.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import {
  conv1d,
  convNet,
  elmanRnn,
  embedding,
  gaussianProcess,
  gru,
  type Model,
  multiHeadAttention,
  transformerBlock,
  vae,
} from '../../src/models/index.js';
import { seededRandom } from '../../src/numeric/random.js';
import { runPythonMany, sizesFor } from '../emit/python-driver.js';

const MODELS: readonly (readonly [string, () => Model])[] = [
  ['2-head attention', () => multiHeadAttention({ heads: 2 })],
  ['3-head causal attention', () => multiHeadAttention({ heads: 3, causal: true })],
  ['pre-LN transformer block', () => transformerBlock({ heads: 2 })],
  ['Elman RNN, 3 steps', () => elmanRnn({ steps: 3 })],
  ['GRU, 3 steps', () => gru({ steps: 3 })],
  ['causal convolution, width 3', () => conv1d({ width: 3 })],
  ['conv net, width 2', () => convNet({ width: 2 })],
  ['embedding classifier', () => embedding()],
  ['VAE', () => vae()],
  ['Gaussian process NLML', () => gaussianProcess()],
];

describe('architecture gradients against finite differences', () => {
  for (const [name, build] of MODELS) {
    it(name, () => {
      const m = build();
      for (const seed of [5, 23]) {
        const r = check(m.loss, m.params, { scope: m.scope, seed, trials: 2 });
        expect(r.ok, `${name} seed ${seed}: ${JSON.stringify(r.perVariable)}`).toBe(true);
      }
    });
  }
});

const rand = seededRandom(42);
const randn = (r: number, c: number): number[][] =>
  Array.from({ length: r }, () => Array.from({ length: c }, () => rand() * 2 - 1));
const rowsOf = (m: Matrix): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
const matmul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));

describe('forward passes against hand-written loops', () => {
  it('causal attention gives each query zero weight on later tokens, and rows sum to 1', () => {
    const m = multiHeadAttention({ heads: 1, causal: true, features: 3, keys: 2 });
    const values = {
      X: randn(5, 3),
      Y: randn(5, 3),
      Wq1: randn(3, 2),
      Wk1: randn(3, 2),
      Wv1: randn(3, 2),
      Wo1: randn(2, 3),
    };
    const A = rowsOf(evaluate(m.scope.defs.get('A1')!, values));
    A.forEach((row, i) => {
      row.forEach((p, j) => {
        if (j > i) expect(p).toBe(0);
        else expect(p).toBeGreaterThan(0);
      });
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    });
  });

  it('the causal convolution is y_t = Σ_j x_{t−j} K_j + b', () => {
    const m = conv1d({ width: 3, channels: 2, filters: 2 });
    const X = randn(6, 2);
    const K = [randn(2, 2), randn(2, 2), randn(2, 2)];
    const b = [0.3, -0.2];
    const Z = rowsOf(evaluate(m.scope.defs.get('Z')!, { X, Y: X, K0: K[0], K1: K[1], K2: K[2], b }));
    for (let t = 0; t < 6; t++) {
      for (let o = 0; o < 2; o++) {
        let want = b[o];
        for (let j = 0; j < 3; j++)
          if (t - j >= 0) for (let c = 0; c < 2; c++) want += X[t - j][c] * K[j][c][o];
        expect(Z[t][o]).toBeCloseTo(want, 12);
      }
    }
  });

  it('the GRU follows h = (1 − z) ⊙ n + z ⊙ h_prev step by step', () => {
    const m = gru({ steps: 2, features: 2, hidden: 3, outputs: 1 });
    const v = {
      X1: randn(1, 2),
      X2: randn(1, 2),
      Y: [[0.5]],
      Wz: randn(2, 3),
      Uz: randn(3, 3),
      bz: [0.1, 0.2, 0.3],
      Wr: randn(2, 3),
      Ur: randn(3, 3),
      br: [0, 0.1, 0],
      Wn: randn(2, 3),
      Un: randn(3, 3),
      bn: [0.2, 0, -0.1],
      Wy: randn(3, 1),
      c: [0],
    };
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const add = (a: number[], b: number[]) => a.map((x, i) => x + b[i]);
    const row = (x: number[], W: number[][]) => matmul([x], W)[0];
    let h = [0, 0, 0];
    for (const [t, x] of [v.X1[0], v.X2[0]].entries()) {
      const z = add(add(row(x, v.Wz), t ? row(h, v.Uz) : [0, 0, 0]), v.bz).map(sig);
      const r = add(add(row(x, v.Wr), row(h, v.Ur)), v.br).map(sig);
      const n = add(
        add(
          row(x, v.Wn),
          t
            ? row(
                h.map((hi, i) => hi * r[i]),
                v.Un,
              )
            : [0, 0, 0],
        ),
        v.bn,
      ).map(Math.tanh);
      h = h.map((hi, i) => (1 - z[i]) * n[i] + z[i] * hi);
    }
    const got = rowsOf(evaluate(m.scope.defs.get('H2')!, v))[0];
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(h[i], 12);
    });
  });

  it('the VAE KL is −½ Σ (1 + V − M² − e^V)', () => {
    const m = vae({ features: 2, latent: 2 });
    const v = { X: randn(3, 2), E: randn(3, 2), We: randn(2, 2), Wv: randn(2, 2), Wd: randn(2, 2) };
    const M = matmul(v.X, v.We).flat();
    const V = matmul(v.X, v.Wv).flat();
    const want = -0.5 * M.reduce((s, mu, i) => s + 1 + V[i] - mu * mu - Math.exp(V[i]), 0);
    expect(evaluate(m.scope.defs.get('KL')!, v).data[0]).toBeCloseTo(want, 12);
  });
});

describe('architecture exports (NumPy and JAX) against central differences, two sets of sizes', () => {
  it('every model', () => {
    const jobs = MODELS.flatMap(([, build], k) => {
      const m = build();
      const wrt = m.params.map((p) => m.scope.vars.get(p)!);
      const gs = grad(m.loss, wrt);
      const spec = {
        name: 'L',
        title: m.title,
        value: expandDerivatives(m.loss),
        grads: wrt.map((v, i) => ({ wrt: v, expr: gs[i] })),
        inputs: [...m.scope.vars.values()],
      };
      const inputs = [...m.scope.vars.values()];
      return [2, 3].flatMap((base) => [
        { source: toNumpyModule(spec), inputs, grads: m.params, seed: 7 + k, dims: sizesFor(inputs, base) },
        {
          source: toJaxModule(spec),
          inputs,
          grads: m.params,
          seed: 7 + k,
          dims: sizesFor(inputs, base),
          jax: true,
        },
      ]);
    });
    const reports = runPythonMany(jobs);
    reports.forEach((r, i) => {
      const name = MODELS[Math.floor(i / 4)][0];
      for (const p of jobs[i].grads) expect(r.errors[p], `${name} (job ${i}): ∂L/∂${p}`).toBeLessThan(1e-6);
    });
  });
});
