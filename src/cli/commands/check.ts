// matcalc check EXPR --wrt X[,Y…] --let DECLS [--trials N] [--seed S] [--format text|json]
// Exit 0 when every gradient agrees with finite differences; 1 with the worst entry when one does not, or
// with the reason when finite differences cannot check it here. JSON writes NaN and ±Infinity as strings.
import { check } from '../../api.js';
import { toText } from '../../emit/text.js';
import { UsageError } from '../../ir/errors.js';
import { parseExpr } from '../../parse/index.js';
import { exprArg, type Io } from '../io.js';
import { inOption, oneOf, parse, positiveInt, scopeOf, str, wrtVars } from '../options.js';
import { checkText } from '../results.js';

export const usage =
  'matcalc check EXPR --wrt X[,Y…] --let DECLS [--trials N] [--seed S] [--format text|json]';

export function run(argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    let: { type: 'string' },
    wrt: { type: 'string' },
    trials: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`check takes one EXPR; got ${positionals.length}`);
  const format = oneOf('--format', str(o.format), ['text', 'json'], 'text');
  const scope = scopeOf(str(o.let));
  const text = exprArg(io, positionals[0]);
  const f = inOption('EXPR', () => parseExpr(text, scope));
  const vars = wrtVars(scope, str(o.wrt));
  const result = check(f, vars, {
    scope,
    trials: positiveInt('--trials', str(o.trials), 3),
    seed: positiveInt('--seed', str(o.seed), 1),
    show: toText,
  });
  if (format === 'json') {
    io.out(JSON.stringify(result, nonFiniteAsString));
  } else {
    io.out(checkText(result));
  }
  return result.ok ? 0 : 1;
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
function nonFiniteAsString(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}
