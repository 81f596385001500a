// The common case of declarations, read in one pass over the characters without building messages:
// `name: d`, `name: m x n`, `name: scalar`, qualifiers, separated by `;` or newlines. Returns undefined for
// anything else or anything wrong (comments, `×`, `3x4`, any character beyond ASCII names, digits, blanks
// and `:;,`, a name clash…), and parseDecls then reads the text the careful way, so every success here is
// exactly what parseDecls would return and every error comes from parseDecls.
import { type Dim, dimConst, dimSym, ONE } from '../ir/dim.js';
import { declareVariables, type Qualifier, type VarExpr } from '../ir/expr.js';
import { SCALAR, type Shape, shape } from '../ir/shape.js';
import type { Scope } from './decls.js';
import { isQualifier, reservedReason } from './names.js';

const C_TAB = 9;
const C_NEWLINE = 10;
const C_SPACE = 32;
const C_COMMA = 44;
const C_COLON = 58;
const C_SEMICOLON = 59;
const C_X = 120;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isBlank = (c: number): boolean => c === C_SPACE || c === C_TAB;

const NO_QUALIFIERS: readonly Qualifier[] = Object.freeze([]);
/** Past this many statements the careful reading, linear in them, takes over (`taken` scans the names read). */
const MAX_STATEMENTS = 64;

/** Thrown to give the text to the careful reading; caught by declsFast only. */
const GIVE_UP: unique symbol = Symbol('give up');

class DeclReader {
  private i = 0;
  readonly vars: Map<string, VarExpr>;
  readonly dims: Set<string>;
  /** The name of the statement being read. */
  private current = '';
  /** The statements read, made into variables together at the end (ir/intern.ts declareVariables). */
  private readonly names: string[] = [];
  private readonly shapes: Shape[] = [];
  private readonly qualifiers: (readonly Qualifier[])[] = [];

  constructor(
    private readonly text: string,
    private readonly base: Scope,
  ) {
    // copying an empty collection still walks the iterator protocol
    this.vars = base.vars.size === 0 ? new Map() : new Map(base.vars);
    this.dims = base.dims.size === 0 ? new Set() : new Set(base.dims);
  }

  read(): void {
    const t = this.text;
    while (this.i < t.length) {
      this.blanks();
      const c = t.charCodeAt(this.i);
      if (c === C_SEMICOLON || c === C_NEWLINE) this.i++;
      else if (this.i < t.length) this.statement();
    }
    const made = declareVariables(this.names, this.shapes, this.qualifiers);
    for (let k = 0; k < made.length; k++) this.vars.set(this.names[k], made[k]);
  }

  private blanks(): void {
    const t = this.text;
    while (this.i < t.length && isBlank(t.charCodeAt(this.i))) this.i++;
  }

  /** A run of letters, digits and `_` (possibly empty). */
  private word(): string {
    const t = this.text;
    const start = this.i;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (!isLetter(c) && !isDigit(c)) break;
      this.i++;
    }
    return t.slice(start, this.i);
  }

  /** At the end of a statement: the text's end, `;` or a newline. */
  private atEnd(): boolean {
    const c = this.text.charCodeAt(this.i);
    return Number.isNaN(c) || c === C_SEMICOLON || c === C_NEWLINE;
  }

  /** A variable of the base or of an earlier statement, a definition, or the statement's own name. */
  private taken(name: string): boolean {
    const { defs } = this.base;
    return (
      name === this.current ||
      this.names.includes(name) ||
      this.vars.has(name) ||
      (defs.size > 0 && defs.has(name))
    );
  }

  /** `name: DIMS [qualifiers]`, the blanks before it read. */
  private statement(): void {
    if (this.names.length >= MAX_STATEMENTS) throw GIVE_UP;
    const name = this.word();
    if (name === '' || !isLetter(name.charCodeAt(0)) || reservedReason(name) !== undefined) throw GIVE_UP;
    if (this.taken(name) || this.dims.has(name)) throw GIVE_UP;
    this.current = name;
    this.blanks();
    if (this.text.charCodeAt(this.i) !== C_COLON) throw GIVE_UP;
    this.i++;
    this.blanks();
    const first = this.word();
    this.separator();
    let shp: Shape = SCALAR;
    if (first === 'scalar') {
      if (this.isX()) throw GIVE_UP;
    } else if (this.isX()) {
      this.i++;
      this.separator();
      const rows = this.dim(first);
      const second = this.word();
      this.separator();
      shp = shape(rows, this.dim(second));
    } else {
      shp = shape(this.dim(first), ONE);
    }
    let qualifiers: readonly Qualifier[] = NO_QUALIFIERS;
    while (!this.atEnd()) {
      const q = this.word();
      if (q === '') {
        if (this.text.charCodeAt(this.i) !== C_COMMA) throw GIVE_UP;
        this.i++;
        this.blanks();
        continue;
      }
      if (!isQualifier(q)) throw GIVE_UP;
      if ((q === 'symmetric' || q === 'spd') && shp.rows !== shp.cols) throw GIVE_UP;
      qualifiers = [...qualifiers, q];
      const c = this.text.charCodeAt(this.i);
      if (c === C_COMMA) this.i++;
      else if (!this.atEnd() && !isBlank(c)) throw GIVE_UP;
      this.blanks();
    }
    this.names.push(name);
    this.shapes.push(shp);
    this.qualifiers.push(qualifiers);
  }

  /** After a dims word: blanks, or the statement's end (a word glued to `,`, `:`… is the careful reading's). */
  private separator(): void {
    const c = this.text.charCodeAt(this.i);
    if (isBlank(c)) this.blanks();
    else if (!this.atEnd()) throw GIVE_UP;
  }

  /** The next word is a lone `x` (the separator of `m x n`). */
  private isX(): boolean {
    const t = this.text;
    if (t.charCodeAt(this.i) !== C_X) return false;
    const c = t.charCodeAt(this.i + 1);
    return !isLetter(c) && !isDigit(c);
  }

  /** A dimension word: a positive integer or a new-or-known dim name. */
  private dim(w: string): Dim {
    if (w === '') throw GIVE_UP;
    if (isDigit(w.charCodeAt(0))) {
      for (let k = 1; k < w.length; k++) if (!isDigit(w.charCodeAt(k))) throw GIVE_UP;
      const n = Number(w);
      if (n < 1 || !Number.isSafeInteger(n)) throw GIVE_UP;
      return dimConst(n);
    }
    // `nxd` may be a glued `n x d`: the careful reading decides
    if (w === 'x' || w === 'scalar' || w.indexOf('x', 1) > 0) throw GIVE_UP;
    if (reservedReason(w) !== undefined || this.taken(w)) throw GIVE_UP;
    this.dims.add(w);
    return dimSym(w);
  }
}

/** The scope parseDecls would return, or undefined when the text needs the careful reading. */
export function declsFast(text: string, base: Scope): Scope | undefined {
  const r = new DeclReader(text, base);
  try {
    r.read();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
  return Object.freeze({ vars: r.vars, dims: r.dims, defs: base.defs });
}
