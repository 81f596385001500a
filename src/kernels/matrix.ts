// The numeric value type: a row-major Float64Array matrix. Everything numeric in matcalc is one of these.

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array | readonly number[]): Matrix {
  const buf = data ? Float64Array.from(data) : new Float64Array(rows * cols);
  if (buf.length !== rows * cols) throw new RangeError(`${rows}x${cols} matrix needs ${rows * cols} values`);
  return { rows, cols, data: buf };
}

export function scalar(v: number): Matrix {
  return { rows: 1, cols: 1, data: Float64Array.of(v) };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = matrix(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError('ragged rows');
    for (let j = 0; j < c; j++) m.data[i * c + j] = rows[i][j];
  }
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function filled(rows: number, cols: number, v: number): Matrix {
  const m = matrix(rows, cols);
  m.data.fill(v);
  return m;
}

export function transposeM(a: Matrix): Matrix {
  const out = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}

/** Largest |a - b| / max(1, |b|) over entries; Infinity when the sizes differ. */
export function maxRelDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (Object.is(x, y) || x === y) continue;
    const d = Math.abs(x - y) / Math.max(1, Math.abs(y));
    worst = Math.max(worst, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
  }
  return worst;
}
