// Diagonal matrices and the elementwise facts second derivatives produce: a column scaling a diagonal
// matrix is a diagonal matrix, sign(x)·|x| = x, a summed diagonal is a trace, block sums of diag(vec M)
// are diag of row or column sums, and a matrix power cancels against the inverse of a higher one.
import { isOne } from '../../ir/dim.js';
import type { Expr } from '../../ir/expr.js';
import { isScalar } from '../../ir/shape.js';
import {
  abs,
  apply,
  diagm,
  eye,
  inv,
  matmul,
  mul,
  neg,
  num,
  pow,
  sigmoid,
  sum,
  trace,
  transpose,
} from '../../ops/build.js';
import { constValue, isOp, rule } from '../rule.js';
import { chainFactors } from './chains.js';

export const scaledDiagonal = rule('scaled diagonal', 'v ⊙ diag(w) → diag(v ⊙ w) for a column v', (e) => {
  if (e.op !== 'emul') return null;
  const [a, b] = e.args;
  const [v, d] = isOp(b, 'diagm') ? [a, b] : isOp(a, 'diagm') ? [b, a] : [null, null];
  if (!v || !d || isScalar(v.shape) || !isOne(v.shape.cols) || v.shape.rows !== e.shape.rows) return null;
  const w = d.args[0];
  return diagm(mul(v, isOne(w.shape.cols) ? w : transpose(w)));
});

/** Products with more factors than this are left alone: the rules below then cost O(1) per node of a chain. */
const MAX_FACTORS = 32;

/**
 * The factors of an elementwise product, flattened in order; null beyond MAX_FACTORS. Iterative and bounded,
 * so a 10,000-deep ⊙ chain (the derivative of a deep composition) neither overflows nor costs O(n²).
 */
function emulFactors(e: Expr): Expr[] | null {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  // Counting visits, not factors: a left-nested chain is walked down its spine before any factor is out.
  for (let visited = 0; stack.length > 0; visited++) {
    if (visited > 2 * MAX_FACTORS) return null;
    const x = stack.pop()!;
    if (isOp(x, 'emul')) stack.push(x.args[1], x.args[0]);
    else if (out.push(x) > MAX_FACTORS) return null;
  }
  return out;
}

/** sign(x) → [x, 1], sign(x).^2 → [x, 2], else null. */
function signOf(f: Expr): [Expr, 1 | 2] | null {
  if (isOp(f, 'sign')) return [f.args[0], 1];
  if (isOp(f, 'epow') && isOp(f.args[0], 'sign') && constValue(f.args[1]) === 2)
    return [f.args[0].args[0], 2];
  return null;
}

export const signTimesAbs = rule(
  'sign times absolute value',
  'sign(x) ⊙ |x| → x, sign(x) ⊙ x → |x|, sign(x)² ⊙ |x| → |x|, sign(x)² ⊙ x → x (exact, also at 0)',
  (e) => {
    if (e.op !== 'emul') return null;
    const fs = emulFactors(e);
    if (!fs) return null;
    for (let i = 0; i < fs.length; i++) {
      const s = signOf(fs[i]);
      if (!s) continue;
      const [x, k] = s;
      for (let j = 0; j < fs.length; j++) {
        const g = fs[j];
        const isAbs = isOp(g, 'abs') && g.args[0] === x;
        if (j === i || (!isAbs && g !== x)) continue;
        // sign·|x| = x and sign·x = |x|; with sign² the partner stays as it is.
        const merged = k === 2 ? g : isAbs ? x : abs(x);
        const out = fs.filter((_, n) => n !== i && n !== j).reduce((l, r) => mul(l, r), merged);
        return out.shape === e.shape ? out : null;
      }
    }
    return null;
  },
);

export const summedDiagonal = rule('sum of the diagonal', 'sum(A ⊙ I) → tr(A)', (e) => {
  if (e.op !== 'sum' || (e.attrs.dim ?? 0) !== 0) return null;
  const a = e.args[0];
  if (!isOp(a, 'emul')) return null;
  const [l, r] = a.args;
  const m = isOp(r, 'eye') ? l : isOp(l, 'eye') ? r : null;
  return m && m.shape.rows === m.shape.cols && m.shape === a.shape ? trace(m) : null;
});

/** For kron(1_m, I_n) (ones first) or kron(I_m, 1_n) (ones second), with 1 a row or a column: which, or null. */
function onesKron(k: Expr, column: boolean): ['first' | 'second', Expr, Expr] | null {
  if (!isOp(k, 'kron')) return null;
  const [a, b] = k.args;
  const onesOk = (x: Expr) => isOp(x, 'ones') && (column ? isOne(x.shape.cols) : isOne(x.shape.rows));
  if (onesOk(a) && isOp(b, 'eye')) return ['first', a, b];
  if (isOp(a, 'eye') && onesOk(b)) return ['second', b, a];
  return null;
}

