// Binding user-supplied values (VALUES.json, API calls) to declared variables: sizes are checked against
// the declared shapes, and symbolic dims are bound from them, with inconsistencies reported
// (`n is 3 in X but 4 in y`).
import { ValueError } from '../ir/errors.js';
import type { VarExpr } from '../ir/expr.js';
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

/** Bind values to declared variables; every declared variable in `vars` needs a value. */
export function bindValues(vars: readonly VarExpr[], raw: Readonly<Record<string, unknown>>): Bound {
  const values = new Map<string, Matrix>();
  const dims = new Map<string, number>();
  const seenIn = new Map<string, string>();
  for (const v of vars) {
    if (!Object.hasOwn(raw, v.name)) throw new ValueError(`no value given for ${v.name}`);
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
  }
  return { values, dims };
}
