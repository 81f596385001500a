// Worker threads for the wasm gemm (Node only, through process.getBuiltinModule): each worker instantiates the
// same module over the same shared memory and waits on the control block for jobs, claiming tasks as the
// caller does (gemm-tasks.ts). Workers are unref'd, so they never keep a process alive; a worker that fails
// marks the pool broken and products go back to one thread. Elsewhere (browsers, old Node) there is no pool.
import { CTL, claimTask, finishTask, multiplyRows, runTasks } from './gemm-tasks.js';

type WorkerThreads = typeof import('node:worker_threads');
type Os = typeof import('node:os');

interface NodeProcess {
  readonly env?: Readonly<Record<string, string | undefined>>;
  getBuiltinModule?(id: string): unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;

/** A Node built-in module, or null outside Node (or before Node 20.16, which lacks getBuiltinModule). */
function builtin<T>(id: string): T | null {
  try {
    return (nodeProcess?.getBuiltinModule?.(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The environment variable `name`, or undefined outside Node. */
export function envVar(name: string): string | undefined {
  return nodeProcess?.env?.[name];
}

/** Threads this machine offers (1 where workers are unavailable), at most 8. */
export function availableThreads(): number {
  if (!canUseThreads()) return 1;
  const os = builtin<Os>('node:os');
  const n = os?.availableParallelism?.() ?? os?.cpus().length ?? 1;
  return Math.max(1, Math.min(8, n));
}

/** Workers need node:worker_threads, SharedArrayBuffer and Atomics.wait on this thread. */
export function canUseThreads(): boolean {
  return (
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    builtin('node:worker_threads') !== null
  );
}

const WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const __name = (f) => f; // what a bundler's keepNames option wraps functions in
${String(claimTask)}
${String(finishTask)}
const multiplyRows = ${String(multiplyRows)};
const runTasks = ${String(runTasks)};
const { module, memory, control, layout } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
let seen = Atomics.load(ctl, layout.seq);
for (;;) {
  Atomics.wait(ctl, layout.seq, seen);
  if (Atomics.load(ctl, layout.stop) !== 0) break;
  seen = Atomics.load(ctl, layout.seq);
  runTasks(ex, ctl, layout, seen, false);
}`;

export interface Pool {
  /** Workers started and not failed. */
  readonly size: number;
  /** True once a worker has failed: the caller then runs every product on its own thread. */
  readonly broken: boolean;
  /** Starts workers until there are `count` (no-op where already as many, or broken). */
  grow(count: number): void;
  /** Tells waiting workers that a job has been posted. */
  wake(): void;
  /** Stops every worker. */
  close(): void;
}

/** A pool of workers over `memory` and the control block `control`, or null where threads are unavailable. */
export function createPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  control: SharedArrayBuffer,
): Pool | null {
  const threads = builtin<WorkerThreads>('node:worker_threads');
  if (!threads) return null;
  const ctl = new Int32Array(control);
  const workers: InstanceType<WorkerThreads['Worker']>[] = [];
  let broken = false;
  const fail = () => {
    broken = true;
  };
  const pool: Pool = {
    get size() {
      return broken ? 0 : workers.length;
    },
    get broken() {
      return broken;
    },
    grow(count) {
      while (!broken && workers.length < count) {
        try {
          const w = new threads.Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { module, memory, control, layout: CTL },
          });
          w.on('error', fail);
          w.on('exit', fail);
          w.unref();
          workers.push(w);
        } catch {
          fail();
        }
      }
    },
    wake() {
      Atomics.notify(ctl, CTL.seq);
    },
    close() {
      Atomics.store(ctl, CTL.stop, 1);
      Atomics.add(ctl, CTL.seq, 1);
      Atomics.notify(ctl, CTL.seq);
      broken = true;
      for (const w of workers) void w.terminate();
    },
  };
  return pool;
}
