// A Writeup as a standalone offline HTML page: KaTeX rendered on the server (strict), the prose through
// markdown-it, the steps as cards with their dimension checks, the numeric checks and verdicts as tables,
// and the computation graph as inline SVG. It links only katex/katex.min.css and style.css beside it.
import { latexName } from '../emit/latex.js';
import { GENERATED } from './files.js';
import { proseHtml, renderMath } from './prose.js';
import type { RenderOptions } from './site.js';
import type { Equation, Step } from './steps.js';
import { conventions, equationTex, errorBound, mark, stepHeading, verdictLine } from './wording.js';
import type { Claimed, Section, Writeup } from './writeup.js';

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const math = (tex: string): string => `<div class="eq">${renderMath(tex, true)}</div>`;
const inline = (tex: string): string => renderMath(tex, false);

function checkLine(text: string, ok: boolean): string {
  return `<div class="dims ${ok ? 'ok' : 'bad'}" title="dimension check">${esc(text)}</div>`;
}

function stepsHtml(steps: readonly Step[], numbered: boolean): string {
  const items = steps.map((step, i) => {
    const head = numbered
      ? `<div class="step-head"><span class="num">${step.kind === 'result' ? '=' : i + 1}</span><span class="rule">${esc(stepHeading(step))}</span>${step.node ? `<span class="at">at ${inline(step.node)}</span>` : ''}</div>`
      : '';
    const eqs = step.equations.map(
      (eq) =>
        `${math(equationTex(eq, step.kind === 'forward'))}${checkLine(eq.dims.text, eq.dims.ok)}${eq.note ? `<div class="note">${esc(eq.note)}</div>` : ''}`,
    );
    return `<li class="step ${step.kind}">${head}${eqs.join('')}</li>`;
  });
  return `<ol class="steps${numbered ? ' numbered' : ''}">${items.join('\n')}</ol>`;
}

/**
 * Equations as a table a reader scans like an align block — left side, right side, dimension check,
 * rules — whose rows stack on a narrow screen, each formula scrolling on its own instead of clipping.
 */
/** The right side: its forms on one line, or one line each (`= …`) when together they are long. */
function rhsHtml(forms: readonly string[]): string {
  const one = forms.join(' = ');
  if (forms.length === 1 || one.length <= 160)
    return `<div class="eq">${inline(`\\displaystyle = ${one}`)}</div>`;
  return forms.map((f) => `<div class="eq">${inline(`\\displaystyle = ${f}`)}</div>`).join('');
}

function equationTable(rows: readonly Equation[], forward: boolean): string {
  const body = rows.map((eq) => {
    const rule = (r: string) => {
      const words = /^\\text\{([^{}\\]*)\}$/.exec(r);
      return words ? esc(words[1]) : inline(r);
    };
    const rules = eq.rules?.length ? eq.rules.map(rule).join('<span class="sep">; </span>') : '';
    return `<tr><td class="lhs"><div class="eq">${inline(`\\displaystyle ${eq.lhs}`)}</div></td><td class="rhs">${rhsHtml(eq.forms)}</td><td class="check ${eq.dims.ok ? 'ok' : 'bad'}">${esc(eq.dims.text)}</td>${forward ? '' : `<td class="why">${rules}</td>`}</tr>`;
  });
  return `<div class="table-wrap"><table class="equations${forward ? ' forward' : ''}"><tbody>${body.join('\n')}</tbody></table></div>`;
}

/** Verdict text with its `code spans` as code. */
function verdictText(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part.slice(1, -1))}</code>` : esc(part)))
    .join('');
}

function verdictHtml(c: Claimed, label: string, file: string): string {
  const ok = c.verdict.equal;
  return `<div class="verdict ${ok ? 'ok' : 'bad'}" title="${esc(`${file}, line ${c.line}`)}"><span class="badge">${mark(ok)}</span>${label ? ` <span class="what">${label}</span>` : ''} ${verdictText(verdictLine(c.verdict))}${c.reason ? ` <span class="reason">— ${esc(c.reason)}</span>` : ''}</div>`;
}

/** A claim as one line: the mark, the claim in inline math (≠ when it fails), the verdict. */
function claimLineHtml(c: Claimed, file: string): string {
  const rel = c.verdict.equal ? '=' : '\\neq';
  return `<div class="claim-line ${c.verdict.equal ? 'ok' : 'bad'}"><div class="eq">${renderMath(`\\displaystyle ${c.lhs} ${rel} ${c.rhs}`, false)}</div>${verdictHtml(c, '', file)}</div>`;
}

function figure(svg: string, caption: string): string {
  return `<figure class="graph">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

const GRAPH_CAPTION =
  'The computation graph, inputs on the left and the loss on the right; each node shows its shape. The variables differentiated are highlighted in amber, named intermediates in blue.';

