// Which structural ops (Kronecker products, vecs, commutation matrices, inverses, matrix powers) occur
// anywhere in an expression, as bits cached per node: a rule that can only rewrite where one of them occurs
// (Rule.mentions) is skipped in O(1) by the engine everywhere else, which is almost everywhere.
import { NodeFact } from '../ir/cache.js';
import type { Expr } from '../ir/expr.js';

export const KRONECKER = 1;
export const VEC = 2;
export const COMMUTATION = 4;
export const INVERSE = 8;
export const POWER = 16;

function ownBit(e: Expr): number {
  if (e.kind !== 'op') return 0;
  switch (e.op) {
    case 'kron':
      return KRONECKER;
    case 'vec':
      return VEC;
    case 'commutation':
      return COMMUTATION;
    case 'inv':
      return INVERSE;
    case 'matpow':
      return POWER;
    default:
      return 0;
  }
}

const bits = new NodeFact<number>();

/** Recursion depth below which mentions recurses; deeper expressions are walked with an explicit stack. */
const SHALLOW = 64;

/** The bits of the ops above that occur in e (e included). */
export function mentions(e: Expr): number {
  if (e.kind !== 'op') return 0;
  const known = bits.get(e);
  return known !== undefined ? known : mentionsOf(e, 0);
}

function mentionsOf(e: Expr, depth: number): number {
  if (e.kind !== 'op') return 0;
  const known = bits.get(e);
  if (known !== undefined) return known;
  if (depth > SHALLOW) return mentionsDeep(e);
  let b = ownBit(e);
  for (const a of e.args) b |= mentionsOf(a, depth + 1);
  bits.set(e, b);
  return b;
}

/** mentions, children first without recursion (⊙ chains and products can be thousands deep). */
function mentionsDeep(root: Expr): number {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const x = stack[stack.length - 1];
    if (x.kind !== 'op' || bits.has(x)) {
      stack.pop();
      continue;
    }
    let ready = true;
    for (const a of x.args) {
      if (a.kind === 'op' && !bits.has(a)) {
        stack.push(a);
        ready = false;
      }
    }
    if (!ready) continue;
    stack.pop();
    let b = ownBit(x);
    for (const a of x.args) b |= a.kind === 'op' ? bits.get(a)! : 0;
    bits.set(x, b);
  }
  return bits.get(root) ?? 0;
}
