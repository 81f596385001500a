// A tokenizer that splits text exactly as mathjs's does, so that the node tree mathjs returns (which has no
// positions) can be laid back over the text; it also refuses, with a position, the syntax outside the language.

export interface Token {
  readonly kind: 'num' | 'ident' | 'op' | 'nl';
  readonly text: string;
  /** 0-based offsets into the text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface LexFailure {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export type LexResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | ({ readonly ok: false } & LexFailure);

/** Operators of the language. */
const ALLOWED = new Set([',', '(', ')', '+', '-', '*', '.*', '/', './', '^', '.^', "'"]);

/** mathjs delimiters, longest first within each length. */
const DELIMITERS3 = new Set(['>>>']);
const DELIMITERS2 = new Set(['.*', './', '.^', '^|', '?.', '??', '==', '!=', '<=', '>=', '<<', '>>']);
const DELIMITERS1 = new Set([
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  ';',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '~',
  '!',
  '&',
  '|',
  '=',
  ':',
  '?',
  '<',
  '>',
]);

const STRINGS =
  "strings are not part of the language (a norm's kind is a bare word: `norm(X, fro)`, `norm(x, 1)`)";

/** Why a mathjs delimiter or word is refused. */
function refusal(token: string): string {
  switch (token) {
    case '"':
    case "'":
      return STRINGS;
    case '[':
    case ']':
      return 'matrix literals and indexing (`[`) are not part of the language; build matrices from declared variables';
    case '{':
    case '}':
      return 'objects (`{`) are not part of the language';
    case ';':
      return '`;` is not allowed: the input must be a single expression';
    case '=':
      return 'assignment `=` is not part of an expression';
    case '==':
    case '!=':
    case '<':
    case '>':
    case '<=':
    case '>=':
      return `comparisons (\`${token}\`) are not part of the language`;
    case ':':
      return 'ranges (`:`) are not part of the language';
    case '?':
    case '?.':
    case '??':
      return `conditionals (\`${token}\`) are not part of the language`;
    case '!':
      return 'factorial `!` is not part of the language';
    case '%':
      return '`%` (percentage or modulo) is not part of the language';
    case '.':
      return '`.` is not an operator (did you mean `.*`, `./` or `.^`?)';
    case 'mod':
      return '`mod` is not part of the language';
    case 'to':
    case 'in':
      return `unit conversion (\`${token}\`) is not part of the language`;
    case 'and':
    case 'or':
    case 'xor':
    case 'not':
      return `logical operators (\`${token}\`) are not part of the language`;
    default:
      return `bitwise operators (\`${token}\`) are not part of the language`;
  }
}

const WORD_OPERATORS = new Set(['mod', 'to', 'in', 'and', 'xor', 'or', 'not']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** mathjs's `isAlpha`: latin and greek letters, `_`, `$`, letter-like symbols, and math alphanumerics. */
function isAlphaAt(text: string, i: number): boolean {
  const c = text.charAt(i);
  if (/^[a-zA-Z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]$/.test(c)) return true;
  const high = (h: string, l: string) => h === '\uD835' && l >= '\uDC00' && l <= '\uDFFF';
  return high(c, text.charAt(i + 1)) || high(text.charAt(i - 1), c);
}

const isDecimalMark = (c: string, next: string): boolean =>
  c === '.' && next !== '/' && next !== '*' && next !== '^';

function isWhitespace(c: string, depth: number): boolean {
  return c === ' ' || c === '\t' || c === '\u00A0' || c === '\r' || (c === '\n' && depth > 0);
}

/** Tokens of `text`, or the first piece of syntax outside the language. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0;
  const fail = (message: string, offset: number, length: number): LexResult => ({
    ok: false,
    message,
    offset,
    length,
  });
  const endsOperand = (): boolean => {
    const last = tokens[tokens.length - 1];
    return (
      last !== undefined &&
      (last.kind === 'num' || last.kind === 'ident' || last.text === ')' || last.text === "'")
    );
  };
  while (true) {
    while (true) {
      if (text.charAt(i) === '#') {
        while (i < text.length && text.charAt(i) !== '\n') i++;
      }
      if (i < text.length && isWhitespace(text.charAt(i), depth)) i++;
      else break;
    }
    if (i >= text.length) return { ok: true, tokens };
    const start = i;
    const c = text.charAt(i);
    if (c === '\n') {
      tokens.push({ kind: 'nl', text: c, start, end: ++i });
      continue;
    }
    const c3 = text.slice(i, i + 3);
    const c2 = text.slice(i, i + 2);
    const delimiter = DELIMITERS3.has(c3)
      ? c3
      : DELIMITERS2.has(c2) && (c2 !== '?.' || !isDigit(text.charAt(i + 2)))
        ? c2
        : DELIMITERS1.has(c)
          ? c
          : undefined;
    if (delimiter !== undefined) {
      if (!ALLOWED.has(delimiter) || (delimiter === "'" && !endsOperand())) {
        return fail(refusal(delimiter), start, delimiter.length);
      }
      if (delimiter === '(') depth++;
      if (delimiter === ')') depth = Math.max(0, depth - 1);
      i += delimiter.length;
      tokens.push({ kind: 'op', text: delimiter, start, end: i });
      continue;
    }
    if (isDigit(c) || c === '.') {
      i = scanNumber(text, i);
      if (text.slice(start, i) === '.') return fail(refusal('.'), start, 1);
      tokens.push({ kind: 'num', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (isAlphaAt(text, i)) {
      while (i < text.length && (isAlphaAt(text, i) || isDigit(text.charAt(i)))) i++;
      const word = text.slice(start, i);
      if (WORD_OPERATORS.has(word)) return fail(refusal(word), start, word.length);
      tokens.push({ kind: 'ident', text: word, start, end: i });
      continue;
    }
    return fail(`unexpected character \`${c}\``, start, 1);
  }
}

/** The end of the number starting at `i`, following mathjs (radix prefixes, decimal mark, exponent). */
function scanNumber(text: string, i: number): number {
  const at = (k: number) => text.charAt(k);
  const prefix = text.slice(i, i + 2);
  if (prefix === '0b' || prefix === '0o' || prefix === '0x') {
    i += 2;
    while (isAlphaAt(text, i) || isDigit(at(i))) i++;
    if (at(i) === '.') {
      i++;
      while (isAlphaAt(text, i) || isDigit(at(i))) i++;
    } else if (at(i) === 'i') {
      i++;
      while (isDigit(at(i))) i++;
    }
    return i;
  }
  if (at(i) === '.') {
    i++;
    if (!isDigit(at(i))) return i;
  } else {
    while (isDigit(at(i))) i++;
    if (isDecimalMark(at(i), at(i + 1))) i++;
  }
  while (isDigit(at(i))) i++;
  if ((at(i) === 'e' || at(i) === 'E') && (isDigit(at(i + 1)) || at(i + 1) === '-' || at(i + 1) === '+')) {
    i++;
    if (at(i) === '+' || at(i) === '-') i++;
    while (isDigit(at(i))) i++;
  }
  return i;
}
