// matcalc derive FILE.md|DIR [--out DIR] [--style chain|differential] [--layout denominator|numerator]
// Writes FILE.md + FILE.html per derivation and an index; prints a summary table; exit 1 when a check fails.
import { deriveSite, type Summary } from '../../derive/site.js';
import type { Style } from '../../derive/steps.js';
import type { Layout } from '../../derive/symbols.js';
import { worstText } from '../../derive/wording.js';
import { UsageError } from '../../ir/errors.js';
import type { Io } from '../io.js';
import { oneOf, parse, str } from '../options.js';

export const usage =
  'matcalc derive FILE.md|DIR [--out DIR] [--style chain|differential] [--layout denominator|numerator]';

function table(rows: readonly Summary[]): string {
  const head = ['derivation', 'steps', 'checks passed', 'worst relative error', ''];
  const body = rows.map((r) => [
    r.name,
    String(r.steps),
    `${r.passed}/${r.total}`,
    worstText(r.worstError, r.numericChecks),
    r.ok ? 'ok' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values: o, positionals } = parse(argv, {
    out: { type: 'string' },
    style: { type: 'string' },
    layout: { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new UsageError(`derive takes one FILE.md or folder; got ${positionals.length}`);
  }
  const style = oneOf<Style>('--style', str(o.style), ['chain', 'differential'], 'chain');
  const layout = oneOf<Layout>('--layout', str(o.layout), ['denominator', 'numerator'], 'denominator');
  const out = str(o.out) ?? 'docs/derivations';
  const rows = await deriveSite(positionals[0], out, { style, layout, progress: (l) => io.err(l) });
  io.out(table(rows));
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    io.err(
      `matcalc: ${failed.length} derivation(s) with failing checks: ${failed.map((r) => r.name).join(', ')}`,
    );
    return 1;
  }
  io.err(`wrote ${rows.length} writeup(s) and an index to ${out}`);
  return 0;
}
