// Test helper: vec-form Jacobians ∂vec(out)/∂vec(x) by central finite differences (vec stacks columns),
// the reference that jacobianRaw and hessianRaw are checked against.
import type { Expr } from '../../src/ir/expr.js';
import { type Matrix, matrix } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';

/** The entries of m in column-major order: vec(m). */
export function vecValues(m: Matrix): number[] {
  const v: number[] = [];
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) v.push(m.data[i * m.cols + j]);
  return v;
}

/**
 * ∂vec(out)/∂vec(name) at `values` by central differences, (numel out)×(numel name). Column c perturbs
 * entry (c mod rows, ⌊c / rows⌋) of the variable, as vec orders them.
 */
export function fdJacobian(
  out: Expr,
  name: string,
  values: ReadonlyMap<string, Matrix>,
  dims: ReadonlyMap<string, number> = new Map(),
): Matrix {
  const x = values.get(name);
  if (!x) throw new RangeError(`no value for ${name}`);
  const f = (): number[] => vecValues(evaluateMany([out], values, dims)[0]);
  const rows = f().length;
  const n = x.rows * x.cols;
  const jac = matrix(rows, n);
  for (let c = 0; c < n; c++) {
    const at = (c % x.rows) * x.cols + Math.floor(c / x.rows);
    const old = x.data[at];
    const h = 1e-5 * Math.max(1, Math.abs(old));
    x.data[at] = old + h;
    const plus = f();
    x.data[at] = old - h;
    const minus = f();
    x.data[at] = old;
    for (let r = 0; r < rows; r++) jac.data[r * n + c] = (plus[r] - minus[r]) / (2 * h);
  }
  return jac;
}
