// Algebra and arithmetic for diagnosis: the terms of an expression (as written, and with products expanded
// over sums), ratio and multiple fits, small rationals and monomials as text, definitions shown by name,
// and one-edit repairs of a claim (a transpose added or removed, factors swapped, a factor inserted).

import { rebuildOp } from '../diff/rebuild.js';
import { toText } from '../emit/text.js';
import { isOne, ONE } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import { derivNode, type Expr, topoOrder, variable } from '../ir/expr.js';
import { isScalar, sameShape } from '../ir/shape.js';
import type { Matrix } from '../kernels/matrix.js';
import { apply, div, matmul, mul, neg, ones, transpose } from '../ops/build.js';
import type { OpName } from '../ops/index.js';
import { simplify } from '../simplify/engine.js';
import { scaleOf } from './equal.js';

const isOp = (e: Expr, op: string): boolean => e.kind === 'op' && e.op === op;
const argsOf = (e: Expr): readonly Expr[] => (e.kind === 'op' ? e.args : []);

/** −t, without stacking negations. */
export function negate(t: Expr): Expr {
  return isOp(t, 'neg') ? argsOf(t)[0] : neg(t);
}

/** The signed summands of a sum: a + b − c → [a, b, −c]. */
export function summands(e: Expr): Expr[] {
  if (isOp(e, 'add')) return argsOf(e).flatMap(summands);
  if (isOp(e, 'sub')) return [...summands(argsOf(e)[0]), ...summands(argsOf(e)[1]).map(negate)];
  if (isOp(e, 'neg')) return summands(argsOf(e)[0]).map(negate);
  return [e];
}

const MAX_TERMS = 16;

/** Linear ops through which a sum may be pulled out, when every term keeps the operand's shape. */
const LINEAR = new Set(['transpose', 'sum', 'trace', 'matmul', 'neg']);

/**
 * The terms of e with products expanded over sums: X'(Xw − y) → [X'Xw, −X'y]. Elementwise products
 * distribute with broadcasting; linear ops only over terms of their operand's own shape. Null when the
 * expansion exceeds MAX_TERMS terms.
 */
export function distribute(e: Expr): Expr[] | null {
  const memo = new Map<number, Expr[]>();
  const of = (x: Expr): Expr[] => memo.get(x.id) ?? [x];
  const whole = (x: Expr): Expr[] => {
    const ts = of(x);
    return ts.every((t) => sameShape(t.shape, x.shape)) ? ts : [x];
  };
  for (const node of topoOrder([e])) {
    if (node.kind !== 'op') continue;
    const [a, b] = node.args;
    let out: Expr[];
    switch (node.op) {
      case 'add':
        out = [...of(a), ...of(b)];
        break;
      case 'sub':
        out = [...of(a), ...of(b).map(negate)];
        break;
      case 'neg':
        out = of(a).map(negate);
        break;
      case 'emul':
        out = of(a).flatMap((x) => of(b).map((y) => mul(x, y)));
        break;
      case 'ediv':
        out = of(a).map((x) => div(x, b));
        break;
      case 'matmul':
        out = whole(a).flatMap((x) => whole(b).map((y) => matmul(x, y)));
        break;
      default:
        out = LINEAR.has(node.op) ? whole(a).map((x) => apply(node.op as OpName, [x], node.attrs)) : [node];
    }
    if (out.length > MAX_TERMS) return null;
    memo.set(node.id, out);
  }
  return of(e);
}

/** x as p/q with q ≤ 12 and |p| ≤ 1000, or null. */
export function niceRational(x: number): [number, number] | null {
  if (!Number.isFinite(x)) return null;
  for (let q = 1; q <= 12; q++) {
    const p = Math.round(x * q);
    if (Math.abs(p) <= 1000 && Math.abs(x * q - p) <= 1e-6 * Math.max(1, Math.abs(x * q))) return [p, q];
  }
  return null;
}

