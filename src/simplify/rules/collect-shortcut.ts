// Normal forms that term collection can decide without collecting: nodes it writes back unchanged (−x,
// c·x, a ± b, c·(a ± b) of atoms), a sum of two atoms in the other order (A' + B → B + A') and constants and
// ones around one atom (ones·2 ⊙ (Xw − y) → 2(Xw − y)). test/simplify/collect-shortcut.test.ts checks every
// one against the full collection.
import type { Expr, OpExpr } from '../../ir/expr.js';
import * as Q from '../../ir/rational.js';
import { sameShape } from '../../ir/shape.js';
import { add, mul } from '../../ops/build.js';
import { exactValue, isOp } from '../rule.js';
import { exactConst } from './constants.js';
import { isAlgebra } from './terms.js';

/** An atom of a region that collection writes back as itself: not algebra, a constant, ones or a negation. */
function plainAtom(x: Expr): boolean {
  return !isAlgebra(x) && x.kind !== 'const' && !isOp(x, 'ones') && !isOp(x, 'neg');
}

/** a − b, or a + b with a no more transposed than b, for distinct atoms: collection writes it as it is. */
function normalPair(e: Expr): boolean {
  if (!isOp(e, 'add', 'sub')) return false;
  const [a, b] = e.args;
  if (a === b || !plainAtom(a) || !plainAtom(b)) return false;
  return e.op === 'sub' || !isOp(a, 'transpose') || isOp(b, 'transpose');
}

/** A literal written as itself as a coefficient: not 0, 1 or a unit fraction 1/k (which is written x/k). */
function plainCoefficient(c: Expr): boolean {
  return c.kind === 'const' && Q.fromNumber(c.value).n > 1n;
}

/**
 * Nodes that term collection provably writes back unchanged, decided without building anything: −x and
 * c·x for one atom x and a plain coefficient c, a − b and a + b of distinct atoms (normalPair), and
 * c·(a ± b) of such a pair.
 */
export function alreadyNormal(e: OpExpr): boolean {
  if (e.op === 'neg') return plainAtom(e.args[0]);
  if (e.op === 'add' || e.op === 'sub') return normalPair(e);
  if (e.op !== 'emul') return false;
  const [c, x] = e.args;
  return plainCoefficient(c) && (plainAtom(x) || normalPair(x)) && sameShape(x.shape, e.shape);
}

/**
 * The normal form of e when it is decided without collecting: e itself when alreadyNormal, b + a for a sum
 * a + b of distinct atoms with a transposed and b not (collection writes the less transposed term first).
 */
export function shortcutForm(e: OpExpr): Expr | null {
  if (alreadyNormal(e)) return e;
  if (e.op === 'emul') return scaledAtom(e);
  if (e.op !== 'add') return null;
  const [a, b] = e.args;
  if (a === b || !plainAtom(a) || !plainAtom(b) || !isOp(a, 'transpose') || isOp(b, 'transpose')) return null;
  return add(b, a);
}

/** Most factors scaledAtom looks at (⊙ chains can be thousands long; those take the full collection). */
const MAX_SCALED_FACTORS = 16;

/**
 * The normal form of a ⊙ product of constants, ones and one atom or normal pair x of the product's shape,
 * when the constants multiply to 1 (x) or to a positive c that a literal spells with numerator > 1 (c·x);
 * else null.
 */
function scaledAtom(e: OpExpr): Expr | null {
  let coef = Q.ONE;
  let x: Expr | null = null;
  const stack: Expr[] = [e];
  for (let seen = 0; stack.length > 0; seen++) {
    if (seen > MAX_SCALED_FACTORS) return null;
    const f = stack.pop()!;
    if (isOp(f, 'emul')) {
      stack.push(f.args[1], f.args[0]);
      continue;
    }
    const c = exactValue(f);
    if (c !== null) coef = Q.mul(coef, c);
    else if (isOp(f, 'ones')) continue;
    else if (x === null && (plainAtom(f) || normalPair(f))) x = f;
    else return null;
  }
  if (x === null || !sameShape(x.shape, e.shape) || Q.sign(coef) <= 0) return null;
  if (Q.equals(coef, Q.ONE)) return x;
  return coef.n > 1n && Q.toNumber(coef) !== null ? mul(exactConst(coef), x) : null;
}
