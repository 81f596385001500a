// Kronecker products and the commutation matrix K_{m,n} (Magnus & Neudecker ch. 2–3): identities,
// transposes and inverses taken factorwise, products in a chain multiplied blockwise, K moved through
// Kronecker products where it then cancels, vec(AXB) for (Bᵀ⊗A)vec(X), common Kronecker factors of a sum.
import { type Dim, isOne } from '../../ir/dim.js';
import type { Expr, OpExpr } from '../../ir/expr.js';
import { isScalar } from '../../ir/shape.js';
import {
  add,
  apply,
  commutation,
  eye,
  inv,
  kron,
  matmul,
  mul,
  neg,
  ones,
  sub,
  vec,
  zeros,
} from '../../ops/build.js';
import { isOp, rule } from '../rule.js';
import { COMMUTATION, chainFactors, chainHas, chainHasAny, KRON, ROW_VEC } from './chains.js';
import { transposeOf } from './transpose.js';

const isK = (e: Expr): boolean => isOp(e, 'commutation');
/** [m, n] of a commutation node K_{m,n}. */
const kSizes = (e: Expr): [Dim, Dim] => [(e as OpExpr).attrs.rows!, (e as OpExpr).attrs.cols!];

export const kronOfIdentities = rule(
  ['kron'],
  'Kronecker product of identities',
  'I_a ⊗ I_b → I_{ab}',
  (e) => {
    if (e.op !== 'kron') return null;
    const [a, b] = e.args;
    return isOp(a, 'eye') && isOp(b, 'eye') ? eye(e.shape.rows) : null;
  },
);

export const kronOfConstants = rule(
  ['kron'],
  'Kronecker product of constants',
  '1_{m×n} ⊗ 1_{p×q} → 1_{mp×nq}, 0 ⊗ B → 0, A ⊗ 0 → 0',
  (e) => {
    if (e.op !== 'kron') return null;
    const [a, b] = e.args;
    if (isOp(a, 'zeros') || isOp(b, 'zeros')) return zeros(e.shape.rows, e.shape.cols);
    return isOp(a, 'ones') && isOp(b, 'ones') ? ones(e.shape.rows, e.shape.cols) : null;
  },
);

export const vecOfConstants = rule(
  ['vec'],
  'vec of a constant',
  'vec(1_{m×n}) → 1_{mn}, vec(0_{m×n}) → 0_{mn}',
  (e) => {
    if (e.op !== 'vec') return null;
    const [a] = e.args;
    if (isOp(a, 'ones')) return ones(e.shape.rows);
    return isOp(a, 'zeros') ? zeros(e.shape.rows) : null;
  },
);

export const kronOfVectors = rule(
  ['kron'],
  'Kronecker product of vectors',
  'a ⊗ bᵀ → abᵀ, aᵀ ⊗ b → baᵀ (an outer product)',
  (e) => {
    if (e.op !== 'kron') return null;
    const [a, b] = e.args;
    if (isScalar(a.shape) || isScalar(b.shape)) return null;
    if (isOne(a.shape.cols) && isOne(b.shape.rows)) return matmul(a, b);
    if (isOne(a.shape.rows) && isOne(b.shape.cols)) return matmul(b, a);
    return null;
  },
);

/** x = s ⊙ y with s 1×1 (or x = −y): [s | null, y]. */
function scaled(x: Expr): [Expr | null, Expr] | null {
  if (isOp(x, 'neg')) return [null, x.args[0]];
  if (isOp(x, 'emul') && isScalar(x.args[0].shape) && !isScalar(x.args[1].shape))
    return [x.args[0], x.args[1]];
  if (isOp(x, 'emul') && isScalar(x.args[1].shape) && !isScalar(x.args[0].shape))
    return [x.args[1], x.args[0]];
  return null;
}

export const kronScalars = rule(
  ['kron'],
  'scalars out of Kronecker products',
  '(sA) ⊗ B → s(A ⊗ B), A ⊗ (−B) → −(A ⊗ B)',
  (e) => {
    if (e.op !== 'kron') return null;
    const [a, b] = e.args;
    const sa = scaled(a);
    if (sa) return sa[0] ? mul(sa[0], kron(sa[1], b)) : neg(kron(sa[1], b));
    const sb = scaled(b);
    if (sb) return sb[0] ? mul(sb[0], kron(a, sb[1])) : neg(kron(a, sb[1]));
    return null;
  },
);

