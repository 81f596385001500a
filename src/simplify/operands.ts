// The operands of a chain of one associative op (A·B·C as matmul(matmul(A, B), C), a ⊙ b ⊙ c), left to
// right; iterative, since chains can be thousands of factors long.
import type { Expr } from '../ir/expr.js';
import { isOp } from './rule.js';

export function chainOperands(e: Expr, op: 'matmul' | 'emul'): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (isOp(x, op)) stack.push(x.args[1], x.args[0]);
    else out.push(x);
  }
  return out;
}