function sectionHtml(s: Section, w: Writeup, render: RenderOptions): string {
  const compact = w.options.style === 'compact';
  switch (s.kind) {
    case 'prose':
      return proseHtml(s.text, { allowHtml: render.allowHtml, file: w.file, line: s.line });
    case 'source':
      return `<details class="source"><summary>matcalc block, line ${s.line}</summary><pre><code>${esc(s.text)}</code></pre></details>`;
    case 'let': {
      const quals = s.vars.some((v) => v.qualifiers.length > 0);
      const rows = s.vars.map(
        (v) =>
          `<tr><td>${inline(v.latex)}</td><td>${esc(v.shape)}</td>${quals ? `<td>${esc(v.qualifiers.join(', '))}</td>` : ''}</tr>`,
      );
      return `<table class="decls"><thead><tr><th>variable</th><th>shape</th>${quals ? '<th>qualifiers</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
    }
    case 'forward': {
      const graph =
        s.graph !== undefined
          ? figure(s.graph, 'The computation graph of the definitions; each node shows its shape.')
          : '';
      const body = compact
        ? equationTable(
            s.steps.flatMap((st) => st.equations),
            true,
          )
        : stepsHtml(s.steps, false);
      return `<section class="forward"><h3>${s.first ? 'Forward pass: definitions and shapes' : 'Definitions and shapes'}</h3>${body}${graph}</section>`;
    }
    case 'grad': {
      const texts = s.texts.map((t) => `∂${s.lossName}/∂${t.variable} = ${t.text}`).join('\n');
      const rows = s.checks
        .map(
          (c) =>
            `<tr class="${c.ok ? 'ok' : 'bad'}"><td>${esc(c.variable)}</td><td>${esc(c.shape)}</td><td>${esc(errorBound(c.relError))}</td><td>${mark(c.ok)}</td></tr>`,
        )
        .join('');
      if (compact && s.compact) {
        return `<section class="backward compact"><h3>Backward pass of ${inline(s.loss)} with respect to ${s.wrt.map((v) => inline(latexName(v))).join(', ')}</h3>
${equationTable(s.compact, false)}
<table class="checks"><thead><tr><th>variable</th><th>shape</th><th>max relative error vs finite differences</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<details class="more"><summary>In the input language${w.options.layout === 'numerator' ? ' (numerator layout: each is the transpose of the gradient)' : ''}, and the computation graph</summary><pre class="gradients"><code>${esc(texts)}</code></pre>${figure(s.graph, GRAPH_CAPTION)}</details></section>`;
      }
      return `<section class="backward"><h3>Backward pass of ${inline(s.loss)} with respect to ${s.wrt.map((v) => inline(latexName(v))).join(', ')}</h3>
${figure(s.graph, GRAPH_CAPTION)}
${stepsHtml(s.steps, true)}
<p class="lead">In the input language, over the names defined above${w.options.layout === 'numerator' ? ' (numerator layout: each is the transpose of the gradient)' : ''}:</p><pre class="gradients"><code>${esc(texts)}</code></pre>
<table class="checks"><thead><tr><th>variable</th><th>shape</th><th>max relative error vs finite differences</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`;
    }
    case 'claim':
      if (compact) return claimLineHtml(s.claim, w.file);
      return `<div class="claim">${math(`${s.claim.lhs} ${s.claim.verdict.equal ? '=' : '\\neq'} ${s.claim.rhs}`)}${checkLine(s.claim.dims.text, s.claim.dims.ok)}${verdictHtml(s.claim, 'claim', w.file)}</div>`;
    case 'chain': {
      const lines = s.steps.map((c, k) => `&${c.verdict.equal ? '=' : '\\neq'} ${c.rhs} && (${k + 1})`);
      const tex = `\\begin{aligned} ${s.start} ${lines.join(' \\\\ ')} \\end{aligned}`;
      const items = s.steps
        .map((c) => `<li>${verdictHtml(c, '', w.file)}${checkLine(c.dims.text, c.dims.ok)}</li>`)
        .join('');
      return `<div class="chain">${math(tex)}<ol class="chain-steps">${items}</ol></div>`;
    }
    case 'export':
      return `<p class="export">Exported with <code>matcalc export ${esc(w.file)} --to ${esc(s.target)}</code>.</p>`;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** The page skeleton shared by writeups and the index. */
export function page(title: string, body: string, nav: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="${GENERATED}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="katex/katex.min.css">
<link rel="stylesheet" href="style.css">
</head>
<body>
<nav class="top">${nav}</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The body of a writeup's page. */
function bodyHtml(w: Writeup, render: RenderOptions): string {
  const parts: string[] = [];
  const box = `<aside class="conventions">${proseHtml(conventions(w.options, w.lossName, w.numericChecks > 0).join('\n\n'))}</aside>`;
  let stated = false;
  for (const s of w.sections) {
    if (!stated && s.kind === 'prose') {
      const lines = s.text.split('\n');
      const at = lines.findIndex((l) => l.trim() !== '');
      const first = lines[at] ?? '';
      const title = /^#\s/.test(first);
      const opts = { allowHtml: render.allowHtml, file: w.file };
      if (title) parts.push(proseHtml(first, { ...opts, line: s.line + at }));
      const rest = title ? lines.slice(at + 1) : lines;
      parts.push(box, proseHtml(rest.join('\n'), { ...opts, line: s.line + (title ? at + 1 : 0) }));
      stated = true;
      continue;
    }
    parts.push(sectionHtml(s, w, render));
  }
  if (!stated) parts.unshift(box);
  return parts.join('\n');
}

/** The HTML page of a writeup. */
export function toHtml(w: Writeup, render: RenderOptions): string {
  const nav = `<a href="index.html">← All derivations</a><span>Generated by <code>matcalc derive</code> from <code>${esc(w.file)}</code></span>`;
  return page(`${w.title} — matcalc`, bodyHtml(w, render), nav);
}

/** The writeup as an HTML fragment to paste into a page: its stylesheets linked, the body in one div. */
export function fragment(w: Writeup, render: RenderOptions): string {
  return `<!-- ${GENERATED} from ${esc(w.file).replace(/--/g, '-&#45;')} -->
<link rel="stylesheet" href="katex/katex.min.css">
<link rel="stylesheet" href="style.css">
<div class="matcalc-writeup">
${bodyHtml(w, render)}
</div>
`;
}
