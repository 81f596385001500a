// matcalc eval EXPR --let DECLS --at VALUES.json [--format text|json]
import { evaluate } from '../../api.js';
import { UsageError, ValueError } from '../../ir/errors.js';
import { parseExpr } from '../../parse/index.js';
import { matrixJson, matrixText } from '../format.js';
import { exprArg, type Io } from '../io.js';
import { inOption, oneOf, parse, scopeOf, str } from '../options.js';

export const usage = 'matcalc eval EXPR --let DECLS --at VALUES.json [--format text|json]';

export function run(argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    let: { type: 'string' },
    at: { type: 'string' },
    format: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`eval takes one EXPR; got ${positionals.length}`);
  const format = oneOf('--format', str(o.format), ['text', 'json'], 'text');
  const scope = scopeOf(str(o.let));
  const text = exprArg(io, positionals[0]);
  const e = inOption('EXPR', () => parseExpr(text, scope));
  const at = str(o.at);
  if (!at) throw new UsageError('missing --at VALUES.json (the values of the variables)');
  const raw = at === '-' ? io.stdin() : io.readFile(at);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ValueError(`${at} is not valid JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValueError(`${at} must hold a JSON object mapping names to values`);
  }
  const m = evaluate(e, json as Record<string, never>, { scope });
  if (format === 'json') io.out(JSON.stringify({ shape: [m.rows, m.cols], value: matrixJson(m) }));
  else io.out(`${matrixText(m)}\n(${m.rows}×${m.cols})`);
  return 0;
}
