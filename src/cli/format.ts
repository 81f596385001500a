// Printing numbers and matrices for the terminal and JSON.
import type { Matrix } from '../kernels/matrix.js';
import { toRows } from '../kernels/matrix.js';

/** A number as JSON allows (non-finite values become strings "Infinity", "-Infinity", "NaN"). */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

export function matrixJson(m: Matrix): (number | string)[][] {
  return toRows(m).map((r) => r.map(jsonNumber));
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e7 ? String(Number(x.toPrecision(8))) : x.toExponential(6);
}

/** Right-aligned columns, one row per line. */
export function matrixText(m: Matrix): string {
  const cells = toRows(m).map((r) => r.map(fmt));
  const width = Math.max(1, ...cells.flat().map((c) => c.length));
  return cells.map((r) => r.map((c) => c.padStart(width)).join('  ')).join('\n');
}
