// Which functions appear among the factors of an elementwise product (through ⊙, ⊘ and powers), as bits
// cached per node: the ⊙-chain rules (sign·|x|, eᶻ·σ(−z), diag(v)·c) test a bit in O(1) before walking
// the product. The walk here is never narrower than theirs, so a clear bit means the rule cannot apply.
import { NodeFact } from '../../ir/cache.js';
import type { Expr, OpExpr } from '../../ir/expr.js';

export const SIGN = 1;
export const EXP = 2;
export const SIGMOID = 4;
export const DIAGONAL = 8;
/** A sum with an exponential term, such as the logistic denominator 1 + eᵘ. */
export const EXP_SUM = 16;

const THROUGH = new Set(['emul', 'ediv', 'epow']);

const isOpOf = (x: Expr, op: string): boolean => x.kind === 'op' && x.op === op;

function ownKind(x: Expr): number {
  if (x.kind !== 'op') return 0;
  switch (x.op) {
    case 'sign':
      return SIGN;
    case 'exp':
      return EXP;
    case 'sigmoid':
      return SIGMOID;
    case 'diagm':
      return DIAGONAL;
    case 'add':
      return isOpOf(x.args[0], 'exp') || isOpOf(x.args[1], 'exp') ? EXP_SUM : 0;
    default:
      return 0;
  }
}

/** The operands a product walk goes through (the exponent of a power is not a factor). */
const operands = (x: OpExpr): readonly Expr[] => (x.op === 'epow' ? [x.args[0]] : x.args);

const kinds = new NodeFact<number>();

/** Bits of the functions among the factors of e (e itself when it is no product). */
export function productKinds(e: Expr): number {
  if (e.kind !== 'op' || !THROUGH.has(e.op)) return ownKind(e);
  const known = kinds.get(e);
  if (known !== undefined) return known;
  // children first, without recursion: ⊙ chains can be 10,000 deep
  const stack: OpExpr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1];
    const pending = operands(x).filter(
      (a): a is OpExpr => a.kind === 'op' && THROUGH.has(a.op) && !kinds.has(a),
    );
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    let bits = 0;
    for (const a of operands(x)) bits |= a.kind === 'op' && THROUGH.has(a.op) ? kinds.get(a)! : ownKind(a);
    kinds.set(x, bits);
  }
  return kinds.get(e)!;
}

/** e's product has a factor of every kind in `want`. */
export function productHas(e: Expr, want: number): boolean {
  return (productKinds(e) & want) === want;
}
