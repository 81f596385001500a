// The words and formulas both renderers share: the conventions stated at the top of a writeup, equations
// as display LaTeX, step headings, verdict lines and number formats. Deterministic: nothing depends on time.
import { latexName } from '../emit/latex.js';
import type { Equation, Step, StepOptions } from './steps.js';
import type { Verdict } from './writeup.js';

/**
 * Conventions as Markdown (inline math in `$…$`), one paragraph per item; the layout and style only when
 * the writeup has a backward pass to which they apply.
 */
export function conventions(opts: StepOptions, lossName = 'L', backward = true): string[] {
  const loss = latexName(lossName);
  const d = (x: string) => `$\\frac{\\partial ${loss}}{\\partial ${x}}$`;
  const layout =
    opts.layout === 'denominator'
      ? `**Layout: denominator.** ${d('A')} has the shape of $A$: its $(i, j)$ entry is $\\partial ${loss} / \\partial A_{ij}$, so every derivative can be checked against the shape of what it is taken with respect to.`
      : `**Layout: numerator.** ${d('A')} has the shape of $A^{\\top}$: its $(j, i)$ entry is $\\partial ${loss} / \\partial A_{ij}$; the gradient, shaped like $A$, is its transpose.`;
  const style =
    opts.style === 'compact'
      ? `**Style: compact.** One equation per quantity a textbook names: the error signal at each named node a parameter feeds, then each parameter's gradient over those signals. Beside each equation: its dimension check and the rules it used.`
      : opts.style === 'steps'
        ? `**Style: chain rule, node by node.** Each step takes the derivative of $${loss}$ with respect to one node's output and sends it back to the node's inputs by that node's rule.`
        : opts.layout === 'denominator'
          ? `**Style: differentials.** Each step writes the differential $dN$ of one node, puts it into $d${loss} = \\operatorname{tr}(G^{\\top} dN)$ with $G = ${d('N').slice(1, -1)}$, and reads each input's derivative off $d${loss} = \\operatorname{tr}(G_A^{\\top} dA) \\Rightarrow ${d('A').slice(1, -1)} = G_A$.`
          : `**Style: differentials.** Each step writes the differential $dN$ of one node, puts it into $d${loss} = \\operatorname{tr}(D\\, dN)$ with $D = ${d('N').slice(1, -1)}$, and reads each input's derivative off $d${loss} = \\operatorname{tr}(D_A\\, dA) \\Rightarrow ${d('A').slice(1, -1)} = D_A$.`;
  const notation =
    opts.style === 'compact'
      ? 'Vectors are columns; $\\odot$ is the elementwise product, $\\mathbf{1}$ a column of ones (so $A^{\\top} \\mathbf{1}$ adds up the rows of $A$), $\\lVert A \\rVert_F$ the Frobenius norm (of a vector, $\\lVert x \\rVert$ is its length).'
      : `Vectors are columns; $\\odot$ is the elementwise product, $\\mathbf{1}$ a column of ones, $\\operatorname{sum}_{1}$ sums down the columns and $\\operatorname{sum}_{2}$ across the rows${backward ? `; the *cotangent* of a node is the derivative of $${loss}$ with respect to it` : ''}. The line under each equation checks its dimensions.`;
  return backward ? [layout, style, notation] : [notation];
}

/** A TeX size `n \times h` from a shape's text `n×h`. */
export function shapeTex(shape: string): string {
  return shape.replaceAll('×', ' \\times ').replaceAll('·', ' \\cdot ');
}

/** An equation as display LaTeX: one line, or aligned lines when it has several forms. */
export function equationTex(eq: Equation, withShape = false): string {
  const space = withShape
    ? eq.shape === '1×1'
      ? ' \\qquad \\in \\mathbb{R}'
      : ` \\qquad \\in \\mathbb{R}^{${shapeTex(eq.shape)}}`
    : '';
  const where = eq.where ? ` \\qquad \\text{where } ${eq.where}` : '';
  if (eq.forms.length === 1) return `${eq.lhs} = ${eq.forms[0]}${space}${where}`;
  return `\\begin{aligned} ${eq.lhs} &= ${eq.forms.join(' \\\\ &= ')}${space}${where} \\end{aligned}`;
}

/** The heading of a step, without its number. */
export function stepHeading(step: Step): string {
  switch (step.kind) {
    case 'forward':
      return 'definition';
    case 'backward':
      return step.rule;
    case 'sum':
      return step.rule;
    case 'result':
      return step.rule;
    default: {
      const never: never = step.kind;
      return never;
    }
  }
}

/** A relative error as an order of magnitude (`< 1e-10`): stable across machines, unlike its digits. */
export function errorBound(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return `< 1e${Math.ceil(Math.log10(x) + 1e-12)}`;
}

/** The worst-error column: the bound, or a dash when nothing was checked numerically. */
export function worstText(worst: number, numericChecks: number): string {
  return numericChecks === 0 ? '—' : errorBound(worst);
}

export function verdictLine(v: Verdict): string {
  if (v.equal) return `holds: ${v.reason}`;
  return `does not hold: ${v.diagnosis ?? v.reason}`;
}

export const mark = (ok: boolean): string => (ok ? '✓' : '✗');
