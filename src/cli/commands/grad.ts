// matcalc grad | jacobian | hessian EXPR --wrt X[,Y…] --let DECLS [--format text|latex|json|ts|numpy|jax|torch] [--no-check] [--layout …]
import { grad, hessian, hvp, jacobian, type Layout } from '../../api.js';
import { toLatex } from '../../emit/latex.js';
import { shortText } from '../../emit/numpy.js';
import { toText } from '../../emit/text.js';
import { UsageError } from '../../ir/errors.js';
import { type Expr, type VarExpr, variable } from '../../ir/expr.js';
import type { Shape } from '../../ir/shape.js';
import type { ExportTarget } from '../../parse/document.js';
import type { Scope } from '../../parse/index.js';
import { parseExpr } from '../../parse/index.js';
import { isZero } from '../../simplify/rule.js';
import { exprArg, type Io } from '../io.js';
import { inOption, oneOf, parse, scopeOf, str, wrtVars } from '../options.js';
import { defaultLayout, derivativeLatex, derivativeText, type Mode } from '../results.js';
import { checkFailure, emitModule, moduleSpec } from './export.js';

export type { Mode } from '../results.js';

export const usage = {
  grad: 'matcalc grad EXPR --wrt X[,Y…] --let DECLS [--format text|latex|json|ts|numpy|jax|torch] [--no-check] [--layout numerator|denominator]',
  jacobian:
    'matcalc jacobian EXPR --wrt x --let DECLS [--format text|latex|json] [--layout numerator|denominator]',
  hessian:
    'matcalc hessian EXPR --wrt x --let DECLS [--format text|latex|json|ts|numpy|jax] [--no-check] [--layout numerator|denominator]',
};

const dims = (s: Shape) => [s.rows.key, s.cols.key];

const CODE_FORMATS: readonly ExportTarget[] = ['ts', 'numpy', 'jax', 'torch'];

/** A module taking every declared name, written after the numeric check passes (exit 1 when it fails). */
function exportCode(
  format: ExportTarget,
  f: Expr,
  vars: VarExpr[],
  scope: Scope,
  noCheck: boolean,
  io: Io,
  withHvp = false,
): number {
  const failure = noCheck ? null : checkFailure(f, vars, scope);
  if (failure) {
    io.err(`matcalc: ${failure}; no module written (--no-check writes it anyway)`);
    return 1;
  }
  const spec = moduleSpec(f, vars, [...scope.vars.values()], 'f', `f = ${shortText(f)}`);
  // Hessian code: hvp_<x>(direction, …) = H·vec(direction), the directional derivative of the gradient.
  const hvps = withHvp
    ? vars.map((x) => {
        const taken = new Set(scope.vars.keys());
        let name = 'direction';
        for (let k = 1; taken.has(name); k++) name = `direction${k}`;
        const direction = variable(name, x.shape);
        return { wrt: x, direction, expr: hvp(f, x, direction) };
      })
    : [];
  io.out(emitModule(format, hvps.length > 0 ? { ...spec, hvps } : spec));
  return 0;
}

export function run(mode: Mode, argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    let: { type: 'string' },
    wrt: { type: 'string' },
    format: { type: 'string' },
    layout: { type: 'string' },
    'no-check': { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(`${mode} takes one EXPR; got ${positionals.length}`);
  const format = oneOf('--format', str(o.format), ['text', 'latex', 'json', ...CODE_FORMATS], 'text');
  if (mode === 'jacobian' && CODE_FORMATS.includes(format as ExportTarget)) {
    throw new UsageError(
      `--format ${format} writes gradient code; it is an option of matcalc grad and hessian`,
    );
  }
  const layout = oneOf<Layout>('--layout', str(o.layout), ['numerator', 'denominator'], defaultLayout(mode));
  const scope = scopeOf(str(o.let));
  const text = exprArg(io, positionals[0]);
  const f = inOption('EXPR', () => parseExpr(text, scope));
  const vars = wrtVars(scope, str(o.wrt));
  if (mode !== 'grad' && vars.length > 1) throw new UsageError(`${mode} takes one variable in --wrt`);
  if (mode !== 'jacobian' && CODE_FORMATS.includes(format as ExportTarget)) {
    if (mode === 'grad' && layout === 'numerator') {
      throw new UsageError(
        `--format ${format} returns gradients in the variable's shape; --layout numerator is for printed derivatives`,
      );
    }
    return exportCode(format as ExportTarget, f, vars, scope, Boolean(o['no-check']), io, mode === 'hessian');
  }
  const results: Expr[] =
    mode === 'grad'
      ? grad(f, vars, { scope, layout })
      : [
          mode === 'jacobian'
            ? jacobian(f, vars[0], { scope, layout })
            : hessian(f, vars[0], { scope, layout }),
        ];
  results.forEach((g, k) => {
    if (isZero(g)) io.err(`note: the ${mode} with respect to ${vars[k].name} is exactly zero`);
  });
  if (format === 'json') {
    io.out(
      JSON.stringify({
        expr: toText(f),
        shape: dims(f.shape),
        layout,
        gradients: results.map((g, k) => ({
          wrt: vars[k].name,
          expr: toText(g),
          latex: toLatex(g),
          shape: dims(g.shape),
        })),
      }),
    );
  } else if (format === 'latex') {
    io.out(derivativeLatex(mode, vars, results, layout).join('\n'));
  } else {
    io.out(derivativeText(mode, vars, results, layout));
  }
  return 0;
}
