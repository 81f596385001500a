// The logistic-regression Hessian H = Xᵀ diag(σ(Xw) ⊙ σ(−Xw)) X at n = 2000, d = 300, three ways: matcalc's
// compiled closure of `matcalc hessian`, TensorFlow.js tf.grads column by column (H e_j = ∇(∇f·e_j), d
// reverse-over-reverse passes, as an autodiff user without a Hessian primitive would), and plain loops.
// Also the compiled Hessian-vector product (one H v without H). Numbers are measured, never asserted.
// Run: node --import tsx bench/hessian.ts [--quick]
import type * as Tf from '@tensorflow/tfjs';
import { compile, hessian, hvp } from '../src/index.js';
import type { Matrix } from '../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';

const quick = process.argv.includes('--quick');
const [n, d] = quick ? [400, 60] : [2000, 300];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const rand = seeded(7);
const X = Float64Array.from({ length: n * d }, () => (2 * rand() - 1) / Math.sqrt(d));
const w = Float64Array.from({ length: d }, () => 2 * rand() - 1);
const y = Float64Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1));
const v = Float64Array.from({ length: d }, () => 2 * rand() - 1);

/** Median wall time in ms of `runs` calls (after one warm-up call). */
function time(runs: number, f: () => unknown): number {
  f();
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
}

function loopsHessian(): Float64Array {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += X[i * d + j] * w[j];
    const p = 1 / (1 + Math.exp(-z));
    s[i] = p * (1 - p);
  }
  const H = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const a = s[i] * X[row + j];
      for (let k = j; k < d; k++) H[j * d + k] += a * X[row + k];
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) H[j * d + k] = H[k * d + j];
  return H;
}

async function tfHessian(tf: typeof Tf): Promise<{ ms: number; H: Float32Array }> {
  const Xt = tf.tensor2d(Float32Array.from(X), [n, d]);
  const yt = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const loss = (wt: Tf.Tensor): Tf.Scalar => {
    const z = tf.matMul(Xt, wt.reshape([d, 1]));
    return tf.sum(tf.sub(tf.softplus(z), tf.mul(yt, z)));
  };
  const gradient = tf.grad(loss);
  const wt = tf.tensor1d(Float32Array.from(w));
  const columns = (count: number): Float32Array => {
    const H = new Float32Array(d * d);
    for (let j = 0; j < count; j++) {
      const ej = tf.oneHot(tf.tensor1d([j], 'int32'), d).reshape([d]);
      const col = tf.tidy(() => tf.grad((u: Tf.Tensor) => tf.sum(tf.mul(gradient(u), ej)))(wt));
      H.set(col.dataSync(), j * d);
      col.dispose();
      ej.dispose();
    }
    return H;
  };
  columns(3);
  // One timed run: d reverse-over-reverse passes take long enough that one run is a stable number.
  const t0 = performance.now();
  const H = columns(d);
  return { ms: performance.now() - t0, H };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / Math.max(scale, 1e-300);
}

async function main(): Promise<void> {
  const scope = parseDecls('X: n x d; w: d; y: n; v: d');
  const f = parseExpr('sum(softplus(X*w) - y .* (X*w))', scope);
  const H = hessian(f, 'w', { scope });
  const Hv = hvp(f, 'w', 'v', { scope });
  const compiledH = compile(H);
  const compiledHv = compile(Hv);
  const values = {
    X: { rows: n, cols: d, data: X },
    w,
    y,
    v,
  };
  const ours: Matrix = compiledH(values);
  const msCompiled = time(quick ? 5 : 5, () => compiledH(values));
  const msHvp = time(20, () => compiledHv(values));
  const loops = loopsHessian();
  const msLoops = time(quick ? 3 : 2, loopsHessian);

  let tfLine = 'tfjs: not available';
  let msTf = Number.NaN;
  try {
    const core = (await import('@tensorflow/tfjs')) as typeof Tf & { default?: typeof Tf };
    const tf = core.default ?? core;
    tf.enableProdMode();
    await tf.setBackend('cpu');
    const r = await tfHessian(tf);
    msTf = r.ms;
    tfLine = `tfjs cpu, tf.grad per column (${d} passes, float32): ${msTf.toFixed(1)} ms, max rel diff to loops ${maxRelDiff(r.H, loops).toExponential(1)}`;
  } catch (e) {
    tfLine = `tfjs: failed (${(e as Error).message})`;
  }

  const hv = compiledHv(values).data;
  const hvRef = new Float64Array(d);
  for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) hvRef[j] += loops[j * d + k] * v[k];
  console.log(`logistic-regression Hessian, n = ${n}, d = ${d}`);
  console.log(
    `  matcalc hessian:   ${H.kind === 'op' ? '' : ''}${(await import('../src/emit/text.js')).toText(H)}`,
  );
  console.log(
    `  compiled Hessian:  ${msCompiled.toFixed(1)} ms, max rel diff to loops ${maxRelDiff(ours.data, loops).toExponential(1)}`,
  );
  console.log(`  plain loops:       ${msLoops.toFixed(1)} ms (symmetric half, then mirrored)`);
  console.log(`  ${tfLine}`);
  console.log(
    `  compiled hvp (one H·v, no H): ${msHvp.toFixed(3)} ms, max rel diff to H·v ${maxRelDiff(hv, hvRef).toExponential(1)}`,
  );
  console.log(
    `  ratios: loops / compiled ${(msLoops / msCompiled).toFixed(2)}×, tfjs / compiled ${(msTf / msCompiled).toFixed(1)}×, Hessian / hvp ${(msCompiled / msHvp).toFixed(0)}×`,
  );
  console.log(
    `  goal (compiled Hessian faster than tfjs column by column and than plain loops): ${msCompiled < msTf && msCompiled < msLoops ? 'MET' : 'NOT MET'}`,
  );
}

await main();
