// Claims that hold only under an assumption the declarations do not make (`2*A*x` for x'*A*x needs a
// symmetric A; softmax(z) - y needs a one-hot y), and claims that broadcast a column and a row into a
// matrix by accident. Decided numerically, by re-sampling with the assumption made.
import { expandDerivatives } from '../diff/expand.js';
import { isOne } from '../ir/dim.js';
import { type Expr, freeVars, type Qualifier, topoOrder, type VarExpr, variable } from '../ir/expr.js';
import { isScalar, isSquare, sameShape, shapeText } from '../ir/shape.js';
import { apply, div } from '../ops/build.js';
import { substitute } from '../ops/substitute.js';
import { simplify } from '../simplify/engine.js';
import type { Diagnosis } from './diagnose.js';
import { DEFAULTS, type EqualOptions, numericMismatch, Sampler } from './equal.js';
import type { Repair } from './terms.js';

/** Equal at fresh seeded points (numerically only: the variants tried here need no simplification). */
export function agrees(a: Expr, b: Expr, opts: EqualOptions): boolean {
  const tol = opts.tolerance ?? DEFAULTS.tolerance;
  return sameShape(a.shape, b.shape) && numericMismatch(new Sampler([a, b], opts), a, b, tol) === null;
}

/** DIMS of a declaration: `scalar`, `k`, `n x k`. */
function declShape(v: VarExpr): string {
  const { rows, cols } = v.shape;
  if (isOne(rows) && isOne(cols)) return 'scalar';
  return isOne(cols) ? rows.key : `${rows.key} x ${cols.key}`;
}

/** claim and truth with v replaced by `value`. */
const both = (claim: Expr, truth: Expr, v: VarExpr, value: Expr) =>
  [claim, truth].map((e) => substitute(expandDerivatives(e), v, value));

/** Does the claim hold for any positive v, or (`normalized`) any v whose rows are positive weights summing to 1? */
function holdsFor(claim: Expr, truth: Expr, v: VarExpr, normalized: boolean, opts: EqualOptions): boolean {
  const pos = variable(v.name, v.shape, ['positive']);
  const total = isOne(v.shape.cols) ? apply('sum', [pos], {}) : apply('sum', [pos], { dim: 2 });
  const value = !normalized ? pos : isOne(v.shape.cols) ? div(pos, total) : apply('ediv', [pos, total]);
  const [c, t] = both(claim, truth, v, value);
  return agrees(c, t, opts);
}

/** The claim holds once a variable is declared symmetric or one-hot. */
export function onlyIf(
  claim: Expr,
  truth: Expr,
  opts: EqualOptions,
  ref: string,
  print: (e: Expr) => string,
): Omit<Diagnosis, 'counterexample'> | null {
  const vars = new Map<string, VarExpr>();
  for (const e of [claim, truth]) for (const v of freeVars(expandDerivatives(e))) vars.set(v.name, v);
  for (const v of vars.values()) {
    const wanted: Qualifier[] = [];
    const symmetric = v.qualifiers.includes('symmetric') || v.qualifiers.includes('spd');
    if (isSquare(v.shape) && !isScalar(v.shape) && !symmetric) wanted.push('symmetric');
    if (!isScalar(v.shape) && !v.qualifiers.includes('onehot')) wanted.push('onehot');
    for (const q of wanted) {
      const [c, t] = both(claim, truth, v, variable(v.name, v.shape, [...v.qualifiers, q]));
      if (!agrees(c, t, opts)) continue;
      // One-hot when what matters is that the rows sum to 1 (not 0/1 entries: w.^3 = w, or positivity).
      if (
        q === 'onehot' &&
        (!holdsFor(claim, truth, v, true, opts) || holdsFor(claim, truth, v, false, opts))
      )
        continue;
      const decl = `${v.name}: ${declShape(v)}${[...v.qualifiers, q].map((x) => ` ${x}`).join('')}`;
      const only = q === 'symmetric' ? `symmetric \`${v.name}\`` : `a one-hot \`${v.name}\``;
      return {
        kind: q === 'symmetric' ? 'needs-symmetric' : 'needs-onehot',
        message: `the claim equals ${ref} only for ${only}: declare ${v.name} ${q} (\`${decl}\`) if it is, otherwise ${ref} is \`${print(simplify(truth))}\``,
      };
    }
  }
  return null;
}

const isColumn = (x: Expr) => isOne(x.shape.cols) && !isOne(x.shape.rows);
const isRow = (x: Expr) => isOne(x.shape.rows) && !isOne(x.shape.cols);
const mixes = (n: Expr) =>
  n.kind === 'op' && n.args.length === 2 && n.args.some(isColumn) && n.args.some(isRow);

/** A column plus a row (n×1 and 1×k) in the claim, which broadcasts to an n×k matrix the truth does not have. */
export function broadcastDiagnosis(
  claim: Expr,
  truth: Expr,
  print: (e: Expr) => string,
  fits: () => Repair | undefined,
  equalsTruth: (r: Repair) => string,
): Diagnosis | null {
  if (sameShape(claim.shape, truth.shape) && topoOrder([truth]).some(mixes)) return null;
  for (const n of topoOrder([claim])) {
    if (n.kind !== 'op' || !['add', 'sub', 'emul', 'ediv', 'mul'].includes(n.op) || !mixes(n)) continue;
    const [a, b] = n.args;
    const fix = fits();
    const more = fix ? `; likely cause: ${fix.cause} (${equalsTruth(fix)})` : '';
    return {
      kind: 'broadcast',
      message: `\`${print(n)}\` combines a column ${shapeText(a.shape)} with a row ${shapeText(b.shape)}, which broadcasts to a matrix, ${shapeText(n.shape)}${more}`,
      fix: fix && print(fix.expr),
    };
  }
  return null;
}