/** (p/q)·Π s^k in the input language: `2`, `1/2`, `-1`, `n`, `1/n`, `2*n/d`, `1/(2*n)`, `n^2`. */
export function rationalText(
  [p, q]: readonly [number, number],
  monomial: ReadonlyMap<string, number>,
): string {
  const power = (s: string, k: number) => (k === 1 ? s : `${s}^${k}`);
  const up = [...monomial].filter(([, k]) => k > 0).map(([s, k]) => power(s, k));
  const down = [...monomial].filter(([, k]) => k < 0).map(([s, k]) => power(s, -k));
  const a = Math.abs(p);
  const top = [...(a !== 1 || up.length === 0 ? [String(a)] : []), ...up].join('*');
  const bottomParts = [...(q !== 1 ? [String(q)] : []), ...down];
  const bottom = bottomParts.length > 1 ? `(${bottomParts.join('*')})` : bottomParts[0];
  return `${p < 0 ? '-' : ''}${top}${bottom ? `/${bottom}` : ''}`;
}

/** A dimension used as a value (`n` in `/n`). */
const isSize = (w: Expr): boolean =>
  isOp(w, 'size') || (isOp(w, 'mul') && argsOf(w).every((a) => isSize(a) || a.kind === 'const'));

/** A sum or mean over rows written over columns, or the other way round (with the result transposed to fit). */
export function axisRepairs(n: Expr): Expr[] {
  if (n.kind !== 'op') return [];
  if (n.op === 'matmul') return onesProductRepairs(n.args[0], n.args[1]);
  if (n.op !== 'sum' && n.op !== 'mean') return [];
  // Only a matrix has two axes to confuse (sum(w, 2) of a column w is w itself).
  const a = n.args[0].shape;
  if (isOne(a.rows) || isOne(a.cols)) return [];
  const dim = n.attrs.dim ?? 0;
  const others = ([0, 1, 2] as const)
    .filter((d) => d !== dim)
    .map((d) => apply(n.op as 'sum', n.args, { ...n.attrs, dim: d }));
  return others.flatMap((o) => [o, transpose(o)]);
}

const isOnes = (e: Expr): boolean => isOp(e, 'ones') || (isOp(e, 'transpose') && isOp(argsOf(e)[0], 'ones'));

/** `A*ones(k, 1)` sums across rows and `ones(n, 1)'*A` down columns: the other sum, either way round. */
function onesProductRepairs(a: Expr, b: Expr): Expr[] {
  // Only a contraction with ones is a sum (`p*ones(k, 1)'` is an outer product).
  const sumsAcross = isOnes(b) && isOne(b.shape.cols) && !isOne(b.shape.rows);
  const sumsDown = isOnes(a) && isOne(a.shape.rows) && !isOne(a.shape.cols);
  if (!sumsAcross && !sumsDown) return [];
  const m = sumsAcross ? a : b;
  const across = matmul(m, ones(m.shape.cols, ONE));
  const down = matmul(ones(ONE, m.shape.rows), m);
  return [across, transpose(across), down, transpose(down)];
}

/** Nodes of e that a repair may change: not inside a grad/jacobian/hessian, not constants or sizes. */
function editable(e: Expr): Expr[] {
  const out: Expr[] = [];
  const seen = new Set<number>();
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    if (x.kind === 'var' || x.kind === 'deriv' || (x.kind === 'op' && x.args.length > 0)) out.push(x);
    if (x.kind === 'op') stack.push(...x.args);
  }
  return out.reverse();
}

/** root with every occurrence of `target` replaced (nodes inside derivatives are left alone); null when it no longer type-checks. */
export function replaceIn(root: Expr, target: Expr, replacement: Expr): Expr | null {
  const memo = new Map<number, Expr>([[target.id, replacement]]);
  try {
    for (const node of topoOrder([root])) {
      if (memo.has(node.id)) continue;
      memo.set(
        node.id,
        node.kind === 'op'
          ? rebuildOp(
              node,
              node.args.map((a) => memo.get(a.id) ?? a),
            )
          : node,
      );
    }
  } catch (e) {
    if (e instanceof ShapeError) return null;
    throw e;
  }
  return memo.get(root.id)!;
}

