// Interning of the expression DAG (types in ir/expr.ts): building the same node twice returns the same
// object, so `===` is structural equality for every node still reachable, while nodes nobody holds are freed.
// Nodes are immutable by their types (readonly fields and arrays), not frozen at run time: Object.freeze of a
// node and of its argument array was a third of the cost of making one. How a node is found again (its hash
// and equality) is ir/op-lookup.ts.
import {
  type Attrs,
  type ConstExpr,
  type DerivExpr,
  type Expr,
  firstVisit,
  newWalk,
  type OpExpr,
  type Qualifier,
  type VarExpr,
} from './expr.js';
import { constNode, derivNodeOf, Node, opNodeOf, type VarNode, varNode } from './node.js';
import {
  addOwned,
  asOwner,
  findOwned,
  findWeak,
  hasAttrs,
  mix,
  NO_ATTRS,
  opHash,
  removeOwned,
} from './op-lookup.js';
import { Owner } from './owned.js';
import type { Shape } from './shape.js';
import { type Bucket, firstLive, WeakInternTable } from './weak.js';

export { NO_ATTRS } from './op-lookup.js';

// An op node is found where it was stored: with its youngest argument (the largest id) while that argument
// is young — made within the last YOUTH nodes — the argument then owns it (ir/owned.ts) and the two are freed
// together, with no WeakRef; otherwise (no arguments, or an older youngest argument) in a weak table under
// an integer hash. A node is young only for the YOUTH nodes made after it, so a long-lived node never keeps
// more than the parents built then: a session that holds its declared variables or one expression, and
// builds many others over them, does not grow. Variables, constants and derivative nodes have weak tables of
// their own (ir/weak.ts).
const ops = new WeakInternTable<number, OpExpr>();
/**
 * Variables by a hash of the name (nameKey; a bucket may hold several names, and a name with several shapes
 * or qualifier sets). Variables declared together (declareVariables) stand under one WeakRef to their group,
 * which each member holds: they are freed together, for one WeakRef instead of one each.
 */
const vars = new WeakInternTable<number, VarNode | VarNode[]>();
const derivs = new WeakInternTable<number, DerivExpr>();
const consts = new WeakInternTable<number, ConstExpr>();
let nextId = 1;

/** How many nodes made after it a node stays young for. */
const YOUTH = 1 << 12;
/** Made within the last YOUTH nodes: it may own the parents built now (once old, a node stays old). */
const young = (e: Expr): boolean => e.id > nextId - YOUTH;

/** Interned nodes still reachable (for benchmarks and tests): the weak tables' live entries and all they own. */
export function internedCount(): number {
  let n = 0;
  const stack: Expr[] = [];
  // a group of variables stands under each member's name
  const groups = new Set<VarNode[]>();
  for (const v of vars.values()) {
    if (!Array.isArray(v)) stack.push(v);
    else if (!groups.has(v)) {
      groups.add(v);
      stack.push(...v);
    }
  }
  for (const t of [consts, ops, derivs] as WeakInternTable<unknown, Expr>[]) {
    for (const e of t.values()) stack.push(e);
  }
  while (stack.length > 0) {
    n++;
    const owned = Owner.owned(asOwner(stack.pop()!));
    if (owned === null) continue;
    if (owned instanceof Map) for (const b of owned.values()) pushAll(stack, b);
    else pushAll(stack, owned);
  }
  return n;
}

function pushAll(stack: Expr[], b: OpExpr | OpExpr[]): void {
  if (Array.isArray(b)) stack.push(...b);
  else stack.push(b);
}

const NO_QUALIFIERS: readonly Qualifier[] = Object.freeze([]);

