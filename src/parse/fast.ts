// A recursive-descent reading of the common part of the input language, straight from text to Expr with
// mathjs's precedence (+ − < * / .* ./ < unary ± < ^ .^ (right, exponent unary) < postfix ' < calls).
// It returns undefined for anything outside that part or anything wrong — implicit products, newlines,
// comments, matrix powers, literal-argument forms it does not know, an undeclared name, a shape error —
// and parseExpr then reads the text through mathjs, so a success here is exactly parseExpr's result and
// every message comes from the careful reading.

import type { Dim } from '../ir/dim.js';
import { dimConst, dimSym } from '../ir/dim.js';
import type { Expr } from '../ir/expr.js';
import { isScalar, isVector } from '../ir/shape.js';
import {
  add,
  apply,
  dimExpr,
  div,
  eye,
  mul,
  neg,
  num,
  ones,
  pow,
  sub,
  times,
  transpose,
  zeros,
} from '../ops/build.js';
import type { OpName } from '../ops/index.js';
import type { Scope } from './decls.js';
import { ELEMENTWISE, FOREIGN_CONSTANTS, mayBeIn, OPERATOR_WORDS, wordHeads } from './names.js';

/** Deeper nesting is left to the careful reading, which knows when it is too deep. */
const MAX_DEPTH = 64;

/**
 * How the fast reading builds a call, by the function's name: `unary`/`binary` the op of that name with one or
 * two arguments, `reduction` over all entries or along a literal dim 1 or 2, `sized` eye/ones/zeros.
 */
type Call = 'unary' | 'binary' | 'reduction' | 'norm' | 'diag' | 'sized';

const callsOf = (kind: Call, names: readonly string[]) => names.map((f): [string, Call] => [f, kind]);
const CALLS: ReadonlyMap<string, Call> = new Map([
  ...callsOf('unary', [...ELEMENTWISE, 'trace', 'det', 'logdet', 'inv', 'vec', 'adj', 'tril', 'transpose']),
  ...callsOf('binary', ['kron', 'max', 'min', 'masked_softmax']),
  ...callsOf('reduction', ['sum', 'mean', 'softmax', 'logsoftmax', 'logsumexp']),
  ...callsOf('norm', ['norm']),
  ...callsOf('diag', ['diag']),
  ...callsOf('sized', ['eye', 'ones', 'zeros']),
]);

const WORD_OPERATORS: ReadonlySet<string> = new Set(OPERATOR_WORDS);
/** Names mathjs reads as operators or constants: most names are told apart from them by length and first letter. */
const SPECIAL_HEADS = wordHeads([...OPERATOR_WORDS, ...FOREIGN_CONSTANTS.keys()]);

/** Thrown to give up; caught by fastParse only. */
const GIVE_UP: unique symbol = Symbol('give up');

const C_TAB = 9;
const C_SPACE = 32;
const C_QUOTE = 39;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_STAR = 42;
const C_PLUS = 43;
const C_COMMA = 44;
const C_MINUS = 45;
const C_DOT = 46;
const C_SLASH = 47;
const C_CARET = 94;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isBlank = (c: number): boolean => c === C_SPACE || c === C_TAB;

class Reader {
  /** The reading position: always at a non-blank character or the end. */
  private i = 0;
  /** The character code at i (NaN at the end). */
  private c: number;
  private depth = 0;
  /** Where the last argument of the last call read starts, and its `)` (for a literal dim, for sizes). */
  private lastArgStart = 0;
  private lastArgEnd = 0;

  constructor(
    private readonly text: string,
    private readonly scope: Scope,
  ) {
    this.c = NaN;
    this.moveTo(0);
  }

  /** Read on from index i, past blanks. */
  private moveTo(i: number): void {
    const t = this.text;
    let c = t.charCodeAt(i);
    while (isBlank(c)) c = t.charCodeAt(++i);
    this.i = i;
    this.c = c;
  }

  /** The whole text as one expression. */
  all(): Expr {
    const e = this.sum();
    if (!Number.isNaN(this.c)) throw GIVE_UP;
    return e;
  }

  private sum(): Expr {
    let e = this.product();
    while (true) {
      const c = this.c;
      if (c === C_PLUS) {
        this.moveTo(this.i + 1);
        e = add(e, this.product());
      } else if (c === C_MINUS) {
        this.moveTo(this.i + 1);
        e = sub(e, this.product());
      } else return e;
    }
  }

