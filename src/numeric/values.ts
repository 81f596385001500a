// Binding user-supplied values (VALUES.json, API calls) to declared variables: entries are checked to be
// finite numbers (no holes, a Matrix's data fitting its sizes), qualifiers to hold, sizes against the
// declared shapes, and symbolic dims are bound from them — from every declared variable given a value,
// not only the expression's own — with inconsistencies reported (`n is 3 in X but 4 in y`) and a dim that
// no value fixes named (`dimension p is not fixed by any value: give a value for X or B`).
import { dimSymbols } from '../ir/dim.js';
import { ValueError } from '../ir/errors.js';
import { type Expr, topoOrder, type VarExpr } from '../ir/expr.js';
import { shapeText } from '../ir/shape.js';
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

/** Throws when an entry of `data` (row-major, `cols` columns) is NaN or ±Infinity, naming where. */
export function requireFinite(name: string, data: ArrayLike<number>, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!Number.isFinite(x)) {
      const where =
        cols === 1 ? `at index ${i}` : `at row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}`;
      throw new ValueError(`value of ${name}: ${x} ${where} is not a finite number`);
    }
  }
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
    const m = v as Matrix;
    if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1)
      throw bad(`a matrix needs positive integer rows and cols, got ${String(m.rows)}×${String(m.cols)}`);
    if (m.data.length !== m.rows * m.cols)
      throw bad(
        `a ${m.rows}×${m.cols} matrix needs ${m.rows * m.cols} entries, its data has ${m.data.length}`,
      );
    requireFinite(name, m.data, m.cols);
    return m;
  }
  if (v instanceof Float64Array) {
    if (v.length === 0) throw bad('empty array');
    requireFinite(name, v, 1);
    return v;
  }
  if (!Array.isArray(v)) throw bad(`expected a number, an array or an array of rows, got ${describe(v)}`);
  if (v.length === 0) throw bad('empty array');
  // Indexed loops, not forEach: a hole in a sparse array is reported, not skipped.
  if (Array.isArray(v[0])) {
    const cols = (v[0] as unknown[]).length;
    if (cols === 0) throw bad('empty row');
    for (let i = 0; i < v.length; i++) {
      const row: unknown = v[i];
      if (!Array.isArray(row)) throw bad(`row ${i + 1} is not an array`);
      if (row.length !== cols) throw bad(`row ${i + 1} has ${row.length} entries, row 1 has ${cols}`);
      for (let j = 0; j < cols; j++) num(row[j], `at row ${i + 1}, column ${j + 1}`);
    }
    return v as number[][];
  }
  for (let i = 0; i < v.length; i++) num(v[i], `at index ${i}`);
  return v as number[];
}

/** Throws when a value breaks its variable's qualifiers (positive, symmetric, spd, onehot). */
export function checkQualifiers(v: VarExpr, m: Matrix): void {
  const bad = (what: string) => new ValueError(`value of ${v.name}: declared ${what}`);
  const { rows: r, cols: c, data: d } = m;
  for (const q of v.qualifiers) {
    if (q === 'positive') {
      const i = d.findIndex((x) => !(x > 0));
      if (i >= 0) throw bad(`positive, but entry (${Math.floor(i / c) + 1},${(i % c) + 1}) is ${d[i]}`);
    } else if (q === 'onehot' && v.shape.cols.key === '1' && v.shape.rows.key !== '1') {
      // a declared column vector is one one-hot vector
      if (!(d.every((x) => x === 0 || x === 1) && d.filter((x) => x === 1).length === 1))
        throw bad(`onehot, but [${[...d].join(', ')}] is not one 1 among 0s`);
    } else if (q === 'onehot') {
      for (let i = 0; i < r; i++) {
        const row = d.subarray(i * c, (i + 1) * c);
        if (!(row.every((x) => x === 0 || x === 1) && row.filter((x) => x === 1).length === 1))
          throw bad(`onehot, but row ${i + 1} is [${[...row].join(', ')}], not one 1 among 0s`);
      }
    } else if (q === 'symmetric' || q === 'spd') {
      if (r !== c) throw bad(`${q}, but its value is ${r}×${c}, not square`);
      const scale = Math.max(1, ...[...d].map(Math.abs));
      for (let i = 0; i < r; i++)
        for (let j = 0; j < i; j++)
          if (Math.abs(d[i * c + j] - d[j * c + i]) > 1e-12 * scale)
            throw bad(`${q}, but entries (${i + 1},${j + 1}) and (${j + 1},${i + 1}) differ`);
      if (q === 'spd' && !choleskyOk(m)) throw bad('spd, but its value is not positive definite');
    }
  }
}

/** Whether the Cholesky factorization of a symmetric matrix succeeds: it is positive definite. */
function choleskyOk(m: Matrix): boolean {
  const n = m.rows;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = m.data[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] ** 2;
    if (!(s > 0)) return false;
    l[j * n + j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = m.data[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / l[j * n + j];
    }
  }
  return true;
}

const declared = (v: VarExpr) => [shapeText(v.shape), ...v.qualifiers].join(' ');

/** Two different variables with one name (from two scopes) cannot both be bound from one value. */
export function requireDistinctNames(vars: readonly VarExpr[]): void {
  const seen = new Map<string, VarExpr>();
  for (const v of vars) {
    const other = seen.get(v.name);
    if (other && other !== v) {
      throw new ValueError(
        `two different variables are named ${v.name} (${declared(other)} and ${declared(v)}, from different declarations): evaluate expressions of one scope together`,
      );
    }
    seen.set(v.name, v);
  }
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
  requireDistinctNames(vars);
  const values = new Map<string, Matrix>();
  const dims = new Map<string, number>();
  const seenIn = new Map<string, string>();
  const bindOne = (v: VarExpr): void => {
    let m = toMatrix(checkNumeric(v.name, raw[v.name]), v.name);
    // A flat array given for a declared row vector is read as that row.
    if (m.cols === 1 && v.shape.rows.key === '1' && v.shape.cols.key !== '1')
      m = { rows: 1, cols: m.rows, data: m.data };
    checkQualifiers(v, m);
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
  const rows = valueSide(v, 0);
  return rows === undefined ? null : [rows, valueSide(v, 1) as number];
}

/** Rows (side 0) or columns (side 1) of a value as valueSize reads them (undefined: unreadable); allocates nothing. */
export function valueSide(v: unknown, side: 0 | 1): number | undefined {
  if (typeof v === 'number') return 1;
  if (v instanceof Float64Array) return side === 0 ? v.length : 1;
  if (Array.isArray(v)) return side === 0 ? v.length : Array.isArray(v[0]) ? (v[0] as unknown[]).length : 1;
  if (v !== null && typeof v === 'object' && 'rows' in v && 'cols' in v) {
    const { rows, cols } = v as { rows: unknown; cols: unknown };
    if (typeof rows === 'number' && typeof cols === 'number') return side === 0 ? rows : cols;
  }
  return undefined;
}
