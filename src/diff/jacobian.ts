// Forward-mode symbolic differentiation in vec form: J = ∂vec f / ∂vec x, (numel f)×(numel x), numerator
// layout, vec stacking columns (Magnus & Neudecker). One sweep over the DAG, children first, each op's jvp
// from its record; the engine expands broadcast operands' tangents and asserts every tangent's shape.
import { type Dim, dimText, isOne } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import { type Expr, type OpExpr, topoOrder, type VarExpr } from '../ir/expr.js';
import { isScalar, type Shape, sameShape, shapeText } from '../ir/shape.js';
import { eye, kron, matmul, numel, ones, zeros } from '../ops/build.js';
import { specOf } from '../ops/index.js';

/**
 * The tangent of an operand `arg` that an elementwise op broadcasts to `out`, as (numel out)×N:
 * a row 1×k spread over n rows is (I_k ⊗ 𝟏_n) J, a column n×1 spread over k columns is (𝟏_k ⊗ I_n) J.
 * A 1×1 operand keeps its 1×N tangent, which broadcasts by itself in the rules.
 */
export function broadcastTangent(t: Expr, arg: Shape, out: Shape): Expr {
  if (sameShape(arg, out) || isScalar(arg)) return t;
  if (isOne(arg.rows) && arg.cols === out.cols) return matmul(kron(eye(out.cols), ones(out.rows)), t);
  if (isOne(arg.cols) && arg.rows === out.rows) return matmul(kron(ones(out.cols), eye(out.rows)), t);
  throw new ShapeError(`internal: an operand ${shapeText(arg)} does not broadcast to ${shapeText(out)}`);
}

/**
 * Unsimplified ∂vec f / ∂vec x, (numel f)×(numel x); zeros when f does not depend on x. With `seed`, the
 * tangent of x ((numel x)×N, default I), the result is ∂vec f/∂vec x · seed: a directional derivative
 * when seed is vec(V), which never forms the full Jacobian.
 */
export function jacobianRaw(f: Expr, x: VarExpr, seed: Expr = eye(numel(x.shape))): Expr {
  if (seed.shape.rows !== numel(x.shape)) {
    throw new ShapeError(`internal: a tangent seed of ${x.name} needs ${dimText(numel(x.shape))} rows`);
  }
  const tangents = new Map<number, Expr | null>();
  for (const node of topoOrder([f])) {
    tangents.set(node.id, tangentOf(node, x, seed, tangents));
  }
  return tangents.get(f.id) ?? zeros(numel(f.shape), seed.shape.cols);
}

function tangentOf(
  node: Expr,
  x: VarExpr,
  seed: Expr,
  tangents: ReadonlyMap<number, Expr | null>,
): Expr | null {
  switch (node.kind) {
    case 'var':
      return node === x ? seed : null;
    case 'const':
      return null;
    case 'deriv':
      throw new Error('internal: expand derivatives before the jacobian sweep');
    case 'op': {
      const spec = specOf(node.op);
      const raw = node.args.map((a) => tangents.get(a.id) ?? null);
      if (raw.every((t) => t === null)) return null;
      // Elementwise ops (a `map` JS template) broadcast their operands like NumPy.
      const elementwise = spec.js.kind === 'map';
      const ts = raw.map((t, k) =>
        t && elementwise ? broadcastTangent(t, node.args[k].shape, node.shape) : t,
      );
      const t = spec.jvp(node, node.args, node.attrs, ts);
      if (t) checkTangent(node, t, seed.shape.cols);
      return t;
    }
    default: {
      const never: never = node;
      return never;
    }
  }
}

function checkTangent(node: OpExpr, t: Expr, n: Dim): void {
  const rows = numel(node.shape);
  if (t.shape.rows !== rows || t.shape.cols !== n) {
    throw new ShapeError(
      `internal: ${node.op} jvp gave ${shapeText(t.shape)} for an output of shape ${shapeText(node.shape)}, ` +
        `expected ${dimText(rows)}×${dimText(n)}`,
    );
  }
}
