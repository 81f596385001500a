// Source positions for messages: offsets → 1-based line:column, quoting a span of the input, and the
// caret picture the CLI prints under the offending text.
import type { SourcePos } from '../ir/errors.js';

/** The position of `offset` (0-based, into `source`) as a 1-based line and column. */
export function posAt(source: string, offset: number, length = 1): SourcePos {
  const at = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < at; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1, source, length: Math.max(1, length) };
}

/** A span of the input as it reads in a message: whitespace runs collapsed, long spans elided in the middle. */
export function quote(source: string, start: number, end: number, max = 60): string {
  const text = source.slice(start, end).replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const half = Math.floor((max - 3) / 2);
  return `${text.slice(0, half)} … ${text.slice(text.length - half)}`;
}

/** Longest source line shown whole under a message; longer ones are cut to this many characters around the caret. */
const CARET_WINDOW = 100;

/**
 * The source line of `pos` and a caret line under it:
 *
 *     X*W + b
 *      ^
 *
 * Tabs before the column are kept so the caret lines up; the carets cover `length` characters, clipped to
 * the line (at least one). Empty when the position carries no source.
 */
export function formatCaret(pos: SourcePos): string {
  if (pos.source === undefined) return '';
  const lines = pos.source.split('\n');
  const full = (lines[pos.line - 1] ?? '').replace(/\r$/, '');
  // A long line (a generated expression on one line) is shown as a window around the column.
  const start =
    full.length > CARET_WINDOW
      ? Math.max(0, Math.min(pos.column - 1 - CARET_WINDOW / 2, full.length - CARET_WINDOW))
      : 0;
  const end = Math.min(full.length, start + CARET_WINDOW);
  const text = `${start > 0 ? '…' : ''}${full.slice(start, end)}${end < full.length ? '…' : ''}`;
  const col = Math.max(1, pos.column - start + (start > 0 ? 1 : 0));
  const pad = [...text.slice(0, col - 1)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  const pastEnd = Math.max(0, col - 1 - text.length);
  const width = Math.max(1, Math.min(pos.length ?? 1, text.length - (col - 1)));
  return `${text}\n${pad}${' '.repeat(pastEnd)}${'^'.repeat(width)}`;
}

/**
 * A position inside a snippet (an expression or a `let` line cut out of a larger file) as a position in
 * the file: `origin` is where the snippet starts there; the column shifts only on the snippet's first line.
 */
export function relocate(
  pos: SourcePos,
  origin: {
    readonly line: number;
    readonly column?: number;
    readonly source: string;
    readonly file?: string;
  },
): SourcePos {
  const column = pos.line === 1 ? pos.column + (origin.column ?? 1) - 1 : pos.column;
  return {
    ...pos,
    line: pos.line + origin.line - 1,
    column,
    source: origin.source,
    file: origin.file ?? pos.file,
  };
}