  private product(): Expr {
    let e = this.operand();
    while (true) {
      const c = this.c;
      if (c === C_STAR) {
        this.moveTo(this.i + 1);
        e = times(e, this.operand());
      } else if (c === C_SLASH) {
        this.moveTo(this.i + 1);
        const b = this.operand();
        if (!isScalar(b.shape)) throw GIVE_UP;
        e = div(e, b);
      } else if (c === C_DOT) {
        const next = this.text.charCodeAt(this.i + 1);
        if (next === C_STAR) {
          this.moveTo(this.i + 2);
          e = mul(e, this.operand());
        } else if (next === C_SLASH) {
          this.moveTo(this.i + 2);
          e = div(e, this.operand());
        } else return e;
      } else return e;
    }
  }

  /** A factor of a product; juxtaposed factors (implicit products) are left to the careful reading. */
  private operand(): Expr {
    const e = this.unary();
    const c = this.c;
    if (isIdentPart(c) || c === C_LPAREN || (c === C_DOT && isDigit(this.text.charCodeAt(this.i + 1))))
      throw GIVE_UP;
    return e;
  }

  private unary(): Expr {
    const c = this.c;
    if (c !== C_MINUS && c !== C_PLUS) return this.power();
    this.moveTo(this.i + 1);
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const a = this.unary();
    this.depth--;
    return c === C_MINUS ? neg(a) : a;
  }

  private power(): Expr {
    const base = this.postfix();
    const c = this.c;
    const dotted = c === C_DOT && this.text.charCodeAt(this.i + 1) === C_CARET;
    if (c !== C_CARET && !dotted) return base;
    this.moveTo(this.i + (dotted ? 2 : 1));
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const p = this.unary();
    this.depth--;
    if (dotted) return pow(base, p);
    // a matrix power needs its integer literal, which the careful reading finds
    if (!isScalar(base.shape) || !isScalar(p.shape)) throw GIVE_UP;
    return pow(base, p);
  }

  private postfix(): Expr {
    let e = this.primary();
    while (this.c === C_QUOTE) {
      this.moveTo(this.i + 1);
      e = transpose(e);
    }
    return e;
  }

  private primary(): Expr {
    const c = this.c;
    if (c === C_LPAREN) {
      this.moveTo(this.i + 1);
      if (++this.depth > MAX_DEPTH) throw GIVE_UP;
      const e = this.sum();
      this.depth--;
      if (this.c !== C_RPAREN) throw GIVE_UP;
      this.moveTo(this.i + 1);
      return e;
    }
    if (isDigit(c) || c === C_DOT) return num(this.number());
    if (!isIdentStart(c)) throw GIVE_UP;
    const name = this.identifier();
    if (this.c === C_LPAREN) {
      this.moveTo(this.i + 1);
      return this.call(name);
    }
    return this.resolve(name);
  }

  private identifier(): string {
    const t = this.text;
    const start = this.i;
    let i = start + 1;
    let c = t.charCodeAt(i);
    while (isIdentPart(c)) c = t.charCodeAt(++i);
    // `$` and letters beyond ASCII continue a name for mathjs
    if (c === 36 || c > 127) throw GIVE_UP;
    const name = t.slice(start, i);
    this.moveTo(i);
    if (mayBeIn(SPECIAL_HEADS, name) && WORD_OPERATORS.has(name)) throw GIVE_UP;
    return name;
  }

  /** A decimal literal: digits, an optional fraction, an optional exponent. */
  private number(): number {
    const t = this.text;
    const start = this.i;
    let i = start;
    while (isDigit(t.charCodeAt(i))) i++;
    if (t.charCodeAt(i) === C_DOT) {
      const next = t.charCodeAt(i + 1);
      if (isDigit(next)) {
        i++;
        while (isDigit(t.charCodeAt(i))) i++;
      } else if (next !== C_STAR && next !== C_SLASH && next !== C_CARET) throw GIVE_UP;
    }
    if (i === start) throw GIVE_UP;
    const e = t.charCodeAt(i);
    if (e === 69 || e === 101) {
      let k = i + 1;
      const sign = t.charCodeAt(k);
      if (sign === C_PLUS || sign === C_MINUS) k++;
      if (isDigit(t.charCodeAt(k))) {
        while (isDigit(t.charCodeAt(k))) k++;
        i = k;
      } else if (k !== i + 1) throw GIVE_UP;
    }
    const v = Number(t.slice(start, i));
    this.moveTo(i);
    if (!Number.isFinite(v)) throw GIVE_UP;
    return v;
  }