export interface Repair {
  readonly expr: Expr;
  /** What the edit says went wrong: "a missing transpose on `X`". */
  readonly cause: string;
  /** For an inserted factor: the factor. */
  readonly weight?: Expr;
}

const MAX_NODES = 40;
const MAX_WEIGHTS = 30;

/**
 * One-edit variants of the claim. 'shape': a transpose added or removed, a product's factors swapped.
 * 'value': also a factor taken from either side inserted at (or divided out of) one subterm.
 */
export function repairs(
  claim: Expr,
  truth: Expr,
  mode: 'shape' | 'value',
  print: (e: Expr) => string = toText,
): Repair[] {
  const out: Repair[] = [];
  const nodes = editable(claim).slice(0, MAX_NODES);
  const push = (target: Expr, replacement: Expr, cause: string, weight?: Expr) => {
    const expr = replaceIn(claim, target, replacement);
    if (expr && expr !== claim) out.push({ expr, cause, weight });
  };
  const q = (e: Expr) => `\`${print(e)}\``;
  for (const n of nodes) {
    for (const r of axisRepairs(n)) push(n, r, `summing over the wrong axis: ${q(n)} should be ${q(r)}`);
  }
  for (const n of nodes) {
    if (isOp(n, 'transpose')) push(n, argsOf(n)[0], `an extra transpose in ${q(n)}`);
    else if (!isScalar(n.shape)) push(n, transpose(n), `a missing transpose on ${q(n)}`);
    if (isOp(n, 'matmul')) {
      const [a, b] = argsOf(n);
      try {
        push(n, matmul(b, a), `the factors of ${q(n)} in the wrong order`);
      } catch (e) {
        if (!(e instanceof ShapeError)) throw e;
      }
    }
  }
  if (mode === 'shape') return out;
  const weights = new Map<number, Expr>();
  for (const w of topoOrder([simplify(truth), truth, claim])) {
    const boring =
      w.kind === 'const' || isOp(w, 'ones') || isOp(w, 'zeros') || isOp(w, 'eye') || isOp(w, 'neg');
    if (!boring && w.kind !== 'deriv' && !weights.has(w.id)) weights.set(w.id, w);
  }
  const ws = [...weights.values()].slice(-MAX_WEIGHTS);
  for (const n of nodes) {
    for (const w of ws) {
      if (w === n) continue;
      for (const [build, cause] of [
        [() => mul(w, n), `a missing factor ${q(w)} on ${q(n)}`],
        [
          () => div(n, w),
          isSize(w) ? `a missing factor 1/${print(w)} on ${q(n)}` : `a stray factor ${q(w)} on ${q(n)}`,
        ],
      ] as const) {
        try {
          const r = build();
          if (sameShape(r.shape, n.shape)) push(n, r, cause, w);
        } catch (e) {
          if (!(e instanceof ShapeError)) throw e;
        }
      }
    }
  }
  return out;
}

/** claim/truth at one point when it is one number at every entry; null when it is not, NaN when truth is 0. */
export function pointRatio(c: Matrix, g: Matrix): number | null {
  const scale = scaleOf(c, g);
  let best = 0;
  let r = Number.NaN;
  for (let i = 0; i < g.data.length; i++) {
    const [a, b] = [c.data[i], g.data[i]];
    if (Number.isNaN(a) !== Number.isNaN(b)) return null;
    if (Math.abs(b) > best && Math.abs(b) > 1e-9 * scale) {
      best = Math.abs(b);
      r = a / b;
    }
  }
  const k = Number.isNaN(r) ? 0 : r;
  for (let i = 0; i < g.data.length; i++) {
    const [a, b] = [c.data[i], g.data[i]];
    if (!Number.isNaN(a) && !(Math.abs(a - k * b) <= 1e-7 * scale * Math.max(1, Math.abs(k)))) return null;
  }
  return r;
}

