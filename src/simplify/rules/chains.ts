// Matrix product chains A·B·C… seen as a list of factors: inverses cancel (A⁻¹A → I), repeated factors
// become powers (AA → A²), Kronecker products multiply blockwise ((A⊗B)(C⊗D) → AC⊗BD), and a chain of
// mostly transposed factors is written as the transpose of the reversed chain (A'B'C' → (CBA)').
import { NodeFact } from '../../ir/cache.js';
import type { Expr, OpExpr } from '../../ir/expr.js';
import { apply, eye, kron, matmul, transpose } from '../../ops/build.js';
import { isOp, type Rule, rule } from '../rule.js';

/** The factors of a matmul tree, left to right. */
export function chainFactors(e: Expr, out: Expr[] = []): Expr[] {
  if (isOp(e, 'matmul')) {
    chainFactors(e.args[0], out);
    chainFactors(e.args[1], out);
  } else out.push(e);
  return out;
}

const unT = (x: Expr): [Expr, boolean] => (isOp(x, 'transpose') ? [x.args[0], true] : [x, false]);

/** A⁻¹A = AA⁻¹ = I, and the same for transposes: (A⁻¹)ᵀAᵀ = AᵀA⁻ᵀ = I. */
function cancels(a: Expr, b: Expr): boolean {
  const [x, tx] = unT(a);
  const [y, ty] = unT(b);
  if (tx !== ty) return false;
  return (isOp(x, 'inv') && x.args[0] === y) || (isOp(y, 'inv') && y.args[0] === x);
}

function rebuildChain(fs: readonly Expr[]): Expr {
  return fs.reduce((acc, f) => matmul(acc, f));
}

/** The last factor of a product chain (O(1) along a left-deep chain). */
function lastFactor(e: Expr): Expr {
  while (isOp(e, 'matmul')) e = e.args[1];
  return e;
}

/** The first factor of a product chain. */
function firstFactor(e: Expr): Expr {
  while (isOp(e, 'matmul')) e = e.args[0];
  return e;
}

// Both operands are already simplified, so a pair that cancels or merges can only meet at the junction.
export const cancelInverses = rule(['matmul'], 'inverse cancels', 'A⁻¹A → I, AA⁻¹ → I', (e) => {
  if (e.op !== 'matmul' || !cancels(lastFactor(e.args[0]), firstFactor(e.args[1]))) return null;
  const fs = chainFactors(e);
  for (let i = 0; i + 1 < fs.length; i++) {
    if (!cancels(fs[i], fs[i + 1])) continue;
    const rest = [...fs.slice(0, i), ...fs.slice(i + 2)];
    return rest.length === 0 ? eye(e.shape.rows) : rebuildChain(rest);
  }
  return null;
});

/** A for Aᵏ, else x itself. */
const baseOf = (x: Expr): Expr => (isOp(x, 'matpow') ? x.args[0] : x);

function powerOf(x: Expr): [Expr, number] {
  return isOp(x, 'matpow') ? [x.args[0], x.attrs.power ?? 1] : [x, 1];
}

export const mergePowers = rule(['matmul'], 'repeated factors', 'AA → A², AᵏA → Aᵏ⁺¹', (e) => {
  if (e.op !== 'matmul') return null;
  const a = baseOf(lastFactor(e.args[0]));
  if (a !== baseOf(firstFactor(e.args[1])) || a.shape.rows !== a.shape.cols) return null;
  const fs = chainFactors(e);
  for (let i = 0; i + 1 < fs.length; i++) {
    const [a, p] = powerOf(fs[i]);
    const [b, q] = powerOf(fs[i + 1]);
    if (a !== b || a.shape.rows !== a.shape.cols) continue;
    const merged = apply('matpow', [a], { power: p + q });
    return rebuildChain([...fs.slice(0, i), merged, ...fs.slice(i + 2)]);
  }
  return null;
});

export const mixedProduct = rule(['matmul'], 'mixed product', '(A⊗B)(C⊗D) → (AC)⊗(BD)', (e) => {
  if (e.op !== 'matmul') return null;
  const [l, r] = e.args;
  if (!isOp(l, 'kron') || !isOp(r, 'kron')) return null;
  const [a, b] = l.args;
  const [c, d] = r.args;
  if (a.shape.cols !== c.shape.rows || b.shape.cols !== d.shape.rows) return null;
  return kron(matmul(a, c), matmul(b, d));
});

/** Kinds of factor a product chain holds, as bits (see chainHas). */
export const KRON = 1;
export const COMMUTATION = 2;
/** vec(A)ᵀ */
export const ROW_VEC = 4;
/** diag(v), or v ⊙ (A ⊗ B) for v = vec(M) (the fixpoint's form of diag(vec M)·(A ⊗ B)) */
export const DIAGONAL = 8;
export const INVERSE = 16;
/** Aᵏ, or (Aᵏ)⁻¹ */
export const POWER = 32;

