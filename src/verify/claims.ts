// Running the checks of a derivation file: every `claim` and chain step (of ```matcalc blocks and, when the
// file declares its symbols, of its display math), each with its verdict, method, diagnosis and line.
// Statements are taken in file order, so later ones see earlier declarations and definitions.
import { DeclarationError, ShapeError } from '../ir/errors.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar, shapeText } from '../ir/shape.js';
import { EMPTY_SCOPE, extendScope, type Scope } from '../parse/decls.js';
import {
  type DerivationDoc,
  declsIn,
  exprIn,
  filePos,
  parseDocument,
  type Snippet,
  type Statement,
  statementsOf,
} from '../parse/document.js';
import { heldInput } from '../parse/intermediate.js';
import { type LatexDoc, readLatex } from '../parse/latex/index.js';
import { type DiagnoseOptions, judge } from './diagnose.js';
import { LatexRun } from './latex.js';
import { misfit } from './misfit.js';
import type { ChainReport, CheckReport, DocumentReport, UnreadReport } from './report.js';

export interface DocumentOptions extends DiagnoseOptions {
  /** Read display math too: of a Markdown post, or (`tex`) of a LaTeX file. */
  readonly latex?: { readonly tex: boolean };
  /** Declarations given on the command line (`--let`), before the file's own. */
  readonly base?: Scope;
  /** Math that cannot be read fails the file. */
  readonly strict?: boolean;
}

export const hasDerivative = (e: Expr): boolean => topoOrder([e]).some((n) => n.kind === 'deriv');

/** How messages name the truth side of a claim. */
export function referenceName(truth: Expr, side: 'left' | 'right'): string {
  if (truth.kind === 'deriv') return truth.mode === 'grad' ? 'the gradient' : `the ${truth.mode}`;
  return `the ${side} side`;
}

/** A side of a claim: its expression, or the ShapeError that makes it a claim whose shapes do not fit. */
export type Side = Expr | ShapeError;

export function sideOf(parse: () => Expr): Side {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
}

/** The running state of one file: scope, options and the reports so far. */
export class DocumentRun {
  scope: Scope;
  readonly checks: (CheckReport | ChainReport | UnreadReport)[] = [];

  constructor(
    readonly doc: DerivationDoc,
    readonly opts: DocumentOptions,
  ) {
    this.scope = opts.base ?? EMPTY_SCOPE;
  }

  /** Judge `claim` (an expression, or the text whose shapes do not fit) against `truth`. */
  judgeSide(claim: Side, claimText: string, truth: Expr, reference: string) {
    const o = { ...this.opts, reference, names: this.scope.defs };
    return claim instanceof ShapeError
      ? misfit(claimText, claim, truth, this.scope, o)
      : judge(claim, truth, o);
  }

  /** A claim `lhs = rhs`: the side holding a derivative is the truth, otherwise the left side. */
  claim(line: number, lhs: Side, rhs: Side, texts: readonly [string, string], parsed = texts): CheckReport {
    if (lhs instanceof ShapeError && rhs instanceof ShapeError) throw lhs;
    const flip =
      lhs instanceof ShapeError ||
      (!(rhs instanceof ShapeError) && hasDerivative(rhs) && !hasDerivative(lhs));
    const [truth, claim] = (flip ? [rhs, lhs] : [lhs, rhs]) as [Expr, Side];
    const [truthText, claimText] = flip ? [texts[1], texts[0]] : texts;
    const j = this.judgeSide(
      claim,
      flip ? parsed[0] : parsed[1],
      truth,
      referenceName(truth, flip ? 'right' : 'left'),
    );
    return { kind: 'claim', line, claim: claimText, truth: truthText, ...j };
  }

  /** Steps of a chain: each side equal to the last one that could be read before it. */
  chain(
    line: number,
    sides: readonly { side: Side; text: string; parsed: string; line: number; reason?: string }[],
  ): ChainReport {
    const steps: CheckReport[] = [];
    let last = sides[0];
    if (last.side instanceof ShapeError) throw last.side;
    for (let k = 1; k < sides.length; k++) {
      const s = sides[k];
      const j = this.judgeSide(s.side, s.parsed, last.side as Expr, 'the previous line');
      steps.push({
        kind: 'step',
        line: s.line,
        claim: s.text,
        truth: last.text,
        ...(s.reason ? { reason: s.reason } : {}),
        step: k,
        chainLine: line,
        ...j,
      });
      if (!(s.side instanceof ShapeError)) last = s;
    }
    const firstFailure = steps.find((s) => !s.verdict.equal);
    return { kind: 'chain', line, start: sides[0].text, steps, ok: !firstFailure, firstFailure };
  }

