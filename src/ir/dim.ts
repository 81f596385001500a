// Symbolic dimensions: monomials c·s1^e1·s2^e2… with a positive integer c, interned so that equal dims
// are the same object (`===`); the tables hold them weakly. `vec` of an n×d matrix is (n·d)×1, kron multiplies dims.
// Integers and single symbols (nearly every dim) have tables of their own keyed by the number or the name.
import { LimitError } from './errors.js';
import { firstLive, WeakInternTable } from './weak.js';

export interface Dim {
  /** Canonical text: "n", "3", "n*d", "2*n". */
  readonly key: string;
  /** Unique while the dim lives (for integer-keyed interning of nodes that mention it). */
  readonly id: number;
  readonly coef: number;
  /** Symbol exponents, sorted by symbol name. */
  readonly factors: readonly (readonly [string, number])[];
}

/** n ↦ the dim n. */
const integers = new WeakInternTable<number, Dim>();
/** s ↦ the dim 1·s¹. */
const symbols = new WeakInternTable<string, Dim>();
/** Every other monomial, by its canonical text. */
const products = new WeakInternTable<string, Dim>();
let nextId = 1;

const NO_FACTORS: readonly (readonly [string, number])[] = Object.freeze([]);

function create(key: string, coef: number, factors: readonly (readonly [string, number])[]): Dim {
  return Object.freeze({ key, id: nextId++, coef, factors });
}

function make(coef: number, factors: readonly (readonly [string, number])[]): Dim {
  // Beyond 2^53 integers are inexact (and print as 1e+21): no exact size to work with.
  if (!Number.isSafeInteger(coef))
    throw new LimitError(`a size of ${coef} is too large: sizes must be below 2^53`);
  const sorted = factors.filter(([, e]) => e !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return integer(coef);
  if (coef === 1 && sorted.length === 1 && sorted[0][1] === 1) return dimSym(sorted[0][0]);
  const parts = sorted.map(([s, e]) => (e === 1 ? s : `${s}^${e}`));
  const key = coef === 1 ? parts.join('*') : `${coef}*${parts.join('*')}`;
  const b = products.bucket(key);
  const found = firstLive(b);
  if (found) return found;
  const frozen = Object.freeze(sorted.map((f) => Object.freeze([f[0], f[1]] as const)));
  return products.add(key, create(key, coef, frozen), b);
}

function integer(n: number): Dim {
  const b = integers.bucket(n);
  return firstLive(b) ?? integers.add(n, create(String(n), n, NO_FACTORS), b);
}

export function dimConst(n: number): Dim {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a dimension must be a positive integer, not ${n}`);
  if (!Number.isSafeInteger(n)) throw new LimitError(`a size of ${n} is too large: sizes must be below 2^53`);
  return integer(n);
}

/**
 * The symbol dims asked for last, held strongly in a few slots by name: most names asked for are recent
 * ones (`n`, `d`), and a slot answers without a table lookup. It keeps at most RECENT symbols alive.
 */
const RECENT = 16;
const recent: (Dim | undefined)[] = new Array(RECENT).fill(undefined);

export function dimSym(name: string): Dim {
  const slot = (name.charCodeAt(0) + 31 * name.length) & (RECENT - 1);
  const r = recent[slot];
  if (r !== undefined && r.key === name) return r;
  const b = symbols.bucket(name);
  const d =
    firstLive(b) ?? symbols.add(name, create(name, 1, Object.freeze([Object.freeze([name, 1] as const)])), b);
  recent[slot] = d;
  return d;
}

export const ONE: Dim = dimConst(1);

export function dimMul(a: Dim, b: Dim): Dim {
  if (a === ONE) return b;
  if (b === ONE) return a;
  const exps = new Map<string, number>(a.factors);
  for (const [s, e] of b.factors) exps.set(s, (exps.get(s) ?? 0) + e);
  return make(a.coef * b.coef, [...exps]);
}

export function isOne(d: Dim): boolean {
  return d === ONE;
}

/** The symbols a dim mentions. */
export function dimSymbols(d: Dim): string[] {
  return d.factors.map(([s]) => s);
}

/** The numeric size of a dim under bindings of its symbols; throws when a symbol is unbound. */
export function dimValue(d: Dim, bindings: ReadonlyMap<string, number>): number {
  let v = d.coef;
  for (const [s, e] of d.factors) {
    const b = bindings.get(s);
    if (b === undefined) throw new RangeError(`dimension ${s} is not bound`);
    v *= b ** e;
  }
  return v;
}

/** Pretty form with a middle dot for products, as used in messages and writeups: "n·d". */
export function dimText(d: Dim): string {
  return d.key.replaceAll('*', '·');
}
