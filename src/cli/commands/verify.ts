// matcalc verify EXPR --wrt X --claim CLAIM --let DECLS [--format text|json]
// matcalc verify FILE.md|FILE.tex… [--let DECLS] [--strict] [--format text|json]  (display math too, §8)
// Exit 0 when the claim (every claim and chain step of the files) holds, 1 when one does not, with the diagnosis.
import { grad } from '../../api.js';
import { toText } from '../../emit/text.js';
import { UsageError } from '../../ir/errors.js';
import { parseExpr, type Scope } from '../../parse/index.js';
import { type CheckReport, type DocumentReport, verifyDocument } from '../../verify/claims.js';
import type { Diagnosis } from '../../verify/diagnose.js';
import type { Verdict } from '../../verify/equal.js';
import { judgeClaimText } from '../../verify/misfit.js';
import { exprArg, type Io } from '../io.js';
import { inOption, oneOf, parse, positiveInt, scopeOf, str, wrtVars } from '../options.js';
import { howDecided, verdictText } from '../results.js';

export const usage =
  'matcalc verify EXPR --wrt X --claim CLAIM --let DECLS [--format text|json]  |  matcalc verify FILE.md|FILE.tex… [--let DECLS] [--strict] [--format text|json]';

const DOCUMENT = /\.(md|markdown|tex)$/i;

/** JSON with non-finite numbers as strings ("NaN", "Infinity"), which JSON cannot hold. */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

/** The claim, or the ShapeError that makes it a wrong claim (its own shapes do not fit). */
export function run(argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    let: { type: 'string' },
    wrt: { type: 'string' },
    claim: { type: 'string' },
    format: { type: 'string' },
    seed: { type: 'string' },
    strict: { type: 'boolean' },
  });
  const format = oneOf('--format', str(o.format), ['text', 'json'], 'text');
  const seed = positiveInt('--seed', str(o.seed), 0x5eed);
  const claimText = str(o.claim);
  if (claimText === undefined) {
    if (positionals.length === 0) throw new UsageError('missing EXPR (with --claim) or FILE.md');
    const notFile = positionals.find((p) => !DOCUMENT.test(p));
    if (notFile !== undefined) {
      throw new UsageError(
        `missing --claim CLAIM (the claimed gradient of ${notFile}); or give derivation files FILE.md or FILE.tex`,
      );
    }
    if (o.wrt !== undefined) {
      throw new UsageError('--wrt goes with --claim; a derivation file states its own derivatives');
    }
    const base = o.let === undefined ? undefined : scopeOf(str(o.let));
    return verifyFiles(positionals, io, format, { seed, strict: o.strict === true, base });
  }
  if (positionals.length > 1) throw new UsageError(`verify takes one EXPR; got ${positionals.length}`);
  const scope = scopeOf(str(o.let));
  const f = inOption('EXPR', () => parseExpr(exprArg(io, positionals[0]), scope));
  const vars = wrtVars(scope, str(o.wrt));
  if (vars.length !== 1)
    throw new UsageError('verify checks the gradient with respect to one variable in --wrt');
  const [g] = grad(f, vars, { scope });
  const text = exprArg(io, claimText, '--claim');
  const { verdict, diagnosis, claim } = judgeClaimText(
    text,
    g,
    scope,
    { reference: 'the gradient', seed },
    (t) => inOption('--claim', () => parseExpr(t, scope)),
  );
  if (format === 'json') {
    io.out(
      json({
        equal: verdict.equal,
        method: verdict.method,
        reason: verdict.reason,
        claim: claim ? toText(claim) : text,
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

function verifyFiles(
  files: readonly string[],
  io: Io,
  format: 'text' | 'json',
  opts: { seed: number; strict: boolean; base?: Scope },
): number {
  const reports = files.map((file) => verifyDocument(io.readFile(file), file, opts));
  const ok = reports.every((r) => r.ok);
  if (format === 'json') {
    // Unread math is listed among the checks, in line order, as `kind: "not understood"` entries.
    const files = reports.map(({ unread, ...r }) => ({
      ...r,
      checks: [...r.checks, ...unread].sort((a, b) => a.line - b.line),
    }));
    io.out(json({ ok, files }));
  } else for (const r of reports) printReport(r, io);
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
  const entries = [...r.checks, ...r.unread].sort((a, b) => a.line - b.line);
  for (const c of entries) {
    if (c.kind === 'not understood') {
      io.out(`??    ${name}:${c.line}:${c.column}  not understood: \`${c.fragment}\` (${c.reason})`);
      continue;
    }
    const items = c.kind === 'chain' ? c.steps : [c];
    for (const s of items) {
      const mark = s.verdict.equal ? 'ok  ' : 'FAIL';
      const at = s.column === undefined ? `${s.line}` : `${s.line}:${s.column}`;
      io.out(`${mark}  ${name}:${at}  ${label(s)} [decided ${howDecided(s.verdict)}]`);
      if (!s.verdict.equal) {
        io.out(`      \`${s.claim}\` is not equal to \`${s.truth}\``);
        io.out(`      ${explain(s.diagnosis, s.verdict)}`);
        if (s.engine !== undefined) io.out(`      matcalc's value: ${s.engine}`);
      }
    }
  }
  const unread =
    r.unread.length > 0 ? `; ${r.unread.length} piece(s) of math not understood (listed above)` : '';
  for (const p of r.problems) io.out(`${name}: ${p}`);
  if (r.failures.length === 0) {
    if (r.problems.length === 0)
      io.out(`${name}: ${r.count === 1 ? 'the one check holds' : `all ${r.count} checks hold`}${unread}`);
    return;
  }
  const first = r.failures[0];
  const failing = r.checks
    .flatMap((c) => (c.kind === 'chain' ? c.steps : [c]))
    .filter((s) => !s.verdict.equal);
  io.out(
    `${name}: ${r.count === 1 ? 'the one check fails' : `${failing.length} of ${r.count} checks fail`}; the first at ${name}:${first.line}, ${label(first)}${unread}`,
  );
}
