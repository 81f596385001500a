// A Writeup as Markdown for a blog or a repository: the prose as written (raw HTML and script links
// neutralised unless allowed), each matcalc block followed by its expansion, in one of three flavours:
// github (`$`…`$` inline math), kramdown as Jekyll runs it (`$$…$$` for inline and display math), plain.
import { latexName } from '../emit/latex.js';
import { GENERATED } from './files.js';
import { sanitizeProse } from './sanitize.js';
import type { RenderOptions } from './site.js';
import type { Equation, Step } from './steps.js';
import { conventions, equationTex, errorBound, mark, stepHeading, verdictLine } from './wording.js';
import type { Claimed, Section, Writeup } from './writeup.js';

export type Flavor = 'github' | 'kramdown' | 'plain';

/** Plain text made safe for Markdown (and for a table cell). */
export function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]<>|$]/g, (c) => `\\${c}`);
}

/** Text whose `code spans` are kept and the rest escaped: diagnoses quote expressions that way. */
export function textMd(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeMd(part)))
    .join('');
}

/** A code span around any text (a fence longer than any run of backticks inside). */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A file name as a relative URL path segment: nothing in it can act as a scheme or break the link. */
export function urlName(name: string): string {
  return encodeURIComponent(name).replace(
    /[()'!*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Text that cannot end or nest an HTML comment. */
export function commentText(text: string): string {
  return text.replace(/--/g, '-%2D').replace(/[<>\r\n]/g, (c) => encodeURIComponent(c));
}

/** Jekyll front matter; the title as a JSON string, which YAML reads as is. */
export function frontMatter(title: string): string {
  return `---\nlayout: post\ntitle: ${JSON.stringify(title)}\nmathjax: true\n---\n`;
}

/** Inline math in this flavour; `|` written `\vert` so that a table cell is not split. */
export function mathMd(tex: string, flavor: Flavor): string {
  const t = tex.replace(/\\\|/g, '\\Vert ').replace(/\|/g, '\\vert ');
  if (flavor === 'github') return `$\`${t}\`$`;
  if (flavor === 'kramdown') return `$$${t}$$`;
  return `$${t}$`;
}

const display = (tex: string): string => `$$\n${tex}\n$$`;

/**
 * Prose with its inline `$…$` math in this flavour (kramdown reads only `$$`); fenced code, code spans and
 * display math untouched. The same rules as the HTML renderer decide what is math.
 */
export function proseMath(text: string, flavor: Flavor): string {
  if (flavor === 'plain') return text;
  const out: string[] = [];
  let chunk: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    if (chunk.length === 0) return;
    out.push(
      chunk
        .join('\n')
        .replace(
          /(`+)[\s\S]*?\1|\\\$|\$\$[\s\S]*?\$\$|\$(?=\S)((?:\\.|[^$\\]|\n(?!\s*\n))*?\S)\$(?!\d)/g,
          (m: string, _ticks: string | undefined, body: string | undefined) =>
            body === undefined ? m : mathMd(body.replace(/\n/g, ' '), flavor),
        ),
    );
    chunk = [];
  };
  for (const line of text.split('\n')) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      out.push(line);
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (open) {
      flush();
      fence = open[1];
      out.push(line);
      continue;
    }
    chunk.push(line);
  }
  flush();
  return out.join('\n');
}

function dimsLine(text: string, notes: readonly (string | undefined)[] = []): string {
  const rest = notes.filter((n): n is string => !!n).map(escapeMd);
  return [codeSpan(text), ...rest].join(' · ');
}

/** Rows of an aligned block: `lhs &= rhs && column && column`. */
export function alignedTex(rows: readonly Equation[], forward: boolean): string {
  const lines = rows.map((eq) => {
    const rules = eq.rules?.length ? ` && ${eq.rules.join(',\\ ')}` : forward ? '' : ' &&';
    return `${eq.lhs} &= ${eq.forms.join(' = ')} &&\\quad ${eq.dims.tex}${rules}`;
  });
  return `\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}`;
}

function stepsMd(steps: readonly Step[], numbered: boolean, flavor: Flavor): string[] {
  const out: string[] = [];
  steps.forEach((step, i) => {
    if (numbered) {
      const at = step.node ? ` — at ${mathMd(step.node, flavor)}` : '';
      out.push(
        `**${step.kind === 'result' ? 'Result' : `Step ${i + 1}`}: ${escapeMd(stepHeading(step))}**${at}`,
      );
    }
    for (const eq of step.equations) {
      out.push(display(equationTex(eq, step.kind === 'forward')));
      out.push(dimsLine(eq.dims.text, [eq.note]));
    }
  });
  return out;
}

/** A claim as one line: ✓ or ✗, the claim as inline math (`≠` when it fails), the verdict. */
function claimLine(c: Claimed, flavor: Flavor, label?: string): string {
  const rel = c.verdict.equal ? '=' : '\\neq';
  const what = label ? `**${label}** ` : '';
  return `${mark(c.verdict.equal)} ${what}${mathMd(`${c.lhs} ${rel} ${c.rhs}`, flavor)} ${textMd(verdictLine(c.verdict))} · ${codeSpan(c.dims.text)}`;
}

function chainTex(s: Extract<Section, { kind: 'chain' }>): string {
  const lines = s.steps.map((c, k) => `&${c.verdict.equal ? '=' : '\\neq'} ${c.rhs} && (${k + 1})`);
  return `\\begin{aligned} ${s.start} ${lines.join(' \\\\ ')} \\end{aligned}`;
}

function sectionMd(
  s: Section,
  w: Writeup,
  graphFile: (k: number) => string,
  graphs: { n: number },
  render: RenderOptions,
): string[] {
  const flavor = render.flavor;
  const compact = w.options.style === 'compact';
  switch (s.kind) {
    case 'prose': {
      const text = render.allowHtml ? s.text : sanitizeProse(s.text);
      return [proseMath(text, flavor).trim()];
    }
    case 'source':
      return [s.text];
    case 'let': {
      const quals = s.vars.some((v) => v.qualifiers.length > 0);
      const head = quals
        ? '| variable | shape | qualifiers |\n|---|---|---|'
        : '| variable | shape |\n|---|---|';
      const rows = s.vars.map(
        (v) => `| ${mathMd(v.latex, flavor)} | ${v.shape} |${quals ? ` ${v.qualifiers.join(', ')} |` : ''}`,
      );
      return [`${head}\n${rows.join('\n')}`];
    }
    case 'forward': {
      const title = s.first ? '**Forward pass: definitions and shapes.**' : '**Definitions and shapes.**';
      const body = compact
        ? [
            display(
              alignedTex(
                s.steps.flatMap((st) => st.equations),
                true,
              ),
            ),
          ]
        : stepsMd(s.steps, false, flavor);
      const out = [title, ...body];
      if (s.graph !== undefined) out.push(`![The computation graph](${urlName(graphFile(graphs.n++))})`);
      return out;
    }
    case 'grad': {
      const graph = `![The computation graph: inputs on the left, the loss on the right; the variables differentiated are highlighted](${urlName(graphFile(graphs.n++))})`;
      const head = `**Backward pass** of ${mathMd(s.loss, flavor)} with respect to ${s.wrt.map((v) => mathMd(latexName(v), flavor)).join(', ')}.`;
      const body =
        compact && s.compact ? [display(alignedTex(s.compact, false))] : stepsMd(s.steps, true, flavor);
      const table = `| variable | shape | max relative error vs finite differences | |\n|---|---|---|---|\n${s.checks
        .map((c) => `| ${c.variable} | ${c.shape} | ${errorBound(c.relError)} | ${mark(c.ok)} |`)
        .join('\n')}`;
      const texts = `\`\`\`text\n${s.texts.map((t) => `∂${s.lossName}/∂${t.variable} = ${t.text}`).join('\n')}\n\`\`\``;
      const lead = `In the input language, over the names defined above${w.options.layout === 'numerator' ? ' (numerator layout: each is the transpose of the gradient)' : ''}:`;
      return compact
        ? [head, ...body, table, lead, texts, graph]
        : [head, graph, ...body, lead, texts, table];
    }
    case 'claim':
      return compact
        ? [claimLine(s.claim, flavor, 'claim')]
        : [
            display(`${s.claim.lhs} ${s.claim.verdict.equal ? '=' : '\\neq'} ${s.claim.rhs}`),
            claimLine(s.claim, flavor, 'claim'),
          ];
    case 'chain': {
      const items = s.steps.map(
        (c, k) =>
          `- ${mark(c.verdict.equal)} **step ${k + 1}** ${textMd(verdictLine(c.verdict))} · ${codeSpan(c.dims.text)}${c.reason ? ` — ${escapeMd(c.reason)}` : ''}`,
      );
      return [display(chainTex(s)), items.join('\n')];
    }
    case 'export':
      return [`*Exported with* ${codeSpan(`matcalc export ${w.file} --to ${s.target}`)}.`];
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** The Markdown page of a writeup; `graphFile(k)` names the SVG file of its k-th graph. */
export function toMarkdown(w: Writeup, graphFile: (k: number) => string, render: RenderOptions): string {
  const parts: string[] = [
    `${render.frontMatter ? frontMatter(w.title) : ''}<!-- ${GENERATED} from ${commentText(w.file)}: edit that file, not this one. -->`,
  ];
  const graphs = { n: 0 };
  const box = conventions(w.options, w.lossName, w.numericChecks > 0)
    .map((c) => `> ${proseMath(c, render.flavor)}`)
    .join('\n>\n');
  let stated = false;
  for (const s of w.sections) {
    const md = sectionMd(s, w, graphFile, graphs, render);
    if (!stated && s.kind === 'prose') {
      // The conventions go right under the title.
      const [first, ...rest] = md[0].split('\n');
      const title = /^#\s/.test(first);
      parts.push(...(title ? [first] : []), box);
      const body = (title ? rest : [first, ...rest]).join('\n').trim();
      if (body) parts.push(body);
      stated = true;
      continue;
    }
    parts.push(...md);
  }
  if (!stated) parts.splice(1, 0, box);
  return `${parts.join('\n\n')}\n`;
}
