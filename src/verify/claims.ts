// Running the checks of a derivation file: every `claim` and every chain step, each with its verdict, the
// method that decided it, the diagnosis when it fails, and its line. Statements are taken in file order,
// so later ones see earlier `let` declarations and `NAME = EXPR` definitions.
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
  statementsOf,
} from '../parse/document.js';
import { type DiagnoseOptions, type Diagnosis, judge } from './diagnose.js';
import type { Verdict } from './equal.js';

export interface CheckReport {
  readonly kind: 'claim' | 'step';
  /** The line of the claim, or of the step's `= EXPR`. */
  readonly line: number;
  /** The claimed expression as written, and the one it is checked against. */
  readonly claim: string;
  readonly truth: string;
  /** Steps: the `# reason`, the step number (1 = the first `=` line) and the line of the chain. */
  readonly reason?: string;
  readonly step?: number;
  readonly chainLine?: number;
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
}

export interface ChainReport {
  readonly kind: 'chain';
  readonly line: number;
  /** The expression the chain starts from, as written. */
  readonly start: string;
  readonly steps: readonly CheckReport[];
  readonly ok: boolean;
  /** The first step that does not equal the one before it. */
  readonly firstFailure?: CheckReport;
}

export interface DocumentReport {
  readonly file?: string;
  readonly ok: boolean;
  readonly checks: readonly (CheckReport | ChainReport)[];
  /** Failing claims, and the first failing step of each failing chain, in file order. */
  readonly failures: readonly CheckReport[];
  /** Number of equalities checked (claims plus chain steps). */
  readonly count: number;
}

const hasDerivative = (e: Expr): boolean => topoOrder([e]).some((n) => n.kind === 'deriv');

/** How messages name the truth side of a claim. */
function referenceName(truth: Expr, side: 'left' | 'right'): string {
  if (truth.kind === 'deriv') return truth.mode === 'grad' ? 'the gradient' : `the ${truth.mode}`;
  return `the ${side} side`;
}

/** Verify every claim and chain of a parsed derivation. */
export function runDocument(doc: DerivationDoc, opts: DiagnoseOptions = {}): DocumentReport {
  let scope: Scope = EMPTY_SCOPE;
  const checks: (CheckReport | ChainReport)[] = [];
  const parse = (s: Snippet) => exprIn(doc, s, scope);
  for (const st of statementsOf(doc)) {
    switch (st.kind) {
      case 'let':
        scope = declsIn(doc, st.decls, scope);
        break;
      case 'def':
        scope = extendScope(scope, st.name.text, parse(st.expr), filePos(doc, st.name));
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
          if (!scope.vars.has(w.text))
            throw new DeclarationError(`\`${w.text}\` is not a declared variable`, filePos(doc, w));
        }
        break;
      }
      case 'claim': {
        const lhs = parse(st.lhs);
        const rhs = parse(st.rhs);
        // The side holding a derivative is the truth; otherwise the left side is.
        const flip = hasDerivative(rhs) && !hasDerivative(lhs);
        const [truth, claim] = flip ? [rhs, lhs] : [lhs, rhs];
        const [truthText, claimText] = flip ? [st.rhs.text, st.lhs.text] : [st.lhs.text, st.rhs.text];
        const reference = referenceName(truth, flip ? 'right' : 'left');
        const j = judge(claim, truth, { ...opts, reference, names: scope.defs });
        checks.push({ kind: 'claim', line: st.line, claim: claimText, truth: truthText, ...j });
        break;
      }
      case 'chain': {
        const exprs = st.steps.map((s) => parse(s.expr));
        const steps: CheckReport[] = [];
        for (let k = 1; k < exprs.length; k++) {
          const s = st.steps[k];
          const j = judge(exprs[k], exprs[k - 1], {
            ...opts,
            reference: 'the previous line',
            names: scope.defs,
          });
          steps.push({
            kind: 'step',
            line: s.line,
            claim: s.expr.text,
            truth: st.steps[k - 1].expr.text,
            ...(s.reason ? { reason: s.reason } : {}),
            step: k,
            chainLine: st.line,
            ...j,
          });
        }
        const firstFailure = steps.find((s) => !s.verdict.equal);
        checks.push({
          kind: 'chain',
          line: st.line,
          start: st.steps[0].expr.text,
          steps,
          ok: !firstFailure,
          firstFailure,
        });
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
  const failures = checks.flatMap((c) =>
    c.kind === 'chain' ? (c.firstFailure ? [c.firstFailure] : []) : c.verdict.equal ? [] : [c],
  );
  const count = checks.reduce((n, c) => n + (c.kind === 'chain' ? c.steps.length : 1), 0);
  return { file: doc.file, ok: failures.length === 0, checks, failures, count };
}

/** Parse and verify a derivation file's text. */
export function verifyDocument(source: string, file?: string, opts: DiagnoseOptions = {}): DocumentReport {
  return runDocument(parseDocument(source, file), opts);
}

export type { Diagnosis, DiagnosisKind, Judgement } from './diagnose.js';
export { type Counterexample, type EqualOptions, equal, type Method, type Verdict } from './equal.js';
/** Whether `claim` equals `truth`, and when it does not, how it differs (the public `verify`). */
export const verify = judge;
