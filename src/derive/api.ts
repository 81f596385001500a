// The steps of a derivation for one expression, without a file: what the playground shows. Given the
// declarations, the expression and the variables, the equations of the chosen style (each with its
// dimension check) and each gradient in the input language.
import { expandDerivatives } from '../diff/expand.js';
import { ShapeError } from '../ir/errors.js';
import { isScalar, shapeText } from '../ir/shape.js';
import { parseDecls, parseExpr } from '../parse/index.js';
import { compactBackward } from './compact.js';
import { symbolsFor } from './forward.js';
import { backwardSteps, definitionPatterns, type Equation, type Step, type StepOptions } from './steps.js';

export interface DerivationSteps {
  /** The compact style's equations (error signals, then gradients); empty in the other styles. */
  readonly equations: readonly Equation[];
  /** The node-by-node steps (steps and differential styles; also computed for compact). */
  readonly steps: readonly Step[];
  /** Each gradient in the input language (transposed in numerator layout). */
  readonly results: readonly { readonly variable: string; readonly text: string }[];
}

/** Steps of the derivation of scalar `expr` with respect to `wrt`, over the declarations `decls`. */
export function derivationSteps(
  decls: string,
  expr: string,
  wrt: readonly string[],
  opts: StepOptions = { style: 'compact', layout: 'denominator' },
): DerivationSteps {
  const scope = parseDecls(decls);
  const f = parseExpr(expr, scope);
  if (!isScalar(f.shape))
    throw new ShapeError(`derive needs a scalar (1×1) expression, got ${shapeText(f.shape)}`);
  const vars = wrt.map((name) => {
    const v = scope.vars.get(name);
    if (!v) throw new ShapeError(`\`${name}\` is not a declared variable`);
    return v;
  });
  const sym = symbolsFor([], 'f', opts.layout);
  const back = backwardSteps(f, vars, [], sym, opts);
  const equations =
    opts.style === 'compact'
      ? compactBackward({
          f: expandDerivatives(f),
          wrt: vars,
          sym,
          named: sym.namedNodes(),
          patterns: definitionPatterns([], sym),
        }).rows
      : [];
  return {
    equations,
    steps: back.steps,
    results: back.results.map((r) => ({ variable: r.variable.name, text: r.text })),
  };
}
