// The last pass of simplify: arrange a simplified expression the way a textbook writes it. Scalar factors
// move into the leftmost factor of a product (2·(XᵀR) → 2Xᵀ·R, −(XᵀR) → −Xᵀ·R) and a column scaling
// inside a product becomes a diagonal matrix (Xᵀ(v ⊙ X) → Xᵀ diag(v) X). Not part of the rule fixpoint,
// which pulls scalars the other way to collect them.
import { NodeMemo } from '../ir/cache.js';
import { isOne } from '../ir/dim.js';
import { type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { isScalar } from '../ir/shape.js';
import { diagm, matmul, mul, neg } from '../ops/build.js';
import { rebuild } from './engine.js';
import { chainOperands } from './operands.js';
import { isOp } from './rule.js';

/** s·(A·B·…) with the scalar attached to the leftmost factor A. */
function scaleLeftmost(s: Expr | null, e: Expr): Expr {
  if (isOp(e, 'matmul')) return matmul(scaleLeftmost(s, e.args[0]), e.args[1]);
  // −(cA) is written −c·A, so that it prints as -2*A' rather than -(2*A')
  if (s === null && isOp(e, 'emul') && isScalar(e.args[0].shape) && e.args[0].kind === 'const') {
    return mul(neg(e.args[0]), e.args[1]);
  }
  return s === null ? neg(e) : mul(s, e);
}

/** v₁ ⊙ … ⊙ M ⊙ … with columns vᵢ scaling the rows of one matrix M, as [v₁ ⊙ …, M]; else null. */
export function rowScaling(e: Expr): [Expr, Expr] | null {
  if (!isOp(e, 'emul')) return null;
  const factors = chainOperands(e, 'emul');
  const matrices = factors.filter((f) => !isOne(f.shape.cols));
  const columns = factors.filter((f) => isOne(f.shape.cols));
  if (matrices.length !== 1 || columns.length === 0) return null;
  const m = matrices[0];
  if (columns.some((c) => c.shape.rows !== m.shape.rows || isOne(c.shape.rows))) return null;
  return [columns.reduce((x, y) => mul(x, y)), m];
}

/**
 * Whether arrange can change the node e (its arguments aside): a scalar times a product, a negated product, or
 * a product with an elementwise product on its right. simplify skips the pass when no node of its result is one.
 */
export function arrangeable(e: OpExpr): boolean {
  switch (e.op) {
    case 'emul':
      return isScalar(e.args[0].shape) && isOp(e.args[1], 'matmul');
    case 'neg':
      return isOp(e.args[0], 'matmul');
    case 'matmul':
      return isOp(e.args[1], 'emul');
    default:
      return false;
  }
}

function arrange(e: Expr): Expr {
  // only arrangeable's cases, so that the engine's skip of this pass and the pass agree
  if (e.kind !== 'op' || !arrangeable(e)) return e;
  const [a, b] = e.args;
  if (e.op === 'emul') return scaleLeftmost(a, b);
  if (e.op === 'neg') return scaleLeftmost(null, a);
  const scaled = rowScaling(b);
  return scaled ? matmul(matmul(a, diagm(scaled[0])), scaled[1]) : e;
}

/** e over its arguments' arranged forms: e itself, with no array made, when none changed. */
function withArranged(e: OpExpr, memo: NodeMemo<Expr>): Expr {
  const args = e.args;
  for (let i = 0; i < args.length; i++) {
    if (memo.get(args[i]) !== args[i])
      return rebuild(
        e,
        args.map((a) => memo.get(a)!),
      );
  }
  return e;
}

/** Arrange every root, common subterms once. */
export function presentMany(roots: readonly Expr[]): Expr[] {
  const memo = new NodeMemo<Expr>();
  try {
    for (const node of topoOrder(roots)) {
      memo.set(node, node.kind === 'op' ? arrange(withArranged(node, memo)) : node);
    }
    return roots.map((r) => memo.get(r)!);
  } finally {
    memo.release();
  }
}

export function present(root: Expr): Expr {
  return presentMany([root])[0];
}
