// The one table of stable rewrites that every backend reads (interpreter, compile(), TS, NumPy, JAX):
// each entry replaces a composition whose literal evaluation overflows, underflows or cancels by an equal
// expression over the kernels' stable primitives (softplus, σ, logsumexp, logsoftmax, logdet, norm).
import { type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { type Shape, sameShape } from '../ir/shape.js';
import {
  apply,
  div,
  exp,
  logdet,
  logsoftmax,
  logsumexp,
  mul,
  neg,
  num,
  sigmoid,
  sign,
  softmax,
  softplus,
} from '../ops/build.js';
import type { OpName } from '../ops/index.js';

/** One stable form: its name, the identity it applies, and the rewrite (null when `e` does not match). */
export interface StableRewrite {
  readonly name: string;
  readonly identity: string;
  rewrite(e: OpExpr): Expr | null;
}

const isOp = (e: Expr, op: string): e is OpExpr => e.kind === 'op' && e.op === op;
const isOne = (e: Expr): boolean => (e.kind === 'const' && e.value === 1) || isOp(e, 'ones');
/** −u, without a double negation. */
const negOf = (u: Expr): Expr => (isOp(u, 'neg') ? u.args[0] : neg(u));
/** `x` when it has the shape `s` of the whole node (so a broadcast constant does not change the shape). */
const fills = (x: Expr, s: Shape): boolean => sameShape(x.shape, s);

/** u when `x` is 1 + eᵘ or eᵘ + 1 (of x's own shape), else null. */
function onePlusExp(x: Expr): Expr | null {
  if (!isOp(x, 'add')) return null;
  const [l, r] = x.args;
  if (isOne(l) && isOp(r, 'exp') && fills(r, x.shape)) return r.args[0];
  if (isOne(r) && isOp(l, 'exp') && fills(l, x.shape)) return l.args[0];
  return null;
}

/** u when `x` is 1 − σ(u) (of x's own shape), else null. */
function oneMinusSigmoid(x: Expr): Expr | null {
  if (!isOp(x, 'sub')) return null;
  const [l, r] = x.args;
  return isOne(l) && isOp(r, 'sigmoid') && fills(r, x.shape) ? r.args[0] : null;
}

/** A when `x` is A⁻¹, A⁻ᵀ or (Aᵀ)⁻¹, else null. */
function inverseOf(x: Expr): Expr | null {
  if (isOp(x, 'transpose')) x = x.args[0];
  return isOp(x, 'inv') ? x.args[0] : null;
}

/**
 * det(A) ⊙ M for M = A⁻¹ or A⁻ᵀ as sign(det A)·h·(h·M) with h = exp(log|det A| / 2) = |det A|^½: each
 * product stays finite while |det A| < 1e616, and zeros of M stay zeros (∞·0 is NaN).
 */
function jacobiProduct(d: Expr, m: Expr): Expr | null {
  if (!isOp(d, 'det')) return null;
  const a = inverseOf(m);
  if (a === null || (a !== d.args[0] && !(isOp(a, 'transpose') && a.args[0] === d.args[0]))) return null;
  const half = exp(div(logdet(d.args[0]), num(2)));
  return mul(mul(sign(d), half), mul(half, m));
}

export const STABLE_REWRITES: readonly StableRewrite[] = [
  {
    name: 'log-sigmoid',
    // σ(−1000) underflows to 0, whose log is −∞, not −1000
    identity: 'log σ(u) = −softplus(−u)',
    rewrite: (e) =>
      e.op === 'log' && isOp(e.args[0], 'sigmoid') ? neg(softplus(negOf(e.args[0].args[0]))) : null,
  },
  {
    name: 'log-one-minus-sigmoid',
    // 1 − σ(40) rounds to 0: the other half of the logistic loss
    identity: 'log(1 − σ(u)) = −softplus(u)',
    rewrite: (e) => {
      const u = e.op === 'log' ? oneMinusSigmoid(e.args[0]) : null;
      return u && neg(softplus(u));
    },
  },
  {
    name: 'one-minus-sigmoid',
    // 1 − σ(40) rounds to 0, σ(−40) = 4.2e-18 does not
    identity: '1 − σ(u) = σ(−u), σ(u) − 1 = −σ(−u)',
    rewrite: (e) => {
      const u = oneMinusSigmoid(e);
      if (u) return sigmoid(negOf(u));
      if (e.op !== 'sub') return null;
      const [l, r] = e.args;
      return isOp(l, 'sigmoid') && isOne(r) && fills(l, e.shape) ? neg(sigmoid(negOf(l.args[0]))) : null;
    },
  },
  {
    name: 'log-one-plus-exp',
    // e^800 overflows; softplus(800) = 800
    identity: 'log(1 + eᵘ) = softplus(u)',
    rewrite: (e) => {
      const u = e.op === 'log' ? onePlusExp(e.args[0]) : null;
      return u && softplus(u);
    },
  },
  {
    name: 'log-sum-exp',
    identity: 'log Σ eᵘ = logsumexp(u)',
    rewrite: (e) => {
      const [a] = e.args;
      if (e.op !== 'log' || !isOp(a, 'sum') || !isOp(a.args[0], 'exp')) return null;
      return logsumexp(a.args[0].args[0], a.attrs.dim ?? 0);
    },
  },
  {
    name: 'log-softmax',
    identity: 'log softmax(u) = logsoftmax(u)',
    rewrite: (e) => {
      const [a] = e.args;
      return e.op === 'log' && isOp(a, 'softmax') ? logsoftmax(a.args[0], a.attrs.dim ?? 0) : null;
    },
  },
  {
    name: 'logistic-quotient',
    // e^800 / (1 + e^800) is ∞/∞
    identity: 'eᵘ ⊘ (1 + eᵘ) = σ(u), 1 ⊘ (1 + eᵘ) = σ(−u)',
    rewrite: (e) => {
      if (e.op !== 'ediv') return null;
      const [n, d] = e.args;
      const u = onePlusExp(d);
      if (!u || !fills(d, e.shape)) return null;
      if (isOp(n, 'exp') && n.args[0] === u) return sigmoid(u);
      return isOne(n) ? sigmoid(negOf(u)) : null;
    },
  },
  {
    name: 'softmax-quotient',
    identity: 'eᵘ ⊘ Σ eᵘ = softmax(u)',
    rewrite: (e) => {
      if (e.op !== 'ediv') return null;
      const [n, d] = e.args;
      if (!isOp(n, 'exp') || !fills(n, e.shape) || !isOp(d, 'sum') || d.args[0] !== n) return null;
      return softmax(n.args[0], d.attrs.dim ?? 0);
    },
  },
  {
    name: 'jacobi-product',
    // det(diag(1e200, 1e200)) overflows and ∞·0 is NaN off the diagonal; the product is diag(1e200, 1e200)
    identity: 'det(A)·A⁻ᵀ = sign(det A)·|det A|^½·(|det A|^½·A⁻ᵀ), |det A|^½ = exp(logdet(A)/2)',
    rewrite: (e) => {
      if (e.op !== 'emul') return null;
      const [l, r] = e.args;
      return jacobiProduct(l, r) ?? jacobiProduct(r, l);
    },
  },
];

/** A stable expression equal to `e`, or null when no entry of the table applies to `e` itself. */
export function stableForm(e: OpExpr): Expr | null {
  for (const s of STABLE_REWRITES) {
    const out = s.rewrite(e);
    if (out) return out;
  }
  return null;
}

/** Rewrites nested deeper than this stop (a guard: no entry's output matches an entry's input). */
const MAX_DEPTH = 8;

/**
 * The roots with every node in its stable form, bottom-up over the DAG (shared nodes rewritten once);
 * the forms a rewrite produces are stabilized too. What the emitters generate code from.
 */
export function stabilize(roots: readonly Expr[]): Expr[] {
  const memo = new Map<number, Expr>();
  const run = (from: readonly Expr[], depth: number): void => {
    for (const node of topoOrder(from)) {
      if (memo.has(node.id)) continue;
      let out: Expr = node;
      if (node.kind === 'op') {
        const args = node.args.map((a) => memo.get(a.id)!);
        out = args.every((a, i) => a === node.args[i]) ? node : apply(node.op as OpName, args, node.attrs);
        const s = out.kind === 'op' && depth < MAX_DEPTH ? stableForm(out) : null;
        if (s) {
          run([s], depth + 1);
          out = memo.get(s.id)!;
        }
      }
      memo.set(node.id, out);
    }
  };
  run(roots, 0);
  return roots.map((r) => memo.get(r.id)!);
}
