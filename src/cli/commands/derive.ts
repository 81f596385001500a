// matcalc derive FILE.md|DIR [--out DIR] [--style compact|steps|differential] [--layout …] [--flavor …]
// Writes FILE.md + FILE.html per derivation and the index; prints a summary table. A folder's failing
// files are listed with their errors while the others are written (exit 1); exit 1 when a check fails.

import type { Flavor } from '../../derive/markdown.js';
import { deriveSite, type Summary } from '../../derive/site.js';
import type { Style } from '../../derive/steps.js';
import type { Layout } from '../../derive/symbols.js';
import { worstText } from '../../derive/wording.js';
import { UsageError } from '../../ir/errors.js';
import { errorMessage } from '../errors.js';
import type { Io } from '../io.js';
import { oneOf, parse, str } from '../options.js';

export const usage =
  'matcalc derive FILE.md|DIR [--out DIR] [--style compact|steps|differential] [--layout denominator|numerator] [--flavor github|kramdown|plain] [--front-matter] [--fragment] [--allow-html]';

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
    flavor: { type: 'string' },
    'front-matter': { type: 'boolean' },
    fragment: { type: 'boolean' },
    'allow-html': { type: 'boolean' },
  });
  if (positionals.length !== 1) {
    throw new UsageError(`derive takes one FILE.md or folder; got ${positionals.length}`);
  }
  const style = oneOf<Style>('--style', str(o.style), ['compact', 'steps', 'differential'], 'compact');
  const layout = oneOf<Layout>('--layout', str(o.layout), ['denominator', 'numerator'], 'denominator');
  const flavor = oneOf<Flavor>('--flavor', str(o.flavor), ['github', 'kramdown', 'plain'], 'github');
  const out = str(o.out) ?? 'docs/derivations';
  const { rows, failures } = await deriveSite(positionals[0], out, {
    style,
    layout,
    flavor,
    frontMatter: o['front-matter'] === true,
    fragment: o.fragment === true,
    allowHtml: o['allow-html'] === true,
  });
  if (rows.length > 0) io.out(table(rows));
  for (const f of failures) io.err(`${errorMessage(f.error).split('\n')[0]} (${f.file} not written)`);
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    io.err(
      `matcalc: ${failed.length} derivation(s) with failing checks: ${failed.map((r) => r.name).join(', ')}`,
    );
  }
  if (failures.length > 0) io.err(`matcalc: ${failures.length} derivation file(s) could not be derived`);
  if (failed.length > 0 || failures.length > 0) return 1;
  io.err(`wrote ${rows.length} writeup(s) and the index to ${out}`);
  return 0;
}
