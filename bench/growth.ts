// Growth of simplification time with expression length, for the families that used to be quadratic:
// long products of distinct matrices, long transposed chains, gradients of traces of long products, and
// huge sums of distinct terms. Each family is timed at n = 100…3200 (doubling) and its growth exponent is
// the least-squares slope of log CPU time against log n (CPU time: the machine is shared). Goal: ≤ 1.15 each; a 100,000-term sum in under 5 s.
import { cpus, loadavg } from 'node:os';
import { grad, simplify } from '../src/api.js';
import { dimSym } from '../src/ir/dim.js';
import { type Expr, variable } from '../src/ir/expr.js';
import { shape } from '../src/ir/shape.js';
import { add, matmul, mul, num, sum, trace, transpose } from '../src/ops/build.js';

const d = dimSym('d');
const n = dimSym('n');
const square = (name: string) => variable(name, shape(d, d));

interface Family {
  readonly name: string;
  /** Build the input of size k under fresh names (tag), and return the work to time. */
  build(k: number, tag: string): () => unknown;
}

function product(fs: readonly Expr[]): Expr {
  return fs.reduce((a, b) => matmul(a, b));
}

const FAMILIES: readonly Family[] = [
  {
    name: 'product A1*A2*…*An',
    build: (k, tag) => {
      const e = product(Array.from({ length: k }, (_, i) => square(`A${tag}_${i}`)));
      return () => simplify(e);
    },
  },
  {
    name: "transposed chain A1'*A2'*…*An'",
    build: (k, tag) => {
      const e = product(Array.from({ length: k }, (_, i) => transpose(square(`A${tag}_${i}`))));
      return () => simplify(e);
    },
  },
  {
    name: 'grad of trace(A1*…*X*…*An) wrt X',
    build: (k, tag) => {
      const X = square(`X${tag}`);
      const fs = Array.from({ length: k }, (_, i) => (i === k >> 1 ? X : square(`A${tag}_${i}`)));
      const f = trace(product(fs));
      return () => grad(f, [X]);
    },
  },
  {
    name: 'sum of n distinct terms c_i*x_i',
    build: (k, tag) => {
      let e: Expr | null = null;
      for (let i = 0; i < k; i++) {
        const t = mul(num(i + 2), variable(`x${tag}_${i}`, shape(n, n)));
        e = e ? add(e, t) : t;
      }
      const total = sum(e!);
      return () => simplify(total);
    },
  },
];

/** [wall ms, CPU ms] of one run. On a shared machine CPU time is the steadier measure of our own work. */
function timeOnce(work: () => unknown): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  const c = process.cpuUsage(c0);
  return [performance.now() - t0, (c.user + c.system) / 1000];
}

/** Least-squares slope of log t against log n. */
function slope(ns: readonly number[], ts: readonly number[]): number {
  const xs = ns.map(Math.log);
  const ys = ts.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

const GOAL_EXPONENT = 1.15;
/** Runs per size; the least CPU time counts. */
const REPS = 3;
const GOAL_SUM_MS = 5000;

export function growthReport(maxN = 3200): string[] {
  const lines: string[] = [];
  const sizes: number[] = [];
  for (let k = 100; k <= maxN; k *= 2) sizes.push(k);
  lines.push(`CPU ms per simplification (best of ${REPS} at every n)`);
  lines.push(`${'family'.padEnd(36)} ${sizes.map((k) => `n=${k}`.padStart(9)).join(' ')}   exponent`);
  let tag = 0;
  const verdicts: string[] = [];
  for (const fam of FAMILIES) {
    // warm-up through the sizes below 1,000, so that the small sizes are not timed while V8 still compiles
    for (let k = 50; k < 1000; k *= 2) fam.build(k, `w${tag++}`)();
    // best of REPS at every size, fresh names each time: the same measure at every n, so that a pause
    // for garbage left by an earlier run does not fall on the large sizes alone and tilt the slope
    const ts = sizes.map((k) => {
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < REPS; r++) best = Math.min(best, timeOnce(fam.build(k, `g${tag++}`))[1]);
      return Math.max(best, 0.1);
    });
    const e = slope(sizes, ts);
    lines.push(
      `${fam.name.padEnd(36)} ${ts.map((t) => `${t.toFixed(1)}ms`.padStart(9)).join(' ')}   ${e.toFixed(2)}`,
    );
    verdicts.push(
      `${e <= GOAL_EXPONENT ? 'MET' : 'NOT MET'}: ${fam.name} grows as n^${e.toFixed(2)} (goal ≤ ${GOAL_EXPONENT}, ratio ${(e / GOAL_EXPONENT).toFixed(2)})`,
    );
  }
  const big = FAMILIES[3].build(100_000, `big${tag++}`);
  const [wall, cpu] = timeOnce(big);
  const load = loadavg()[0].toFixed(1);
  lines.push('', ...verdicts);
  lines.push(
    `${wall <= GOAL_SUM_MS ? 'MET' : 'NOT MET'}: a 100,000-term sum of distinct terms simplifies in ${(wall / 1000).toFixed(2)} s wall (goal < ${GOAL_SUM_MS / 1000} s, ratio ${(wall / GOAL_SUM_MS).toFixed(2)}; ${(cpu / 1000).toFixed(2)} s CPU, load average ${load} on ${cpus().length} cores)`,
  );
  return lines;
}
