// Gradient speed on today's architectures: a pre-LN transformer block (n = 128 tokens, d = 128, 4 causal
// heads of width 32, GELU MLP 512), an Elman RNN (T = 64 steps, batch 32, 32 → 128 → 8) and a 1-D conv net
// (T = 256, 16 channels, 64 filters, width 3): the compiled matcalc gradient (loss + every parameter
// gradient, float64) against tfjs tf.grads (CPU and wasm backends, float32) and PyTorch autograd (float64
// and float32, one thread) when a python3 has torch; and, for layer norm and GELU, the exported matcalc
// torch.autograd.Function's backward against torch autograd. Medians; gradients cross-checked.
// Run: node --import tsx bench/models.ts [--rounds N] [--only gelu,layernorm]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { grad } from '../src/api.js';
import { expandDerivatives } from '../src/diff/expand.js';
import { compile } from '../src/emit/js.js';
import { toTorchModule } from '../src/emit/torch.js';
import { dimValue } from '../src/ir/dim.js';
import {
  buildModel,
  convNet,
  elmanRnn,
  layerNorm,
  type Model,
  transformerBlock,
} from '../src/models/index.js';
import { seededRandom } from '../src/numeric/random.js';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;
const only = process.argv.includes('--only')
  ? new Set(process.argv[process.argv.indexOf('--only') + 1].split(','))
  : null;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Case {
  readonly key: string;
  readonly model: Model;
  readonly extra?: Record<string, number>;
  readonly tfjs?: (tf: typeof Tf, t: Record<string, Tf.Tensor>) => Tf.Scalar;
  readonly exported?: boolean;
}

function tfLayerNorm(tf: typeof Tf, x: Tf.Tensor, g: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  const c = tf.sub(x, tf.mean(x, 1, true));
  const v = tf.mean(tf.mul(c, c), 1, true);
  return tf.add(tf.mul(tf.div(c, tf.sqrt(tf.add(v, 1e-5))), tf.reshape(g, [1, -1])), tf.reshape(b, [1, -1]));
}
const tfGelu = (tf: typeof Tf, x: Tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
const row = (tf: typeof Tf, v: Tf.Tensor) => tf.reshape(v, [1, -1]);

const HEADS = 4;
const CASES: readonly Case[] = [
  {
    key: 'transformer',
    model: transformerBlock({ heads: HEADS, features: 128, keys: 32, hidden: 512 }),
    extra: { n: 128 },
    tfjs: (tf, t) => {
      const X = t.X;
      const n = X.shape[0];
      const N1 = tfLayerNorm(tf, X, t.g1, t.b1);
      const keep = tf.linalg.bandPart(tf.ones([n, n]), -1, 0);
      let O: Tf.Tensor = tf.zerosLike(X);
      for (let h = 1; h <= HEADS; h++) {
        const S = tf.div(
          tf.matMul(tf.matMul(N1, t[`Wq${h}`]), tf.matMul(N1, t[`Wk${h}`]), false, true),
          Math.sqrt(32),
        );
        const A = tf.softmax(tf.add(S, tf.mul(tf.sub(keep, 1), 1e9)));
        O = tf.add(O, tf.matMul(tf.matMul(tf.matMul(A, N1), t[`Wv${h}`]), t[`Wo${h}`]));
      }
      const R = tf.add(X, O);
      const N2 = tfLayerNorm(tf, R, t.g2, t.b2);
      const F = tf.add(
        tf.matMul(tfGelu(tf, tf.add(tf.matMul(N2, t.W1), row(tf, t.c1))), t.W2),
        row(tf, t.c2),
      );
      return tf.div(tf.sum(tf.square(tf.sub(tf.add(R, F), t.Y))), 2) as Tf.Scalar;
    },
  },
  {
    key: 'rnn',
    model: elmanRnn({ steps: 64, features: 32, hidden: 128, outputs: 8 }),
    extra: { n: 32, steps: 64 },
    tfjs: (tf, t) => {
      let H: Tf.Tensor | null = null;
      for (let s = 1; s <= 64; s++) {
        const Z = tf.add(tf.matMul(t[`X${s}`], t.Wx), row(tf, t.b));
        H = tf.tanh(H ? tf.add(Z, tf.matMul(H, t.Wh)) : Z);
      }
      return tf.div(
        tf.sum(tf.square(tf.sub(tf.add(tf.matMul(H!, t.Wy), row(tf, t.c)), t.Y))),
        2,
      ) as Tf.Scalar;
    },
  },
  {
    key: 'convnet',
    model: convNet({ width: 3, channels: 16, filters: 64, outputs: 8 }),
    extra: { T: 256, width: 3 },
    tfjs: (tf, t) => {
      const shift = (x: Tf.Tensor, j: number) =>
        j === 0 ? x : tf.concat([tf.zeros([j, x.shape[1]!]), tf.slice(x, [0, 0], [x.shape[0] - j, -1])]);
      const conv = (x: Tf.Tensor, k: string, b: Tf.Tensor) =>
        tf.relu(tf.add(tf.addN([0, 1, 2].map((j) => tf.matMul(shift(x, j), t[`${k}${j}`]))), row(tf, b)));
      const H2 = conv(conv(t.X, 'K', t.b), 'J', t.b2);
      const p = tf.add(tf.transpose(tf.matMul(tf.mean(H2, 0, true), t.Wy)), t.a);
      return tf.div(tf.sum(tf.square(tf.sub(p, t.y))), 2) as Tf.Scalar;
    },
  },
  { key: 'layernorm', model: layerNorm({ features: 512 }), extra: { n: 1024 }, exported: true },
  {
    key: 'gelu',
    model: buildModel({
      title: 'GELU layer, squared error',
      decls: ['X: n x 512', 'W: 512 x 512', 'Y: n x 512'],
      defs: [['L', 'sum((gelu_erf(X*W) - Y).^2)/2']],
      params: ['W'],
    }),
    extra: { n: 1024 },
    exported: true,
  },
];

function torchPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {}
  }
  return null;
}

