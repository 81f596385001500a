// Random instantiation for numeric checks: distinct small sizes for the symbolic dims (so a confused n and
// d shows), and values that honour qualifiers (positive, symmetric, spd, onehot) and take both signs
// otherwise. A seeded generator, so verdicts never depend on luck.
import type { VarExpr } from '../ir/expr.js';
import { type Matrix, matrix } from '../kernels/matrix.js';
import { evaluableSize } from './limits.js';

/** mulberry32: a small, fast, seeded PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Distinct sizes in [2, 2 + symbols + spread) for each symbol, shuffled. */
export function randomDims(
  symbols: readonly string[],
  rand: () => number,
  fixed: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const free = symbols.filter((s) => !fixed.has(s));
  const pool: number[] = [];
  for (let v = 2; pool.length < free.length + 3; v++) if (![...fixed.values()].includes(v)) pool.push(v);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const out = new Map(fixed);
  free.forEach((s, i) => {
    out.set(s, pool[i]);
  });
  return out;
}

/** A value away from 0 of either sign: |x| in [0.2, 1.5]. */
function signed(rand: () => number): number {
  const m = 0.2 + 1.3 * rand();
  return rand() < 0.5 ? -m : m;
}

/** How a draw departs from the default: entries positive (beyond a `positive` qualifier), and scaled. */
export interface Draw {
  readonly positive?: boolean;
  /** Multiplies the unqualified and positive entries (spd and onehot values keep their own scale); may be negative. */
  readonly scale?: number;
}

export function randomValue(
  v: VarExpr,
  dims: ReadonlyMap<string, number>,
  rand: () => number,
  draw: Draw = {},
): Matrix {
  const [r, c] = evaluableSize(v.shape, dims, v.name);
  const q = v.qualifiers;
  const m = matrix(r, c);
  const d = m.data;
  if (q.includes('onehot')) {
    // A declared column vector is one one-hot vector; a declared matrix has one one-hot vector per row
    // (also when its column count is 1 at this instantiation).
    if (v.shape.cols.key === '1') d[Math.floor(rand() * r)] = 1;
    else for (let i = 0; i < r; i++) d[i * c + Math.floor(rand() * c)] = 1;
    return m;
  }
  if (q.includes('spd') && r === c) {
    // A Aᵀ + r I: symmetric, positive definite, condition number modest.
    const a = Array.from({ length: r * r }, () => signed(rand));
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        let s = i === j ? r : 0;
        for (let k = 0; k < r; k++) s += a[i * r + k] * a[j * r + k];
        d[i * r + j] = s / r;
      }
    return m;
  }
  const positive = draw.positive || q.includes('positive');
  // A declared-positive variable stays positive whatever the draw.
  const scale = q.includes('positive') ? Math.abs(draw.scale ?? 1) : (draw.scale ?? 1);
  for (let i = 0; i < d.length; i++) d[i] = scale * (positive ? 0.3 + 1.7 * rand() : signed(rand));
  if (q.includes('symmetric') && r === c) {
    for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) d[i * r + j] = d[j * r + i];
  }
  return m;
}

export function randomValues(
  vars: readonly VarExpr[],
  dims: ReadonlyMap<string, number>,
  rand: () => number,
  drawOf: (v: VarExpr) => Draw = () => ({}),
): Map<string, Matrix> {
  return new Map(vars.map((v) => [v.name, randomValue(v, dims, rand, drawOf(v))]));
}
