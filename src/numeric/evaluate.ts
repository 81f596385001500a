// Numeric evaluation of an Expr over the DAG (each node once), with values keyed by declared name.
import { type Dim, dimValue } from '../ir/dim.js';
import { ValueError } from '../ir/errors.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { type Matrix, scalar } from '../kernels/matrix.js';
import { specOf } from '../ops/index.js';
import { assertEvaluable } from './limits.js';
import { stableForm } from './stable.js';

/** A value as users pass it: a number, a flat array (column vector), an array of rows, or a Matrix. */
export type Value = number | readonly number[] | Float64Array | readonly (readonly number[])[] | Matrix;
export type Values = Readonly<Record<string, Value>>;

export function toMatrix(v: Value, name = 'value'): Matrix {
  if (typeof v === 'number') return scalar(v);
  if (v instanceof Float64Array) return { rows: v.length, cols: 1, data: v };
  if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) {
      const rows = v as readonly (readonly number[])[];
      const c = rows[0].length;
      const data = new Float64Array(rows.length * c);
      rows.forEach((r, i) => {
        if (!Array.isArray(r) || r.length !== c) throw new ValueError(`${name}: rows have different lengths`);
        r.forEach((x, j) => {
          data[i * c + j] = x;
        });
      });
      return { rows: rows.length, cols: c, data };
    }
    return { rows: v.length, cols: 1, data: Float64Array.from(v as readonly number[]) };
  }
  const m = v as Matrix;
  if (typeof m.rows === 'number' && m.data instanceof Float64Array) return m;
  throw new ValueError(`${name}: not a number, array or matrix`);
}

/**
 * Evaluate `roots` with `values` for the variables and `dims` for the symbolic dims (used by
 * eye/ones/zeros). Each DAG node is computed once. Derivative nodes must be expanded first.
 */
export function evaluateMany(
  roots: readonly Expr[],
  values: ReadonlyMap<string, Matrix>,
  dims: ReadonlyMap<string, number>,
): Matrix[] {
  assertEvaluable(roots, dims);
  const memo = new Map<number, Matrix>();
  const ctx = { dim: (d: Dim) => dimValue(d, dims) };
  const visit = (nodes: readonly Expr[]): void => {
    for (const node of nodes) if (!memo.has(node.id)) memo.set(node.id, compute(node));
  };
  const compute = (node: Expr): Matrix => {
    let v: Matrix;
    switch (node.kind) {
      case 'var': {
        const m = values.get(node.name);
        if (!m) throw new ValueError(`no value for ${node.name}`);
        v = m;
        break;
      }
      case 'const':
        v = scalar(node.value);
        break;
      case 'op': {
        // log σ(x), log softmax(z), …: computed as their stable equivalents (whose own arguments are known).
        const stable = stableForm(node);
        if (stable) {
          visit(topoOrder([stable]));
          v = memo.get(stable.id)!;
          break;
        }
        const args = node.args.map((a) => memo.get(a.id)!);
        v = specOf(node.op).eval(args, node.attrs, ctx);
        break;
      }
      case 'deriv':
        throw new Error('internal: expand derivatives before evaluating');
      default: {
        const never: never = node;
        throw never;
      }
    }
    return v;
  };
  visit(topoOrder(roots));
  return roots.map((r) => memo.get(r.id)!);
}