/** Exponent vectors over the symbols with Σ|k| ≤ 2, simplest first; the first, empty one is a constant. */
export function monomials(symbols: readonly string[]): Map<string, number>[] {
  const out: Map<string, number>[] = [new Map()];
  for (const s of symbols) for (const k of [1, -1]) out.push(new Map([[s, k]]));
  symbols.forEach((s, i) => {
    for (const u of symbols.slice(i + 1)) {
      for (const a of [1, -1])
        for (const b of [1, -1])
          out.push(
            new Map([
              [s, a],
              [u, b],
            ]),
          );
    }
  });
  for (const s of symbols) for (const k of [2, -2]) out.push(new Map([[s, k]]));
  return out;
}

const namedIdsCache = new WeakMap<ReadonlyMap<string, Expr>, Map<number, string>>();

/** Node ids of the definitions, and of their simplified forms, by name (computed once per scope). */
function namedIds(names: ReadonlyMap<string, Expr>): Map<number, string> {
  const cached = namedIdsCache.get(names);
  if (cached) return cached;
  const byId = new Map<number, string>();
  for (const [name, d] of names) {
    if (d.kind !== 'op' && d.kind !== 'deriv') continue;
    byId.set(d.id, name);
    // Simplified claims print the simplified definition (`X*W1 + b1'` for `X*W1 + ones(n, 1)*b1'`) by name too.
    const s = simplify(d);
    if (s.kind === 'op' && !byId.has(s.id)) byId.set(s.id, name);
  }
  namedIdsCache.set(names, byId);
  return byId;
}

/** e with every occurrence of a named definition replaced by a variable of that name, for printing. */
export function withNames(e: Expr, names: ReadonlyMap<string, Expr>): Expr {
  const byId = namedIds(names);
  if (byId.size === 0) return e;
  const memo = new Map<number, Expr>();
  const of = (x: Expr) => memo.get(x.id) ?? x;
  for (const node of topoOrder([e])) {
    const name = byId.get(node.id);
    let out: Expr = node;
    if (name !== undefined) out = variable(name, node.shape);
    else if (node.kind === 'op') out = rebuildOp(node, node.args.map(of));
    else if (node.kind === 'deriv')
      out = derivNode(node.mode, of(node.f), node.wrt, node.shape, node.at && of(node.at));
    memo.set(node.id, out);
  }
  return of(e);
}

/**
 * The multiple α with g − c = α·t at every point (t broadcast to g's shape), when α is a small rational:
 * fitted by least squares, then checked entry by entry within tol·(1 + max |entry|).
 */
export function fitMultiple(
  cs: readonly Matrix[],
  gs: readonly Matrix[],
  ts: readonly Matrix[],
  tol: number,
): [number, number] | null {
  const at = (m: Matrix, i: number, cols: number) =>
    m.data[(m.rows === 1 ? 0 : Math.floor(i / cols)) * m.cols + (m.cols === 1 ? 0 : i % cols)];
  let dot = 0;
  let norm = 0;
  for (let t = 0; t < gs.length; t++) {
    for (let i = 0; i < gs[t].data.length; i++) {
      const d = gs[t].data[i] - cs[t].data[i];
      const x = at(ts[t], i, gs[t].cols);
      if (Number.isNaN(d) && Number.isNaN(x)) continue;
      if (!Number.isFinite(d) || !Number.isFinite(x)) return null;
      dot += d * x;
      norm += x * x;
    }
  }
  if (norm < 1e-12) return null;
  const alpha = niceRational(dot / norm);
  if (!alpha || alpha[0] === 0) return null;
  const a = alpha[0] / alpha[1];
  for (let t = 0; t < gs.length; t++) {
    const scale = scaleOf(cs[t], gs[t]);
    for (let i = 0; i < gs[t].data.length; i++) {
      const d = gs[t].data[i] - cs[t].data[i];
      const x = at(ts[t], i, gs[t].cols);
      if (!(Number.isNaN(d) && Number.isNaN(x)) && !(Math.abs(d - a * x) <= tol * scale)) return null;
    }
  }
  return alpha;
}
