// matcalc verify EXPR --wrt X --claim CLAIM --let DECLS [--format text|json]
// matcalc verify FILE.md… [--format text|json]
// Exit 0 when the claim (every claim and chain step of the files) holds, 1 when one does not, with the diagnosis.
import { grad } from '../../api.js';
import { toText } from '../../emit/text.js';
import { UsageError } from '../../ir/errors.js';
import { parseExpr } from '../../parse/index.js';
import { type CheckReport, type DocumentReport, verifyDocument } from '../../verify/claims.js';
import type { Diagnosis } from '../../verify/diagnose.js';
import { judge } from '../../verify/diagnose.js';
import type { Verdict } from '../../verify/equal.js';
import { exprArg, type Io } from '../io.js';
import { inOption, oneOf, parse, positiveInt, scopeOf, str, wrtVars } from '../options.js';
import { verdictText } from '../results.js';

export const usage =
  'matcalc verify EXPR --wrt X --claim CLAIM --let DECLS [--format text|json]  |  matcalc verify FILE.md [--format text|json]';

const DOCUMENT = /\.(md|markdown)$/i;

/** JSON with non-finite numbers as strings ("NaN", "Infinity"), which JSON cannot hold. */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

export function run(argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    let: { type: 'string' },
    wrt: { type: 'string' },
    claim: { type: 'string' },
    format: { type: 'string' },
    seed: { type: 'string' },
  });
  const format = oneOf('--format', str(o.format), ['text', 'json'], 'text');
  const seed = positiveInt('--seed', str(o.seed), 0x5eed);
  const claimText = str(o.claim);
  if (claimText === undefined) {
    if (positionals.length === 0) throw new UsageError('missing EXPR (with --claim) or FILE.md');
    const notFile = positionals.find((p) => !DOCUMENT.test(p));
    if (notFile !== undefined) {
      throw new UsageError(
        `missing --claim CLAIM (the claimed gradient of ${notFile}); or give derivation files FILE.md`,
      );
    }
    if (o.let !== undefined || o.wrt !== undefined) {
      throw new UsageError('--let and --wrt go with --claim; a derivation file declares its own names');
    }
    return verifyFiles(positionals, io, format, seed);
  }
  if (positionals.length > 1) throw new UsageError(`verify takes one EXPR; got ${positionals.length}`);
  const scope = scopeOf(str(o.let));
  const f = inOption('EXPR', () => parseExpr(exprArg(io, positionals[0]), scope));
  const vars = wrtVars(scope, str(o.wrt));
  if (vars.length !== 1)
    throw new UsageError('verify checks the gradient with respect to one variable in --wrt');
  const claim = inOption('--claim', () => parseExpr(exprArg(io, claimText, '--claim'), scope));
  const [g] = grad(f, vars, { scope });
  const { verdict, diagnosis } = judge(claim, g, { reference: 'the gradient', seed });
  if (format === 'json') {
    io.out(
      json({
        equal: verdict.equal,
        method: verdict.method,
        reason: verdict.reason,
        claim: toText(claim),
        gradient: toText(g),
        diagnosis: diagnosis ?? null,
        counterexample: diagnosis?.counterexample ?? verdict.counterexample ?? null,
      }),
    );
  } else {
    io.out(verdictText(verdict, diagnosis, vars[0], g));
  }
  return verdict.equal ? 0 : 1;
}

function verifyFiles(files: readonly string[], io: Io, format: 'text' | 'json', seed: number): number {
  const reports = files.map((file) => verifyDocument(io.readFile(file), file, { seed }));
  const ok = reports.every((r) => r.ok);
  if (format === 'json') io.out(json({ ok, files: reports }));
  else for (const r of reports) printReport(r, io);
  return ok ? 0 : 1;
}

function label(c: CheckReport): string {
  if (c.kind === 'claim') return 'claim';
  return `step ${c.step} of the chain at line ${c.chainLine}${c.reason ? ` (${c.reason})` : ''}`;
}

function explain(d: Diagnosis | undefined, v: Verdict): string {
  return d ? `${d.kind}: ${d.message}` : v.reason;
}

function printReport(r: DocumentReport, io: Io): void {
  const name = r.file ?? 'input';
  for (const c of r.checks) {
    const items = c.kind === 'chain' ? c.steps : [c];
    for (const s of items) {
      const mark = s.verdict.equal ? 'ok  ' : 'FAIL';
      io.out(`${mark}  ${name}:${s.line}  ${label(s)} [${s.verdict.method}]`);
      if (!s.verdict.equal) {
        io.out(`      \`${s.claim}\` is not equal to \`${s.truth}\``);
        io.out(`      ${explain(s.diagnosis, s.verdict)}`);
      }
    }
  }
  if (r.ok) {
    io.out(`${name}: all ${r.count} checks hold`);
  } else {
    const first = r.failures[0];
    const failing = r.checks
      .flatMap((c) => (c.kind === 'chain' ? c.steps : [c]))
      .filter((s) => !s.verdict.equal);
    io.out(
      `${name}: ${failing.length} of ${r.count} checks fail; the first at ${name}:${first.line}, ${label(first)}`,
    );
  }
}
