// The MLP benchmark's problem and its contenders for bench/codegen.ts: the loss, data, matcalc's compiled
// closures (one thread and two), the hand-written baseline, and Python contenders run in child processes
// (NumPy on OpenBLAS with 1 and 2 BLAS threads; PyTorch float64 and float32, 1 and 2 threads) when found.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grad } from '../src/api.js';
import { compile } from '../src/emit/js.js';
import type { Matrix } from '../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../src/parse/index.js';
import { handwrittenMlp, type MlpData, type MlpSizes } from './handwritten.js';
import { findNumpy, findTorch, PythonContenders } from './python.js';

/** A contender timed in this process: the loss, and the four gradients as row-major arrays (W1, b1, W2, b2). */
export interface Runner {
  /** Makes this contender's state current (tfjs: its backend); called untimed before each timed call. */
  activate?(): void;
  forward(): number;
  gradient(): readonly (Float64Array | Float32Array)[];
}

/** A contender in another process, which times its own calls. */
export interface RemoteRunner {
  readonly remote: true;
  time(what: 'forward' | 'gradient'): Promise<number>;
  values(): Promise<{ loss: number; gradients: Float64Array[] }>;
}

/** An entry of the comparison. */
export interface Contender {
  readonly name: string;
  prepare(data: MlpData, sizes: MlpSizes): Runner | RemoteRunner | Promise<Runner | RemoteRunner>;
}

export const LOSS =
  "sum(logsumexp(relu(X*W1 + b1')*W2 + b2', 2) - sum(Y .* (relu(X*W1 + b1')*W2 + b2'), 2))/n";
export const DECLS = 'X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k';
export const WRT = ['W1', 'b1', 'W2', 'b2'];
export const SIZES: MlpSizes = { n: 256, d: 784, h: 256, k: 10 };

export function mlpValues(v: MlpData, { n, d, h, k }: MlpSizes) {
  const m = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });
  return { X: m(n, d, v.X), Y: m(n, k, v.Y), W1: m(d, h, v.W1), b1: v.b1, W2: m(h, k, v.W2), b2: v.b2 };
}

/** matcalc's compiled forward and gradient, their large products on `threads` threads. */
export function matcalc(threads: number): Contender {
  return {
    name: `matcalc compile, ${threads} thread${threads > 1 ? 's' : ''}`,
    prepare(data, sizes) {
      const scope = parseDecls(DECLS);
      const f = parseExpr(LOSS, scope);
      const forward = compile(f, { threads });
      const gradient = compile(grad(f, WRT, { scope }), { threads });
      const values = mlpValues(data, sizes);
      // The closure returns its own output list, the same one while the sizes stay (README: outputs are
      // reused), so its data arrays are looked up again only when that list changes: the heap-growth goal
      // measures the compiled gradient, not an array made here on every call.
      let outputs: readonly Matrix[] | null = null;
      let datas: Float64Array[] = [];
      return {
        forward: () => forward(values).data[0],
        gradient: () => {
          const out = gradient(values);
          if (out !== outputs) {
            outputs = out;
            datas = out.map((g) => g.data);
          }
          return datas;
        },
      };
    },
  };
}

export const handwritten: Contender = {
  name: 'hand-written',
  prepare(data, sizes) {
    const mlp = handwrittenMlp(sizes);
    return {
      forward: () => mlp.forward(data),
      gradient: () => {
        const g = mlp.gradient(data);
        return [g.W1, g.b1, g.W2, g.b2];
      },
    };
  },
};

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeData({ n, d, h, k }: MlpSizes): MlpData {
  const rand = rng(7);
  const fill = (len: number, scale: number) =>
    Float64Array.from({ length: len }, () => (rand() * 2 - 1) * scale);
  const Y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) Y[i * k + Math.floor(rand() * k)] = 1;
  return {
    X: fill(n * d, 1),
    Y,
    W1: fill(d * h, 1 / Math.sqrt(d)),
    b1: fill(h, 0.1),
    W2: fill(h * k, 1 / Math.sqrt(h)),
    b2: fill(k, 0.1),
  };
}

/** The data as one float64 file, in the order bench/contenders.py reads it. */
function dataFile(data: MlpData): string {
  const path = join(tmpdir(), `matcalc-mlp-${process.pid}.f64`);
  const parts = [data.X, data.Y, data.W1, data.b1, data.W2, data.b2];
  const flat = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  writeFileSync(path, flat);
  return path;
}

/** Python contenders that load here: each child names its contenders after loading the data. */
export async function pythonContenders(
  data: MlpData,
  sizes: MlpSizes,
): Promise<{
  contenders: Contender[];
  info: string[];
  close(): void;
}> {
  const file = dataFile(data);
  const { n, d, h, k } = sizes;
  const children: [PythonContenders, string][] = [];
  const numpy = findNumpy();
  if (numpy) {
    for (const threads of [1, 2]) {
      const env = { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
      children.push([
        new PythonContenders(numpy, 'numpy', env),
        `, ${threads} BLAS thread${threads > 1 ? 's' : ''}`,
      ]);
    }
  }
  const torch = findTorch();
  if (torch) children.push([new PythonContenders(torch, 'torch'), '']);
  const contenders: Contender[] = [];
  const info: string[] = [];
  for (const [child, suffix] of children) {
    const names = (await child.ask(`load ${file} ${n} ${d} ${h} ${k}`)).replace(/^ok /, '').split('|');
    info.push(`${await child.ask('info')}${suffix}`);
    for (const name of names) {
      const remote: RemoteRunner = {
        remote: true,
        time: (what) => child.time(`time ${name} ${what}`),
        async values() {
          const out = join(tmpdir(), `matcalc-mlp-${process.pid}-grad.f64`);
          const loss = Number((await child.ask(`dump ${name} ${out}`)).replace(/^ok /, ''));
          const buf = readFileSync(out);
          const flat = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
          const lengths = [d * h, h, h * k, k];
          const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((x, y) => x + y, 0));
          const gradients = lengths.map((len, i) => flat.slice(starts[i], starts[i] + len));
          return { loss, gradients };
        },
      };
      contenders.push({ name: `${name}${suffix}`, prepare: () => remote });
    }
  }
  return {
    contenders,
    info,
    close: () => {
      for (const [c] of children) c.close();
    },
  };
}
