// The common case of declarations, read in one pass over the characters without building messages:
// `name: d`, `name: m x n`, `name: scalar`, qualifiers, separated by `;` or newlines. Returns undefined for
// anything else or anything wrong (comments, `×`, `3x4`, any character beyond ASCII names, digits, blanks
// and `:;,`, a name clash…), and parseDecls then reads the text the careful way, so every success here is
// exactly what parseDecls would return and every error comes from parseDecls.
import { type Dim, dimConst, dimSym, ONE } from '../ir/dim.js';
import { declareVariables, type Qualifier, type VarExpr } from '../ir/expr.js';
import { SCALAR, type Shape, shape } from '../ir/shape.js';
import type { Scope } from './decls.js';
import { isQualifier, mayBeReserved, reservedReason } from './names.js';

const C_TAB = 9;
const C_NEWLINE = 10;
const C_SPACE = 32;
const C_COMMA = 44;
const C_COLON = 58;
const C_SEMICOLON = 59;
const C_X = 120;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordChar = (c: number): boolean => isLetter(c) || isDigit(c);
const isBlank = (c: number): boolean => c === C_SPACE || c === C_TAB;
/** The text's end (NaN), `;` or a newline. */
const endsStatement = (c: number): boolean => Number.isNaN(c) || c === C_SEMICOLON || c === C_NEWLINE;

/** The first index from i on that is not a blank. */
function skipBlanks(t: string, i: number): number {
  while (isBlank(t.charCodeAt(i))) i++;
  return i;
}

/** The end of the run of letters, digits and `_` from i on (i itself when there is none). */
function wordEnd(t: string, i: number): number {
  while (isWordChar(t.charCodeAt(i))) i++;
  return i;
}

const NO_QUALIFIERS: readonly Qualifier[] = Object.freeze([]);
/** Past this many statements the careful reading, linear in them, takes over (`taken` scans the names read). */
const MAX_STATEMENTS = 64;
/** Integers of at most this many digits are exact when summed digit by digit. */
const EXACT_DIGITS = 15;

/** The names a text has given a role so far: its variables, and its dims with the Dim of each. */
class Roles {
  /** The name of the statement being read. */
  current = '';
  readonly names: string[] = [];
  readonly shapes: Shape[] = [];
  readonly qualifiers: (readonly Qualifier[])[] = [];
  /** Every dim name the text mentions (also those of the base), in the order first met. */
  readonly dimNames: string[] = [];
  private readonly dims: Dim[] = [];

  constructor(private readonly base: Scope) {}

  /** A variable of the base or of an earlier statement, a definition, or the statement's own name. */
  taken(name: string): boolean {
    const { vars, defs } = this.base;
    return (
      name === this.current ||
      this.names.includes(name) ||
      (vars.size > 0 && vars.has(name)) ||
      (defs.size > 0 && defs.has(name))
    );
  }

  isDim(name: string): boolean {
    const { dims } = this.base;
    return this.dimNames.includes(name) || (dims.size > 0 && dims.has(name));
  }

  /** The dim word t[start, end): a positive integer or a new-or-known dim name; undefined when refused. */
  dim(t: string, start: number, end: number): Dim | undefined {
    if (end === start) return undefined;
    if (isDigit(t.charCodeAt(start))) return size(t, start, end);
    const met = this.metBefore(t, start, end);
    if (met !== undefined) return met;
    const w = t.slice(start, end);
    // `nxd` may be a glued `n x d`: the careful reading decides
    if (w === 'x' || w === 'scalar' || w.indexOf('x', 1) > 0) return undefined;
    if ((mayBeReserved(w) && reservedReason(w) !== undefined) || this.taken(w)) return undefined;
    const d = dimSym(w);
    this.dimNames.push(w);
    this.dims.push(d);
    return d;
  }

  /**
   * The dim of t[start, end) when an earlier word of the text brought it in: it passed the checks then, and
   * a later statement naming it is refused, so it passes them still; the word is not sliced again.
   */
  private metBefore(t: string, start: number, end: number): Dim | undefined {
    const names = this.dimNames;
    const length = end - start;
    search: for (let k = 0; k < names.length; k++) {
      const s = names[k];
      if (s.length !== length) continue;
      for (let j = 0; j < length; j++) if (s.charCodeAt(j) !== t.charCodeAt(start + j)) continue search;
      return this.dims[k];
    }
    return undefined;
  }
}

/** A fixed size t[start, end): a run of digits with a value from 1 to below 2^53; undefined otherwise. */
function size(t: string, start: number, end: number): Dim | undefined {
  let n = 0;
  for (let k = start; k < end; k++) {
    const c = t.charCodeAt(k);
    if (!isDigit(c)) return undefined;
    n = n * 10 + (c - 48);
  }
  if (end - start > EXACT_DIGITS) n = Number(t.slice(start, end));
  return n >= 1 && Number.isSafeInteger(n) ? dimConst(n) : undefined;
}

