// The one domain-aware sampler of the numeric checks (check, verify, the export checks, the fuzzer): points
// (dims and values) where every node of the reference expressions is defined and finite. Values are drawn
// inside the domains the op records declare (log, sqrt: positive arguments; inv, det, logdet: invertible),
// re-drawn when a draw is singular or out of domain; when no draw works, the failure says what is needed.
import { type Expr, freeVars, topoOrder, type VarExpr } from '../ir/expr.js';
import { inv, SingularMatrixError } from '../kernels/linalg.js';
import { type Matrix, matrix } from '../kernels/matrix.js';
import { OPS, specOf } from '../ops/index.js';
import type { Domain } from '../ops/spec.js';
import { evaluateMany } from './evaluate.js';
import { type Draw, randomValues } from './random.js';

export type { Domain } from '../ops/spec.js';

/** The ops whose argument `k` must lie in `domain`, in registry order (the fuzzer generates from these). */
export function opsNeeding(domain: Domain, k = 0): string[] {
  return Object.entries(OPS).flatMap(([name, spec]) => (spec.domain?.[k] === domain ? [name] : []));
}

export interface Point {
  readonly dims: ReadonlyMap<string, number>;
  readonly values: ReadonlyMap<string, Matrix>;
}

export interface SampleRequest {
  /** The variables to draw values for. */
  readonly vars: readonly VarExpr[];
  /** Expressions (derivatives expanded) that must be defined and finite at the point, with every node. */
  readonly reference: readonly Expr[];
  /** Sizes for the k-th draw (k = 0 first); later draws change them, so that a rank-deficient size is left. */
  readonly dims: (draw: number) => Map<string, number>;
  readonly rand: () => number;
  /** Prints an expression in messages (numeric/ sits below the printers); by default names variables only. */
  readonly show?: (e: Expr) => string;
}

export type Sample =
  | { readonly ok: true; readonly point: Point }
  /** No draw was in the domain: why the first one failed, and that draw. */
  | { readonly ok: false; readonly reason: string; readonly point: Point };

/** Draws per plan; a plan is a way of drawing (qualifiers only, positive where a domain asks, wider). */
const DRAWS_PER_PLAN = 3;

/** Variables inside an argument that an op needs positive (log(x), sqrt(x .* y)). */
function underPositive(reference: readonly Expr[]): Set<string> {
  const out = new Set<string>();
  for (const node of topoOrder(reference)) {
    if (node.kind !== 'op') continue;
    const domain = specOf(node.op).domain;
    node.args.forEach((a, k) => {
      if (domain?.[k] === 'pos') for (const v of freeVars(a)) out.add(v.name);
    });
  }
  return out;
}

/** Plain variables (no qualifier that fixes their values' structure) may be drawn positive or scaled. */
const free = (v: VarExpr) => !v.qualifiers.some((q) => q === 'spd' || q === 'onehot');

function plans(req: SampleRequest): ((v: VarExpr) => Draw)[] {
  const pos = underPositive(req.reference);
  const out: ((v: VarExpr) => Draw)[] = [() => ({})];
  if ([...pos].some((name) => req.vars.some((v) => v.name === name && free(v))))
    out.push((v) => (pos.has(v.name) && free(v) ? { positive: true } : {}));
  out.push((v) => (free(v) ? { positive: true } : {}));
  // Small values of either sign (log(1 - x)), negative ones (log(-x)), then large positive (sqrt(x - 10)).
  out.push((v) => (free(v) ? { scale: 0.1 } : {}));
  out.push((v) => (free(v) ? { positive: true, scale: -1 } : {}));
  for (const scale of [10, 100]) out.push((v) => (free(v) ? { positive: true, scale } : {}));
  return out;
}

type Trouble =
  | { readonly kind: 'singular'; readonly node: Expr }
  | { readonly kind: 'value'; readonly node: Expr; readonly value: Matrix };

/** Beyond this 1-norm condition number a matrix counts as singular: a step of 1e-6 may cross singularity. */
const MAX_CONDITION = 1e10;

function norm1(a: Matrix): number {
  let m = 0;
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += Math.abs(a.data[i * a.cols + j]);
    m = Math.max(m, s);
  }
  return m;
}

