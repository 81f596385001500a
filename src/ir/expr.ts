// The immutable, hash-consed expression DAG. Building the same node twice returns the same object, so
// structural equality is `===`, common subexpressions are shared, and passes memoize by `id`.
// Shapes are computed by the caller (ops/build.ts, from the op records); this file only interns.
import type { Dim } from './dim.js';
import { SCALAR, type Shape, shapeText } from './shape.js';
import { WeakInternTable } from './weak.js';

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

// Interning: op nodes are found by an integer hash of (op, argument ids, attrs) and compared field by
// field; the table holds nodes weakly (ir/weak.ts), so an expression nobody references is freed while
// `===` stays structural equality for every node that is still reachable.
const ops = new WeakInternTable<number, OpExpr>();
/** Variables by name (a name with several shapes or qualifier sets shares a bucket). */
const vars = new WeakInternTable<string, VarExpr>();
const derivs = new WeakInternTable<string, DerivExpr>();
const consts = new WeakInternTable<number, ConstExpr>();
let nextId = 1;

/** Number of interned nodes still alive (for benchmarks). */
export function internedCount(): number {
  return ops.size + vars.size + derivs.size + consts.size;
}

const NO_QUALIFIERS: readonly Qualifier[] = Object.freeze([]);

export function variable(name: string, shape: Shape, qualifiers: readonly Qualifier[] = []): VarExpr {
  const quals = qualifiers.length === 0 ? NO_QUALIFIERS : [...new Set(qualifiers)].sort();
  const same = (v: VarExpr) =>
    v.shape === shape && v.qualifiers.length === quals.length && v.qualifiers.every((q, i) => q === quals[i]);
  const found = vars.find(name, same);
  if (found) return found;
  const v: VarExpr = Object.freeze({
    kind: 'var',
    id: nextId++,
    shape,
    name,
    qualifiers: Object.freeze(quals),
  });
  return vars.add(name, v);
}

export function constant(value: number): ConstExpr {
  if (!Number.isFinite(value)) throw new RangeError(`a constant must be a finite number, not ${value}`);
  if (value < 0) throw new RangeError('constants are non-negative; build negatives with neg()');
  const v = Object.is(value, -0) ? 0 : value;
  const found = consts.find(v, () => true);
  if (found) return found;
  return consts.add(v, Object.freeze({ kind: 'const', id: nextId++, shape: SCALAR, value: v }));
}

const opCodes = new Map<string, number>();

function opCode(op: string): number {
  let c = opCodes.get(op);
  if (c === undefined) {
    c = opCodes.size + 1;
    opCodes.set(op, c);
  }
  return c;
}

const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);

function attrsHash(h: number, a: Attrs): number {
  if (a.dim !== undefined) h = mix(h, 101 + a.dim);
  if (a.power !== undefined) h = mix(h, 211 + a.power);
  if (a.rows !== undefined) h = mix(h, 307 + a.rows.id);
  if (a.cols !== undefined) h = mix(h, 401 + a.cols.id);
  if (a.offset !== undefined) h = mix(h, 503 + a.offset);
  return h;
}

const NO_ATTRS: Attrs = Object.freeze({});

function hasAttrs(a: Attrs): boolean {
  return (
    a.dim !== undefined ||
    a.power !== undefined ||
    a.rows !== undefined ||
    a.cols !== undefined ||
    a.offset !== undefined
  );
}

function sameAttrs(a: Attrs, b: Attrs): boolean {
  return (
    a.dim === b.dim && a.power === b.power && a.rows === b.rows && a.cols === b.cols && a.offset === b.offset
  );
}

/** Intern an op node whose shape the caller has already inferred. Prefer ops/build.ts `apply`. */
export function opNode(op: string, args: readonly Expr[], attrs: Attrs, shape: Shape): OpExpr {
  let h = opCode(op);
  for (const a of args) h = mix(h, a.id);
  // 30 bits: a small integer key (a wider one would be boxed as a heap number for every lookup)
  h = attrsHash(h, attrs) & 0x3fffffff;
  const found = ops.find(h, (e) => {
    if (e.op !== op || e.args.length !== args.length || !sameAttrs(e.attrs, attrs)) return false;
    for (let i = 0; i < args.length; i++) if (e.args[i] !== args[i]) return false;
    return true;
  });
  if (found) return found;
  let derivs = false;
  for (const a of args) if (a.kind === 'deriv' || (a.kind === 'op' && a.derivs)) derivs = true;
  const e: OpExpr = Object.freeze({
    kind: 'op',
    id: nextId++,
    shape,
    op,
    args: Object.freeze([...args]),
    attrs: hasAttrs(attrs) ? Object.freeze({ ...attrs }) : NO_ATTRS,
    derivs,
  });
  return ops.add(h, e);
}

export function derivNode(
  mode: DerivExpr['mode'],
  f: Expr,
  wrt: VarExpr,
  shape: Shape,
  at?: Expr,
): DerivExpr {
  const key = `g${mode}:${f.id}:${wrt.id}${at ? `@${at.id}` : ''}`;
  const found = derivs.find(key, () => true);
  if (found) return found;
  const d: DerivExpr = Object.freeze(
    at
      ? { kind: 'deriv', id: nextId++, shape, mode, f, wrt, at }
      : { kind: 'deriv', id: nextId++, shape, mode, f, wrt },
  );
  return derivs.add(key, d);
}

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

/** Nodes reachable from the roots, children before parents; iterative, so depth is not limited. */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  const order: Expr[] = [];
  const seen = new Set<number>();
  // the path from a root, and for each node on it the index of the next child to visit
  const path: Expr[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    path.push(root);
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const kids = children(path[top]);
      const i = next[top];
      if (i < kids.length) {
        next[top] = i + 1;
        const k = kids[i];
        if (!seen.has(k.id)) {
          seen.add(k.id);
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
