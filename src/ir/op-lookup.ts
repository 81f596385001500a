// Finding an op node again: its key (a small integer hash of op, argument ids and attrs) and its equality,
// among the parents an argument owns (one, a few in an array, or many by hash; ir/owned.ts) or in a bucket
// of a weak intern table (ir/weak.ts). ir/intern.ts decides where a node is stored; this file only looks.
import type { Attrs, Expr, OpExpr } from './expr.js';
import { Owner } from './owned.js';
import type { Bucket } from './weak.js';

/** Parents an owner keeps in an array before it hashes them. */
const FEW = 8;

export const asOwner = (e: Expr): Owner<OpExpr> => e as unknown as Owner<OpExpr>;

const opCodes = new Map<string, number>();

function opCode(op: string): number {
  let c = opCodes.get(op);
  if (c === undefined) {
    c = opCodes.size + 1;
    opCodes.set(op, c);
  }
  return c;
}

/** One step of the integer hashes of nodes (op nodes here, derivative nodes in ir/intern.ts). */
export const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);

/** A 30-bit hash of (op, argument ids, attrs): a small integer key (a wider one would be a heap number). */
export function opHash(op: string, args: readonly Expr[], a: Attrs): number {
  let h = opCode(op);
  for (let i = 0; i < args.length; i++) h = mix(h, args[i].id);
  if (a.dim !== undefined) h = mix(h, 101 + a.dim);
  if (a.power !== undefined) h = mix(h, 211 + a.power);
  if (a.rows !== undefined) h = mix(h, 307 + a.rows.id);
  if (a.cols !== undefined) h = mix(h, 401 + a.cols.id);
  if (a.offset !== undefined) h = mix(h, 503 + a.offset);
  return h & 0x3fffffff;
}

/** The attrs of an op that has none (shared, so that `attrs === NO_ATTRS` answers without reading fields). */
export const NO_ATTRS: Attrs = Object.freeze({});

export function hasAttrs(a: Attrs): boolean {
  return (
    a.dim !== undefined ||
    a.power !== undefined ||
    a.rows !== undefined ||
    a.cols !== undefined ||
    a.offset !== undefined
  );
}

function sameOp(e: OpExpr, op: string, args: readonly Expr[], a: Attrs): boolean {
  if (e.op !== op || e.args.length !== args.length) return false;
  const b = e.attrs;
  if (
    b.dim !== a.dim ||
    b.power !== a.power ||
    b.rows !== a.rows ||
    b.cols !== a.cols ||
    b.offset !== a.offset
  )
    return false;
  for (let i = 0; i < args.length; i++) if (e.args[i] !== args[i]) return false;
  return true;
}

function findAmong(
  b: OpExpr | OpExpr[] | undefined,
  op: string,
  args: readonly Expr[],
  a: Attrs,
): OpExpr | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) return sameOp(b, op, args, a) ? b : undefined;
  for (let i = 0; i < b.length; i++) if (sameOp(b[i], op, args, a)) return b[i];
  return undefined;
}

export function findOwned(owner: Expr, op: string, args: readonly Expr[], a: Attrs): OpExpr | undefined {
  const owned = Owner.owned(asOwner(owner));
  if (owned === null) return undefined;
  if (owned instanceof Map) return findAmong(owned.get(opHash(op, args, a)), op, args, a);
  return findAmong(owned, op, args, a);
}

export function addOwned(owner: Expr, e: OpExpr): void {
  const o = asOwner(owner);
  const owned = Owner.owned(o);
  if (owned === null) Owner.setOwned(o, e);
  else if (owned instanceof Map) addHashed(owned, e);
  else if (!Array.isArray(owned)) Owner.setOwned(o, [owned, e]);
  else if (owned.length < FEW) owned.push(e);
  else {
    const byHash = new Map<number, OpExpr | OpExpr[]>();
    for (const p of owned) addHashed(byHash, p);
    addHashed(byHash, e);
    Owner.setOwned(o, byHash);
  }
}

/** Take e out of the parents its owner keeps (it is there: addOwned put it); afterwards it cannot be found. */
export function removeOwned(owner: Expr, e: OpExpr): void {
  const o = asOwner(owner);
  const owned = Owner.owned(o);
  if (owned === e) Owner.setOwned(o, null);
  else if (owned instanceof Map) {
    const h = opHash(e.op, e.args, e.attrs);
    const b = owned.get(h);
    if (b === e) owned.delete(h);
    else if (Array.isArray(b)) b.splice(b.indexOf(e), 1);
  } else if (Array.isArray(owned)) owned.splice(owned.indexOf(e), 1);
}

function addHashed(m: Map<number, OpExpr | OpExpr[]>, e: OpExpr): void {
  const h = opHash(e.op, e.args, e.attrs);
  const b = m.get(h);
  if (b === undefined) m.set(h, e);
  else if (Array.isArray(b)) b.push(e);
  else m.set(h, [b, e]);
}

export function findWeak(
  b: Bucket<OpExpr> | undefined,
  op: string,
  args: readonly Expr[],
  a: Attrs,
): OpExpr | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) {
    const e = b.deref();
    return e !== undefined && sameOp(e, op, args, a) ? e : undefined;
  }
  for (const r of b) {
    const e = r.deref();
    if (e !== undefined && sameOp(e, op, args, a)) return e;
  }
  return undefined;
}