/** Whether a square matrix is singular or too close to it for finite differences around it. */
function nearlySingular(a: Matrix): boolean {
  try {
    const c = norm1(a) * norm1(inv(matrix(a.rows, a.cols), a));
    return !(c <= MAX_CONDITION);
  } catch (e) {
    if (e instanceof SingularMatrixError) return true;
    throw e;
  }
}

/** Null when every node of the reference is defined and finite at the point, else the first that is not. */
function trouble(reference: readonly Expr[], point: Point): Trouble | null {
  const nodes = topoOrder(reference);
  let values: Matrix[];
  try {
    values = evaluateMany(nodes, point.values, point.dims);
  } catch (e) {
    if (!(e instanceof SingularMatrixError)) throw e;
    // Which inverse, determinant or solve met the singular matrix: the first node that throws on its own.
    const culprit = nodes.find((n) => {
      if (n.kind !== 'op' || !specOf(n.op).domain?.includes('full')) return false;
      try {
        evaluateMany([n], point.values, point.dims);
        return false;
      } catch (err) {
        return err instanceof SingularMatrixError;
      }
    });
    return { kind: 'singular', node: culprit ?? nodes[nodes.length - 1] };
  }
  const at = new Map(nodes.map((n, i) => [n.id, values[i]]));
  for (const [i, n] of nodes.entries()) {
    if (values[i].data.some((x) => !Number.isFinite(x))) return { kind: 'value', node: n, value: values[i] };
    if (n.kind !== 'op') continue;
    const domain = specOf(n.op).domain;
    if (n.args.some((a, k) => domain?.[k] === 'full' && nearlySingular(at.get(a.id)!)))
      return { kind: 'singular', node: n };
  }
  return null;
}

/** Names a variable; any other expression by its op, as `exp(…)` (numeric/ does not import the printers). */
const defaultShow = (e: Expr) =>
  e.kind === 'var'
    ? e.name
    : e.kind === 'op'
      ? `${e.op}(…)`
      : e.kind === 'const'
        ? String(e.value)
        : 'a derivative';

function dimsText(dims: ReadonlyMap<string, number>): string {
  return [...dims].map(([k, v]) => `${k}=${v}`).join(', ');
}

/** What the expression needs, from the first node that is not defined or not finite. */
function explain(t: Trouble, point: Point, show: (e: Expr) => string): string {
  const node = t.node;
  const sizes = point.dims.size > 0 ? ` (sizes ${dimsText(point.dims)})` : '';
  if (node.kind === 'op') {
    const domain = specOf(node.op).domain ?? [];
    const k = domain.indexOf('full');
    if (t.kind === 'singular' && k >= 0) {
      return `${node.op} needs ${show(node.args[k])} invertible, but it is singular (or nearly) at every sampled point${sizes}`;
    }
    const p = domain.indexOf('pos');
    if (p >= 0) {
      const a = node.args[p];
      const fix = a.kind === 'var' ? `: declare ${a.name} positive` : '';
      return `${node.op} needs ${show(a)} > 0${fix}; no sampled point satisfies it`;
    }
  }
  if (t.kind === 'singular') return `a matrix is singular at every sampled point${sizes}`;
  const bad = t.value.data.find((x) => !Number.isFinite(x));
  return Number.isNaN(bad)
    ? `${show(node)} is not a number (NaN) at every sampled point`
    : `${show(node)} overflows (${bad}) at every sampled point: the values are beyond double precision`;
}

/**
 * A point in the domain of `req.reference`: the first draw (qualifiers only) when it is defined and finite,
 * else re-drawn with the variables under positive-domain arguments positive, then all plain variables
 * positive, small, negative, then large; each way a few times, with new dims each time.
 */
export function samplePoint(req: SampleRequest): Sample {
  let first: { trouble: Trouble; point: Point } | null = null;
  let draw = 0;
  for (const plan of plans(req)) {
    for (let k = 0; k < DRAWS_PER_PLAN; k++) {
      const dims = req.dims(draw++);
      const point = { dims, values: randomValues(req.vars, dims, req.rand, plan) };
      const t = trouble(req.reference, point);
      if (!t) return { ok: true, point };
      first ??= { trouble: t, point };
    }
  }
  const f = first!;
  return { ok: false, reason: explain(f.trouble, f.point, req.show ?? defaultShow), point: f.point };
}
