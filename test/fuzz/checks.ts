// Pieces of a fuzz case's checks: the problem records, declarations and commands for reports, KaTeX,
// magnitudes of intermediate values, and compile() against the interpreter.
import katex from 'katex';
import { compile } from '../../src/emit/js.js';
import { toText } from '../../src/emit/text.js';
import { type Expr, freeVars, topoOrder, type VarExpr } from '../../src/ir/expr.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { randomValues, seededRandom } from '../../src/numeric/random.js';
import { SCOPE } from './spec.js';

export type ProblemKind =
  | 'crash'
  | 'gradient'
  | 'jacobian'
  | 'hessian'
  | 'roundtrip'
  | 'latex'
  | 'simplify'
  /** compile() disagrees with evaluate(). */
  | 'compile';

export interface Problem {
  readonly kind: ProblemKind;
  /** Which step: `build`, `grad`, `toLatex(∂f/∂X)`, … */
  readonly stage: string;
  readonly message: string;
  /** A ready-to-paste command showing the problem. */
  readonly command: string;
}

/** Function values beyond this are skipped: finite differences lose their digits there. */
export const MAX_VALUE = 1e6;
export const TOLERANCE = 1e-5;

function declOf(v: VarExpr): string {
  const { rows, cols } = v.shape;
  const dims =
    rows.key === '1' && cols.key === '1'
      ? 'scalar'
      : cols.key === '1'
        ? rows.key
        : `${rows.key} x ${cols.key}`;
  return [`${v.name}: ${dims}`, ...v.qualifiers].join(' ');
}

/** Declarations of exactly the variables the expressions mention, in palette order. */
export function declsOf(...es: readonly Expr[]): string {
  const used = new Set(es.flatMap(freeVars).map((v) => v.name));
  return [...SCOPE.vars.values()]
    .filter((v) => used.has(v.name))
    .map(declOf)
    .join('; ');
}

export function command(verb: string, e: Expr, wrt: readonly VarExpr[], extra = ''): string {
  const decls = declsOf(e, ...wrt) || 's: scalar';
  return `matcalc ${verb} "${toText(e)}" --wrt ${wrt.map((v) => v.name).join(',')} --let "${decls}"${extra}`;
}

/**
 * KaTeX in strict mode. A formula with more than about 330 `\operatorname`s (large Hessians) exceeds
 * KaTeX's default budget of 1000 macro expansions; that is a size limit, not invalid LaTeX, so such a
 * formula is rendered again with the budget lifted, and must then pass.
 */
export function renderKatex(tex: string): void {
  try {
    katex.renderToString(tex, { strict: 'error', throwOnError: true });
  } catch (e) {
    if (!/Too many expansions/.test(String(e))) throw e;
    katex.renderToString(tex, { strict: 'error', throwOnError: true, maxExpand: Number.POSITIVE_INFINITY });
  }
}

export function firstLine(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return m.split('\n')[0].slice(0, 300);
}

export function treeSize(e: Expr): number {
  const size = new Map<number, number>();
  for (const n of topoOrder([e])) {
    const kids = n.kind === 'op' ? n.args : [];
    size.set(n.id, Math.min(1e9, 1 + kids.reduce((s, k) => s + size.get(k.id)!, 0)));
  }
  return size.get(e.id)!;
}

/** Largest magnitude of any intermediate value, or null when one is not finite. */
export function magnitude(values: readonly { data: Float64Array }[]): number | null {
  let m = 0;
  for (const v of values) {
    for (const x of v.data) {
      if (!Number.isFinite(x)) return null;
      m = Math.max(m, Math.abs(x));
    }
  }
  return m;
}

/** Whether some sign or step has an argument entry that is 0 up to rounding. */
export function atJump(order: readonly Expr[], values: readonly Matrix[], scale: number): boolean {
  const byId = new Map(order.map((n, k) => [n.id, values[k]]));
  return order.some(
    (n) =>
      n.kind === 'op' &&
      (n.op === 'sign' || n.op === 'step') &&
      byId.get(n.args[0].id)!.data.some((v) => Math.abs(v) <= 1e-9 * Math.max(1, scale)),
  );
}

export type Stage = <T>(name: string, kind: ProblemKind, cmd: () => string, run: () => T) => T | undefined;

/** compile() of f and its gradients against the interpreter, at the same values. */
export function compareCompiled(
  roots: readonly Expr[],
  expanded: readonly Expr[],
  values: ReadonlyMap<string, Matrix>,
  dims: ReadonlyMap<string, number>,
  problems: Problem[],
  stage: Stage,
  cmd: string,
): void {
  const expected = evaluateMany(expanded, values, dims);
  const scale = magnitude(evaluateMany(topoOrder(expanded), values, dims));
  if (scale === null || scale > MAX_VALUE) return;
  const fn = stage(
    'compile',
    'compile',
    () => cmd,
    () => compile(roots),
  );
  if (!fn) return;
  const got = stage(
    'run compiled',
    'compile',
    () => cmd,
    () => fn({ ...Object.fromEntries(values), ...Object.fromEntries(dims) }),
  );
  if (!got) return;
  roots.forEach((root, k) => {
    const [a, b] = [expected[k], got[k]];
    const bad =
      a.rows !== b.rows ||
      a.cols !== b.cols ||
      a.data.some((x, i) => !(Math.abs(x - b.data[i]) <= 1e-9 * Math.max(1, scale)));
    if (bad) {
      problems.push({
        kind: 'compile',
        stage: 'compile',
        message: `compiled \`${toText(root)}\` gives ${b.rows}×${b.cols} [${[...b.data].slice(0, 4).join(', ')}…], the interpreter ${a.rows}×${a.cols} [${[...a.data].slice(0, 4).join(', ')}…]`,
        command: cmd,
      });
    }
  });
}

/** True when g and all its intermediates are finite and moderate at a sample point. */
export function evaluateFinite(
  g: Expr,
  vars: readonly VarExpr[],
  dims: ReadonlyMap<string, number>,
  seed: number,
): boolean {
  try {
    const values = randomValues(vars, dims, seededRandom(seed ^ 0x2545f491));
    const m = magnitude(evaluateMany(topoOrder([g]), values, dims));
    return m !== null && m <= MAX_VALUE;
  } catch {
    return false;
  }
}
