// Index notation over outcomes, as posts write the score-function argument: `\sum_x p(x) f(x)` and
// `E_x[f(x)]` (also `\mathbb{E}_{x \sim q}[…]`) for vectors p, f indexed by the outcome x. Inside such a sum
// `v(x)` is entry x of the vector v, products of entries are elementwise, and `\nabla_\theta g(x)` is row x
// of the Jacobian ∂g/∂θ; so the body read as whole vectors is a k-vector or a k×dim θ matrix whose row x is
// the summand, and Σ_x is the column sum `sum(body, 1)'`. E_x[g(x)] is Σ_x p(x) g(x), p by default.
import type { Tx } from './tree.js';

/** The factors of a juxtaposition / `*` chain. */
function factors(tx: Tx): Tx[] {
  return tx.k === 'bin' && tx.op === '*' ? [...factors(tx.a), ...factors(tx.b)] : [tx];
}

const isIndex = (tx: Tx, index: string): boolean => tx.k === 'sym' && tx.tex === index;

/**
 * tx read with `index` as the outcome: every `v(x)` (v juxtaposed with the index) is v itself, products and
 * quotients are elementwise, and a derivative is a Jacobian (whose row x is the gradient of entry x).
 * Null when the index stands somewhere else (`x` alone, `x^2`): that is not this notation.
 */
export function asVectors(tx: Tx, index: string): Tx | null {
  const sub = (t: Tx) => asVectors(t, index);
  switch (tx.k) {
    case 'sym':
      return isIndex(tx, index) ? null : tx;
    case 'num':
    case 'const':
      return tx;
    case 'bin': {
      if (tx.op === '*') {
        // v(x): the index directly after a factor is that factor's entry x; v(x)^2 squares the entry
        const kept: Tx[] = [];
        for (const f of factors(tx)) {
          const prev = kept[kept.length - 1];
          if (prev && isIndex(f, index)) continue;
          if (prev && f.k === 'post' && (f.op === 'pow' || f.op === 'epow') && isIndex(f.a, index))
            kept[kept.length - 1] = { k: 'post', op: 'epow', a: prev, p: f.p };
          else kept.push(f);
        }
        const mapped = kept.map(sub);
        if (mapped.some((m) => m === null)) return null;
        return (mapped as Tx[]).reduce((a, b) => ({ k: 'bin', op: '.*', a, b }));
      }
      const a = sub(tx.a);
      const b = sub(tx.b);
      if (!a || !b) return null;
      return { k: 'bin', op: tx.op === '/' ? './' : tx.op, a, b };
    }
    case 'neg': {
      const a = sub(tx.a);
      return a && { k: 'neg', a };
    }
    case 'frac': {
      const a = sub(tx.a);
      const b = sub(tx.b);
      return a && b && { k: 'frac', a, b };
    }
    case 'call': {
      const args = tx.args.map(sub);
      return args.some((a) => a === null) ? null : { ...tx, args: args as Tx[] };
    }
    case 'post': {
      if (tx.op !== 'epow') return null;
      const a = sub(tx.a);
      return a && { ...tx, a };
    }
    case 'deriv': {
      if (tx.order !== 1) return null;
      const f = sub(tx.f);
      return f && { ...tx, f, nabla: false };
    }
    case 'norm':
      return null;
    default: {
      const never: never = tx;
      return never;
    }
  }
}

/** Σ over the outcomes of a body read as vectors: the column sums, as a column (1×1 for a k-vector). */
export function sumOverOutcomes(body: Tx): Tx {
  return { k: 'post', op: 't', a: { k: 'call', fn: 'sum', args: [body, { k: 'num', value: '1' }] } };
}
