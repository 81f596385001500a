// `npm run fuzz -- --runs N --seed S [--case I] [--depth D] [--no-shrink] [--quiet]`: random well-shaped
// expressions through print/parse, LaTeX, simplify and grad/jacobian/hessian against finite differences.
// A progress bar on stderr; findings and the summary line on stdout; exit 1 when anything was found.
import { parseArgs } from 'node:util';
import { findingText, runFuzz, type Summary, summaryLine } from './runner.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    case: { type: 'string' },
    depth: { type: 'string', default: '5' },
    'max-shrinks': { type: 'string' },
    'no-shrink': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a non-negative integer, not ${v}\n`);
    process.exit(2);
  }
  return n;
};

const runs = int('runs', values.runs)!;
const seed = int('seed', values.seed)!;
const only = int('case', values.case);
const total = only === undefined ? runs : 1;
const tty = process.stderr.isTTY === true;
let lastDraw = 0;

function bar(done: number, s: Summary): string {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  const rate = done / Math.max(0.001, s.ms / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ` +
    `${s.failures} failures ${s.crashes} crashes  ${rate.toFixed(1)}/s  ETA ${eta}s`
  );
}

const summary = runFuzz({
  runs,
  seed,
  only,
  maxDepth: int('depth', values.depth),
  shrink: !values['no-shrink'],
  maxShrinks: int('max-shrinks', values['max-shrinks']),
  onProgress: (done, s) => {
    if (values.quiet) return;
    const now = Date.now();
    if (now - lastDraw < (tty ? 200 : 10_000) && done < total) return;
    lastDraw = now;
    process.stderr.write(tty ? `\r${bar(done, s)}` : `${bar(done, s)}\n`);
  },
  onFinding: (f) => {
    if (tty && !values.quiet) process.stderr.write('\r\x1b[K');
    process.stdout.write(`${findingText(f)}\n`);
  },
});
if (tty && !values.quiet) process.stderr.write('\n');
if (values.verbose) for (const line of summary.inconclusive) process.stdout.write(`inconclusive ${line}\n`);
process.stdout.write(`${summaryLine(summary, seed)}\n`);
process.exitCode = summary.failures + summary.crashes > 0 ? 1 : 0;
