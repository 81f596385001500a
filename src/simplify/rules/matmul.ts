// Matrix products: scalars are pulled out (so they can be collected), 1×1 products become scalings, and
// common left or right factors of a sum are factored out: AB + AC → A(B + C).

import { isOne } from '../../ir/dim.js';
import type { Expr } from '../../ir/expr.js';
import { isScalar, sameShape } from '../../ir/shape.js';
import { add, apply, diagm, dimExpr, div, matmul, mul, neg, ones, sub, transpose } from '../../ops/build.js';
import { constValue, isOp, rule } from '../rule.js';
import { chainFactors } from './chains.js';

export const scalarMatmul = rule(['matmul'], '1×1 product', 'A·s → sA when one factor is 1×1', (e) => {
  if (e.op !== 'matmul') return null;
  const [a, b] = e.args;
  return isScalar(a.shape) || isScalar(b.shape) ? mul(a, b) : null;
});

/** Split x = s ⊙ y (s 1×1) into [s, y, 'mul'|'div'], or −y into [null, y, 'neg']. */
function scalarFactor(x: Expr): [Expr | null, Expr, 'mul' | 'div' | 'neg'] | null {
  if (isOp(x, 'neg')) return [null, x.args[0], 'neg'];
  if (isOp(x, 'emul')) {
    const [l, r] = x.args;
    if (isScalar(l.shape) && !isScalar(r.shape)) return [l, r, 'mul'];
    if (isScalar(r.shape) && !isScalar(l.shape)) return [r, l, 'mul'];
  }
  if (isOp(x, 'ediv') && isScalar(x.args[1].shape) && !isScalar(x.args[0].shape))
    return [x.args[1], x.args[0], 'div'];
  return null;
}

function wrap(kind: 'mul' | 'div' | 'neg', s: Expr | null, inner: Expr): Expr {
  return kind === 'neg' ? neg(inner) : kind === 'mul' ? mul(s!, inner) : div(inner, s!);
}

export const pullScalars = rule(
  ['matmul'],
  'pull scalars out of products',
  'A(sB) → s(AB), (A/s)B → (AB)/s, A(−B) → −(AB)',
  (e) => {
    if (e.op !== 'matmul') return null;
    const [a, b] = e.args;
    const fa = scalarFactor(a);
    if (fa) return wrap(fa[2], fa[0], matmul(fa[1], b));
    const fb = scalarFactor(b);
    if (fb) return wrap(fb[2], fb[0], matmul(a, fb[1]));
    return null;
  },
);

export const factorProducts = rule(
  ['add', 'sub'],
  'factor common factors',
  'AB + AC → A(B + C), AC + BC → (A + B)C',
  (e) => {
    if (e.op !== 'add' && e.op !== 'sub') return null;
    const [l, r] = e.args;
    if (!isOp(l, 'matmul') || !isOp(r, 'matmul')) return null;
    const combine = e.op === 'add' ? add : sub;
    const lf = chainFactors(l);
    const rf = chainFactors(r);
    const chain = (fs: Expr[]) => fs.reduce((a, b) => matmul(a, b));
    // Longest common prefix or suffix of the two chains, leaving at least one factor on each side.
    let p = 0;
    while (p < lf.length - 1 && p < rf.length - 1 && lf[p] === rf[p]) p++;
    if (p > 0) return matmul(chain(lf.slice(0, p)), combine(chain(lf.slice(p)), chain(rf.slice(p))));
    let q = 0;
    while (q < lf.length - 1 && q < rf.length - 1 && lf[lf.length - 1 - q] === rf[rf.length - 1 - q]) q++;
    if (q > 0) {
      return matmul(
        combine(chain(lf.slice(0, lf.length - q)), chain(rf.slice(0, rf.length - q))),
        chain(lf.slice(lf.length - q)),
      );
    }
    return null;
  },
);

const REDUCTIONS = new Set(['sum', 'trace', 'mean', 'diagm', 'diagv', 'vec']);