  private resolve(name: string): Expr {
    const { scope } = this;
    // mathjs reads true, NaN, Infinity… as constants, not names
    if (mayBeIn(SPECIAL_HEADS, name) && FOREIGN_CONSTANTS.has(name)) throw GIVE_UP;
    const def = scope.defs.size > 0 ? scope.defs.get(name) : undefined;
    if (def) return def;
    const v = scope.vars.get(name);
    if (v) return v;
    if (scope.dims.has(name)) return dimExpr(dimSym(name));
    throw GIVE_UP;
  }

  /** The arguments of a call whose `(` was read. */
  private args(): Expr[] {
    const exprs: Expr[] = [];
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    if (this.c === C_RPAREN) {
      this.moveTo(this.i + 1);
    } else {
      while (true) {
        const start = this.i;
        exprs.push(this.sum());
        const c = this.c;
        this.lastArgStart = start;
        this.lastArgEnd = this.i;
        this.moveTo(this.i + 1);
        if (c === C_RPAREN) break;
        if (c !== C_COMMA) throw GIVE_UP;
      }
    }
    this.depth--;
    return exprs;
  }

  /** The value of text[from, to) when it is a bare run of digits before blanks, else undefined. */
  private integerBetween(from: number, to: number): number | undefined {
    const t = this.text;
    let b = to;
    while (b > from && isBlank(t.charCodeAt(b - 1))) b--;
    if (from === b) return undefined;
    for (let k = from; k < b; k++) if (!isDigit(t.charCodeAt(k))) return undefined;
    return Number(t.slice(from, b));
  }

  private call(name: string): Expr {
    const start = this.i;
    const kind = CALLS.get(name);
    if (kind === undefined) throw GIVE_UP;
    const exprs = this.args();
    const n = exprs.length;
    const a = exprs[0];
    switch (kind) {
      case 'unary':
        if (n === 1) return apply(name as OpName, exprs);
        break;
      case 'binary':
        if (n === 2) return apply(name as OpName, exprs);
        break;
      case 'reduction': {
        if (n === 1) return apply(name as OpName, exprs, { dim: 0 });
        const dim = n === 2 ? this.integerBetween(this.lastArgStart, this.lastArgEnd) : undefined;
        if (dim === 1 || dim === 2) return apply(name as OpName, [a], { dim });
        break;
      }
      case 'norm':
        if (n === 1) return apply('norm', exprs);
        break;
      case 'diag':
        if (n !== 1) break;
        if (isVector(a.shape)) return apply('diagm', exprs);
        if (a.shape.rows === a.shape.cols) return apply('diagv', exprs);
        break;
      case 'sized':
        return this.sized(name as 'eye' | 'ones' | 'zeros', start, n);
      default: {
        const never: never = kind;
        return never;
      }
    }
    throw GIVE_UP;
  }

  /** eye(n), ones(m, n), zeros(m): sizes that are declared dim names or positive integers. */
  private sized(name: 'eye' | 'ones' | 'zeros', start: number, n: number): Expr {
    if (n < 1 || n > (name === 'eye' ? 1 : 2)) throw GIVE_UP;
    const inner = this.text.slice(start, this.lastArgEnd).split(',');
    if (n !== inner.length) throw GIVE_UP;
    const dims = inner.map((w): Dim => {
      const word = w.trim();
      if (/^[0-9]+$/.test(word)) {
        const k = Number(word);
        if (k >= 1 && Number.isSafeInteger(k)) return dimConst(k);
      } else if (this.scope.dims.has(word)) return dimSym(word);
      throw GIVE_UP;
    });
    if (name === 'eye') return eye(dims[0]);
    const cols = dims[1] ?? dimConst(1);
    return name === 'ones' ? ones(dims[0], cols) : zeros(dims[0], cols);
  }
}

/** parseExpr's result when the text is in the common part of the language and right, else undefined. */
export function fastParse(text: string, scope: Scope): Expr | undefined {
  try {
    return new Reader(text, scope).all();
  } catch (e) {
    if (e === GIVE_UP || e instanceof Error) return undefined;
    throw e;
  }
}
