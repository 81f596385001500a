// The sections of one `grad` statement of a derivation file: declared variables share one backward pass,
// each named intermediate H (∂L/∂H) gets its own of L with H held as an input; every pass is checked
// against finite differences, and in the compact style also written as the textbook's equations.
import { expandDerivatives } from '../diff/expand.js';
import { latexName } from '../emit/latex.js';
import { ShapeError } from '../ir/errors.js';
import { isScalar, shapeText } from '../ir/shape.js';
import { checkGradients } from '../numeric/gradcheck.js';
import { substitute } from '../ops/substitute.js';
import type { Scope } from '../parse/decls.js';
import { type DerivationDoc, exprIn, filePos, type Statement } from '../parse/document.js';
import { heldInput } from '../parse/intermediate.js';
import { compactBackward } from './compact.js';
import { symbolsFor } from './forward.js';
import { graphSvg } from './graph.js';
import { backwardSteps, type Definition, definitionPatterns, type StepOptions } from './steps.js';
import type { Section } from './writeup.js';

/** Numeric checks: relative error at most this counts as agreement with finite differences. */
export const TOLERANCE = 1e-6;

/** What a grad statement reads of the file around it. */
export interface GradContext {
  readonly doc: DerivationDoc;
  readonly scope: Scope;
  /** Every definition of the file (backward steps may name quantities defined later) and those so far. */
  readonly allDefs: readonly Definition[];
  readonly defsSoFar: readonly Definition[];
  /** Node id → the definition's name, for the graph. */
  readonly defNames: ReadonlyMap<number, string>;
  readonly options: StepOptions;
}

export interface GradPass {
  readonly section: Extract<Section, { kind: 'grad' }>;
  /** `L = …` over the definitions so far, for the index. */
  readonly headline: string;
  /** Left sides the compact equations state, so earlier forward listings can drop them. */
  readonly stated?: ReadonlySet<string>;
}

type GradStatement = Extract<Statement, { kind: 'grad' }>;

export async function gradSections(st: GradStatement, cx: GradContext): Promise<GradPass[]> {
  const { doc, scope, allDefs, options } = cx;
  const fLoss = exprIn(doc, st.f, scope);
  if (!isScalar(fLoss.shape)) {
    throw new ShapeError(
      `grad needs a scalar (1×1) function, got ${shapeText(fLoss.shape)}`,
      filePos(doc, st.f),
    );
  }
  // Declared variables share one backward pass; each named intermediate H (∂L/∂H) gets its own,
  // of L with H held as an input.
  const held = st.wrt.map((w) => {
    const h = heldInput(scope, w.text, fLoss);
    if (!h)
      throw new ShapeError(
        `\`${w.text}\` is not a declared variable or a named intermediate`,
        filePos(doc, w),
      );
    return h;
  });
  const declared = held.filter((h) => !h.at).map((h) => h.wrt);
  const passes = [
    ...(declared.length > 0 ? [{ f: fLoss, wrt: declared, at: undefined }] : []),
    ...held.filter((h) => h.at).map((h) => ({ f: h.f, wrt: [h.wrt], at: h.at })),
  ];
  const out: GradPass[] = [];
  for (const { f, wrt, at } of passes) {
    const loss = /^[A-Za-z_]\w*$/.test(st.f.text) ? st.f.text : 'f';
    const sym = symbolsFor(allDefs, loss, options.layout);
    const back = backwardSteps(f, wrt, allDefs, sym, options);
    const bad = back.steps.flatMap((s) => s.equations).find((e) => !e.dims.ok);
    if (bad)
      throw new ShapeError(
        `internal: a step fails its dimension check: ${bad.dims.text}`,
        filePos(doc, st.f),
      );
    const result = checkGradients(
      expandDerivatives(f),
      wrt,
      // Names in the result stand for definitions; H's own is the held input here.
      back.results.map((r) => (at ? substitute(r.gradient, at, wrt[0]) : r.gradient)),
      {
        trials: 3,
        seed: 1,
      },
    );
    const rows = result.perVariable.map((p, k) => ({
      variable: p.variable,
      shape: shapeText(wrt[k].shape),
      relError: p.relError,
      ok: p.relError <= TOLERANCE,
    }));
    const compact =
      options.style === 'compact'
        ? compactBackward({
            f: expandDerivatives(f),
            wrt,
            sym,
            named: sym.namedNodes(),
            patterns: definitionPatterns(allDefs, sym),
          })
        : undefined;
    const badRow = compact?.rows.find((e) => !e.dims.ok);
    if (badRow)
      throw new ShapeError(
        `internal: a step fails its dimension check: ${badRow.dims.text}`,
        filePos(doc, st.f),
      );
    const lossLatex = sym.nodeLatex(f);
    const known = symbolsFor(cx.defsSoFar, loss, options.layout);
    const headline = loss === 'f' ? lossLatex : `${latexName(loss)} = ${known.latex(known.abstract(f, f))}`;
    const section = {
      kind: 'grad' as const,
      line: st.line,
      lossName: loss,
      loss: lossLatex,
      wrt: wrt.map((v) => v.name),
      steps: back.steps,
      compact: compact?.rows,
      checks: rows,
      texts: back.results.map((r) => ({ variable: r.variable.name, text: r.text })),
      graph: await graphSvg({ roots: [f], names: cx.defNames, wrt: new Set(wrt.map((v) => v.id)) }),
    };
    out.push({ section, headline, stated: compact?.labels });
  }
  return out;
}
