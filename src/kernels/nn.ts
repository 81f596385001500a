// Numerically stable softmax, logsoftmax and logsumexp over all entries (dim 0), down each column (dim 1)
// or across each row (dim 2). Every line is shifted by its max before exp; `out` may alias `a`.
import type { Matrix } from './matrix.js';

// The lines a dim reduces over: `lineCount` lines of `lineLength` entries, line g starting at g·`lineStep`,
// entries `lineStride` apart (numbers, not an object, so that a call allocates nothing in any tier).
const lineCount = (a: Matrix, dim: number) => (dim === 1 ? a.cols : dim === 2 ? a.rows : 1);
const lineLength = (a: Matrix, dim: number) => (dim === 1 ? a.rows : dim === 2 ? a.cols : a.rows * a.cols);
const lineStep = (a: Matrix, dim: number) => (dim === 1 ? 1 : dim === 2 ? a.cols : 0);
const lineStride = (a: Matrix, dim: number) => (dim === 1 ? a.cols : 1);

/** max over a line; −∞ for an all −∞ line, NaN entries ignored (they reach the sum). */
function lineMax(d: Float64Array, base: number, len: number, stride: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let k = 0, p = base; k < len; k++, p += stride) if (d[p] > m) m = d[p];
  return m;
}

/** log Σ exp(x) = m + log Σ exp(x − m), m = max x (exact when m is ±∞). */
function lineLogSumExp(d: Float64Array, base: number, len: number, stride: number): number {
  const m = lineMax(d, base, len, stride);
  if (m === Number.NEGATIVE_INFINITY || m === Number.POSITIVE_INFINITY) return m;
  let s = 0;
  for (let k = 0, p = base; k < len; k++, p += stride) s += Math.exp(d[p] - m);
  return m + Math.log(s);
}

/** softmax(x) = exp(x − m) / Σ exp(x − m) along each line. */
export function softmaxInto(out: Matrix, a: Matrix, dim: number): Matrix {
  const count = lineCount(a, dim);
  const len = lineLength(a, dim);
  const step = lineStep(a, dim);
  const stride = lineStride(a, dim);
  const ad = a.data;
  const od = out.data;
  for (let g = 0; g < count; g++) {
    const base = g * step;
    const m = lineMax(ad, base, len, stride);
    let s = 0;
    for (let k = 0, p = base; k < len; k++, p += stride) {
      od[p] = Math.exp(ad[p] - m);
      s += od[p];
    }
    for (let k = 0, p = base; k < len; k++, p += stride) od[p] /= s;
  }
  return out;
}

/** logsoftmax(x) = x − logsumexp(x) along each line. */
export function logsoftmaxInto(out: Matrix, a: Matrix, dim: number): Matrix {
  const count = lineCount(a, dim);
  const len = lineLength(a, dim);
  const step = lineStep(a, dim);
  const stride = lineStride(a, dim);
  const ad = a.data;
  const od = out.data;
  for (let g = 0; g < count; g++) {
    const base = g * step;
    const lse = lineLogSumExp(ad, base, len, stride);
    for (let k = 0, p = base; k < len; k++, p += stride) od[p] = ad[p] - lse;
  }
  return out;
}

/** logsumexp along each line; `out` has the reduced shape (1×1, 1×n or m×1), entry g for line g. */
export function logsumexpInto(out: Matrix, a: Matrix, dim: number): Matrix {
  const count = lineCount(a, dim);
  const len = lineLength(a, dim);
  const step = lineStep(a, dim);
  const stride = lineStride(a, dim);
  for (let g = 0; g < count; g++) out.data[g] = lineLogSumExp(a.data, g * step, len, stride);
  return out;
}