export const blockSummedDiagonal = rule(
  'block sums of a diagonal',
  '(1ᵀ_m ⊗ I_n) diag(vec M) (1_m ⊗ I_n) → diag(M 1_m), (I_m ⊗ 1ᵀ_n) diag(vec M) (I_m ⊗ 1_n) → diag(Mᵀ 1_n)',
  (e) => {
    if (e.op !== 'matmul') return null;
    // The fixpoint holds diag(v)·B as the column scaling v ⊙ B (present() writes it back as diag).
    const fs = chainFactors(e).flatMap((f) => {
      if (!isOp(f, 'emul')) return [f];
      const [a, b] = f.args;
      if (isOp(a, 'vec') && isOne(a.shape.cols) && isOp(b, 'kron')) return [diagm(a), b];
      if (isOp(b, 'vec') && isOne(b.shape.cols) && isOp(a, 'kron')) return [diagm(b), a];
      return [f];
    });
    for (let i = 0; i + 2 < fs.length; i++) {
      const [l, d, r] = [fs[i], fs[i + 1], fs[i + 2]];
      if (!isOp(d, 'diagm') || !isOp(d.args[0], 'vec')) continue;
      const left = onesKron(l, false);
      const right = onesKron(r, true);
      if (!left || !right || left[0] !== right[0] || left[2] !== right[2]) continue;
      if (left[1].shape.cols !== right[1].shape.rows) continue;
      const m = d.args[0].args[0];
      // M is n×m for (1ᵀ_m ⊗ I_n), m×n for (I_m ⊗ 1ᵀ_n): the ones run along the summed axis.
      const [summed, kept] =
        left[0] === 'first' ? [m.shape.cols, m.shape.rows] : [m.shape.rows, m.shape.cols];
      if (left[1].shape.cols !== summed || left[2].shape.rows !== kept) continue;
      const sums = left[0] === 'first' ? sum(m, 2) : transpose(sum(m, 1));
      const rest = [...fs.slice(0, i), diagm(sums), ...fs.slice(i + 3)];
      return rest.reduce((a, b) => matmul(a, b));
    }
    return null;
  },
);

/** [A, k] for A^k (k ≥ 1), A itself as k = 1. */
const powerOf = (x: Expr): [Expr, number] => (isOp(x, 'matpow') ? [x.args[0], x.attrs.power ?? 1] : [x, 1]);

const powerOrSelf = (a: Expr, k: number): Expr => (k === 1 ? a : apply('matpow', [a], { power: k }));

export const powerCancelsInverse = rule(
  'power cancels an inverse',
  'Aʲ (Aᵏ)⁻¹ → (Aᵏ⁻ʲ)⁻¹, (Aᵏ)⁻¹ Aʲ → (Aᵏ⁻ʲ)⁻¹ for k > j; Aᵏ (Aᵏ)⁻¹ → I',
  (e) => {
    if (e.op !== 'matmul') return null;
    const fs = chainFactors(e);
    for (let i = 0; i + 1 < fs.length; i++) {
      const [x, y] = [fs[i], fs[i + 1]];
      const pair = isOp(y, 'inv')
        ? ([x, y.args[0]] as const)
        : isOp(x, 'inv')
          ? ([y, x.args[0]] as const)
          : null;
      if (!pair) continue;
      const [a, j] = powerOf(pair[0]);
      const [b, k] = powerOf(pair[1]);
      if (a !== b || isOp(a, 'inv') || k < j || (j === 1 && k === 1)) continue;
      const merged = k === j ? eye(a.shape.rows) : inv(powerOrSelf(a, k - j));
      const rest = [...fs.slice(0, i), ...(k === j ? [] : [merged]), ...fs.slice(i + 2)];
      return rest.length === 0 ? merged : rest.reduce((l, r) => matmul(l, r));
    }
    return null;
  },
);

/** The negation of x without a double minus. */
const negated = (x: Expr): Expr => (isOp(x, 'neg') ? x.args[0] : neg(x));

/** [base, k] of a factor b.^k (k a small positive integer), b itself as k = 1. */
function baseOf(f: Expr): [Expr, number] {
  if (isOp(f, 'epow')) {
    const k = constValue(f.args[1]);
    if (k !== null && Number.isInteger(k) && k > 0) return [f.args[0], k];
  }
  return [f, 1];
}

export const expTimesSigmoid = rule(
  'exp times the logistic function',
  'eᶻ ⊙ σ(−z) → σ(z), (eᶻ)ᵏ ⊙ σ(−z)ᵏ → σ(z)ᵏ (eᶻ/(1 + eᶻ) = σ(z))',
  (e) => {
    if (e.op !== 'emul') return null;
    const fs = emulFactors(e);
    if (!fs) return null;
    for (let i = 0; i < fs.length; i++) {
      const [x, k] = baseOf(fs[i]);
      if (!isOp(x, 'exp')) continue;
      const z = x.args[0];
      for (let j = 0; j < fs.length; j++) {
        const [s, q] = baseOf(fs[j]);
        if (j === i || q !== k || !isOp(s, 'sigmoid') || s.args[0] !== negated(z) || s.shape !== x.shape)
          continue;
        const merged = k === 1 ? sigmoid(z) : pow(sigmoid(z), num(k));
        const out = fs.filter((_, n) => n !== i && n !== j).reduce((l, r) => mul(l, r), merged);
        return out.shape === e.shape ? out : null;
      }
    }
    return null;
  },
);
