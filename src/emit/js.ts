// compile(): expressions → a JS closure over row-major Float64Array buffers (README "Library"), generated
// from the op records' templates with one temporary per shared DAG node, fused elementwise loops, gemm
// with transpose flags and buffers allocated once per size signature. Returned matrices are the closure's
// own: the next call overwrites them, unless `copyOutputs` is set.
import { expandDerivatives } from '../diff/expand.js';
import { dimSymbols } from '../ir/dim.js';
import { ShapeError, UsageError } from '../ir/errors.js';
import { type Expr, freeVars } from '../ir/expr.js';
import { shapeText } from '../ir/shape.js';
import { gemmThreads, ThreadsError } from '../kernels/gemm.js';
import * as Kernels from '../kernels/index.js';
import type { Matrix } from '../kernels/matrix.js';
import type { Values } from '../numeric/evaluate.js';
import type { Scope } from '../parse/index.js';
import { lowerAll } from './js-plan.js';
import { Binder, type InputDecl, Instance, type MutableMatrix, type SizeSource } from './js-runtime.js';
import { schedule } from './js-schedule.js';
import { generate, type Kernels as KernelNamespace } from './js-source.js';

export interface CompileOptions {
  /** Return fresh copies of the results instead of the closure's own buffers, which the next call overwrites. */
  readonly copyOutputs?: boolean;
  /** The kernel namespace the generated code calls (default: src/kernels); tests pass an instrumented one. */
  readonly kernels?: KernelNamespace;
  /** The declarations: a size no input of the expressions fixes is read from any declared variable given. */
  readonly scope?: Scope;
  /**
   * Threads a large matrix product may use (1: the calling thread only); default: the process-wide setting
   * (setGemmThreads, else the MATCALC_THREADS environment variable, else every core). Browsers use one.
   */
  readonly threads?: number;
}

/** A compiled closure: values keyed by declared name → the results. */
export interface Compiled<R> {
  (values: Values): R;
  /** The generated JS source (for inspection). */
  readonly source: string;
  /** Float64Arrays this closure has allocated so far: buffers are made once per size signature. */
  readonly allocations: number;
}

/** Size signatures kept at once; the oldest is dropped beyond this. */
const MAX_SIGNATURES = 16;

type Generated = {
  setup(dims: readonly number[], buffers: readonly MutableMatrix[]): void;
  run(inputs: readonly MutableMatrix[], dims: readonly number[], buffers: readonly MutableMatrix[]): void;
};

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compile one expression to `(values) => Matrix`, or several to `(values) => Matrix[]` sharing their
 * common work. Values: a number, a flat array or Float64Array (a column; a row for a declared row vector),
 * an array of rows, or a Matrix; a symbolic size that no variable fixes is given as a number under its
 * name. Matrices and Float64Arrays are read in place, not copied.
 */
