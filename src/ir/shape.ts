// Shapes are pairs of symbolic dims (everything is 2-D), interned so equal shapes are `===`; broadcasting
// of size-1 dims follows NumPy.
import { type Dim, dimText, dimValue, isOne, ONE } from './dim.js';
import { type Bucket, WeakInternTable } from './weak.js';

export interface Shape {
  readonly rows: Dim;
  readonly cols: Dim;
}

export const SCALAR: Shape = Object.freeze({ rows: ONE, cols: ONE });

const interned = new WeakInternTable<number, Shape>();

/**
 * The last shape seen in each of a few slots, held strongly: most shapes asked for are recent ones, and a
 * slot answers without a table lookup. It keeps at most RECENT small shapes alive, and only canonical ones.
 */
const RECENT = 256;
const recent: (Shape | undefined)[] = new Array(RECENT).fill(undefined);

/** The shape rows×cols; interned (weakly) like dims, so equal shapes are the same object. */
export function shape(rows: Dim, cols: Dim): Shape {
  if (rows === ONE && cols === ONE) return SCALAR;
  const key = (Math.imul(rows.id, 0x9e3779b1) ^ cols.id) & 0x3fffffff;
  const slot = key & (RECENT - 1);
  const r = recent[slot];
  if (r !== undefined && r.rows === rows && r.cols === cols) return r;
  const b = interned.bucket(key);
  const s = find(b, rows, cols) ?? interned.add(key, Object.freeze({ rows, cols }), b);
  recent[slot] = s;
  return s;
}

function find(b: Bucket<Shape> | undefined, rows: Dim, cols: Dim): Shape | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) {
    const s = b.deref();
    return s !== undefined && s.rows === rows && s.cols === cols ? s : undefined;
  }
  for (const r of b) {
    const s = r.deref();
    if (s !== undefined && s.rows === rows && s.cols === cols) return s;
  }
  return undefined;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.rows === b.rows && a.cols === b.cols;
}

export function isScalar(s: Shape): boolean {
  return isOne(s.rows) && isOne(s.cols);
}

export function isSquare(s: Shape): boolean {
  return s.rows === s.cols;
}

/** A column vector d×1 (a 1×1 counts too). */
export function isColumn(s: Shape): boolean {
  return isOne(s.cols);
}

export function isVector(s: Shape): boolean {
  return isOne(s.cols) || isOne(s.rows);
}

/** "n×d" */
export function shapeText(s: Shape): string {
  return `${dimText(s.rows)}×${dimText(s.cols)}`;
}

function broadcastDim(a: Dim, b: Dim): Dim | null {
  if (a === b) return a;
  if (isOne(a)) return b;
  if (isOne(b)) return a;
  return null;
}

/** The NumPy broadcast of two shapes, or null when a pair of dims is neither equal nor 1. */
export function broadcast(a: Shape, b: Shape): Shape | null {
  const rows = broadcastDim(a.rows, b.rows);
  const cols = broadcastDim(a.cols, b.cols);
  return rows && cols ? shape(rows, cols) : null;
}

export function shapeValue(s: Shape, bindings: ReadonlyMap<string, number>): [number, number] {
  return [dimValue(s.rows, bindings), dimValue(s.cols, bindings)];
}
