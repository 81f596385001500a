// Server-side math and prose for the HTML writeups: KaTeX in strict mode (a LaTeX string KaTeX would
// merely warn about is an error here), and Markdown prose through markdown-it with `$…$` and `$$…$$` math.
import katex from 'katex';
import markdownIt, { type MarkdownIt, type StateBlock, type StateInline } from 'markdown-it';

/** KaTeX HTML for one LaTeX string; throws on anything KaTeX's strict mode rejects. */
export function renderMath(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { strict: 'error', throwOnError: true, displayMode });
}

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** `$…$`: no space just inside the dollars, and no digit right after the closing one (so `$5 and $6` is text). */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== DOLLAR || src.charCodeAt(start + 1) === DOLLAR) return false;
  if (/\s/.test(src[start + 1] ?? ' ')) return false;
  let end = start + 1;
  while (end < state.posMax) {
    const c = src.charCodeAt(end);
    if (c === BACKSLASH) end += 2;
    else if (c === DOLLAR) break;
    else end++;
  }
  if (end >= state.posMax || /\s/.test(src[end - 1]) || /[0-9]/.test(src[end + 1] ?? '')) return false;
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.content = src.slice(start + 1, end);
  }
  state.pos = end + 1;
  return true;
}

/** `$$` on a line of its own (or `$$ … $$` on one line) up to the line that ends with `$$`. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (n: number) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  const first = lineText(startLine);
  if (!first.startsWith('$$')) return false;
  if (silent) return true;
  let body: string[];
  let last = startLine;
  const rest = first.slice(2);
  if (rest.trim().endsWith('$$')) {
    body = [rest.trim().slice(0, -2)];
  } else {
    body = [rest];
    let found = false;
    for (let n = startLine + 1; n < endLine; n++) {
      const t = lineText(n);
      if (t.trim().endsWith('$$')) {
        body.push(t.trim().slice(0, -2));
        last = n;
        found = true;
        break;
      }
      body.push(t);
    }
    if (!found) return false;
  }
  state.line = last + 1;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = body.join('\n').trim();
  token.map = [startLine, state.line];
  return true;
}

let md: MarkdownIt | undefined;

/** The prose renderer: CommonMark plus tables, raw HTML kept (derivation files are the author's own). */
export function prose(): MarkdownIt {
  if (md) return md;
  md = markdownIt({ html: true, linkify: false, typographer: false });
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.renderer.rules.math_inline = (tokens, idx) => renderMath(tokens[idx].content, false);
  md.renderer.rules.math_block = (tokens, idx) =>
    `<div class="math-display">${renderMath(tokens[idx].content, true)}</div>\n`;
  return md;
}

/** Markdown prose as HTML, its math rendered by KaTeX. */
export function proseHtml(text: string): string {
  return prose().render(text);
}