/** Transposes in the way x reads: 0 when transposeOf(x) needs no transpose node, else 1. */
const transposeCost = (x: Expr): number => (isOp(transposeOf(x), 'transpose') ? 1 : 0);

export const kronTranspose = rule(
  ['transpose'],
  'transpose of a Kronecker product',
  '(A ⊗ B)ᵀ → Aᵀ ⊗ Bᵀ (M&N ch. 2 §2), when that leaves at most one transpose',
  (e) => {
    if (e.op !== 'transpose' || !isOp(e.args[0], 'kron')) return null;
    const [a, b] = e.args[0].args;
    return transposeCost(a) + transposeCost(b) <= 1 ? kron(transposeOf(a), transposeOf(b)) : null;
  },
);

export const kronInverse = rule(
  ['inv'],
  'inverse of a Kronecker product',
  '(A ⊗ B)⁻¹ → A⁻¹ ⊗ B⁻¹ (M&N ch. 2 §2)',
  (e) => {
    if (e.op !== 'inv' || !isOp(e.args[0], 'kron')) return null;
    const [a, b] = e.args[0].args;
    return a.shape.rows === a.shape.cols && b.shape.rows === b.shape.cols ? kron(inv(a), inv(b)) : null;
  },
);

export const commutationIdentities = rule(
  ['commutation', 'transpose', 'inv'],
  'commutation matrix',
  'K_{m,1} = K_{1,n} = I, K_{m,n}ᵀ = K_{m,n}⁻¹ = K_{n,m} (M&N ch. 3 §7)',
  (e) => {
    if (isK(e)) {
      const [m, n] = kSizes(e);
      return isOne(m) || isOne(n) ? eye(e.shape.rows) : null;
    }
    if ((e.op === 'transpose' || e.op === 'inv') && isK(e.args[0])) {
      const [m, n] = kSizes(e.args[0]);
      return commutation(n, m);
    }
    return null;
  },
);

/**
 * One rewrite of a product chain, or null: (A⊗B)(C⊗D) → AC⊗BD; K_{m,n}K_{n,m} → I;
 * K_{p,m}(A⊗B)K_{n,q} → B⊗A for A m×n, B p×q (M&N Thm 3.9); and one-sided K_{p,m}(A⊗B) → (B⊗A)K_{q,n},
 * (A⊗B)K_{n,q} → K_{m,p}(B⊗A) when the moved K is an identity (a vector factor).
 */
function chainStep(fs: Expr[]): Expr[] | null {
  for (let i = 0; i + 1 < fs.length; i++) {
    const [x, y] = [fs[i], fs[i + 1]];
    if (isOp(x, 'kron') && isOp(y, 'kron')) {
      const [a, b] = x.args;
      const [c, d] = y.args;
      if (a.shape.cols === c.shape.rows && b.shape.cols === d.shape.rows)
        return [...fs.slice(0, i), kron(matmul(a, c), matmul(b, d)), ...fs.slice(i + 2)];
    }
    if (isK(x) && isK(y)) {
      const [m, n] = kSizes(x);
      const [p, q] = kSizes(y);
      if (m === q && n === p) return [...fs.slice(0, i), ...fs.slice(i + 2)];
    }
  }
  for (let i = 0; i < fs.length; i++) {
    const x = fs[i];
    if (!isOp(x, 'kron')) continue;
    const [a, b] = x.args;
    const [m, n, p, q] = [a.shape.rows, a.shape.cols, b.shape.rows, b.shape.cols];
    const before = i > 0 && isK(fs[i - 1]) ? kSizes(fs[i - 1]) : null;
    const after = i + 1 < fs.length && isK(fs[i + 1]) ? kSizes(fs[i + 1]) : null;
    const leftFits = before !== null && before[0] === p && before[1] === m;
    const rightFits = after !== null && after[0] === n && after[1] === q;
    if (leftFits && rightFits) return [...fs.slice(0, i - 1), kron(b, a), ...fs.slice(i + 2)];
    if (leftFits && (isOne(q) || isOne(n))) return [...fs.slice(0, i - 1), kron(b, a), ...fs.slice(i + 1)];
    if (rightFits && (isOne(m) || isOne(p))) return [...fs.slice(0, i), kron(b, a), ...fs.slice(i + 2)];
  }
  return null;
}

