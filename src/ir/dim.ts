// Symbolic dimensions: monomials c·s1^e1·s2^e2… with a positive integer c, interned so that equal dims
// are the same object (`===`); the table holds them weakly. `vec` of an n×d matrix is (n·d)×1, kron multiplies dims.
import { LimitError } from './errors.js';
import { WeakInternTable } from './weak.js';

export interface Dim {
  /** Canonical text: "n", "3", "n*d", "2*n". Also the intern key. */
  readonly key: string;
  /** Unique while the dim lives (for integer-keyed interning of nodes that mention it). */
  readonly id: number;
  readonly coef: number;
  /** Symbol exponents, sorted by symbol name. */
  readonly factors: readonly (readonly [string, number])[];
}

const table = new WeakInternTable<string, Dim>();
let nextId = 1;

function make(coef: number, factors: readonly (readonly [string, number])[]): Dim {
  // Beyond 2^53 integers are inexact (and print as 1e+21): no exact size to work with.
  if (!Number.isSafeInteger(coef))
    throw new LimitError(`a size of ${coef} is too large: sizes must be below 2^53`);
  const sorted = [...factors].filter(([, e]) => e !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = sorted.map(([s, e]) => (e === 1 ? s : `${s}^${e}`));
  const key = parts.length === 0 ? String(coef) : coef === 1 ? parts.join('*') : `${coef}*${parts.join('*')}`;
  const found = table.find(key, () => true);
  if (found) return found;
  const factorList = Object.freeze(sorted.map((f) => Object.freeze(f)));
  return table.add(key, Object.freeze({ key, id: nextId++, coef, factors: factorList }));
}

export function dimConst(n: number): Dim {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a dimension must be a positive integer, not ${n}`);
  return make(n, []);
}

export function dimSym(name: string): Dim {
  // the key of the monomial 1·name¹ is the name itself
  return table.find(name, () => true) ?? make(1, [[name, 1]]);
}

export const ONE: Dim = dimConst(1);

export function dimMul(a: Dim, b: Dim): Dim {
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