export const pullScalarsFromReductions = rule(
  [...REDUCTIONS],
  'pull scalars out of reductions',
  'sum(sA) → s·sum(A), tr(A/s) → tr(A)/s, sum(−A) → −sum(A)',
  (e) => {
    if (!REDUCTIONS.has(e.op)) return null;
    const f = scalarFactor(e.args[0]);
    return f ? wrap(f[2], f[0], apply(e.op as 'sum', [f[1]], e.attrs)) : null;
  },
);

export const scalarKron = rule(
  ['kron'],
  'Kronecker product with a scalar',
  'kron(s, B) → sB, kron(A, s) → sA',
  (e) => {
    if (e.op !== 'kron') return null;
    const [a, b] = e.args;
    return isScalar(a.shape) || isScalar(b.shape) ? mul(a, b) : null;
  },
);

export const onesProduct = rule(
  ['matmul'],
  'products of ones',
  'ones(m, k)·ones(k, n) → k·ones(m, n)',
  (e) => {
    if (e.op !== 'matmul') return null;
    const [a, b] = e.args;
    if (!isOp(a, 'ones') || !isOp(b, 'ones')) return null;
    const all = ones(e.shape.rows, e.shape.cols);
    return isOne(a.shape.cols) ? all : mul(dimExpr(a.shape.cols), all);
  },
);

export const diagonalScaling = rule(
  ['emul'],
  'scaling the identity',
  'v ⊙ I → diag(v) for a column v',
  (e) => {
    if (e.op !== 'emul') return null;
    const [a, b] = e.args;
    const [v, i] = isOp(b, 'eye') ? [a, b] : isOp(a, 'eye') ? [b, a] : [null, null];
    if (!v || !i || isScalar(v.shape) || !isOne(v.shape.cols) || v.shape.rows !== i.shape.rows) return null;
    return diagm(v);
  },
);

export const innerProduct = rule(['sum'], 'inner product', 'sum(u ⊙ v) → uᵀv for columns u, v', (e) => {
  if (e.op !== 'sum' || (e.attrs.dim ?? 0) !== 0) return null;
  const a = e.args[0];
  return innerOf(a);
});

/** uᵀv for u ⊙ v or u.^2 over columns (r rᵀ for a row), else null. */
function innerOf(a: Expr): Expr | null {
  const [u, v] = isOp(a, 'emul')
    ? a.args
    : isOp(a, 'epow') && constValue(a.args[1]) === 2
      ? [a.args[0], a.args[0]]
      : [];
  if (!u || !v || isScalar(u.shape) || !sameShape(u.shape, v.shape)) return null;
  if (isOne(u.shape.cols)) return matmul(transpose(u), v);
  if (isOne(u.shape.rows)) return matmul(u, transpose(v));
  return null;
}

/** v for the outer product v·1ᵀ of a column v with ones (r for 1·r with a row r), else null. */
function outerWithOnes(x: Expr): Expr | null {
  if (!isOp(x, 'matmul')) return null;
  const [l, r] = x.args;
  if (isOne(l.shape.cols) && isOp(r, 'ones')) return l;
  if (isOne(r.shape.rows) && isOp(l, 'ones')) return r;
  return null;
}

export const outerOnesBroadcast = rule(
  ['emul', 'ediv', 'add', 'sub'],
  'outer product with ones is a broadcast',
  'v·1ᵀ ⊙ M → v ⊙ M, 1·r ⊙ M → r ⊙ M when M has the full shape',
  (e) => {
    if (!isOp(e, 'emul', 'ediv', 'add', 'sub')) return null;
    const [a, b] = e.args;
    const sa = outerWithOnes(a);
    if (sa && sameShape(b.shape, e.shape)) return apply(e.op, [sa, b]);
    const sb = outerWithOnes(b);
    if (sb && sameShape(a.shape, e.shape)) return apply(e.op, [a, sb]);
    return null;
  },
);