export const kronChain = rule(
  ['matmul'],
  'Kronecker products in a product',
  '(A⊗B)(C⊗D) → AC⊗BD, K_{m,n}K_{n,m} → I, K_{p,m}(A⊗B)K_{n,q} → B⊗A (M&N Thm 3.9)',
  (e) => {
    if (e.op !== 'matmul' || !chainHasAny(e, KRON | COMMUTATION)) return null;
    const fs = chainStep(chainFactors(e));
    if (!fs) return null;
    return fs.length === 0 ? eye(e.shape.rows) : fs.reduce((l, r) => matmul(l, r));
  },
);

/**
 * A matmul rule from a rewrite of two adjacent factors of its product chain (x·y → one factor), tried on
 * chains that hold a factor of every kind in `kinds` (chains.ts bits).
 */
function alongChain(kinds: number, pair: (x: Expr, y: Expr) => Expr | null): (e: OpExpr) => Expr | null {
  return (e) => {
    if (e.op !== 'matmul' || !chainHas(e, kinds)) return null;
    const fs = chainFactors(e);
    for (let i = 0; i + 1 < fs.length; i++) {
      const merged = pair(fs[i], fs[i + 1]);
      if (merged) return [...fs.slice(0, i), merged, ...fs.slice(i + 2)].reduce((l, r) => matmul(l, r));
    }
    return null;
  };
}

/** (Bᵀ ⊗ A) x as vec(A X B) for a column x = vec(X) (a column that is no vec is its own vec), or null. */
function kronTimesColumn(k: Expr, v: Expr): Expr | null {
  if (!isOp(k, 'kron') || isScalar(v.shape) || !isOne(v.shape.cols)) return null;
  const [bt, a] = k.args;
  const x = isOp(v, 'vec') ? v.args[0] : v;
  if (a.shape.cols !== x.shape.rows || bt.shape.cols !== x.shape.cols) return null;
  const ax = isOp(a, 'eye') ? x : matmul(a, x);
  return vec(isOp(bt, 'eye') ? ax : matmul(ax, transposeOf(bt)));
}

export const vecOfProduct = rule(
  ['matmul'],
  'vec of a product',
  '(Bᵀ ⊗ A) vec(X) → vec(AXB) (M&N Thm 2.2); a column x is vec(x)',
  (e) => {
    if (e.op !== 'matmul' || !chainHas(e, KRON)) return null;
    const fs = chainFactors(e);
    // The kron times the factors after it up to the first point where their product is a column.
    for (let i = 0; i + 1 < fs.length; i++) {
      if (!isOp(fs[i], 'kron')) continue;
      for (let j = i + 2; j <= fs.length; j++) {
        const merged = kronTimesColumn(
          fs[i],
          fs.slice(i + 1, j).reduce((l, r) => matmul(l, r)),
        );
        if (merged) return [...fs.slice(0, i), merged, ...fs.slice(j)].reduce((l, r) => matmul(l, r));
      }
    }
    return null;
  },
);

export const vecOfColumn = rule(['vec'], 'vec of a column', 'vec(x) → x for a column x', (e) =>
  e.op === 'vec' && isOne(e.args[0].shape.cols) ? e.args[0] : null,
);

export const structuredTimesVec = rule(
  ['matmul'],
  'structured sum times a vec',
  '(P + Q) vec(X) → P vec(X) + Q vec(X) when P or Q is a Kronecker product or K (so each becomes a vec)',
  (e) => {
    if (e.op !== 'matmul') return null;
    const [s, v] = e.args;
    if (!isOp(s, 'add', 'sub') || !isOp(v, 'vec')) return null;
    const structured = (x: Expr) => isOp(x, 'kron', 'commutation');
    if (!structured(s.args[0]) && !structured(s.args[1])) return null;
    return apply(s.op, [matmul(s.args[0], v), matmul(s.args[1], v)]);
  },
);

