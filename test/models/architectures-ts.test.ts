// The TypeScript exports of today's architectures: every module type-checks alone under tsc --strict,
// and its grad_<NAME> functions agree with central differences of its own value() at two sets of sizes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { toTsModule } from '../../src/emit/ts-module.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import {
  conv1d,
  elmanRnn,
  embedding,
  gaussianProcess,
  gru,
  type Model,
  multiHeadAttention,
  transformerBlock,
  vae,
} from '../../src/models/index.js';
import { randomValue, seededRandom } from '../../src/numeric/random.js';
import { sizesFor } from '../emit/python-driver.js';

const MODELS: readonly (readonly [string, () => Model])[] = [
  ['causal 2-head attention', () => multiHeadAttention({ heads: 2, causal: true })],
  ['transformer block', () => transformerBlock({ heads: 1 })],
  ['Elman RNN', () => elmanRnn({ steps: 2 })],
  ['GRU', () => gru({ steps: 2 })],
  ['causal convolution', () => conv1d()],
  ['embedding classifier', () => embedding()],
  ['VAE', () => vae()],
  ['Gaussian process NLML', () => gaussianProcess()],
];

const dir = mkdtempSync(join(tmpdir(), 'matcalc-arch-ts-'));
const file = (k: number) => join(dir, `model${k}.ts`);
const specs = MODELS.map(([, build], k) => {
  const m = build();
  const wrt = m.params.map((p) => m.scope.vars.get(p)!);
  const gs = grad(m.loss, wrt);
  const inputs = [...m.scope.vars.values()];
  writeFileSync(
    file(k),
    toTsModule({
      name: 'L',
      title: m.title,
      value: expandDerivatives(m.loss),
      grads: wrt.map((v, i) => ({ wrt: v, expr: gs[i] })),
      inputs,
    }),
  );
  return { m, inputs };
});

type Fn = (values: object) => Matrix;

describe('architecture TypeScript exports', () => {
  it('type-check standalone under tsc --strict', () => {
    const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
    expect(() =>
      execFileSync(
        tsc,
        ['--strict', '--noEmit', '--target', 'es2022', ...MODELS.map((_, k) => `model${k}.ts`)],
        { cwd: dir, encoding: 'utf8' },
      ),
    ).not.toThrow();
  });

  MODELS.forEach(([name], k) => {
    it(`${name}: gradients agree with central differences of value() at two sets of sizes`, async () => {
      const { m, inputs } = specs[k];
      const mod = (await import(pathToFileURL(file(k)).href)) as Record<string, Fn>;
      for (const base of [2, 3]) {
        const dims = sizesFor(inputs, base);
        const rand = seededRandom(31 + k + base);
        const values: Record<string, Matrix> = {};
        for (const v of inputs) values[v.name] = randomValue(v, dims, rand);
        const f = () => mod.value(values).data[0];
        for (const p of m.params) {
          const g = mod[`grad_${p}`](values);
          const x = values[p].data;
          let worst = 0;
          for (let i = 0; i < x.length; i++) {
            const old = x[i];
            const h = 1e-5 * Math.max(1, Math.abs(old));
            x[i] = old + h;
            const fp = f();
            x[i] = old - h;
            const fm = f();
            x[i] = old;
            const numeric = (fp - fm) / (2 * h);
            worst = Math.max(worst, Math.abs(g.data[i] - numeric) / Math.max(1, Math.abs(numeric)));
          }
          expect(worst, `${name} (sizes from ${base}): ∂L/∂${p}`).toBeLessThan(1e-6);
        }
      }
    });
  });
});