function factorKinds(x: Expr): number {
  if (x.kind !== 'op') return 0;
  switch (x.op) {
    case 'kron':
      return KRON;
    case 'commutation':
      return COMMUTATION;
    case 'transpose':
      return isOp(x.args[0], 'vec') ? ROW_VEC : 0;
    case 'diagm':
      return DIAGONAL;
    case 'emul': {
      const [a, b] = x.args;
      return (isOp(a, 'vec') && isOp(b, 'kron')) || (isOp(b, 'vec') && isOp(a, 'kron')) ? DIAGONAL : 0;
    }
    case 'inv':
      return INVERSE | (isOp(x.args[0], 'matpow') ? POWER : 0);
    case 'matpow':
      return POWER;
    default:
      return 0;
  }
}

interface ChainStats {
  /** Bits of the kinds of factor in the chain. */
  readonly kinds: number;
  readonly length: number;
  readonly allTransposed: boolean;
  /** Some factor is a transposed product. */
  readonly compound: boolean;
}

const stats = new NodeFact<ChainStats>();

/** Stats of a single factor (not a product), shared by all factors alike: by kinds·4 + transposed·2 + compound. */
const factorStats: (ChainStats | undefined)[] = [];

function statsOfFactor(x: Expr): ChainStats {
  const kinds = factorKinds(x);
  const t = isOp(x, 'transpose');
  const compound = t && isOp(x.args[0], 'matmul');
  const key = kinds * 4 + (t ? 2 : 0) + (compound ? 1 : 0);
  let s = factorStats[key];
  if (!s) {
    s = Object.freeze({ kinds, length: 1, allTransposed: t, compound });
    factorStats[key] = s;
  }
  return s;
}

function combined(l: ChainStats, r: ChainStats): ChainStats {
  return {
    kinds: l.kinds | r.kinds,
    length: l.length + r.length,
    allTransposed: l.allTransposed && r.allTransposed,
    compound: l.compound || r.compound,
  };
}

/** Length and transpose facts of a product chain, cached per product node (so checking a chain costs O(1)). */
function chainStats(e: Expr): ChainStats {
  if (!isOp(e, 'matmul')) return statsOfFactor(e);
  const known = stats.get(e);
  if (known) return known;
  const [a, b] = e.args;
  const l = isOp(a, 'matmul') ? stats.get(a) : statsOfFactor(a);
  const r = isOp(b, 'matmul') ? stats.get(b) : statsOfFactor(b);
  if (l && r) {
    const s = combined(l, r);
    stats.set(e, s);
    return s;
  }
  // children first, without recursion: chains can be thousands of factors long
  const stack: OpExpr[] = [e];
  while (stack.length > 0) {
    const x = stack[stack.length - 1];
    const [l, r] = x.args;
    const waitLeft = isOp(l, 'matmul') && !stats.has(l);
    const waitRight = isOp(r, 'matmul') && !stats.has(r);
    if (waitLeft) stack.push(l as OpExpr);
    if (waitRight) stack.push(r as OpExpr);
    if (waitLeft || waitRight) continue;
    stack.pop();
    // a sub-chain shared by both sides is pushed twice and done once
    if (!stats.has(x)) stats.set(x, combined(chainStats(l), chainStats(r)));
  }
  return stats.get(e)!;
}

/** The number of factors of the product chain e (1 when e is not a product): O(1) once cached. */
export function chainLength(e: Expr): number {
  return chainStats(e).length;
}

/** True when the product chain e has a factor of every kind in `kinds` (O(1) once cached). */
export function chainHas(e: Expr, kinds: number): boolean {
  return (chainStats(e).kinds & kinds) === kinds;
}

/** True when the product chain e has a factor of some kind in `kinds`. */
export function chainHasAny(e: Expr, kinds: number): boolean {
  return (chainStats(e).kinds & kinds) !== 0;
}

export const transposedChain: Rule = {
  ...rule(
    ['matmul'],
    'transposed chain',
    "A'B'C' → (CBA)' when every factor is transposed and there are at least three, or one is a transposed product",
    (e) => {
      if (e.op !== 'matmul') return null;
      const st = chainStats(e);
      if (!st.allTransposed || (st.length < 3 && !st.compound)) return null;
      // Reversing the factor list of each flipped product keeps the order: (ABC)ᵀ = CᵀBᵀAᵀ.
      const fs = chainFactors(e);
      const ordered: Expr[] = [];
      for (let i = fs.length - 1; i >= 0; i--) {
        const f = fs[i];
        chainFactors(isOp(f, 'transpose') ? f.args[0] : f, ordered);
      }
      return transpose(rebuildChain(ordered));
    },
  ),
  // Inside a left-deep chain the rule would rebuild the reversed chain at every level (quadratic); at the
  // chain's root it sees the same factors once.
  inside: (parent, k) => parent.op === 'matmul' && k === 0,
};