export const rowVecOfProduct = rule(
  ['matmul'],
  'vec of a product, as a row',
  'vec(X)ᵀ (B ⊗ A) → vec(AᵀXB)ᵀ (the transpose of M&N Thm 2.2)',
  alongChain(ROW_VEC | KRON, (t, k) => {
    if (!isOp(t, 'transpose') || !isOp(t.args[0], 'vec') || !isOp(k, 'kron')) return null;
    const x = t.args[0].args[0];
    const [b, a] = k.args;
    if (a.shape.rows !== x.shape.rows || b.shape.rows !== x.shape.cols) return null;
    const at = transposeOf(a);
    const ax = isOp(a, 'eye') ? x : matmul(at, x);
    return transposeOf(vec(isOp(b, 'eye') ? ax : matmul(ax, b)));
  }),
);

/** K_{m,n} x for x a vec(A) of an m×n A, a scalar times one, a negation or a sum of such; else null. */
function commuted(sizes: readonly [Dim, Dim], x: Expr): Expr | null {
  const [m, n] = sizes;
  if (isOp(x, 'vec')) {
    const a = x.args[0];
    return a.shape.rows === m && a.shape.cols === n ? vec(transposeOf(a)) : null;
  }
  if (isOp(x, 'neg')) {
    const inner = commuted(sizes, x.args[0]);
    return inner && neg(inner);
  }
  if (isOp(x, 'emul') && isScalar(x.args[0].shape) !== isScalar(x.args[1].shape)) {
    const [s, v] = isScalar(x.args[0].shape) ? x.args : [x.args[1], x.args[0]];
    const inner = commuted(sizes, v);
    return inner && mul(s, inner);
  }
  if (isOp(x, 'add', 'sub')) {
    const [a, b] = [commuted(sizes, x.args[0]), commuted(sizes, x.args[1])];
    return a && b ? apply(x.op, [a, b]) : null;
  }
  return null;
}

export const commutedVec = rule(
  ['matmul'],
  'commutation of a vec',
  'K_{m,n} vec(A) → vec(Aᵀ) for A m×n (also through sums and scalings), vec(A)ᵀ K_{n,m} → vec(Aᵀ)ᵀ (M&N ch. 3 §7)',
  alongChain(COMMUTATION, (l, r) => {
    if (isK(l)) return commuted(kSizes(l), r);
    if (isK(r) && isOp(l, 'transpose') && isOp(l.args[0], 'vec')) {
      const [n, m] = kSizes(r);
      const a = l.args[0].args[0];
      return a.shape.rows === m && a.shape.cols === n ? transposeOf(vec(transposeOf(a))) : null;
    }
    return null;
  }),
);

export const outerProduct = rule(
  ['emul'],
  'outer product',
  'u ⊙ vᵀ → uvᵀ for a column u and a row vᵀ (broadcast)',
  (e) => {
    if (e.op !== 'emul') return null;
    const [a, b] = e.args;
    if (isScalar(a.shape) || isScalar(b.shape)) return null;
    if (isOne(a.shape.cols) && isOne(b.shape.rows)) return matmul(a, b);
    if (isOne(a.shape.rows) && isOne(b.shape.cols)) return matmul(b, a);
    return null;
  },
);

export const commonKronFactor = rule(
  ['add', 'sub'],
  'common Kronecker factor',
  'A⊗B + A⊗C → A⊗(B + C), A⊗C + B⊗C → (A + B)⊗C (bilinearity)',
  (e) => {
    if (e.op !== 'add' && e.op !== 'sub') return null;
    const [l, r] = e.args;
    if (!isOp(l, 'kron') || !isOp(r, 'kron')) return null;
    const combine = e.op === 'add' ? add : sub;
    const [a, b] = l.args;
    const [c, d] = r.args;
    if (a === c && b.shape === d.shape) return kron(a, combine(b, d));
    if (b === d && a.shape === c.shape) return kron(combine(a, c), b);
    return null;
  },
);

export const elementwiseOfVecs = rule(
  ['add', 'sub', 'emul', 'ediv'],
  'elementwise ops of vecs',
  'vec(A) ∘ vec(B) → vec(A ∘ B) for ∘ in + − ⊙ ⊘ and A, B of one shape',
  (e) => {
    const [l, r] = e.args;
    if (!isOp(e, 'add', 'sub', 'emul', 'ediv')) return null;
    if (!isOp(l, 'vec') || !isOp(r, 'vec') || l.args[0].shape !== r.args[0].shape) return null;
    return vec(apply(e.op as 'add', [l.args[0], r.args[0]]));
  },
);
