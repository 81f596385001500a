// Binding user-supplied values (VALUES.json, API calls) to declared variables: sizes are checked against
// the declared shapes, and symbolic dims are bound from them — from every declared variable given a value,
// not only the expression's own — with inconsistencies reported (`n is 3 in X but 4 in y`) and a dim that
// no value fixes named (`dimension p is not fixed by any value: give a value for X or B`).
import { dimSymbols } from '../ir/dim.js';
import { ValueError } from '../ir/errors.js';
import { type Expr, topoOrder, type VarExpr } from '../ir/expr.js';
import type { Matrix } from '../kernels/matrix.js';
import { toMatrix, type Value } from './evaluate.js';

export interface Bound {
  readonly values: Map<string, Matrix>;
  readonly dims: Map<string, number>;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 20))}` : typeof v;
}

/** Check a JSON-ish value is a number, a flat array of numbers, or an array of equal-length rows. */
function checkNumeric(name: string, v: unknown): Value {
  const bad = (what: string) => new ValueError(`value of ${name}: ${what}`);
  const num = (x: unknown, where: string) => {
    if (typeof x !== 'number') throw bad(`expected a number ${where}, got ${describe(x)}`);
    if (!Number.isFinite(x)) throw bad(`${x} ${where} is not a finite number`);
  };
  if (typeof v === 'number') {
    num(v, '');
    return v;
  }
  if (v !== null && typeof v === 'object' && 'data' in v && (v as Matrix).data instanceof Float64Array) {
    return v as Matrix;
  }
  if (v instanceof Float64Array) return v;
  if (!Array.isArray(v)) throw bad(`expected a number, an array or an array of rows, got ${describe(v)}`);
  if (v.length === 0) throw bad('empty array');
  if (Array.isArray(v[0])) {
    const cols = (v[0] as unknown[]).length;
    v.forEach((row, i) => {
      if (!Array.isArray(row)) throw bad(`row ${i + 1} is not an array`);
      if (row.length !== cols) throw bad(`row ${i + 1} has ${row.length} entries, row 1 has ${cols}`);
      row.forEach((x, j) => {
        num(x, `at row ${i + 1}, column ${j + 1}`);
      });
    });
    return v as number[][];
  }
  v.forEach((x, i) => {
    num(x, `at index ${i}`);
  });
  return v as number[];
}

export interface BindOptions {
  /** Every declared variable: those without a value are skipped, those with one fix dims too. */
  readonly declared?: readonly VarExpr[];
  /** Sizes given directly by dim name (a value under a dim's name in `raw` counts too). */
  readonly dims?: Readonly<Record<string, number>>;
}

/**
 * Bind values to declared variables; every variable in `vars` needs a value. Declared variables outside
 * `vars` that have a value also fix dims, as do sizes given by name.
 */
export function bindValues(
  vars: readonly VarExpr[],
  raw: Readonly<Record<string, unknown>>,
  opts: BindOptions = {},
): Bound {
  const values = new Map<string, Matrix>();
  const dims = new Map<string, number>();
  const seenIn = new Map<string, string>();
  const bindOne = (v: VarExpr): void => {
    let m = toMatrix(checkNumeric(v.name, raw[v.name]), v.name);
    // A flat array given for a declared row vector is read as that row.
    if (m.cols === 1 && v.shape.rows.key === '1' && v.shape.cols.key !== '1')
      m = { rows: 1, cols: m.rows, data: m.data };
    const sides: [string, number, 'rows' | 'columns'][] = [
      [v.shape.rows.key, m.rows, 'rows'],
      [v.shape.cols.key, m.cols, 'columns'],
    ];
    for (const [key, size, side] of sides) {
      if (/^\d+$/.test(key)) {
        if (Number(key) !== size) {
          throw new ValueError(`${v.name} is declared with ${key} ${side} but its value has ${size}`);
        }
        continue;
      }
      const prev = dims.get(key);
      if (prev === undefined) {
        dims.set(key, size);
        seenIn.set(key, v.name);
      } else if (prev !== size) {
        throw new ValueError(`${key} is ${prev} in ${seenIn.get(key)} but ${size} in ${v.name}`);
      }
    }
    values.set(v.name, m);
  };
  for (const v of vars) {
    if (!Object.hasOwn(raw, v.name)) throw new ValueError(`no value given for ${v.name}`);
    bindOne(v);
  }
  const names = new Set(vars.map((v) => v.name));
  for (const v of opts.declared ?? []) {
    if (!names.has(v.name) && Object.hasOwn(raw, v.name)) bindOne(v);
    names.add(v.name);
  }
  const direct: [string, unknown][] = [
    ...Object.entries(opts.dims ?? {}),
    ...Object.entries(raw).filter(([k]) => !names.has(k) && !Object.hasOwn(opts.dims ?? {}, k)),
  ];
  for (const [key, size] of direct) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
      if (Object.hasOwn(opts.dims ?? {}, key))
        throw new ValueError(`the size ${key} must be a positive integer, got ${String(size)}`);
      continue;
    }
    const prev = dims.get(key);
    if (prev === undefined) dims.set(key, size);
    else if (prev !== size)
      throw new ValueError(`${key} is ${prev} in ${seenIn.get(key)} but given as ${size}`);
  }
  return { values, dims };
}

/** Every dim symbol the expressions use: in any node's shape and in the sizes of eye/ones/zeros/K. */
export function dimsUsed(roots: readonly Expr[]): string[] {
  const out = new Set<string>();
  for (const node of topoOrder(roots)) {
    const sizes = [node.shape.rows, node.shape.cols];
    if (node.kind === 'op') {
      if (node.attrs.rows) sizes.push(node.attrs.rows);
      if (node.attrs.cols) sizes.push(node.attrs.cols);
    }
    for (const d of sizes) for (const s of dimSymbols(d)) out.add(s);
  }
  return [...out];
}

/** Throws ValueError naming the first symbol in `needed` that `dims` lacks, and the variables that would fix it. */
export function requireDims(
  needed: readonly string[],
  dims: ReadonlyMap<string, number>,
  declared: readonly VarExpr[],
): void {
  for (const s of needed) {
    if (dims.has(s)) continue;
    const fixers = [
      ...new Set(declared.filter((v) => [v.shape.rows.key, v.shape.cols.key].includes(s)).map((v) => v.name)),
    ];
    const hint =
      fixers.length > 0
        ? `give a value for ${fixers.length === 1 ? fixers[0] : `${fixers.slice(0, -1).join(', ')} or ${fixers[fixers.length - 1]}`}`
        : `give its size as a positive integer named ${s}`;
    throw new ValueError(`dimension ${s} is not fixed by any value: ${hint}`);
  }
}

/** [rows, cols] of a value as given (a column for a flat array), without copying it; null when unreadable. */
export function valueSize(v: unknown): [number, number] | null {
  if (typeof v === 'number') return [1, 1];
  if (v instanceof Float64Array) return [v.length, 1];
  if (Array.isArray(v)) return Array.isArray(v[0]) ? [v.length, (v[0] as unknown[]).length] : [v.length, 1];
  if (v !== null && typeof v === 'object' && 'rows' in v && 'cols' in v) {
    const { rows, cols } = v as { rows: unknown; cols: unknown };
    if (typeof rows === 'number' && typeof cols === 'number') return [rows, cols];
  }
  return null;
}
