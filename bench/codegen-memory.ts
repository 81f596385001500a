// Memory probes for bench/codegen.ts: heap and ArrayBuffer growth over many calls (with GC counts and what a
// full GC leaves), and a count of the Float64Arrays a piece of code makes.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/** What `growth` measures calls on. */
export interface Callable {
  gradient(): unknown;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Bytes used in the young generation, where short-lived garbage (boxed doubles, small objects) goes. */
function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}

/**
 * Heap and ArrayBuffer growth over `calls` gradient calls after one more, how many GCs ran meanwhile, the
 * part of it in the young generation (garbage; the rest is mostly V8's optimized code and its metadata for
 * the functions it compiled meanwhile, in code and old space), and the heap growth still there after a
 * full GC (retained, as opposed to garbage). Meaningful when no GC ran in the window.
 */
export async function growth(r: Callable, calls: number) {
  r.gradient();
  gc();
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage();
  const young = newSpaceUsed();
  for (let i = 0; i < calls; i++) r.gradient();
  const youngAfter = newSpaceUsed();
  const after = process.memoryUsage();
  await new Promise((res) => setImmediate(res));
  obs.disconnect();
  gc();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  return {
    heap: after.heapUsed - before.heapUsed,
    young: youngAfter - young,
    buffers: after.arrayBuffers - before.arrayBuffers,
    gcs,
    retained,
  };
}

/** Float64Arrays made while `run` runs: by any constructor call or by subarray/slice/map/filter. */
export function countFloat64Arrays(run: () => void): number {
  const Original = Float64Array;
  const proto = Original.prototype;
  const methods = ['subarray', 'slice', 'map', 'filter'] as const;
  const saved = methods.map((m) => proto[m]);
  let count = 0;
  class Counted extends Original {
    constructor(...args: unknown[]) {
      super(...(args as [ArrayBuffer, number?, number?]));
      count++;
    }
    static override [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof Original;
    }
  }
  const global = globalThis as { Float64Array: typeof Float64Array };
  global.Float64Array = Counted;
  methods.forEach((m, i) => {
    const original = saved[i] as (this: Float64Array, ...args: unknown[]) => Float64Array;
    Object.defineProperty(proto, m, {
      configurable: true,
      writable: true,
      value(this: Float64Array, ...args: unknown[]) {
        count++;
        return original.apply(this, args);
      },
    });
  });
  try {
    run();
  } finally {
    global.Float64Array = Original;
    methods.forEach((m, i) => {
      Object.defineProperty(proto, m, { configurable: true, writable: true, value: saved[i] });
    });
  }
  return count;
}