  statement(st: Statement): void {
    const { doc } = this;
    const parse = (s: Snippet) => exprIn(doc, s, this.scope);
    switch (st.kind) {
      case 'let':
        this.scope = declsIn(doc, st.decls, this.scope);
        break;
      case 'def':
        this.scope = extendScope(this.scope, st.name.text, parse(st.expr), filePos(doc, st.name));
        break;
      case 'grad': {
        const f = parse(st.f);
        if (!isScalar(f.shape)) {
          throw new ShapeError(
            `grad needs a scalar (1×1) function, got ${shapeText(f.shape)}`,
            filePos(doc, st.f),
          );
        }
        for (const w of st.wrt) {
          if (!heldInput(this.scope, w.text, f)) {
            throw new DeclarationError(
              `\`${w.text}\` is not a declared variable or a named intermediate`,
              filePos(doc, w),
            );
          }
        }
        break;
      }
      case 'claim': {
        const [lhs, rhs] = [sideOf(() => parse(st.lhs)), sideOf(() => parse(st.rhs))];
        this.checks.push(this.claim(st.line, lhs, rhs, [st.lhs.text, st.rhs.text]));
        break;
      }
      case 'chain': {
        const sides = st.steps.map((s) => ({
          side: sideOf(() => parse(s.expr)),
          text: s.expr.text,
          parsed: s.expr.text,
          line: s.line,
          reason: s.reason,
        }));
        this.checks.push(this.chain(st.line, sides));
        break;
      }
      case 'export':
        break;
      default: {
        const never: never = st;
        throw never;
      }
    }
  }
}

/** Verify every claim and chain of a parsed derivation (and its display math when opts.latex is given). */
export function runDocument(doc: DerivationDoc, opts: DocumentOptions = {}): DocumentReport {
  const run = new DocumentRun(doc, opts);
  const latex: LatexDoc | null = opts.latex ? readLatex(doc.source, opts.latex.tex) : null;
  const readMath = latex !== null && (latex.declared || opts.base !== undefined);
  const items = readMath ? latex.items : [];
  const statements = statementsOf(doc);
  const tex = new LatexRun(run);
  let k = 0;
  for (const st of statements) {
    while (k < items.length && items[k].line < st.line) tex.item(items[k++]);
    run.statement(st);
  }
  while (k < items.length) tex.item(items[k++]);
  const checks = run.checks.filter((c): c is CheckReport | ChainReport => c.kind !== 'not understood');
  const unread = run.checks.filter((c): c is UnreadReport => c.kind === 'not understood');
  const failures = checks.flatMap((c) =>
    c.kind === 'chain' ? (c.firstFailure ? [c.firstFailure] : []) : !c.verdict.equal ? [c] : [],
  );
  const count = checks.reduce((n, c) => n + (c.kind === 'chain' ? c.steps.length : 1), 0);
  const problems: string[] = [];
  for (const f of latex?.suspectFences ?? []) {
    problems.push(
      `line ${f.line}: a \`\`\`${f.info} block that looks like matcalc statements; matcalc reads only \`\`\`matcalc blocks`,
    );
  }
  if (count === 0) {
    const undeclared = latex && !readMath && latex.items.some((i) => i.kind === 'relation');
    const hint = undeclared
      ? `; its display math is read once it declares its symbols in a comment ${opts.latex?.tex ? '`% matcalc let X: n x d; …`' : '`<!-- matcalc let X: n x d; … -->`'} or --let is given`
      : '';
    problems.push(`no checks were found: no claim, chain or relation to verify${hint}`);
  }
  if (opts.strict && unread.length > 0)
    problems.push(`${unread.length} piece(s) of math could not be read (--strict)`);
  return {
    file: doc.file,
    ok: failures.length === 0 && problems.length === 0,
    checks,
    failures,
    count,
    unread,
    problems,
  };
}

/** Parse and verify a derivation file's text. */
export function verifyDocument(source: string, file?: string, opts: DocumentOptions = {}): DocumentReport {
  const tex = file !== undefined && /\.tex$/i.test(file);
  const doc = tex ? { file, source, chunks: [] } : parseDocument(source, file);
  return runDocument(doc, { latex: { tex }, ...opts });
}

export type { Diagnosis, DiagnosisKind, Judgement } from './diagnose.js';
export { type Counterexample, type EqualOptions, equal, type Method, type Verdict } from './equal.js';
export type { ChainReport, CheckReport, DocumentReport, UnreadReport } from './report.js';
/** Whether `claim` equals `truth`, and when it does not, how it differs (the public `verify`). */
export const verify = judge;
