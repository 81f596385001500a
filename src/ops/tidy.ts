// Constructors for the derivative rules (VJPs, JVPs) that skip exact unit identities as they build:
// 1·A = A, 𝟏 ⊙ A = A, I·A = A·I = A, (Aᵀ)ᵀ = A, Iᵀ = I, A.^1 = A, and an integer exponent p − 1 folded. The sweep's seed
// is the constant 1 and trace's cotangent is g·I, so without these every gradient would start as
// `(1*eye(n))*B'…` and the simplifier would spend a third of its time taking the units out again. They
// apply no other identity: everything else is simplify/'s, with provenance. Same names as ops/build.ts.
import type { Expr } from '../ir/expr.js';
import { sameShape } from '../ir/shape.js';
import * as B from './build.js';

const isConstOne = (e: Expr): boolean => e.kind === 'const' && e.value === 1;
const isEye = (e: Expr): boolean => e.kind === 'op' && e.op === 'eye';
const isOnes = (e: Expr): boolean => e.kind === 'op' && e.op === 'ones';

/** a ⊙ b (broadcasting), without a factor that is the 1×1 constant 1. */
export function mul(a: Expr, b: Expr): Expr {
  // a 1×1 factor broadcasts to the other's shape
  if (isConstOne(a)) return b;
  if (isConstOne(b)) return a;
  // 𝟏 ⊙ B = B when B has the ones' shape (the cotangent a sum spreads over its entries)
  if (isOnes(a) && sameShape(a.shape, b.shape)) return b;
  if (isOnes(b) && sameShape(a.shape, b.shape)) return a;
  return B.mul(a, b);
}

/** a·b, without an identity factor (I, or the 1×1 constant 1). */
export function matmul(a: Expr, b: Expr): Expr {
  const unit = (e: Expr) => isEye(e) || isConstOne(e);
  if (unit(a) && a.shape.cols === b.shape.rows) return b;
  if (unit(b) && a.shape.cols === b.shape.rows) return a;
  return B.matmul(a, b);
}

/** aᵀ, with (xᵀ)ᵀ = x and Iᵀ = I. */
export function transpose(a: Expr): Expr {
  if (a.kind === 'op' && a.op === 'transpose') return a.args[0];
  if (isEye(a) || a.kind === 'const') return a;
  return B.transpose(a);
}

/** a.^p, with a.^1 = a. */
export function pow(a: Expr, p: Expr): Expr {
  return isConstOne(p) ? a : B.pow(a, p);
}

/** p − 1 for an exponent p: folded when p is an integer constant. */
export function minusOne(p: Expr): Expr {
  if (p.kind === 'const' && Number.isInteger(p.value)) return B.num(p.value - 1);
  return B.sub(p, B.num(1));
}
