// The error classes of matcalc. Each carries what went wrong and, where input text is at fault, where;
// only cli/ turns them into messages and exit codes.

/** A position in some input text: 1-based line and column, plus the source it refers to. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
  readonly source?: string;
  readonly file?: string;
  /** Number of characters the caret should cover (default 1). */
  readonly length?: number;
}

/** Longest word (a name, a number) a message repeats whole, and longest message. */
const MAX_WORD = 64;
const MAX_MESSAGE = 600;

const LONG_WORD = new RegExp(`\\S{${MAX_WORD + 1},}`, 'g');

/** Control characters as escapes, so echoed input cannot break a message over lines. */
function visible(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is replaced
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\t'
        ? '\\t'
        : c === '\r'
          ? '\\r'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A message is one line of reasonable length even when it echoes hostile input: control characters
 * escaped, words longer than MAX_WORD cut around `…`, the whole cut at MAX_MESSAGE.
 */
export function cutMessage(message: string): string {
  const words = visible(message).replace(LONG_WORD, (w) => `${w.slice(0, 40)}…${w.slice(-(MAX_WORD - 41))}`);
  return words.length > MAX_MESSAGE ? `${words.slice(0, MAX_MESSAGE - 1)}…` : words;
}

export class MatcalcError extends Error {
  constructor(
    message: string,
    public pos?: SourcePos,
  ) {
    super(cutMessage(message));
    this.name = new.target.name;
  }
}

/** Two shapes that an op cannot combine, or an op applied to a shape it does not accept. */
export class ShapeError extends MatcalcError {}
/** Text that does not parse, an unknown function or symbol, a wrong argument count. */
export class ParseError extends MatcalcError {}
/** A malformed declaration (`X: n x`), a duplicate or reserved name. */
export class DeclarationError extends MatcalcError {}
/** Values that do not fit the declarations: wrong sizes, inconsistent dims, non-numbers. */
export class ValueError extends MatcalcError {}
/** A size or depth limit the engine refuses to exceed. */
export class LimitError extends MatcalcError {}
/** A numeric problem: a singular matrix where an inverse is needed. */
export class NumericError extends MatcalcError {}
/** Output that cannot be written: a closed standard output, a file that exists, a directory denied. */
export class OutputError extends MatcalcError {}
/** Bad command-line usage. */
export class UsageError extends MatcalcError {}
