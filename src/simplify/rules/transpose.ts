// Transposes: removed where they cancel or do nothing, and pushed through products only when that
// leaves fewer of them (so Hᵀ stays Hᵀ, but (xᵀA)ᵀ becomes Aᵀx).
import { NodeFact } from '../../ir/cache.js';
import type { Expr, OpExpr } from '../../ir/expr.js';
import { isScalar } from '../../ir/shape.js';
import { apply, div, inv, matmul, mul, neg, ones, transpose, zeros } from '../../ops/build.js';
import { isOp, rule } from '../rule.js';
import { isSymmetric } from './symmetry.js';

/** The transpose of e without a transpose node where one can be avoided cheaply. */
export function transposeOf(e: Expr): Expr {
  if (isScalar(e.shape) || isSymmetric(e)) return e;
  if (isOp(e, 'transpose')) return e.args[0];
  if (isOp(e, 'ones')) return ones(e.shape.cols, e.shape.rows);
  if (isOp(e, 'zeros')) return zeros(e.shape.cols, e.shape.rows);
  return transpose(e);
}

export const transposeSimple = rule(
  ['transpose'],
  'transpose',
  '(Aᵀ)ᵀ → A, sᵀ → s, Sᵀ → S for symmetric S',
  (e) => {
    if (e.op !== 'transpose') return null;
    const a = e.args[0];
    // the cases where transposeOf(a) is not e itself, tested before anything is built
    if (!isScalar(a.shape) && !isOp(a, 'transpose', 'ones', 'zeros') && !isSymmetric(a)) return null;
    return transposeOf(a);
  },
);

export const transposeThrough = rule(
  ['transpose'],
  'transpose through',
  '(−A)ᵀ → −Aᵀ, (sA)ᵀ → sAᵀ, (A/s)ᵀ → Aᵀ/s',
  (e) => {
    if (e.op !== 'transpose') return null;
    const a = e.args[0];
    if (isOp(a, 'neg')) return neg(transposeOf(a.args[0]));
    if (isOp(a, 'emul') && isScalar(a.args[0].shape)) return mul(a.args[0], transposeOf(a.args[1]));
    if (isOp(a, 'emul') && isScalar(a.args[1].shape)) return mul(transposeOf(a.args[0]), a.args[1]);
    if (isOp(a, 'ediv') && isScalar(a.args[1].shape)) return div(transposeOf(a.args[0]), a.args[1]);
    if (isOp(a, 'inv') && isOp(a.args[0], 'transpose')) return inv(a.args[0].args[0]);
    return null;
  },
);

/**
 * How transposed e reads along its product chain: a transposed factor that is not itself a product or
 * sum costs 1 (Hᵀ, Xᵀ), a transposed product or sum costs 2 plus its own cost ((XW)ᵀ), others 0.
 */
function spineCost(e: Expr): number {
  if (!isOp(e, 'matmul', 'transpose')) return 0;
  const known = costs.get(e);
  if (known !== undefined) return known;
  return spineCostOf(e, 0);
}

/** Recursion depth below which spineCost recurses; deeper chains are walked with an explicit stack. */
const SHALLOW = 64;

/** The spine's operands of a product or transpose node (a transposed product or sum costs its own). */
const spineKids = (x: OpExpr): readonly Expr[] =>
  x.op === 'matmul' ? x.args : isOp(x.args[0], 'matmul', 'add', 'sub') ? [x.args[0]] : [];

function costOfNode(x: OpExpr): number {
  const c = (k: Expr) => (isOp(k, 'matmul', 'transpose') ? costs.get(k)! : 0);
  if (x.op === 'matmul') return c(x.args[0]) + c(x.args[1]);
  return isOp(x.args[0], 'matmul', 'add', 'sub') ? 2 + c(x.args[0]) : 1;
}

