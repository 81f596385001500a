// The call-time side of compiled closures: reading values keyed by declared name (looked up with
// Object.hasOwn) into input slots, binding symbolic dims from their sizes with ValueError messages, and the
// buffers of one size signature, where dying temporaries are reused by later steps.
import type { Dim } from '../ir/dim.js';
import { ValueError } from '../ir/errors.js';
import type { Shape } from '../ir/shape.js';
import { requireFinite, valueSide } from '../numeric/values.js';
import type { Schedule } from './js-schedule.js';

/** A matrix the closure updates in place (input slots, views, buffers); it satisfies Matrix. */
export interface MutableMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface InputDecl {
  readonly name: string;
  readonly shape: Shape;
}

const EMPTY = new Float64Array(0);

/** How a value was given: a number, a Float64Array, a flat array, an array of rows, a Matrix. */
enum Given {
  Number,
  Typed,
  Flat,
  Rows,
  Matrix,
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v.slice(0, 20))}` : typeof v;
}

/** The size of d when symbol symbols[k] is dims[k]. */
export function dimSize(d: Dim, symbols: readonly string[], dims: readonly number[]): number {
  let v = d.coef;
  for (const [s, e] of d.factors) v *= dims[symbols.indexOf(s)] ** e;
  return v;
}

/**
 * A symbol no input fixes, and the declared variables whose value gives its size when given: name, side
 * (0 rows, 1 columns), and whether the variable is a row vector (a flat array given for it is that row).
 */
export type SizeSource = readonly [string, readonly (readonly [string, 0 | 1, boolean])[]];

/** What one side (rows or columns) of a declared shape says: a fixed size, a symbol, or a product. */
type Side = { readonly fixed: number } | { readonly symbol: number } | { readonly product: Dim };

export class Binder {
  /** Current size of each symbol, in `symbols` order. */
  readonly dims: number[];
  /** One slot per input, pointed at the current value's data by `load`. */
  readonly slots: MutableMatrix[];
  private readonly given: Given[];
  private readonly raw: unknown[];
  private readonly fixedBy: number[];
  private readonly sides: (readonly [Side, Side])[];
  /** Per symbol, the declared variables that give its size when no input fixes it. */
  private readonly declared: SizeSource[1][];

  constructor(
    private readonly inputs: readonly InputDecl[],
    private readonly symbols: readonly string[],
    sizeSources: readonly SizeSource[] = [],
  ) {
    this.dims = symbols.map(() => 0);
    this.declared = symbols.map((s) => sizeSources.find(([t]) => t === s)?.[1] ?? []);
    this.fixedBy = symbols.map(() => -1);
    this.slots = inputs.map(() => ({ rows: 0, cols: 0, data: EMPTY }));
    this.given = inputs.map(() => Given.Number);
    this.raw = inputs.map(() => 0);
    const side = (d: Dim): Side =>
      d.factors.length === 0
        ? { fixed: d.coef }
        : d.coef === 1 && d.factors.length === 1 && d.factors[0][1] === 1
          ? { symbol: symbols.indexOf(d.factors[0][0]) }
          : { product: d };
    this.sides = inputs.map((v) => [side(v.shape.rows), side(v.shape.cols)] as const);
  }

  /** Reads the sizes of every input and binds the dims; throws ValueError when they do not fit. */
  bind(values: Readonly<Record<string, unknown>>): void {
    if (values === null || typeof values !== 'object')
      throw new ValueError('values must be an object keyed by name');
    this.fixedBy.fill(-1);
    for (let k = 0; k < this.inputs.length; k++) {
      const name = this.inputs[k].name;
      if (!Object.hasOwn(values, name)) throw new ValueError(`no value given for ${name}`);
      this.size(k, values[name]);
      this.fix(k, 0, this.slots[k].rows);
      this.fix(k, 1, this.slots[k].cols);
    }
    for (let k = 0; k < this.symbols.length; k++) {
      if (this.fixedBy[k] !== -1) continue;
      const s = this.symbols[k];
      const n = Object.hasOwn(values, s) ? values[s] : this.declaredSize(k, values);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        throw new ValueError(
          `the size ${s} is not fixed by any variable's value; give it as a positive integer named ${s}`,
        );
      }
      this.dims[k] = n;
    }
    for (let k = 0; k < this.inputs.length; k++) {
      for (let i = 0; i < 2; i++) {
        const side = this.sides[k][i];
        if (!('product' in side)) continue;
        const want = dimSize(side.product, this.symbols, this.dims);
        const got = i === 0 ? this.slots[k].rows : this.slots[k].cols;
        if (want !== got) {
          throw new ValueError(
            `${this.inputs[k].name} should have ${side.product.key} = ${want} ${i === 0 ? 'rows' : 'columns'} but its value has ${got}`,
          );
        }
      }
    }
  }

  /** Symbol k's size from the first declared variable given that has it (reading it in place), if any. */
  private declaredSize(k: number, values: Readonly<Record<string, unknown>>): number | undefined {
    const sources = this.declared[k];
    for (let i = 0; i < sources.length; i++) {
      const name = sources[i][0];
      const side = sources[i][1];
      const rowVector = sources[i][2];
      if (!Object.hasOwn(values, name)) continue;
      const rows = valueSide(values[name], 0);
      if (rows === undefined) continue;
      const cols = valueSide(values[name], 1);
      // A flat array given for a declared row vector is that row.
      return rowVector && side === 1 && cols === 1 ? rows : side === 0 ? rows : cols;
    }
    return undefined;
  }

  /** Points each slot at its value's data; numbers and arrays are copied into the instance's input buffers. */
  load(inst: Instance): void {
    for (let k = 0; k < this.inputs.length; k++) {
      const slot = this.slots[k];
      const raw = this.raw[k];
      const given = this.given[k];
      if (given === Given.Number) {
        slot.data = inst.inputBuffer(k, 1);
        slot.data[0] = raw as number;
      } else if (given === Given.Typed || given === Given.Matrix) {
        const data = given === Given.Typed ? (raw as Float64Array) : (raw as MutableMatrix).data;
        // An output of this closure fed back in would be overwritten while it is read.
        slot.data = isOutput(inst, data) ? copyInto(inst.inputBuffer(k, data.length), data) : data;
      } else if (given === Given.Flat) {
        slot.data = this.copyFlat(k, raw as readonly unknown[], inst.inputBuffer(k, slot.rows * slot.cols));
      } else {
        slot.data = this.copyRows(k, raw as readonly unknown[], inst.inputBuffer(k, slot.rows * slot.cols));
      }
      requireFinite(this.inputs[k].name, slot.data, slot.cols);
    }
  }

  private copyFlat(k: number, a: readonly unknown[], d: Float64Array): Float64Array {
    for (let i = 0; i < a.length; i++) d[i] = entry(this.inputs[k].name, a[i], i, -1);
    return d;
  }

  private copyRows(k: number, rows: readonly unknown[], d: Float64Array): Float64Array {
    const name = this.inputs[k].name;
    const c = this.slots[k].cols;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!Array.isArray(row)) throw new ValueError(`value of ${name}: row ${i + 1} is not an array`);
      if (row.length !== c)
        throw new ValueError(`value of ${name}: row ${i + 1} has ${row.length} entries, row 1 has ${c}`);
      for (let j = 0; j < c; j++) d[i * c + j] = entry(name, row[j], i, j);
    }
    return d;
  }

  /** Records the size of input k's value and how it was given. */
  private size(k: number, raw: unknown): void {
    const v = this.inputs[k];
    const slot = this.slots[k];
    // A flat array for a declared row vector is read as that row.
    const asRow = v.shape.rows.key === '1' && v.shape.cols.key !== '1';
    this.raw[k] = raw;
    let rows = 1;
    let cols = 1;
    if (typeof raw === 'number') {
      this.given[k] = Given.Number;
    } else if (raw instanceof Float64Array) {
      this.given[k] = Given.Typed;
      if (asRow) cols = raw.length;
      else rows = raw.length;
    } else if (Array.isArray(raw)) {
      if (raw.length === 0) throw new ValueError(`value of ${v.name}: empty array`);
      if (Array.isArray(raw[0])) {
        this.given[k] = Given.Rows;
        rows = raw.length;
        cols = (raw[0] as unknown[]).length;
        if (cols === 0) throw new ValueError(`value of ${v.name}: empty row`);
      } else {
        this.given[k] = Given.Flat;
        if (asRow) cols = raw.length;
        else rows = raw.length;
      }
    } else if (
      raw !== null &&
      typeof raw === 'object' &&
      (raw as MutableMatrix).data instanceof Float64Array
    ) {
      const m = raw as MutableMatrix;
      this.given[k] = Given.Matrix;
      rows = m.rows;
      cols = m.cols;
      if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
        throw new ValueError(
          `value of ${v.name}: a matrix needs positive integer rows and cols, got ${String(rows)}×${String(cols)}`,
        );
      }
      if (m.data.length !== rows * cols) {
        throw new ValueError(
          `value of ${v.name}: a ${rows}×${cols} matrix needs ${rows * cols} entries, its data has ${m.data.length}`,
        );
      }
    } else {
      throw new ValueError(
        `value of ${v.name}: expected a number, an array, an array of rows or a matrix, got ${describe(raw)}`,
      );
    }
    if (rows === 0 || cols === 0) throw new ValueError(`value of ${v.name}: empty array`);
    slot.rows = rows;
    slot.cols = cols;
  }

  private fix(k: number, i: 0 | 1, size: number): void {
    const v = this.inputs[k];
    const side = this.sides[k][i];
    const which = i === 0 ? 'rows' : 'columns';
    if ('fixed' in side) {
      if (side.fixed !== size)
        throw new ValueError(`${v.name} is declared with ${side.fixed} ${which} but its value has ${size}`);
    } else if ('symbol' in side) {
      const s = side.symbol;
      if (this.fixedBy[s] === -1) {
        this.fixedBy[s] = k;
        this.dims[s] = size;
      } else if (this.dims[s] !== size) {
        const where = this.inputs[this.fixedBy[s]].name;
        throw new ValueError(`${this.symbols[s]} is ${this.dims[s]} in ${where} but ${size} in ${v.name}`);
      }
    }
  }
}

