// The text `matcalc grad|jacobian|hessian`, `check` and `verify` print for one expression: one function
// each, used by the CLI commands and by the playground (which shows exactly this text), so the two cannot
// drift. No Node-only imports: this file is bundled for the browser.
import type { Layout } from '../api.js';
import { latexName, toLatex } from '../emit/latex.js';
import { toText } from '../emit/text.js';
import type { Expr, VarExpr } from '../ir/expr.js';
import type { CheckResult } from '../numeric/gradcheck.js';
import type { Diagnosis } from '../verify/diagnose.js';
import type { Verdict } from '../verify/equal.js';
import { fmt } from './format.js';

export type Mode = 'grad' | 'jacobian' | 'hessian';

/** A gradient has the variable's shape (denominator layout); a Jacobian or Hessian is ∂vec f/∂(vec x)ᵀ. */
export const defaultLayout = (mode: Mode): Layout => (mode === 'grad' ? 'denominator' : 'numerator');

function symbol(mode: Mode, v: VarExpr, layout: Layout): string {
  if (mode === 'grad') return layout === 'numerator' ? `(∂f/∂${v.name})'` : `∂f/∂${v.name}`;
  if (mode === 'hessian') return layout === 'numerator' ? `∇²_${v.name} f` : `(∇²_${v.name} f)'`;
  return layout === 'numerator' ? `∂vec f/∂vec ${v.name}` : `(∂vec f/∂vec ${v.name})'`;
}

/** The derivatives as `--format text` prints them: a lone gradient bare, otherwise `∂f/∂X = …` per line. */
export function derivativeText(
  mode: Mode,
  vars: readonly VarExpr[],
  results: readonly Expr[],
  layout: Layout,
): string {
  if (results.length === 1 && mode === 'grad') return toText(results[0]);
  return results.map((g, k) => `${symbol(mode, vars[k], layout)} = ${toText(g)}`).join('\n');
}

/** A finite-difference check's report as `matcalc check` prints it (text format). */
export function checkText(result: CheckResult): string {
  if (result.verdict === 'cannot check') return `cannot check numerically here: ${result.reason}`;
  const lines = result.perVariable.map(
    (p) =>
      `${p.verdict === 'fail' ? 'FAIL' : 'ok  '} ${p.variable} (${p.shape}): max relative error ${p.relError.toExponential(2)} over ${result.trials} trials`,
  );
  lines.push(
    `${result.projectionError <= 1e-5 ? 'ok  ' : 'FAIL'} random projections ⟨∇f, V⟩ vs directional derivatives: max relative error ${result.projectionError.toExponential(2)}`,
  );
  const w = result.worst;
  if (!result.ok && w) {
    const at = Object.entries(w.dims)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(
      `worst entry: ${w.variable}[${w.row},${w.col}] at ${at || 'the declared sizes'}: symbolic ${fmt(w.symbolic)}, finite differences ${fmt(w.numeric)}`,
    );
  }
  return lines.join('\n');
}

/** The derivative's symbol in LaTeX, naming the layout for Jacobians. */
export function latexSymbol(mode: Mode, v: VarExpr, layout: Layout): string {
  const x = latexName(v.name);
  if (mode === 'grad')
    return layout === 'numerator'
      ? `\\frac{\\partial f}{\\partial ${x}^{\\top}}`
      : `\\frac{\\partial f}{\\partial ${x}}`;
  if (mode === 'hessian')
    return layout === 'numerator' ? `\\nabla^{2}_{${x}} f` : `\\left(\\nabla^{2}_{${x}} f\\right)^{\\top}`;
  return layout === 'numerator'
    ? `\\frac{\\partial \\operatorname{vec} f}{\\partial \\left(\\operatorname{vec} ${x}\\right)^{\\top}}`
    : `\\frac{\\partial \\left(\\operatorname{vec} f\\right)^{\\top}}{\\partial \\operatorname{vec} ${x}}`;
}

/** The derivatives as `--format latex` prints them, one `symbol = value` equation each. */
export function derivativeLatex(
  mode: Mode,
  vars: readonly VarExpr[],
  results: readonly Expr[],
  layout: Layout,
): string[] {
  return results.map((g, k) => `${latexSymbol(mode, vars[k], layout)} = ${toLatex(g)}`);
}

export function howDecided(v: Verdict): string {
  switch (v.method) {
    case 'shape':
      return 'by shape';
    case 'symbolic':
      return 'symbolically';
    case 'numeric':
      return 'numerically';
    default: {
      const never: never = v.method;
      return never;
    }
  }
}

/** A claimed gradient's verdict as `matcalc verify EXPR --claim …` prints it (text format). */
export function verdictText(
  verdict: Verdict,
  diagnosis: Diagnosis | undefined,
  v: VarExpr,
  gradient: Expr,
): string {
  if (verdict.equal) {
    return `equal (decided ${howDecided(verdict)}): the claim is the gradient ∂f/∂${v.name} = ${toText(gradient)}`;
  }
  return `not equal (decided ${howDecided(verdict)}): ${diagnosis!.message}\nthe gradient ∂f/∂${v.name} is ${toText(gradient)}`;
}
