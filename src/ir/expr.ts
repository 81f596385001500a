// The immutable, hash-consed expression DAG. Building the same node twice returns the same object, so
// structural equality is `===`, common subexpressions are shared, and passes memoize by `id`.
// Shapes are computed by the caller (ops/build.ts, from the op records); ir/intern.ts interns.
import type { Dim } from './dim.js';
import { Owner } from './owned.js';
import { type Shape, shapeText } from './shape.js';

export { constant, declareVariables, derivNode, internedCount, opNode, variable } from './intern.js';

/** Value restrictions: numeric checks sample accordingly and simplify may use them. `onehot`: each row is a one-hot vector (so it sums to 1); a column vector is one one-hot vector. */
export type Qualifier = 'symmetric' | 'spd' | 'positive' | 'onehot';

/** Op attributes. Which fields an op reads is stated in its record. */
export interface Attrs {
  /** Reduction axis: 0 = all entries, 1 = down columns (→ 1×n), 2 = across rows (→ m×1). */
  readonly dim?: 0 | 1 | 2;
  /** Integer matrix power. */
  readonly power?: number;
  /** Sizes of eye/ones/zeros. */
  readonly rows?: Dim;
  readonly cols?: Dim;
  /** Diagonal offset of a shift matrix (ones at (i, i + offset)). */
  readonly offset?: number;
}

interface Node {
  readonly id: number;
  readonly shape: Shape;
}

export interface VarExpr extends Node {
  readonly kind: 'var';
  readonly name: string;
  readonly qualifiers: readonly Qualifier[];
}

/**
 * A 1×1 numeric constant, finite and ≥ 0 (a negative number is built as neg(const)). It denotes exactly the
 * decimal its shortest text spells (ir/rational.ts), which is how the simplifier folds constants.
 */
export interface ConstExpr extends Node {
  readonly kind: 'const';
  readonly value: number;
}

export interface OpExpr extends Node {
  readonly kind: 'op';
  readonly op: string;
  readonly args: readonly Expr[];
  readonly attrs: Attrs;
  /** Some argument mentions a grad/jacobian/hessian node (see mentionsDerivative). */
  readonly derivs: boolean;
}

/** `grad(f, X)`, `jacobian(f, x)`, `hessian(f, x)` written in the language; diff/ gives them meaning. */
export interface DerivExpr extends Node {
  readonly kind: 'deriv';
  readonly mode: 'grad' | 'jacobian' | 'hessian';
  readonly f: Expr;
  readonly wrt: VarExpr;
  /**
   * For a named intermediate H (`grad(L, H)`): f is L with H's definition replaced by the input `wrt`,
   * and the derivative is evaluated at `wrt = at`, H's definition. Absent for a declared variable.
   */
  readonly at?: Expr;
}

export type Expr = VarExpr | ConstExpr | OpExpr | DerivExpr;

const NO_CHILDREN: readonly Expr[] = Object.freeze([]);

export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'var':
    case 'const':
      return NO_CHILDREN;
    case 'op':
      return e.args;
    case 'deriv':
      return e.at ? [e.f, e.wrt, e.at] : [e.f, e.wrt];
    default: {
      const never: never = e;
      return never;
    }
  }
}

let walks = 0;

/**
 * Nodes reachable from the roots, children before parents; iterative, so depth is not limited. A walk
 * stamps the nodes it has seen (ir/owned.ts) instead of filling a set; walks never nest.
 */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  // negative, so that no slot (ir/owned.ts) is taken for it
  const stamp = -++walks;
  const order: Expr[] = [];
  // the path from a root, and for each node on it the index of the next child to visit
  const path: Expr[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (!Owner.visit(asOwner(root), stamp)) continue;
    path.push(root);
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const kids = children(path[top]);
      const i = next[top];
      if (i < kids.length) {
        next[top] = i + 1;
        const k = kids[i];
        if (!Owner.visit(asOwner(k), stamp)) continue;
        // a leaf is done as soon as it is seen
        if (k.kind === 'var' || k.kind === 'const') order.push(k);
        else {
          path.push(k);
          next.push(0);
        }
      } else {
        order.push(path[top]);
        path.pop();
        next.pop();
      }
    }
  }
  return order;
}

const asOwner = (e: Expr): Owner<unknown> => e as unknown as Owner<unknown>;

/** A new walk's stamp, for a walk of one's own with `firstVisit` (like topoOrder's: walks never nest). */
export function newWalk(): number {
  return -++walks;
}

/** Mark e as seen by the walk `stamp`; false when it already was. */
export function firstVisit(e: Expr, stamp: number): boolean {
  return Owner.visit(asOwner(e), stamp);
}

/**
 * topoOrder with each node numbered by its place in the order (read back with `slotOf`), so that a pass can
 * keep its per-node results in arrays. The numbers hold until the next numberedOrder; such passes never nest.
 */
export function numberedOrder(roots: readonly Expr[]): Expr[] {
  const order = topoOrder(roots);
  for (let i = 0; i < order.length; i++) Owner.setSlot(asOwner(order[i]), i);
  return order;
}

/** The place of e in the last numberedOrder that reached it. */
export function slotOf(e: Expr): number {
  return Owner.slot(asOwner(e));
}

/** True when some node under e (e included) is a grad/jacobian/hessian node; O(1), recorded at construction. */
export function mentionsDerivative(e: Expr): boolean {
  return e.kind === 'deriv' || (e.kind === 'op' && e.derivs);
}

/** The variables an expression mentions, in first-seen order. */
export function freeVars(e: Expr): VarExpr[] {
  return topoOrder([e]).filter((n): n is VarExpr => n.kind === 'var');
}

export function describeShape(e: Expr): string {
  return shapeText(e.shape);
}
