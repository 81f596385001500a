// Which expressions are symmetric by their structure, so that Sᵀ → S can drop a transpose: declared
// symmetric or spd variables, I, diag(v), and what keeps symmetry — S ± T, S ⊙ T, an entrywise function of S,
// −S, S⁻¹, Sᵏ, and palindromic products: AᵀA, AAᵀ, xxᵀ, AᵀSA and BSBᵀ with S symmetric ((F₁…F_k)ᵀ =
// F_kᵀ…F₁ᵀ, which is the same product when F_{k+1−i} = F_iᵀ).
import { NodeFact } from '../../ir/cache.js';
import type { Expr } from '../../ir/expr.js';
import { isScalar, isSquare } from '../../ir/shape.js';
import { specOf } from '../../ops/index.js';
import { chainOperands } from '../operands.js';
import { isOp } from '../rule.js';

const known = new NodeFact<boolean>();

export function isSymmetric(e: Expr): boolean {
  if (isScalar(e.shape)) return true;
  if (e.kind === 'var') return e.qualifiers.includes('symmetric') || e.qualifiers.includes('spd');
  if (e.kind !== 'op' || !isSquare(e.shape)) return false;
  const cached = known.get(e);
  if (cached !== undefined) return cached;
  const v = decide(e);
  known.set(e, v);
  return v;
}

function decide(e: Expr & { kind: 'op' }): boolean {
  switch (e.op) {
    case 'eye':
    case 'diagm':
      return true;
    case 'inv':
    case 'matpow':
      return isSymmetric(e.args[0]);
    case 'matmul':
      // the outermost pair first, before listing the factors (most products fail there)
      return transposes(outermost(e, 0), outermost(e, 1)) && palindromic(chainOperands(e, 'matmul'));
    default:
      // an entrywise op of symmetric (or scalar) operands of the result's shape
      return (
        specOf(e.op).js.kind === 'map' &&
        e.args.every((a) => isScalar(a.shape) || (a.shape === e.shape && isSymmetric(a)))
      );
  }
}

/** The first (side 0) or last (side 1) factor of a product. */
function outermost(e: Expr, side: 0 | 1): Expr {
  while (isOp(e, 'matmul')) e = e.args[side];
  return e;
}

/** b = aᵀ, as interned nodes say it. */
function transposes(a: Expr, b: Expr): boolean {
  if (isOp(a, 'transpose') && a.args[0] === b) return true;
  if (isOp(b, 'transpose') && b.args[0] === a) return true;
  return a === b && isSymmetric(a);
}

function palindromic(fs: readonly Expr[]): boolean {
  for (let i = 0, j = fs.length - 1; i <= j; i++, j--) {
    if (i === j ? !isSymmetric(fs[i]) : !transposes(fs[i], fs[j])) return false;
  }
  return true;
}