export function compile(exprs: Expr, opts?: CompileOptions): Compiled<Matrix>;
export function compile(exprs: readonly Expr[], opts?: CompileOptions): Compiled<Matrix[]>;
export function compile(
  exprs: Expr | readonly Expr[],
  opts: CompileOptions = {},
): Compiled<Matrix> | Compiled<Matrix[]> {
  const many = Array.isArray(exprs);
  const roots = (many ? (exprs as readonly Expr[]) : [exprs as Expr]).map(expandDerivatives);

  const inputs: InputDecl[] = [];
  const inputOf = new Map<string, number>();
  for (const v of roots.flatMap(freeVars)) {
    const k = inputOf.get(v.name);
    if (k === undefined) {
      inputOf.set(v.name, inputs.length);
      inputs.push({ name: v.name, shape: v.shape });
    } else if (inputs[k].shape !== v.shape && shapeText(inputs[k].shape) !== shapeText(v.shape)) {
      throw new ShapeError(
        `${v.name} appears with two shapes, ${shapeText(inputs[k].shape)} and ${shapeText(v.shape)}`,
      );
    }
  }
  const plan = schedule(lowerAll(roots, (v) => inputOf.get(v.name)!));

  const symbols = new Set<string>();
  const addDim = (d: Parameters<typeof dimSymbols>[0]) => {
    for (const s of dimSymbols(d)) symbols.add(s);
  };
  for (const v of inputs) [v.shape.rows, v.shape.cols].forEach(addDim);
  for (const n of plan.nodes) {
    [n.shape.rows, n.shape.cols].forEach(addDim);
    if (n.kind === 'literal' && typeof n.value === 'object') addDim(n.value);
    if (n.kind === 'kernel') for (const x of n.extra) if (typeof x === 'object') addDim(x);
  }
  const symbolList = [...symbols];
  const fromDeclared = declaredSizes(symbolList, inputs, opts.scope);

  const K = withThreads(opts.kernels ?? Kernels, opts.threads);
  const source = generate(plan, symbolList, inputs.length, K);
  const { setup, run } = new Function('K', source)(K) as Generated;

  const binder = new Binder(inputs, symbolList, fromDeclared);
  const cache = new Map<string, Instance>();
  let last: Instance | null = null;
  let allocations = 0;
  const allocate = (n: number) => {
    allocations++;
    return new Float64Array(n);
  };
  const instanceFor = (dims: readonly number[]): Instance => {
    if (last && sameDims(last.dims, dims)) return last;
    const key = dims.join(',');
    let inst = cache.get(key);
    if (!inst) {
      inst = new Instance(plan, symbolList, dims, inputs.length, allocate);
      setup(inst.dims, inst.buffers);
      cache.set(key, inst);
      if (cache.size > MAX_SIGNATURES) cache.delete(cache.keys().next().value!);
    }
    last = inst;
    return inst;
  };

  const call = (given: Values): Matrix | Matrix[] => {
    binder.bind(given as Readonly<Record<string, unknown>>);
    const inst = instanceFor(binder.dims);
    binder.load(inst);
    run(binder.slots, binder.dims, inst.buffers);
    const outs: Matrix[] = opts.copyOutputs
      ? inst.outputs.map((m) => ({ rows: m.rows, cols: m.cols, data: m.data.slice() }))
      : inst.outputs;
    return many ? outs : outs[0];
  };
  Object.defineProperty(call, 'source', { value: source });
  Object.defineProperty(call, 'allocations', { get: () => allocations });
  return call as Compiled<Matrix> | Compiled<Matrix[]>;
}

/** The kernels with gemm pinned to `threads` threads; checks the thread settings now rather than mid-call. */
function withThreads(K: KernelNamespace, threads: number | undefined): KernelNamespace {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`compile: threads must be a positive integer, got ${JSON.stringify(threads)}`);
  }
  try {
    gemmThreads();
  } catch (e) {
    if (e instanceof ThreadsError) throw new UsageError(e.message);
    throw e;
  }
  if (threads === undefined) return K;
  const gemm = K.gemm as typeof Kernels.gemm;
  return {
    ...K,
    gemm: (out: Matrix, a: Matrix, b: Matrix, transA: boolean, transB: boolean, alpha?: Kernels.Alpha) =>
      gemm(out, a, b, transA, transB, alpha, threads),
  };
}

/** For each symbol no input fixes, the declared variables whose value gives its size. */
function declaredSizes(
  symbols: readonly string[],
  inputs: readonly InputDecl[],
  scope?: Scope,
): SizeSource[] {
  if (!scope) return [];
  const fixed = new Set(inputs.flatMap((v) => [v.shape.rows.key, v.shape.cols.key]));
  return symbols
    .filter((s) => !fixed.has(s))
    .map((s): SizeSource => {
      const sides = [...scope.vars.values()].flatMap((v) =>
        ([v.shape.rows, v.shape.cols] as const).flatMap((d, i) =>
          d.key === s ? [[v.name, i as 0 | 1, v.shape.rows.key === '1'] as const] : [],
        ),
      );
      return [s, sides];
    })
    .filter(([, sides]) => sides.length > 0);
}
