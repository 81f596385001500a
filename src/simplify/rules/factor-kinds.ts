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

/** A node the product walk goes through: ⊙, ⊘ or a power. */
const through = (x: Expr): x is OpExpr =>
  x.kind === 'op' && (x.op === 'emul' || x.op === 'ediv' || x.op === 'epow');

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
  if (!through(e)) return ownKind(e);
  const known = kinds.get(e);
  if (known !== undefined) return known;
  // the operands' kinds known (the usual case, children simplified first): no walk
  let bits = 0;
  for (let i = 0, n = e.op === 'epow' ? 1 : e.args.length; i < n; i++) {
    const a = e.args[i];
    const k = through(a) ? kinds.get(a) : ownKind(a);
    if (k === undefined) {
      bits = -1;
      break;
    }
    bits |= k;
  }
  if (bits >= 0) {
    kinds.set(e, bits);
    return bits;
  }
  // children first, without recursion: ⊙ chains can be 10,000 deep
  const stack: OpExpr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1];
    let waiting = false;
    for (const a of operands(x)) {
      if (through(a) && !kinds.has(a)) {
        stack.push(a);
        waiting = true;
      }
    }
    if (waiting) continue;
    stack.pop();
    let own = 0;
    for (const a of operands(x)) own |= through(a) ? kinds.get(a)! : ownKind(a);
    kinds.set(x, own);
  }
  return kinds.get(e)!;
}

/** e's product has a factor of every kind in `want`. */
export function productHas(e: Expr, want: number): boolean {
  return (productKinds(e) & want) === want;
}
