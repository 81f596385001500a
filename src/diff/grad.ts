// Reverse-mode symbolic differentiation: one sweep over the DAG in reverse topological order, each op's
// VJP rule from its record, cotangents accumulated per node. The engine (not the rules) sums broadcast
// cotangents back to the operand's shape and asserts every result has its argument's shape.
import { NodeMemo } from '../ir/cache.js';
import { isOne } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import { type Expr, topoOrder, type VarExpr } from '../ir/expr.js';
import { isScalar, sameShape, shapeText } from '../ir/shape.js';
import { add, num, sum, zerosOf } from '../ops/build.js';
import { specOf } from '../ops/index.js';

/** One backward step: the cotangent reaching `node`, and what its rule sent to each argument. */
export interface SweepStep {
  readonly node: Expr;
  readonly ct: Expr;
  readonly rule: string;
  readonly argCts: readonly (Expr | null)[];
}

/** Sum a cotangent of a broadcast result back to the operand's shape `target`. */
export function unbroadcast(ct: Expr, target: Expr): Expr {
  const t = target.shape;
  if (sameShape(ct.shape, t)) return ct;
  const rowsSummed = isOne(t.rows) && !isOne(ct.shape.rows);
  const colsSummed = isOne(t.cols) && !isOne(ct.shape.cols);
  const r = rowsSummed && colsSummed ? sum(ct, 0) : rowsSummed ? sum(ct, 1) : colsSummed ? sum(ct, 2) : ct;
  if (!sameShape(r.shape, t)) {
    throw new ShapeError(`internal: cotangent ${shapeText(ct.shape)} does not reduce to ${shapeText(t)}`);
  }
  return r;
}

/**
 * Which nodes of `order` (children first) depend on some variable of `wrt`, by their slot in `cts` (every node
 * of order gets one): only their cotangents lead anywhere.
 */
function dependents(order: readonly Expr[], wrt: readonly VarExpr[], cts: NodeMemo<Expr>): boolean[] {
  const live: boolean[] = [];
  for (const node of order) live[cts.slot(node)] = false;
  for (const v of wrt) {
    const i = cts.indexOf(v);
    if (i >= 0) live[i] = true;
  }
  for (const node of order) {
    if (node.kind !== 'op') continue;
    const args = node.args;
    for (let k = 0; k < args.length; k++) {
      if (live[cts.indexOf(args[k])]) {
        live[cts.indexOf(node)] = true;
        break;
      }
    }
  }
  return live;
}

/**
 * Rewrites a cotangent as it is built (simplify/refine.ts): `node` is what a VJP rule built, or the sum of
 * two cotangents of one node. Returns an equal expression of the same shape.
 */
export type Refine = (node: Expr) => Expr;

/**
 * Cotangents of `wrt` given the cotangent `seed` of `f` (same shape as f). Returns null for a variable
 * f does not depend on. `log`, when given, receives each backward step in sweep order, with the cotangent
 * of every argument; without it, cotangents of arguments no variable of `wrt` is under are not built.
 * `refine`, when given, rewrites each cotangent (and each sum of two) as it is built. `order`: topoOrder([f]),
 * when the caller has it.
 */
export function vjpSweep(
  f: Expr,
  seed: Expr,
  wrt: readonly VarExpr[],
  log?: SweepStep[],
  refine?: Refine,
  order: readonly Expr[] = topoOrder([f]),
): (Expr | null)[] {
  if (!sameShape(seed.shape, f.shape)) throw new ShapeError('internal: seed shape differs from f');
  const cts = new NodeMemo<Expr>();
  try {
    const live = log ? null : dependents(order, wrt, cts);
    cts.set(f, seed);
    sweep(order, cts, live, log, refine);
    return wrt.map((v) => cts.get(v) ?? null);
  } finally {
    cts.release();
  }
}

/** The backward steps over `order` (children first), from the cotangents in `cts`. */
function sweep(
  order: readonly Expr[],
  cts: NodeMemo<Expr>,
  live: readonly boolean[] | null,
  log: SweepStep[] | undefined,
  refine: Refine | undefined,
): void {
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const ct = cts.get(node);
    if (!ct || node.kind !== 'op') {
      if (ct && node.kind === 'deriv') throw new Error('internal: expand derivatives before the sweep');
      continue;
    }
    if (live && !live[cts.indexOf(node)]) continue;
    const spec = specOf(node.op);
    const args = node.args;
    const needs = live ? args.map((a) => live[cts.indexOf(a)]) : undefined;
    const raw = spec.vjp(ct, node, args, node.attrs, needs);
    if (raw.length !== args.length)
      throw new Error(`internal: ${node.op} vjp returned ${raw.length} results`);
    const argCts: (Expr | null)[] | null = log ? [] : null;
    for (let k = 0; k < args.length; k++) {
      const rk = raw[k];
      const arg = args[k];
      const u = rk && (!needs || needs[k]) ? unbroadcast(rk, arg) : null;
      const r = u && refine ? refine(u) : u;
      argCts?.push(r);
      if (!r) continue;
      if (!sameShape(r.shape, arg.shape)) {
        throw new ShapeError(
          `internal: ${node.op} vjp gave ${shapeText(r.shape)} for an argument of shape ${shapeText(arg.shape)}`,
        );
      }
      const prev = cts.get(arg);
      cts.set(arg, prev ? (refine ? refine(add(prev, r)) : add(prev, r)) : r);
    }
    if (log && argCts) log.push({ node, ct, rule: spec.rule, argCts });
  }
}

/** Unsimplified gradients of a scalar f; a variable f does not depend on gets zeros of its shape. `order` as vjpSweep's. */
export function gradRaw(
  f: Expr,
  wrt: readonly VarExpr[],
  log?: SweepStep[],
  refine?: Refine,
  order?: readonly Expr[],
): Expr[] {
  if (!isScalar(f.shape)) {
    throw new ShapeError(
      `grad needs a scalar (1×1) expression, but this one is ${shapeText(f.shape)}; use jacobian for vector or matrix functions`,
    );
  }
  return vjpSweep(f, num(1), wrt, log, refine, order).map((g, k) => g ?? zerosOf(wrt[k].shape));
}
