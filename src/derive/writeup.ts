// A derivation file → a Writeup: its prose and, for each matcalc block, the expansion as data (declarations,
// forward steps, backward steps with results and numeric checks, claim and chain verdicts). Renderers
// (markdown.ts, html.ts) only lay this out. Errors in the file (a dimension mismatch) carry file and line.

import { latexName, toLatex } from '../emit/latex.js';
import type { Expr, VarExpr } from '../ir/expr.js';
import { isScalar, shapeText } from '../ir/shape.js';
import { EMPTY_SCOPE, extendScope, type Scope } from '../parse/decls.js';
import {
  type Block,
  type DerivationDoc,
  declsIn,
  exprIn,
  filePos,
  parseDocument,
  type Snippet,
} from '../parse/document.js';
import { type ChainReport, type CheckReport, runDocument } from '../verify/claims.js';
import { type DimCheck, dimCheck } from './dims.js';
import { forwardSteps, symbolsFor } from './forward.js';
import { gradSections } from './grad-section.js';
import { graphSvg } from './graph.js';
import { fieldNotation } from './notation.js';
import type { Definition, Equation, Step, StepOptions } from './steps.js';

export interface NumericCheck {
  readonly variable: string;
  readonly shape: string;
  readonly relError: number;
  readonly ok: boolean;
}

export interface Verdict {
  readonly equal: boolean;
  readonly method: string;
  readonly reason: string;
  /** What is wrong, when the claim is not equal. */
  readonly diagnosis?: string;
}

export interface Claimed {
  readonly line: number;
  /** LaTeX of the two sides, and the claim's source text. */
  readonly lhs: string;
  readonly rhs: string;
  readonly text: string;
  readonly reason?: string;
  readonly dims: DimCheck;
  readonly verdict: Verdict;
}

export interface Declared {
  readonly name: string;
  readonly latex: string;
  readonly shape: string;
  readonly qualifiers: readonly string[];
}

export type Section =
  | { readonly kind: 'prose'; readonly line: number; readonly text: string }
  | { readonly kind: 'source'; readonly line: number; readonly text: string }
  | { readonly kind: 'let'; readonly line: number; readonly vars: readonly Declared[] }
  | {
      readonly kind: 'forward';
      readonly line: number;
      /** The first definitions of the file are its forward pass; later ones are further definitions. */
      readonly first: boolean;
      readonly steps: readonly Step[];
      graph?: string;
    }
  | {
      readonly kind: 'grad';
      readonly line: number;
      /** The loss's name (`L`, or `f` for an unnamed expression) and its LaTeX. */
      readonly lossName: string;
      readonly loss: string;
      readonly wrt: readonly string[];
      readonly steps: readonly Step[];
      /** The compact style's equations: error signals and parameter gradients. */
      readonly compact?: readonly Equation[];
      readonly checks: readonly NumericCheck[];
      /** Each gradient in the input language, over the file's names. */
      readonly texts: readonly { readonly variable: string; readonly text: string }[];
      readonly graph: string;
    }
  | { readonly kind: 'claim'; readonly claim: Claimed }
  | {
      readonly kind: 'chain';
      readonly line: number;
      readonly start: string;
      readonly steps: readonly Claimed[];
    }
  | { readonly kind: 'export'; readonly line: number; readonly target: string };

export interface Writeup {
  /** The file name without directory and `.md`. */
  readonly name: string;
  readonly file: string;
  readonly title: string;
  readonly options: StepOptions;
  readonly sections: readonly Section[];
  readonly stepCount: number;
  readonly checksPassed: number;
  readonly checksTotal: number;
  /** Worst relative error of the numeric checks (0 when there are none), and how many there are. */
  readonly worstError: number;
  readonly numericChecks: number;
  /** LaTeX of the first loss differentiated, for the index. */
  readonly headline?: string;
  /** The name of the first loss differentiated (`L` when there is none), used in the conventions. */
  readonly lossName: string;
}

const verdictOf = (r: CheckReport): Verdict => ({
  equal: r.verdict.equal,
  method: r.verdict.method,
  reason: r.verdict.reason,
  diagnosis: r.diagnosis?.message,
});

