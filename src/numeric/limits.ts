// Sizes checked before anything is allocated: every node of an evaluation must have bound dims, at most
// MAX_ENTRIES entries, and the cubic kernels (matmul, inv, det, logdet, matpow) at most MAX_FLOPS work.
import { type Dim, dimValue } from '../ir/dim.js';
import { LimitError, ValueError } from '../ir/errors.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { type Shape, shapeText } from '../ir/shape.js';

/** 2^25 entries: a 256 MiB Float64Array. */
export const MAX_ENTRIES = 2 ** 25;
/** About ten seconds of dense linear algebra. */
export const MAX_FLOPS = 2 ** 34;

/** 12345678 as is; larger numbers as 1.2e23. */
function count(n: number): string {
  return n < 1e12 ? String(n) : n.toExponential(1).replace('e+', 'e');
}

function sizeOf(d: Dim, dims: ReadonlyMap<string, number>): number {
  const unbound = d.factors.find(([s]) => !dims.has(s));
  if (unbound) {
    throw new ValueError(
      `the size of dimension ${unbound[0]} is not known: give a value for a variable declared with ${unbound[0]}`,
    );
  }
  return dimValue(d, dims);
}

function sized(s: Shape, rows: number, cols: number): string {
  const numeric = `${count(rows)}×${count(cols)}`;
  return shapeText(s) === numeric ? numeric : `${shapeText(s)} = ${numeric}`;
}

/** rows×cols of a shape under the bindings; refuses unbound dims and more than MAX_ENTRIES entries. */
export function evaluableSize(
  s: Shape,
  dims: ReadonlyMap<string, number>,
  what = 'a value',
): [number, number] {
  const rows = sizeOf(s.rows, dims);
  const cols = sizeOf(s.cols, dims);
  const entries = rows * cols;
  if (entries > MAX_ENTRIES) {
    throw new LimitError(
      `${count(entries)} entries is too large to evaluate (${what} of size ${sized(s, rows, cols)}); ` +
        `matcalc evaluates matrices of up to ${count(MAX_ENTRIES)} entries`,
    );
  }
  return [rows, cols];
}

/** Work of the dense kernels whose cost is more than one pass over their entries. */
function flops(node: Expr, dims: ReadonlyMap<string, number>): number {
  if (node.kind !== 'op') return 0;
  const size = (e: Expr) => [sizeOf(e.shape.rows, dims), sizeOf(e.shape.cols, dims)];
  switch (node.op) {
    case 'matmul': {
      const [r, k] = size(node.args[0]);
      return r * k * size(node.args[1])[1];
    }
    case 'inv':
    case 'det':
    case 'logdet':
      return size(node.args[0])[0] ** 3;
    case 'matpow':
      return size(node.args[0])[0] ** 3 * Math.max(1, 2 * Math.log2(node.attrs.power ?? 1));
    default:
      return 0;
  }
}

/** Evaluations already found to fit (roots and dims), as checks evaluate the same ones many times. */
const fits = new Set<string>();
const MAX_REMEMBERED = 256;

/** Refuse, before allocating, an evaluation of `roots` that does not fit (see the header). */
export function assertEvaluable(roots: readonly Expr[], dims: ReadonlyMap<string, number>): void {
  const key = `${roots.map((r) => r.id).join(',')}|${[...dims].join(';')}`;
  if (fits.has(key)) return;
  let work = 0;
  for (const node of topoOrder(roots)) {
    if (node.kind === 'deriv') continue;
    evaluableSize(node.shape, dims, node.kind === 'var' ? node.name : 'an intermediate');
    work += flops(node, dims);
  }
  if (work > MAX_FLOPS) {
    throw new LimitError(
      `evaluating this needs about ${count(work)} floating-point operations; matcalc refuses more than ${count(MAX_FLOPS)}`,
    );
  }
  if (fits.size >= MAX_REMEMBERED) fits.clear();
  fits.add(key);
}
