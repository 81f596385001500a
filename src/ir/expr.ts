// The immutable, hash-consed expression DAG. Building the same node twice returns the same object, so
// structural equality is `===`, common subexpressions are shared, and passes memoize by `id`.
// Shapes are computed by the caller (ops/build.ts, from the op records); this file only interns.
import type { Dim } from './dim.js';
import { SCALAR, type Shape, shapeText } from './shape.js';

/** Value restrictions: numeric checks sample accordingly and simplify may use them. `onehot`: each row is a one-hot vector (so it sums to 1). */
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

/** A 1×1 numeric constant; always ≥ 0 or NaN (a negative number is built as neg(const)). */
export interface ConstExpr extends Node {
  readonly kind: 'const';
  readonly value: number;
}

export interface OpExpr extends Node {
  readonly kind: 'op';
  readonly op: string;
  readonly args: readonly Expr[];
  readonly attrs: Attrs;
}

/** `grad(f, X)`, `jacobian(f, x)`, `hessian(f, x)` written in the language; diff/ gives them meaning. */
export interface DerivExpr extends Node {
  readonly kind: 'deriv';
  readonly mode: 'grad' | 'jacobian' | 'hessian';
  readonly f: Expr;
  readonly wrt: VarExpr;
}

export type Expr = VarExpr | ConstExpr | OpExpr | DerivExpr;

const table = new Map<string, Expr>();
let nextId = 1;

function intern<E extends Expr>(key: string, build: (id: number) => E): E {
  const found = table.get(key);
  if (found) return found as E;
  const e = Object.freeze(build(nextId++)) as E;
  table.set(key, e as Expr);
  return e;
}

/** Number of distinct nodes ever built (for benchmarks). */
export function internedCount(): number {
  return table.size;
}

function shapeKey(s: Shape): string {
  return `${s.rows.key}x${s.cols.key}`;
}

export function variable(name: string, shape: Shape, qualifiers: readonly Qualifier[] = []): VarExpr {
  const quals = [...new Set(qualifiers)].sort();
  return intern(`v:${name}:${shapeKey(shape)}:${quals.join(',')}`, (id) => ({
    kind: 'var',
    id,
    shape,
    name,
    qualifiers: Object.freeze(quals),
  }));
}

export function constant(value: number): ConstExpr {
  if (value < 0) throw new RangeError('constants are non-negative; build negatives with neg()');
  const v = Object.is(value, -0) ? 0 : value;
  return intern(`c:${v}`, (id) => ({ kind: 'const', id, shape: SCALAR, value: v }));
}

function attrsKey(a: Attrs): string {
  let k = '';
  if (a.dim !== undefined) k += `d${a.dim}`;
  if (a.power !== undefined) k += `p${a.power}`;
  if (a.rows !== undefined) k += `r${a.rows.key}`;
  if (a.cols !== undefined) k += `c${a.cols.key}`;
  if (a.offset !== undefined) k += `o${a.offset}`;
  return k;
}

/** Intern an op node whose shape the caller has already inferred. Prefer ops/build.ts `apply`. */
export function opNode(op: string, args: readonly Expr[], attrs: Attrs, shape: Shape): OpExpr {
  const key = `o:${op}:${args.map((a) => a.id).join(',')}:${attrsKey(attrs)}`;
  return intern(key, (id) => ({
    kind: 'op',
    id,
    shape,
    op,
    args: Object.freeze([...args]),
    attrs: Object.freeze({ ...attrs }),
  }));
}

export function derivNode(mode: DerivExpr['mode'], f: Expr, wrt: VarExpr, shape: Shape): DerivExpr {
  return intern(`g:${mode}:${f.id}:${wrt.id}`, (id) => ({ kind: 'deriv', id, shape, mode, f, wrt }));
}

export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'var':
    case 'const':
      return [];
    case 'op':
      return e.args;
    case 'deriv':
      return [e.f, e.wrt];
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Nodes reachable from the roots, children before parents; iterative, so depth is not limited. */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<number>();
  const stack: { e: Expr; i: number }[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    stack.push({ e: root, i: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const kids = children(top.e);
      if (top.i < kids.length) {
        const k = kids[top.i++];
        if (!seen.has(k.id)) {
          seen.add(k.id);
          stack.push({ e: k, i: 0 });
        }
      } else {
        order.push(top.e);
        stack.pop();
      }
    }
  }
  return order;
}

/** The variables an expression mentions, in first-seen order. */
export function freeVars(e: Expr): VarExpr[] {
  return topoOrder([e]).filter((n): n is VarExpr => n.kind === 'var');
}

export function describeShape(e: Expr): string {
  return shapeText(e.shape);
}
