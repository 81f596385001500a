// Server-side math and prose for the HTML writeups: KaTeX in strict mode (a LaTeX string KaTeX would
// merely warn about is an error here), and Markdown prose through markdown-it with `$…$` and `$$…$$` math.
import katex from 'katex';
import markdownIt, { type MarkdownIt, type StateBlock, type StateInline, type Token } from 'markdown-it';
import { ParseError } from '../ir/errors.js';

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

const renderers = new Map<boolean, MarkdownIt>();

/**
 * The prose renderer: CommonMark plus tables and math. Raw HTML is shown as text unless `allowHtml`;
 * links with a script-capable scheme are never links (markdown-it's validateLink).
 */
export function prose(allowHtml = false): MarkdownIt {
  const known = renderers.get(allowHtml);
  if (known) return known;
  const md = markdownIt({ html: allowHtml, linkify: false, typographer: false });
  renderers.set(allowHtml, md);
  md.inline.ruler.after('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.renderer.rules.math_inline = (tokens, idx) => renderMath(tokens[idx].content, false);
  md.renderer.rules.math_block = (tokens, idx) =>
    `<div class="math-display">${renderMath(tokens[idx].content, true)}</div>\n`;
  return md;
}

export interface ProseOptions {
  readonly allowHtml?: boolean;
  /** Where the text starts, so that a formula KaTeX rejects is reported at its file and line. */
  readonly file?: string;
  readonly line?: number;
}

/** KaTeX's own message without the underlined excerpt (combining U+0332) it appends. */
function katexReason(e: unknown): string {
  const raw = (e as { rawMessage?: unknown }).rawMessage;
  const msg = typeof raw === 'string' ? raw : e instanceof Error ? e.message : String(e);
  return msg.replace(/ at position \d+:.*$/s, '').replace(/\u0332/g, '');
}

/** Every formula of the parsed prose rendered once, so a bad one is reported where it is. */
function checkMath(tokens: readonly Token[], text: string, opts: ProseOptions): void {
  const lines = text.split('\n');
  const fail = (tex: string, line: number, display: boolean, e: unknown) => {
    const source = lines[line] ?? '';
    const column = Math.max(1, source.indexOf(tex) - (display ? 1 : 0));
    const shown = tex.length > 60 ? `${tex.slice(0, 57)}...` : tex;
    throw new ParseError(
      `the formula ${display ? '$$' : '$'}${shown}${display ? '$$' : '$'} does not render: ${katexReason(e)}`,
      {
        file: opts.file,
        line: (opts.line ?? 1) + line,
        column,
        source,
      },
    );
  };
  for (const t of tokens) {
    if (t.type === 'math_block') {
      try {
        renderMath(t.content, true);
      } catch (e) {
        fail(t.content.split('\n')[0], t.map?.[0] ?? 0, true, e);
      }
    }
    if (t.type !== 'inline' || !t.children) continue;
    for (const c of t.children) {
      if (c.type !== 'math_inline') continue;
      try {
        renderMath(c.content, false);
      } catch (e) {
        const start = t.map?.[0] ?? 0;
        const before = t.content.slice(0, Math.max(0, t.content.indexOf(`$${c.content}$`)));
        fail(c.content, start + (before.match(/\n/g)?.length ?? 0), false, e);
      }
    }
  }
}

/** Markdown prose as HTML, its math rendered by KaTeX; a formula KaTeX rejects is a ParseError at its line. */
export function proseHtml(text: string, opts: ProseOptions = {}): string {
  const md = prose(opts.allowHtml ?? false);
  const env = {};
  const tokens = md.parse(text, env);
  checkMath(tokens, text, opts);
  return md.renderer.render(tokens, md.options, env);
}
