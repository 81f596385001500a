// Are two expressions equal as functions of their variables? Decided by shape (symbolic dims), then by
// structure after simplification, then by randomized identity testing at seeded dims and values; the
// verdict names the method that decided it and never depends on luck.

import { expandDerivatives } from '../diff/expand.js';
import { toText } from '../emit/text.js';
import { dimSymbols, dimValue } from '../ir/dim.js';
import { ValueError } from '../ir/errors.js';
import { type Expr, freeVars, topoOrder, type VarExpr } from '../ir/expr.js';
import { sameShape, shapeText, shapeValue } from '../ir/shape.js';
import { SingularMatrixError } from '../kernels/linalg.js';
import { type Matrix, matrix, scalar } from '../kernels/matrix.js';
import { samplePoint } from '../numeric/domains.js';
import { seededRandom } from '../numeric/random.js';
import { specOf } from '../ops/index.js';
import { simplify } from '../simplify/engine.js';

export type Method = 'shape' | 'symbolic' | 'numeric';

/** Where two values differ: the dims of the instantiation, the 1-based entry, and both values. */
export interface Counterexample {
  readonly dims: Readonly<Record<string, number>>;
  readonly row: number;
  readonly col: number;
  /** The value of the first expression (the claim). */
  readonly claimed: number;
  /** The value of the second expression (the reference). */
  readonly expected: number;
}

export interface Verdict {
  readonly equal: boolean;
  readonly method: Method;
  /** One line on what decided it. */
  readonly reason: string;
  /** The worst differing entry, when the numeric test decided "not equal". */
  readonly counterexample?: Counterexample;
}

export interface EqualOptions {
  /** Instantiations of dims and values (at least 3). */
  readonly trials?: number;
  readonly seed?: number;
  /** Relative tolerance: entries agree when |a − b| ≤ tol·(1 + max |entry|). */
  readonly tolerance?: number;
}

export const DEFAULTS = { trials: 4, seed: 0x5eed, tolerance: 1e-8 } as const;

/** One instantiation: sizes for the dim symbols and values for the variables. */
export interface Point {
  readonly dims: ReadonlyMap<string, number>;
  readonly values: ReadonlyMap<string, Matrix>;
}

/** Every dim symbol the expressions mention: in variables, node shapes and size attributes. */
export function dimSymbolsOf(exprs: readonly Expr[]): string[] {
  const out = new Set<string>();
  for (const node of topoOrder(exprs)) {
    const ds = [node.shape.rows, node.shape.cols];
    if (node.kind === 'op') ds.push(...[node.attrs.rows, node.attrs.cols].filter((d) => d !== undefined));
    for (const d of ds) for (const s of dimSymbols(d)) out.add(s);
  }
  return [...out].sort();
}

function isPrime(p: number): boolean {
  for (let k = 2; k * k <= p; k++) if (p % k === 0) return false;
  return p >= 2;
}

/**
 * Sizes of symbol i at trial t: 2 + (i·(t+1) + t) mod P for a prime P > trials, P ≥ symbols. Within a
 * trial the sizes are distinct (so n confused with d shows); across trials every symbol changes and the
 * symbols do not move in step (so a stray factor n is told from a factor d).
 */
export function trialDims(symbols: readonly string[], trial: number, trials: number): Map<string, number> {
  let p = Math.max(5, symbols.length, trials + 1);
  while (!isPrime(p)) p++;
  return new Map(symbols.map((s, i) => [s, 2 + ((i * (trial + 1) + trial) % p)]));
}

/**
 * Seeded instantiations of the dims and variables of `exprs`, and evaluation of any expression over those
 * variables at them. The points lie in the domain of the last expression, the reference (src/numeric/
 * domains.ts); `failure` says why when none does. Values are memoized per node across calls, so evaluating
 * many variants of one expression costs only their new nodes; grad/jacobian nodes are expanded; a singular
 * inverse gives NaN.
 */
export class Sampler {
  readonly points: readonly Point[];
  /** Why no point in the reference's domain was found (the points are then out of it), else null. */
  readonly failure: string | null;
  private readonly memo = new Map<number, readonly Matrix[]>();

  constructor(exprs: readonly Expr[], opts: EqualOptions = {}) {
    const trials = Math.max(3, opts.trials ?? DEFAULTS.trials);
    const expanded = exprs.map(expandDerivatives);
    const symbols = dimSymbolsOf([...expanded, ...exprs]);
    // Variables only a derivative mentions (X in grad(trace(X*A), X) = A') are sampled too.
    const all = [...expanded, ...exprs].flatMap(freeVars);
    const vars = [...new Map<string, VarExpr>(all.map((v) => [v.name, v])).values()];
    const rand = seededRandom(opts.seed ?? DEFAULTS.seed);
    const reference = expanded.slice(-1);
    let failure: string | null = null;
    this.points = Array.from({ length: trials }, (_, t) => {
      const s = samplePoint({
        vars,
        reference,
        dims: (draw) => trialDims(symbols, t + draw * trials, trials),
        rand,
        show: toText,
      });
      if (!s.ok) failure ??= s.reason;
      return s.point;
    });
    this.failure = failure;
  }

