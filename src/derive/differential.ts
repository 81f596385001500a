// The differential dN of one op node in terms of the differentials dA of its arguments, for the
// differential style of writeups. Multilinear ops: dN is N with one argument at a time replaced by its
// differential; elementwise ops: dN = Σ f'_k(A) ⊙ dA_k, f'_k read off the op's own VJP at a cotangent of ones.
import type { Expr, OpExpr } from '../ir/expr.js';
import { add, inv, matmul, mul, neg, onesOf, trace } from '../ops/build.js';
import { specOf } from '../ops/index.js';
import { rebuild, simplify } from '../simplify/engine.js';
import { isOnes } from '../simplify/rule.js';
import type { Symbols } from './symbols.js';

/** Ops linear in each argument separately: d op(A, B) = op(dA, B) + op(A, dB). */
const MULTILINEAR = new Set([
  'matmul',
  'transpose',
  'emul',
  'sum',
  'mean',
  'trace',
  'vec',
  'diagm',
  'diagv',
  'kron',
]);

/** c ⊙ dA, written as a plain product when c is a scalar and as dA alone when c is all ones. */
const scaled = (c: Expr, d: Expr): Expr => (isOnes(c) ? d : mul(c, d));

/**
 * dN over the differentials of the arguments listed in `relevant` (the others are held fixed), or null
 * when the op has no differential form here (the writeup then states only the trace identity).
 */
export function differentialOf(node: OpExpr, relevant: readonly boolean[], sym: Symbols): Expr | null {
  const args = node.args.map((a) => sym.abstract(a));
  const ds = node.args.map((a, k) => (relevant[k] ? sym.differential(a) : null));
  const self = sym.abstract(node);
  const terms: Expr[] = [];
  const [a] = args;
  const [dA] = ds;
  const [, dB] = ds;
  if (node.op === 'add' || node.op === 'sub') {
    // d(A ± B) = dA ± dB
    if (dA && dB) terms.push(rebuild(node, [dA, dB]));
    else if (dA) terms.push(dA);
    else if (dB) terms.push(node.op === 'add' ? dB : neg(dB));
  } else if (node.op === 'neg' && dA) {
    terms.push(neg(dA));
  } else if (MULTILINEAR.has(node.op)) {
    ds.forEach((d, k) => {
      if (d)
        terms.push(
          rebuild(
            node,
            args.map((x, i) => (i === k ? d : x)),
          ),
        );
    });
  } else if (specOf(node.op).js.kind === 'map') {
    const slopes = specOf(node.op).vjp(onesOf(node.shape), self, args, node.attrs);
    ds.forEach((d, k) => {
      const s = slopes[k];
      if (d && s) terms.push(scaled(simplify(s), d));
    });
  } else if (node.op === 'inv' && dA) {
    // d(A⁻¹) = −A⁻¹ dA A⁻¹   (Matrix Cookbook eq. 59)
    terms.push(neg(matmul(matmul(self, dA), self)));
  } else if (node.op === 'logdet' && dA) {
    // d log|det A| = tr(A⁻¹ dA)
    terms.push(trace(matmul(inv(a), dA)));
  } else if (node.op === 'det' && dA) {
    // d det A = det A · tr(A⁻¹ dA)   (Jacobi's formula, Matrix Cookbook eq. 46)
    terms.push(mul(self, trace(matmul(inv(a), dA))));
  }
  if (terms.length === 0) return null;
  return terms.reduce((x, y) => add(x, y));
}