/** The source text of a block, fences included. */
function blockSource(doc: DerivationDoc, block: Block): string {
  const lines = doc.source.split('\n');
  const open = lines[block.line - 1].replace(/\r$/, '');
  const fence = /^ {0,3}(`{3,}|~{3,})/.exec(open)![1];
  let end = block.line;
  while (end < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end]))
    end++;
  return lines
    .slice(block.line - 1, end + 1)
    .map((l) => l.replace(/\r$/, ''))
    .join('\n');
}

/**
 * LaTeX of a claim's side with the names its author wrote in it: `X'*(X*w - y)` stays written out even
 * when `r = X*w - y` is defined, and `X'*r` prints `r`.
 */
function sideLatex(e: Expr, text: string, defs: readonly Definition[]): string {
  const words = new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
  const names = new Map<number, string>();
  for (const d of defs) {
    if (words.has(d.name) && d.expr.kind !== 'var' && !names.has(d.expr.id))
      names.set(d.expr.id, latexName(d.name));
  }
  return toLatex(fieldNotation(e), { names });
}

/** Remove from the later forward sections the definitions a compact backward pass states itself. */
function dropStated(sections: Section[], stated: ReadonlySet<string>): void {
  for (let k = sections.length - 1; k >= 0; k--) {
    const sec = sections[k];
    if (sec.kind !== 'forward' || sec.first) continue;
    const steps = sec.steps.filter((x) => !stated.has(x.equations[0]?.lhs ?? ''));
    if (steps.length === 0) sections.splice(k, 1);
    else sections[k] = { ...sec, steps };
  }
}

/** Build the writeup of a derivation file's text. */
export async function buildWriteup(source: string, file: string, options: StepOptions): Promise<Writeup> {
  const doc = parseDocument(source, file);
  const report = runDocument(doc);
  const reports = new Map<number, CheckReport | ChainReport>(report.checks.map((c) => [c.line, c]));
  const name = file.replace(/^.*[\\/]/, '').replace(/\.md$/, '');

  // First pass: every definition of the file, so that backward steps can name quantities defined later.
  const allDefs: Definition[] = [];
  {
    let scope: Scope = EMPTY_SCOPE;
    for (const chunk of doc.chunks) {
      if (chunk.kind !== 'block') continue;
      for (const st of chunk.statements) {
        if (st.kind === 'let') scope = declsIn(doc, st.decls, scope);
        if (st.kind === 'def') {
          const expr = exprIn(doc, st.expr, scope);
          scope = extendScope(scope, st.name.text, expr, filePos(doc, st.name));
          allDefs.push({ name: st.name.text, expr });
        }
      }
    }
  }
  const defNames = new Map<number, string>();
  for (const d of allDefs)
    if (d.expr.kind !== 'var' && !defNames.has(d.expr.id)) defNames.set(d.expr.id, d.name);

  const sections: Section[] = [];
  const checks: NumericCheck[] = [];
  let scope: Scope = EMPTY_SCOPE;
  const defsSoFar: Definition[] = [];
  let headline: string | undefined;
  let lossName: string | undefined;
  let hasGrad = false;
  const parse = (s: Snippet) => exprIn(doc, s, scope);
  const claimed = (
    line: number,
    lhs: Expr,
    rhs: Expr,
    l: Snippet,
    r: Snippet,
    rep: CheckReport,
    reason?: string,
  ): Claimed => ({
    line,
    lhs: sideLatex(lhs, l.text, allDefs),
    rhs: sideLatex(rhs, r.text, allDefs),
    text: `${l.text} = ${r.text}`,
    reason,
    dims: dimCheck(rhs, lhs.shape),
    verdict: verdictOf(rep),
  });

  for (const chunk of doc.chunks) {
    if (chunk.kind === 'prose') {
      sections.push({ kind: 'prose', line: chunk.line, text: chunk.text });
      continue;
    }
    sections.push({ kind: 'source', line: chunk.line, text: blockSource(doc, chunk) });
    let pending: Definition[] = [];
    let pendingLine = 0;
    const flush = () => {
      if (pending.length === 0) return;
      const sym = symbolsFor(defsSoFar, 'L', options.layout);
      sections.push({
        kind: 'forward',
        line: pendingLine,
        first: !sections.some((x) => x.kind === 'forward'),
        steps: forwardSteps(pending, sym),
      });
      pending = [];
    };
    for (const st of chunk.statements) {
      if (st.kind !== 'def') flush();
      switch (st.kind) {
        case 'let': {
          const before = new Set(scope.vars.keys());
          scope = declsIn(doc, st.decls, scope);
          const vars = [...scope.vars.values()].filter((v) => !before.has(v.name)).map(declared);
          const last = sections.at(-1);
          // Consecutive `let` lines make one table.
          if (last?.kind === 'let')
            sections[sections.length - 1] = { ...last, vars: [...last.vars, ...vars] };
          else sections.push({ kind: 'let', line: st.line, vars });
          break;
        }
        case 'def': {
          const expr = parse(st.expr);
          scope = extendScope(scope, st.name.text, expr, filePos(doc, st.name));
          const d = { name: st.name.text, expr };
          defsSoFar.push(d);
          if (pending.length === 0) pendingLine = st.line;
          pending.push(d);
          break;
        }
        case 'grad': {
          hasGrad = true;
          const cx = { doc, scope, allDefs, defsSoFar, defNames, options };
          for (const pass of await gradSections(st, cx)) {
            checks.push(...pass.section.checks);
            // Definitions the compact rows state (δ = ∂L/∂Z = …) are not listed again before them.
            if (pass.stated) dropStated(sections, pass.stated);
            lossName ??= pass.section.lossName;
            headline ??= pass.headline;
            sections.push(pass.section);
          }
          break;
        }
        case 'claim': {
          const rep = reports.get(st.line) as CheckReport;
          sections.push({
            kind: 'claim',
            claim: claimed(st.line, parse(st.lhs), parse(st.rhs), st.lhs, st.rhs, rep),
          });
          break;
        }
        case 'chain': {
          const rep = reports.get(st.line) as ChainReport;
          const exprs = st.steps.map((s) => parse(s.expr));
          const steps = st.steps
            .slice(1)
            .map((s, k) =>
              claimed(s.line, exprs[k], exprs[k + 1], st.steps[k].expr, s.expr, rep.steps[k], s.reason),
            );
          const start = sideLatex(exprs[0], st.steps[0].expr.text, allDefs);
          sections.push({ kind: 'chain', line: st.line, start, steps });
          break;
        }
        case 'export':
          sections.push({ kind: 'export', line: st.line, target: st.target });
          break;
        default: {
          const never: never = st;
          throw never;
        }
      }
    }
    flush();
  }
  if (!hasGrad && allDefs.length > 0) {
    const [d] = allDefs;
    const sym = symbolsFor([d], 'L', options.layout);
    headline = `${latexName(d.name)} = ${sym.latex(sym.abstract(d.expr, d.expr))}`;
    const forward = sections.filter((s) => s.kind === 'forward').at(-1);
    if (forward) {
      forward.graph = await graphSvg({ roots: allDefs.map((d) => d.expr), names: defNames, wrt: new Set() });
    }
  }
  const verdicts = report.checks.flatMap((c) => (c.kind === 'chain' ? c.steps : [c]));
  const stepCount = sections.reduce(
    (n, s) =>
      n +
      (s.kind === 'forward' ? s.steps.length : s.kind === 'grad' ? (s.compact?.length ?? s.steps.length) : 0),
    0,
  );
  return {
    name,
    file,
    title: /^#\s+(.+)$/m.exec(doc.chunks.find((c) => c.kind === 'prose')?.text ?? '')?.[1].trim() ?? name,
    options,
    sections,
    stepCount,
    checksPassed: checks.filter((c) => c.ok).length + verdicts.filter((v) => v.verdict.equal).length,
    checksTotal: checks.length + verdicts.length,
    worstError: checks.reduce((m, c) => Math.max(m, c.relError), 0),
    numericChecks: checks.length,
    headline,
    lossName: lossName ?? 'L',
  };
}

function declared(v: VarExpr): Declared {
  return {
    name: v.name,
    latex: latexName(v.name),
    shape: isScalar(v.shape) ? 'scalar' : shapeText(v.shape),
    qualifiers: v.qualifiers,
  };
}