/**
 * The qualifiers from i to the statement's end, separated by blanks or `,`, pushed onto `into`; the index
 * of the statement's end, or -1 when the careful reading must decide.
 */
function qualifiersAt(t: string, i: number, shp: Shape, into: Qualifier[]): number {
  while (!endsStatement(t.charCodeAt(i))) {
    const end = wordEnd(t, i);
    if (end === i) {
      if (t.charCodeAt(i) !== C_COMMA) return -1;
      i = skipBlanks(t, i + 1);
      continue;
    }
    const q = t.slice(i, end);
    if (!isQualifier(q)) return -1;
    if ((q === 'symmetric' || q === 'spd') && shp.rows !== shp.cols) return -1;
    into.push(q);
    const c = t.charCodeAt(end);
    if (c === C_COMMA) i = end + 1;
    else if (!endsStatement(c) && !isBlank(c)) return -1;
    else i = end;
    i = skipBlanks(t, i);
  }
  return i;
}

/**
 * Reads the statements of t into `roles`; false when the careful reading must decide. One pass, keeping the
 * character at i in c (a character read twice costs as much as the rest of the work on it).
 */
function readStatements(t: string, roles: Roles): boolean {
  let i = 0;
  let c = t.charCodeAt(0);
  while (true) {
    while (isBlank(c) || c === C_SEMICOLON || c === C_NEWLINE) c = t.charCodeAt(++i);
    if (Number.isNaN(c)) return true;
    // `name: DIMS [qualifiers]`
    if (roles.names.length >= MAX_STATEMENTS || !isLetter(c)) return false;
    const nameStart = i;
    do c = t.charCodeAt(++i);
    while (isWordChar(c));
    const name = t.slice(nameStart, i);
    if (mayBeReserved(name) && reservedReason(name) !== undefined) return false;
    if (roles.taken(name) || roles.isDim(name)) return false;
    roles.current = name;
    while (isBlank(c)) c = t.charCodeAt(++i);
    if (c !== C_COLON) return false;
    do c = t.charCodeAt(++i);
    while (isBlank(c));
    const first = i;
    while (isWordChar(c)) c = t.charCodeAt(++i);
    const firstEnd = i;
    // after each dims word: blanks, or the statement's end (a word glued to `,`, `:`… is the careful reading's)
    if (isBlank(c)) {
      do c = t.charCodeAt(++i);
      while (isBlank(c));
    } else if (!endsStatement(c)) return false;
    const scalar = firstEnd - first === 6 && t.startsWith('scalar', first);
    let shp: Shape = SCALAR;
    if (c === C_X && !isWordChar(t.charCodeAt(i + 1))) {
      // `m x n`
      if (scalar) return false;
      c = t.charCodeAt(++i);
      if (isBlank(c)) {
        do c = t.charCodeAt(++i);
        while (isBlank(c));
      } else if (!endsStatement(c)) return false;
      const rows = roles.dim(t, first, firstEnd);
      if (rows === undefined) return false;
      const second = i;
      while (isWordChar(c)) c = t.charCodeAt(++i);
      const secondEnd = i;
      if (isBlank(c)) {
        do c = t.charCodeAt(++i);
        while (isBlank(c));
      } else if (!endsStatement(c)) return false;
      const cols = roles.dim(t, second, secondEnd);
      if (cols === undefined) return false;
      shp = shape(rows, cols);
    } else if (!scalar) {
      const rows = roles.dim(t, first, firstEnd);
      if (rows === undefined) return false;
      shp = shape(rows, ONE);
    }
    let qualifiers = NO_QUALIFIERS;
    if (!endsStatement(c)) {
      const list: Qualifier[] = [];
      i = qualifiersAt(t, i, shp, list);
      if (i < 0) return false;
      c = t.charCodeAt(i);
      qualifiers = list;
    }
    roles.names.push(name);
    roles.shapes.push(shp);
    roles.qualifiers.push(qualifiers);
  }
}

/** The scope parseDecls would return, or undefined when the text needs the careful reading. */
export function declsFast(text: string, base: Scope): Scope | undefined {
  const roles = new Roles(base);
  if (!readStatements(text, roles)) return undefined;
  const { names, dimNames } = roles;
  const made = declareVariables(names, roles.shapes, roles.qualifiers);
  // copying an empty collection still walks the iterator protocol
  const vars = base.vars.size === 0 ? new Map<string, VarExpr>() : new Map(base.vars);
  for (let k = 0; k < made.length; k++) vars.set(names[k], made[k]);
  const dims = base.dims.size === 0 ? new Set<string>() : new Set(base.dims);
  for (let k = 0; k < dimNames.length; k++) dims.add(dimNames[k]);
  return Object.freeze({ vars, dims, defs: base.defs });
}