async function loadTf(): Promise<typeof Tf | null> {
  try {
    const core = (await import('@tensorflow/tfjs')) as typeof Tf & { default?: typeof Tf };
    const tf = core.default ?? core;
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname } = await import('node:path');
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    (wasm.default ?? wasm).setWasmPaths(`${dist}/`);
    tf.enableProdMode();
    return tf;
  } catch {
    return null;
  }
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / Math.max(s, 1e-300);
};

async function main(): Promise<void> {
  const python = torchPython();
  const tf = await loadTf();
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-bench-models-'));
  const goals: string[] = [];
  for (const c of CASES) {
    if (only && !only.has(c.key)) continue;
    const m = c.model;
    const rand = seededRandom(7);
    const inputs = [...m.scope.vars.values()];
    const dims = new Map(Object.entries(c.extra ?? {}));
    const arrays: Record<string, Float64Array> = {};
    const shapes: Record<string, [number, number]> = {};
    for (const v of inputs) {
      const r = dimValue(v.shape.rows, dims);
      const k = dimValue(v.shape.cols, dims);
      // weights scaled by 1/√fan-in, as initializers do, so activations stay in range
      const scale = m.params.includes(v.name) ? 1 / Math.sqrt(Math.max(r, 1)) : 1;
      arrays[v.name] = Float64Array.from({ length: r * k }, () => (rand() * 2 - 1) * scale);
      shapes[v.name] = [r, k];
    }
    const values = Object.fromEntries(
      inputs.map((v) => [v.name, { rows: shapes[v.name][0], cols: shapes[v.name][1], data: arrays[v.name] }]),
    );
    const gs = grad(m.loss, m.params, { scope: m.scope });
    const fn = compile([m.loss, ...gs]);
    const timeMatcalc = () => {
      const ms: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        fn(values);
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    fn(values);
    const before = timeMatcalc();
    const ours = fn(values)
      .slice(1)
      .map((g) => Float64Array.from(g.data));
    const results: { name: string; ms: number; agree: number | null }[] = [];
    const others: { name: string; ms: number[]; grads: Record<string, number[]> }[] = [];
    if (python) {
      const files: Record<string, string> = {};
      for (const [name, data] of Object.entries(arrays)) {
        files[name] = join(dir, `${c.key}-${name}.f64`);
        writeFileSync(files[name], Buffer.from(data.buffer));
      }
      let exported: string | undefined;
      if (c.exported) {
        exported = join(dir, `${c.key}_exported.py`);
        const wrt = m.params.map((p) => m.scope.vars.get(p)!);
        writeFileSync(
          exported,
          toTorchModule({
            name: 'L',
            title: m.title,
            value: expandDerivatives(m.loss),
            grads: wrt.map((v, i) => ({ wrt: v, expr: gs[i] })),
            inputs,
          }),
        );
      }
      const out = JSON.parse(
        execFileSync(python, ['bench/models_torch.py'], {
          input: JSON.stringify({
            model: c.key,
            arrays: files,
            shapes,
            params: m.params,
            rounds,
            exported,
            heads: HEADS,
            ...c.extra,
          }),
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        }),
      ) as Record<string, { ms: number[]; grads: Record<string, number[]> }>;
      for (const [name, r] of Object.entries(out)) others.push({ name, ...r });
    }
    if (tf && c.tfjs) {
      for (const backend of ['cpu', 'wasm'] as const) {
        await tf.setBackend(backend);
        const t = Object.fromEntries(
          Object.entries(arrays).map(([n, a]) => [n, tf.tensor2d(Float32Array.from(a), shapes[n])]),
        );
        const params = m.params.map((p) => t[p]);
        const lossOf = (...ps: Tf.Tensor[]) =>
          c.tfjs!(tf, { ...t, ...Object.fromEntries(m.params.map((p, i) => [p, ps[i]])) });
        const g = tf.grads(lossOf);
        const ms: number[] = [];
        let last: Float32Array[] = [];
        for (let i = 0; i < Math.max(3, Math.ceil(rounds / 2)); i++) {
          const t0 = performance.now();
          const out = g(params);
          last = out.map((x) => x.dataSync() as Float32Array);
          ms.push(performance.now() - t0);
          for (const x of out) x.dispose();
        }
        others.push({
          name: `tfjs ${backend} tf.grads float32`,
          ms,
          grads: Object.fromEntries(m.params.map((p, i) => [p, Array.from(last[i])])),
        });
        for (const x of Object.values(t)) x.dispose();
      }
    }
    const after = timeMatcalc();
    const mine = median([...before, ...after]);
    results.push({ name: 'matcalc compile float64', ms: mine, agree: null });
    for (const o of others) {
      const agree = Math.max(...m.params.map((p, i) => maxRel(o.grads[p], ours[i])));
      results.push({ name: o.name, ms: median(o.ms), agree });
    }
    console.log(`\n### ${m.title}\n`);
    console.log('| contender | gradient ms (median) | matcalc speed-up | max rel. difference from matcalc |');
    console.log('|---|---|---|---|');
    for (const r of results) {
      const speedup = r.name.startsWith('matcalc compile') ? '1' : (r.ms / mine).toFixed(2);
      console.log(
        `| ${r.name} | ${r.ms.toFixed(2)} | ${speedup} | ${r.agree === null ? '—' : r.agree.toExponential(1)} |`,
      );
    }
    if (!c.exported) {
      const rivals = results.filter((r) => !r.name.startsWith('matcalc'));
      const beaten = rivals.every((r) => r.ms > mine);
      goals.push(
        `${beaten ? 'MET    ' : 'NOT MET'} ${c.key}: compiled gradient faster than every contender (${rivals.map((r) => `${r.name} ${(r.ms / mine).toFixed(2)}×`).join(', ')})`,
      );
    } else {
      const fnR = others.find((r) => r.name.startsWith('matcalc torch'));
      const auto = others.find((r) => r.name === 'PyTorch autograd float64');
      if (fnR && auto) {
        // The Python contenders run interleaved, so round i of each saw the same load.
        const ratio = median(auto.ms.map((a, i) => a / fnR.ms[i]));
        const [fm, am] = [median(fnR.ms), median(auto.ms)];
        goals.push(
          `${ratio >= 1 ? 'MET    ' : 'NOT MET'} ${c.key}: exported torch Function (loss + backward) at least as fast as torch autograd float64: ${ratio.toFixed(3)}× (median of ${fnR.ms.length} interleaved rounds' autograd/Function; medians ${fm.toFixed(2)} vs ${am.toFixed(2)} ms)`,
        );
      }
    }
  }
  if (!python) goals.push('NOT MET PyTorch contenders: no python3 with torch found');
  if (!tf) goals.push('NOT MET tfjs contenders: @tensorflow/tfjs not loadable');
  console.log(`\nGoals:\n${goals.join('\n')}`);
}

await main();