function isOutput(inst: Instance, data: Float64Array): boolean {
  for (let i = 0; i < inst.outputs.length; i++) if (inst.outputs[i].data.buffer === data.buffer) return true;
  return false;
}

/** Entry i (column j of row i when j ≥ 0) of an array value, checked to be a number. */
function entry(name: string, x: unknown, i: number, j: number): number {
  if (typeof x !== 'number') {
    const where = j < 0 ? `at index ${i}` : `at row ${i + 1}, column ${j + 1}`;
    throw new ValueError(`value of ${name}: expected a number ${where}, got ${describe(x)}`);
  }
  return x;
}

function copyInto(to: Float64Array, from: Float64Array): Float64Array {
  to.set(from);
  return to;
}

/** The buffers of one size signature: pinned ones, views, and pool slots sharing storage by lifetime. */
export class Instance {
  readonly dims: readonly number[];
  readonly buffers: MutableMatrix[];
  readonly outputs: MutableMatrix[];
  private readonly inputBuffers: (Float64Array | undefined)[];

  constructor(
    plan: Schedule,
    symbols: readonly string[],
    dims: readonly number[],
    inputs: number,
    private readonly allocate: (length: number) => Float64Array,
  ) {
    this.dims = [...dims];
    this.inputBuffers = Array.from({ length: inputs }, () => undefined);
    const sized = (s: Shape) => ({
      rows: dimSize(s.rows, symbols, dims),
      cols: dimSize(s.cols, symbols, dims),
    });
    const buffers: (MutableMatrix | undefined)[] = plan.slots.map((slot) => {
      const { rows, cols } = sized(slot.shape);
      if (slot.kind === 'view') return { rows, cols, data: EMPTY };
      return slot.kind === 'pinned' ? { rows, cols, data: allocate(rows * cols) } : undefined;
    });
    // Pool: the storage of a slot whose last reader has run goes to the next step that fits (best fit).
    const storage: Float64Array[] = [];
    const free: Float64Array[] = [];
    const release = (slot: number) => free.push(storage[slot]);
    plan.run.forEach((step, s) => {
      plan.lifetimes.before[s].forEach(release);
      const slot = plan.slots[step.slot];
      if (slot.kind === 'pool') {
        const { rows, cols } = sized(slot.shape);
        const n = rows * cols;
        let best = -1;
        free.forEach((f, i) => {
          if (f.length >= n && (best < 0 || f.length < free[best].length)) best = i;
        });
        const store = best < 0 ? allocate(n) : free.splice(best, 1)[0];
        storage[step.slot] = store;
        buffers[step.slot] = { rows, cols, data: store.length === n ? store : store.subarray(0, n) };
      }
      plan.lifetimes.after[s].forEach(release);
    });
    this.buffers = buffers.map((b) => b ?? { rows: 0, cols: 0, data: EMPTY });
    this.outputs = plan.outputs.map((slot) => this.buffers[slot]);
  }

  /** A per-signature buffer of `length` for input k (numbers and arrays are copied into it). */
  inputBuffer(k: number, length: number): Float64Array {
    let b = this.inputBuffers[k];
    if (!b || b.length !== length) {
      b = this.allocate(length);
      this.inputBuffers[k] = b;
    }
    return b;
  }
}