function spineCostOf(e: OpExpr, depth: number): number {
  if (depth > SHALLOW) return spineCostDeep(e);
  for (const k of spineKids(e)) {
    if (isOp(k, 'matmul', 'transpose') && !costs.has(k)) spineCostOf(k, depth + 1);
  }
  const cost = costOfNode(e);
  costs.set(e, cost);
  return cost;
}

/** spineCost children first, without recursion: chains can be thousands of factors long. */
function spineCostDeep(e: OpExpr): number {
  const stack: OpExpr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1];
    let waiting = false;
    for (const k of spineKids(x)) {
      if (isOp(k, 'matmul', 'transpose') && !costs.has(k)) {
        stack.push(k);
        waiting = true;
      }
    }
    if (waiting) continue;
    stack.pop();
    costs.set(x, costOfNode(x));
  }
  return costs.get(e)!;
}

const costs = new NodeFact<number>();

/** spineCost of transposeOf(e), without building it. */
function simpleTransposeCost(e: Expr): number {
  if (isScalar(e.shape) || isSymmetric(e)) return spineCost(e);
  if (isOp(e, 'transpose')) return spineCost(e.args[0]);
  if (isOp(e, 'ones', 'zeros')) return 0;
  return isOp(e, 'matmul', 'add', 'sub') ? 2 + spineCost(e) : 1;
}

/** Per depth: 2·(spineCost of bestTranspose(e, depth)) + 1 when pushing eᵀ through the product e reads better. */
const best: NodeFact<number>[] = [];

function bestOf(e: OpExpr, depth: number): number {
  best[depth] ??= new NodeFact();
  const known = best[depth].get(e);
  if (known !== undefined) return known;
  const simple = 2 + spineCost(e);
  const pushed = bestTransposeCost(e.args[1], depth - 1) + bestTransposeCost(e.args[0], depth - 1);
  const code = pushed < simple ? 2 * pushed + 1 : 2 * simple;
  best[depth].set(e, code);
  return code;
}

/** spineCost of bestTranspose(e, depth), decided without building anything. */
function bestTransposeCost(e: Expr, depth = 6): number {
  if (!isOp(e, 'matmul') || isScalar(e.shape) || depth === 0) return simpleTransposeCost(e);
  return bestOf(e, depth) >> 1;
}

/** The cheapest way to write eᵀ: pushed through product chains (reversing them) when that reads better. */
function bestTranspose(e: Expr, depth = 6): Expr {
  if (!isOp(e, 'matmul') || isScalar(e.shape) || depth === 0) return transposeOf(e);
  return bestOf(e, depth) & 1
    ? matmul(bestTranspose(e.args[1], depth - 1), bestTranspose(e.args[0], depth - 1))
    : transpose(e);
}

export const transposeProduct = rule(
  ['transpose'],
  'transpose of a product',
  '(AB)ᵀ → BᵀAᵀ when that reads with fewer transposes ((xᵀA)ᵀ → Aᵀx, but (XW)ᵀ stays)',
  (e) => {
    if (e.op !== 'transpose') return null;
    const a = e.args[0];
    if (isOp(a, 'matmul')) return bestTransposeCost(a) < spineCost(e) ? bestTranspose(a) : null;
    if (isOp(a, 'add', 'sub')) {
      const [l, r] = a.args;
      return bestTransposeCost(l) + bestTransposeCost(r) < spineCost(e)
        ? apply(a.op, [bestTranspose(l), bestTranspose(r)])
        : null;
    }
    return null;
  },
);

export const transposedSum = rule(
  ['add', 'sub'],
  'transposed sum',
  "B'X' + X'B' → (XB + BX)' when that has fewer transposes",
  (e) => {
    if (e.op !== 'add' && e.op !== 'sub') return null;
    const [l, r] = e.args;
    if (!isOp(l, 'matmul') || !isOp(r, 'matmul')) return null;
    return 2 + bestTransposeCost(l) + bestTransposeCost(r) < spineCost(l) + spineCost(r)
      ? transpose(apply(e.op, [bestTranspose(l), bestTranspose(r)]))
      : null;
  },
);