function sameQualifiers(a: readonly Qualifier[], b: readonly Qualifier[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameVar(v: VarNode, name: string, shape: Shape, quals: readonly Qualifier[]): boolean {
  return v.name === name && v.shape === shape && sameQualifiers(v.qualifiers, quals);
}

function findIn(
  t: VarNode | VarNode[] | undefined,
  name: string,
  shape: Shape,
  quals: readonly Qualifier[],
): VarNode | undefined {
  if (t === undefined) return undefined;
  if (!Array.isArray(t)) return sameVar(t, name, shape, quals) ? t : undefined;
  for (let i = 0; i < t.length; i++) if (sameVar(t[i], name, shape, quals)) return t[i];
  return undefined;
}

function findVar(
  b: Bucket<VarNode | VarNode[]> | undefined,
  name: string,
  shape: Shape,
  quals: readonly Qualifier[],
): VarNode | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) return findIn(b.deref(), name, shape, quals);
  for (const r of b) {
    const v = findIn(r.deref(), name, shape, quals);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * FNV-1a of the name's code units, 30 bits (a small integer): a table keyed by numbers compares keys without
 * reading the strings, which a table of hundreds of thousands of names (dead ones wait for a full collection)
 * would fetch from all over the heap.
 */
function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

const canonicalQualifiers = (qualifiers: readonly Qualifier[]): readonly Qualifier[] =>
  qualifiers.length === 0 ? NO_QUALIFIERS : Object.freeze([...new Set(qualifiers)].sort());

export function variable(
  name: string,
  shape: Shape,
  qualifiers: readonly Qualifier[] = NO_QUALIFIERS,
): VarExpr {
  const quals = canonicalQualifiers(qualifiers);
  const key = nameKey(name);
  const b = vars.bucket(key);
  return (
    findVar(b, name, shape, quals) ?? (vars.add(key, varNode(nextId++, shape, name, quals), b) as VarNode)
  );
}

/**
 * The variables names[i] : shapes[i] with qualifiers[i] (distinct names), as `variable` gives them one by one;
 * those not interned yet are made as one group, freed when none of them is reachable any more.
 */
export function declareVariables(
  names: readonly string[],
  shapes: readonly Shape[],
  qualifiers: readonly (readonly Qualifier[])[],
): VarExpr[] {
  const out: VarExpr[] = [];
  const group: VarNode[] = [];
  const keys: number[] = [];
  const buckets: (Bucket<VarNode | VarNode[]> | undefined)[] = [];
  for (let i = 0; i < names.length; i++) {
    const quals = canonicalQualifiers(qualifiers[i]);
    const key = nameKey(names[i]);
    const b = vars.bucket(key);
    const found = findVar(b, names[i], shapes[i], quals) ?? findIn(group, names[i], shapes[i], quals);
    if (found !== undefined) {
      out.push(found);
      continue;
    }
    const v = varNode(nextId++, shapes[i], names[i], quals);
    out.push(v);
    group.push(v);
    keys.push(key);
    buckets.push(b);
  }
  if (group.length === 1) vars.addRef(keys[0], new WeakRef(group[0]), buckets[0]);
  else if (group.length > 1) {
    const ref = new WeakRef<VarNode | VarNode[]>(group);
    for (let i = 0; i < group.length; i++) {
      Node.join(group[i], group);
      // two new names with one key: the second's bucket, looked up before the first was added, is stale
      vars.addRef(keys[i], ref, keys.indexOf(keys[i]) < i ? vars.bucket(keys[i]) : buckets[i]);
    }
  }
  return out;
}

export function constant(value: number): ConstExpr {
  if (!Number.isFinite(value)) throw new RangeError(`a constant must be a finite number, not ${value}`);
  if (value < 0) throw new RangeError('constants are non-negative; build negatives with neg()');
  const v = Object.is(value, -0) ? 0 : value;
  const b = consts.bucket(v);
  return firstLive(b) ?? consts.add(v, constNode(nextId++, v), b);
}

/** The shape of an op node from its arguments' shapes, which it may check (an op record's `shape`). */
export interface ShapeRule {
  shape(args: readonly Shape[], attrs: Attrs): Shape;
}

/** The shapes of a node's arguments (what op records' shape and text rules read), without a map for 1 or 2. */
export const argShapes = (args: readonly Expr[]): Shape[] =>
  args.length === 1
    ? [args[0].shape]
    : args.length === 2
      ? [args[0].shape, args[1].shape]
      : args.map((a) => a.shape);

/**
 * A new node. `fresh`: args and attrs are new objects nobody else holds, kept as they are; otherwise they
 * are copied, so that a caller changing its array later cannot change the node.
 */
function makeOp(
  op: string,
  args: readonly Expr[],
  attrs: Attrs,
  shape: Shape | ShapeRule,
  fresh: boolean,
): OpExpr {
  let derivs = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === 'deriv' || (a.kind === 'op' && a.derivs)) derivs = true;
  }
  const s = 'shape' in shape ? shape.shape(argShapes(args), attrs) : shape;
  const ownArgs = fresh || Object.isFrozen(args) ? args : args.slice();
  const ownAttrs =
    attrs === NO_ATTRS || !hasAttrs(attrs)
      ? NO_ATTRS
      : fresh || Object.isFrozen(attrs)
        ? attrs
        : { ...attrs };
  return opNodeOf(nextId++, s, op, ownArgs, ownAttrs, derivs);
}

