// TensorFlow.js contenders for bench/codegen.ts: the MLP loss mean(logsumexp(Z2, 1) − sum(Y ⊙ Z2, 1)) and its
// tf.grads autodiff on the pure-JS CPU backend and on tfjs-backend-wasm (SIMD, one thread under Node), float32.
// tfjs is a devDependency loaded with import() here only; no native bindings (tfjs-node) are involved.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import type { MlpData, MlpSizes } from './handwritten.js';
import type { Contender, Runner } from './mlp.js';

type TfModule = typeof Tf;
type Backend = 'cpu' | 'wasm';

let loaded: Promise<TfModule> | undefined;

/** tfjs with both backends registered; the wasm binaries come from the installed package's dist/. */
function loadTf(): Promise<TfModule> {
  loaded ??= (async () => {
    const core = (await import('@tensorflow/tfjs')) as TfModule & { default?: TfModule };
    const tf = core.default ?? core;
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    (wasm.default ?? wasm).setWasmPaths(`${dist}/`);
    // Production mode: no per-kernel correctness checks (and no Node greeting from the CPU backend).
    tf.enableProdMode();
    return tf;
  })();
  return loaded;
}

/** Switches the engine to `backend`: synchronous once the backend is initialized. */
function use(tf: TfModule, backend: Backend): void {
  if (tf.getBackend() === backend) return;
  void tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`tfjs: backend ${backend} is not initialized`);
}

async function prepare(backend: Backend, v: MlpData, { n, d, h, k }: MlpSizes): Promise<Runner> {
  const tf = await loadTf();
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialize`);
  use(tf, backend);
  const f32 = (x: Float64Array) => Float32Array.from(x);
  const X = tf.tensor2d(f32(v.X), [n, d]);
  const Y = tf.tensor2d(f32(v.Y), [n, k]);
  const params = [tf.tensor2d(f32(v.W1), [d, h]), tf.tensor1d(f32(v.b1)), tf.tensor2d(f32(v.W2), [h, k])];
  params.push(tf.tensor1d(f32(v.b2)));
  // Z1 = X W1 + b1, H = relu(Z1), Z2 = H W2 + b2
  const loss = (W1: Tf.Tensor, b1: Tf.Tensor, W2: Tf.Tensor, b2: Tf.Tensor): Tf.Scalar => {
    const Z2 = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2);
    return tf.mean(tf.sub(tf.logSumExp(Z2, 1), tf.sum(tf.mul(Y, Z2), 1)));
  };
  const gradients = tf.grads(loss);
  return {
    activate: () => use(tf, backend),
    forward: () => {
      use(tf, backend);
      const l = tf.tidy(() => loss(params[0], params[1], params[2], params[3]));
      const value = l.dataSync()[0];
      l.dispose();
      return value;
    },
    gradient: () => {
      use(tf, backend);
      const gs = gradients(params);
      const out = gs.map((g) => g.dataSync() as Float32Array);
      for (const g of gs) g.dispose();
      return out;
    },
  };
}

export const tfjsCpu: Contender = {
  name: 'tfjs cpu tf.grads',
  prepare: (data, sizes) => prepare('cpu', data, sizes),
};

export const tfjsWasm: Contender = {
  name: 'tfjs wasm tf.grads',
  prepare: (data, sizes) => prepare('wasm', data, sizes),
};