  /** The value of e at every point. */
  values(e: Expr): readonly Matrix[] {
    for (const node of topoOrder([e])) {
      if (!this.memo.has(node.id)) this.memo.set(node.id, this.compute(node));
    }
    return this.memo.get(e.id)!;
  }

  private compute(node: Expr): readonly Matrix[] {
    switch (node.kind) {
      case 'var':
        return this.points.map((p) => {
          const m = p.values.get(node.name);
          if (!m) throw new ValueError(`no sampled value for ${node.name}`);
          return m;
        });
      case 'const':
        return this.points.map(() => scalar(node.value));
      case 'deriv':
        return this.values(expandDerivatives(node));
      case 'op': {
        const spec = specOf(node.op);
        const args = node.args.map((a) => this.memo.get(a.id)!);
        return this.points.map((p, t) => {
          try {
            return spec.eval(
              args.map((a) => a[t]),
              node.attrs,
              { dim: (d) => dimValue(d, p.dims) },
            );
          } catch (err) {
            if (!(err instanceof SingularMatrixError)) throw err;
            const [r, c] = shapeValue(node.shape, p.dims);
            return matrix(r, c, new Float64Array(r * c).fill(Number.NaN));
          }
        });
      }
      default: {
        const never: never = node;
        return never;
      }
    }
  }
}

/** 1 + the largest finite |entry| of a and b: the scale tolerances are relative to. */
export function scaleOf(a: Matrix, b: Matrix): number {
  let m = 0;
  for (const d of [a.data, b.data]) for (const x of d) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return 1 + m;
}

/** How far apart two entries are, relative to `scale`; NaN and ±Infinity agree with nothing, not even themselves. */
export function entryGap(a: number, b: number, scale: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  const gap = Math.abs(a - b) / scale;
  return Number.isNaN(gap) ? Number.POSITIVE_INFINITY : gap;
}

/** The worst entry where a and b differ beyond tol at this point, or null when they agree. */
export function worstEntry(
  a: Matrix,
  b: Matrix,
  point: Point,
  tol: number,
): (Counterexample & { gap: number }) | null {
  const scale = scaleOf(a, b);
  let worst: (Counterexample & { gap: number }) | null = null;
  for (let i = 0; i < a.data.length; i++) {
    const gap = entryGap(a.data[i], b.data[i], scale);
    if (gap > tol && (!worst || gap > worst.gap)) {
      worst = {
        dims: Object.fromEntries(point.dims),
        row: Math.floor(i / a.cols) + 1,
        col: (i % a.cols) + 1,
        claimed: a.data[i],
        expected: b.data[i],
        gap,
      };
    }
  }
  return worst;
}

/** Do a and b agree at every point of the sampler? Null when they do, else the worst entry. */
export function numericMismatch(
  sampler: Sampler,
  a: Expr,
  b: Expr,
  tol: number = DEFAULTS.tolerance,
): Counterexample | null {
  const va = sampler.values(a);
  const vb = sampler.values(b);
  let worst: (Counterexample & { gap: number }) | null = null;
  sampler.points.forEach((p, t) => {
    const w = worstEntry(va[t], vb[t], p, tol);
    if (w && (!worst || w.gap > worst.gap)) worst = w;
  });
  if (!worst) return null;
  const { gap: _, ...ce } = worst as Counterexample & { gap: number };
  return ce;
}

/** Whether `a` (the claim) equals `b` (the reference) as functions of the declared variables. */
export function equal(a: Expr, b: Expr, opts: EqualOptions = {}): Verdict {
  if (!sameShape(a.shape, b.shape)) {
    return {
      equal: false,
      method: 'shape',
      reason: `the shapes differ: ${shapeText(a.shape)} and ${shapeText(b.shape)}`,
    };
  }
  if (simplify(a) === simplify(b)) {
    return { equal: true, method: 'symbolic', reason: 'both sides simplify to the same expression' };
  }
  const sampler = new Sampler([a, b], opts);
  const ce = numericMismatch(sampler, a, b, opts.tolerance ?? DEFAULTS.tolerance);
  if (sampler.failure) {
    const at = ce ? { counterexample: ce } : {};
    return {
      equal: false,
      method: 'numeric',
      reason: `cannot decide numerically: ${sampler.failure}`,
      ...at,
    };
  }
  const n = sampler.points.length;
  if (!ce) {
    return {
      equal: true,
      method: 'numeric',
      reason: `the values agree at ${n} random instantiations of dims and values`,
    };
  }
  return { equal: false, method: 'numeric', reason: 'the values differ', counterexample: ce };
}