/** Intern an op node whose shape the caller has already inferred. Prefer ops/build.ts `apply`. */
export function opNode(op: string, args: readonly Expr[], attrs: Attrs, shape: Shape): OpExpr {
  return internOp(op, args, attrs, shape, false);
}

/** The argument made last (the largest id): the one that owns a node over args while it is young. */
function youngestArg(args: readonly Expr[]): Expr | undefined {
  let owner: Expr | undefined;
  for (let i = 0; i < args.length; i++) if (owner === undefined || args[i].id > owner.id) owner = args[i];
  return owner;
}

/**
 * Intern an op node; its shape is `shape`, or what the rule gives, asked only when the node is new (a node
 * found again has arguments whose shapes the rule accepted when it was made).
 */
export function internOp(
  op: string,
  args: readonly Expr[],
  attrs: Attrs,
  shape: Shape | ShapeRule,
  fresh: boolean,
): OpExpr {
  const owner = youngestArg(args);
  if (owner !== undefined) {
    const found = findOwned(owner, op, args, attrs);
    if (found !== undefined) return found;
    // a young owner has owned every parent built since it was made, so the weak table cannot hold one
    if (young(owner)) {
      const e = makeOp(op, args, attrs, shape, fresh);
      addOwned(owner, e);
      if (scratch !== null) scratch.push(e);
      return e;
    }
  }
  const h = opHash(op, args, attrs);
  const b = ops.bucket(h);
  return findWeak(b, op, args, attrs) ?? ops.add(h, makeOp(op, args, attrs, shape, fresh), b);
}

/** The owned op nodes made since openScratch, or null when no scratch is open. */
let scratch: OpExpr[] | null = null;

/**
 * Start noting the op nodes made from now on that an argument owns (nearly all of a computation's): a
 * computation that gives out only its result (api.ts `returning`: grad, jacobian, hessian, hvp) lets go of
 * the others at its end (closeScratch). null when a scratch is open already (the outer one decides).
 */
export function openScratch(): OpExpr[] | null {
  if (scratch !== null) return null;
  scratch = [];
  return scratch;
}

/**
 * End the scratch `made` (from openScratch). With `keep`, every node of `made` that no node of keep reaches
 * is taken out of its owner's parents: nobody can find it again, so nothing but the caller's references
 * keeps it, and the caller promises there are none — a computation's intermediate cotangents and rewrites
 * would otherwise live as long as the variables they were built over. Without `keep` (an error), nothing.
 */
export function closeScratch(made: OpExpr[] | null, keep?: readonly Expr[]): void {
  if (made === null || made !== scratch) return;
  scratch = null;
  if (keep === undefined || made.length === 0) return;
  // the nodes of `made` that keep reaches: a walk that stops at nodes older than the scratch
  const first = made[0].id;
  const walk = newWalk();
  const stack: Expr[] = [];
  for (const k of keep) if (k.id >= first && firstVisit(k, walk)) stack.push(k);
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind !== 'op') continue;
    for (const a of e.args) if (a.id >= first && firstVisit(a, walk)) stack.push(a);
  }
  // in the order made, so an owner (older than its parents) is marked gone before its parents come
  const gone = newWalk();
  for (const e of made) {
    if (Owner.slot(asOwner(e)) === walk) continue;
    firstVisit(e, gone);
    // the owner internOp gave e (an owned node has arguments); an owner let go of takes its parents with it
    const owner = youngestArg(e.args)!;
    if (Owner.slot(asOwner(owner)) !== gone) removeOwned(owner, e);
  }
}

const MODES = { grad: 1, jacobian: 2, hessian: 3 } as const;

function findDeriv(
  b: Bucket<DerivExpr> | undefined,
  mode: DerivExpr['mode'],
  f: Expr,
  wrt: VarExpr,
  at: Expr | undefined,
) {
  if (b === undefined) return undefined;
  for (const r of Array.isArray(b) ? b : [b]) {
    const d = r.deref();
    if (d !== undefined && d.mode === mode && d.f === f && d.wrt === wrt && d.at === at) return d;
  }
  return undefined;
}

export function derivNode(
  mode: DerivExpr['mode'],
  f: Expr,
  wrt: VarExpr,
  shape: Shape,
  at?: Expr,
): DerivExpr {
  const h = mix(mix(mix(MODES[mode], f.id), wrt.id), at ? at.id : 0) & 0x3fffffff;
  const b = derivs.bucket(h);
  return findDeriv(b, mode, f, wrt, at) ?? derivs.add(h, derivNodeOf(nextId++, shape, mode, f, wrt, at), b);
}
