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
 * The nodes to compute for `roots`, children first, with each op that has a stable form replaced by that
 * form's own nodes (the op then takes the stable root's value). Cached per single root: a finite-difference
 * check evaluates one expression at hundreds of points, and ordering a 200,000-node DAG each time was half
 * the cost.
 */
interface Plan {
  readonly order: readonly Expr[];
  /** per slot of `order`: the slots of its arguments, or the one slot of its stable form */
  readonly inputs: readonly (readonly number[])[];
  /** per slot: true when it takes the value of its stable form (inputs[slot][0]) */
  readonly viaStable: readonly boolean[];
  /** node id → slot */
  readonly slot: ReadonlyMap<number, number>;
}

const plans = new WeakMap<Expr, Plan>();

function planFor(roots: readonly Expr[]): Plan {
  const cached = roots.length === 1 ? plans.get(roots[0]) : undefined;
  if (cached) return cached;
  const order: Expr[] = [];
  const inputs: number[][] = [];
  const viaStable: boolean[] = [];
  const slot = new Map<number, number>();
  const place = (nodes: readonly Expr[]): void => {
    for (const node of nodes) {
      if (slot.has(node.id)) continue;
      // log σ(x), log softmax(z), …: computed as their stable equivalents (whose own arguments are known).
      const stable = node.kind === 'op' ? stableForm(node) : null;
      if (stable) place(topoOrder([stable]));
      slot.set(node.id, order.length);
      order.push(node);
      viaStable.push(stable !== null);
      inputs.push(
        stable ? [slot.get(stable.id)!] : node.kind === 'op' ? node.args.map((x) => slot.get(x.id)!) : [],
      );
    }
  };
  place(topoOrder(roots));
  const plan = { order, inputs, viaStable, slot };
  if (roots.length === 1) plans.set(roots[0], plan);
  return plan;
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
  const plan = planFor(roots);
  const computed: Matrix[] = new Array(plan.order.length);
  const ctx = { dim: (d: Dim) => dimValue(d, dims) };
  const compute = (node: Expr, k: number): Matrix => {
    switch (node.kind) {
      case 'var': {
        const m = values.get(node.name);
        if (!m) throw new ValueError(`no value for ${node.name}`);
        return m;
      }
      case 'const':
        return scalar(node.value);
      case 'op': {
        const ins = plan.inputs[k];
        if (plan.viaStable[k]) return computed[ins[0]];
        return specOf(node.op).eval(
          ins.map((i) => computed[i]),
          node.attrs,
          ctx,
        );
      }
      case 'deriv':
        throw new Error('internal: expand derivatives before evaluating');
      default: {
        const never: never = node;
        throw never;
      }
    }
  };
  plan.order.forEach((node, k) => {
    computed[k] = compute(node, k);
  });
  return roots.map((r) => computed[plan.slot.get(r.id)!]);
}
