// What an op node's arguments are, as bits (one per head: constant, −x, zeros, ones, I, ᵀ, ·, ⊙, ⊘, ^, ±, ⁻¹,
// and any 1×1 argument): a rule that can only rewrite a node with an argument of certain heads declares them
// (Rule.heads), and the engine skips it, without calling it, at a node whose arguments have none of them.
import type { Expr, OpExpr } from '../ir/expr.js';
import { isScalar } from '../ir/shape.js';

export const CONST = 1;
export const NEG = 2;
export const ZEROS = 4;
export const ONES = 8;
export const EYE = 16;
export const TRANSPOSE = 32;
export const MATMUL = 64;
export const EMUL = 128;
export const EDIV = 256;
export const EPOW = 512;
/** add or sub */
export const SUM = 1024;
export const INV = 2048;
/** an argument of shape 1×1, whatever its head */
export const SCALAR = 4096;

function headBit(a: Expr): number {
  const scalar = isScalar(a.shape) ? SCALAR : 0;
  if (a.kind === 'const') return CONST | scalar;
  if (a.kind !== 'op') return scalar;
  switch (a.op) {
    case 'neg':
      return NEG | scalar;
    case 'zeros':
      return ZEROS | scalar;
    case 'ones':
      return ONES | scalar;
    case 'eye':
      return EYE | scalar;
    case 'transpose':
      return TRANSPOSE | scalar;
    case 'matmul':
      return MATMUL | scalar;
    case 'emul':
      return EMUL | scalar;
    case 'ediv':
      return EDIV | scalar;
    case 'epow':
      return EPOW | scalar;
    case 'add':
    case 'sub':
      return SUM | scalar;
    case 'inv':
      return INV | scalar;
    default:
      return scalar;
  }
}

/** The head bits of e's arguments, together. */
export function argHeads(e: OpExpr): number {
  const args = e.args;
  let bits = 0;
  for (let i = 0; i < args.length; i++) bits |= headBit(args[i]);
  return bits;
}
