// Declarations `name: DIMS [qualifiers]` (README "Input language") → a Scope: the declared variables, the dim
// symbols they mention, and named definitions added later. Every mistake is a DeclarationError with a position.
import { type Dim, dimConst, dimSym, dimSymbols } from '../ir/dim.js';
import { DeclarationError, type SourcePos } from '../ir/errors.js';
import { type Expr, type Qualifier, type VarExpr, variable } from '../ir/expr.js';
import { isSquare, SCALAR, shape, shapeText } from '../ir/shape.js';
import { declsFast } from './decls-fast.js';
import { IDENTIFIER, isQualifier, QUALIFIERS, reservedReason } from './names.js';
import { posAt, quote } from './position.js';
import { didYouMean } from './suggest.js';

export interface Scope {
  /** Declared variables by name. */
  readonly vars: ReadonlyMap<string, VarExpr>;
  /** Dimension symbols, usable in expressions as scalars (`/n`) and as sizes (`eye(n)`). */
  readonly dims: ReadonlySet<string>;
  /** Named definitions (`H = tanh(X*W1 + b1')`): parsing the name yields the bound expression. */
  readonly defs: ReadonlyMap<string, Expr>;
}

export const EMPTY_SCOPE: Scope = Object.freeze({
  vars: new Map(),
  dims: new Set<string>(),
  defs: new Map(),
});

/** Every name a scope gives meaning to (for "did you mean"). */
export function scopeNames(scope: Scope): string[] {
  return [...scope.vars.keys(), ...scope.defs.keys(), ...scope.dims];
}

interface Word {
  readonly text: string;
  /** Offset into the whole declaration text. */
  readonly start: number;
}

const SEPARATORS = new Set(['x', '×']);

const NAME_RULE = 'a name starts with a letter or `_` and continues with letters, digits or `_`';

/** Where each name got its role (line undefined: from the base scope), for duplicate and conflict messages. */
type Seen = Map<string, { readonly kind: 'var' | 'dim'; readonly line?: number }>;

/**
 * Parse declarations separated by `;` or newlines (`#` starts a comment), on top of `base` when given:
 * a later `let` block may use the dims of an earlier one but not redeclare its names.
 */
export function parseDecls(text: string, base: Scope = EMPTY_SCOPE): Scope {
  return declsFast(text, base) ?? parseDeclsCarefully(text, base);
}

/** parseDecls for any text: every mistake found and reported with its position. */
export function parseDeclsCarefully(text: string, base: Scope): Scope {
  const vars = new Map(base.vars);
  const dims = new Set(base.dims);
  const seen: Seen = new Map();
  for (const name of [...base.vars.keys(), ...base.defs.keys()]) seen.set(name, { kind: 'var' });
  for (const name of base.dims) seen.set(name, { kind: 'dim' });
  const fail = (message: string, at: number, length = 1): never => {
    throw new DeclarationError(message, posAt(text, at, length));
  };
  const failAt = (w: Word, message: string): never => fail(message, w.start, w.text.length);

  const useDim = (w: Word): Dim => {
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w.text)) {
      const n = Number(w.text);
      if (!Number.isInteger(n) || n < 1) {
        failAt(w, `a dimension must be a positive integer or a name, got ${w.text}`);
      }
      if (!Number.isSafeInteger(n)) {
        failAt(
          w,
          `the dimension ${w.text} is too large: a fixed size must be below 2^53 (use a name for a symbolic size)`,
        );
      }
      return dimConst(n);
    }
    if (w.text === 'x') failAt(w, '`x` separates dimensions and cannot name one');
    if (w.text === 'scalar') failAt(w, '`scalar` is a whole shape, not a dimension: write `s: scalar`');
    if (!IDENTIFIER.test(w.text)) {
      failAt(w, `invalid dimension \`${w.text}\`: a dimension is a name or a positive integer`);
    }
    const why = reservedReason(w.text);
    if (why) failAt(w, `\`${w.text}\` is reserved (${why}) and cannot name a dimension`);
    const glued = /^([A-Za-z_]\w*?|\d+)x([A-Za-z_]\w*|\d+)$/.exec(w.text);
    if (glued) {
      const [, a, b] = glued;
      const dimLike = (t: string) => t.length === 1 || /^\d+$/.test(t) || seen.get(t)?.kind === 'dim';
      if (dimLike(a) && dimLike(b)) {
        failAt(
          w,
          `\`${w.text}\` reads as one dimension name (did you mean \`${a} x ${b}\`?); separate dimensions with spaces`,
        );
      }
    }
    const prior = seen.get(w.text);
    if (prior?.kind === 'var') failAt(w, `\`${w.text}\` is used both as a dimension and as a variable`);
    if (!prior) seen.set(w.text, { kind: 'dim', line: posAt(text, w.start).line });
    dims.add(w.text);
    return dimSym(w.text);
  };

  for (const stmt of statements(text)) {
    const said = quote(text, stmt.start, stmt.start + stmt.text.length);
    const colon = stmt.text.indexOf(':');
    if (colon === -1) failAt(stmt, `a declaration reads \`name: dims\` (e.g. \`X: n x d\`), got \`${said}\``);

    const raw = stmt.text.slice(0, colon);
    const name: Word = { text: raw.trim(), start: stmt.start + raw.indexOf(raw.trim()) };
    if (name.text === '') fail(`missing name before \`:\` in \`${said}\``, stmt.start + colon);
    if (!IDENTIFIER.test(name.text)) failAt(name, `invalid name \`${name.text}\`: ${NAME_RULE}`);
    const why = reservedReason(name.text);
    if (why) failAt(name, `\`${name.text}\` is reserved (${why}); choose another name`);
    const prior = seen.get(name.text);
    if (prior?.kind === 'dim') failAt(name, `\`${name.text}\` is used both as a dimension and as a variable`);
    if (prior?.kind === 'var') {
      const twice =
        prior.line === undefined ? 'already declared' : `declared twice (first on line ${prior.line})`;
      failAt(name, `\`${name.text}\` is ${twice}`);
    }
    seen.set(name.text, { kind: 'var', line: posAt(text, name.start).line });

    const words = wordsOf(stmt.text.slice(colon + 1), stmt.start + colon + 1);
    const n = name.text;
    if (words.length === 0) {
      fail(
        `missing dimensions in \`${said}\`: write \`${n}: scalar\`, \`${n}: d\` or \`${n}: m x n\``,
        stmt.start + colon,
      );
    }
    // DIMS: `scalar` | d | m x n
    let shp = SCALAR;
    let i = 1;
    if (words[0].text === 'scalar') {
      if (SEPARATORS.has(words[1]?.text)) {
        failAt(words[0], '`scalar` is a whole shape, not a dimension: write `s: scalar`');
      }
    } else if (SEPARATORS.has(words[1]?.text)) {
      const sep = words[1];
      if (words.length < 3 || words[2].text === ',') {
        fail(`missing dimension after \`${sep.text}\` in \`${said}\``, sep.start + sep.text.length);
      }
      shp = shape(useDim(words[0]), useDim(words[2]));
      i = 3;
    } else {
      shp = shape(useDim(words[0]), dimConst(1));
    }
    if (SEPARATORS.has(words[i]?.text)) {
      failAt(words[i], `a declaration has at most two dimensions (everything is a matrix), in \`${said}\``);
    }
    const qualifiers: Qualifier[] = [];
    for (const w of words.slice(i)) {
      if (w.text === ',') continue;
      if (!isQualifier(w.text)) {
        const missingX =
          i === 1 && qualifiers.length === 0 && words[0].text !== 'scalar' && /^\w+$/.test(w.text);
        const hint =
          didYouMean(w.text, QUALIFIERS) ||
          (missingX ? ` (did you mean \`${words[0].text} x ${w.text}\`?)` : '');
        failAt(w, `unknown qualifier \`${w.text}\`${hint}; qualifiers are ${QUALIFIERS.join(', ')}`);
      }
      if ((w.text === 'symmetric' || w.text === 'spd') && !isSquare(shp)) {
        failAt(w, `\`${w.text}\` needs a square shape, got ${shapeText(shp)} in \`${said}\``);
      }
      qualifiers.push(w.text as Qualifier);
    }
    vars.set(n, variable(n, shp, qualifiers));
  }
  return Object.freeze({ vars, dims, defs: base.defs });
}

/** A scope holding exactly these variables (models/ build them directly); dims are read off their shapes. */
export function scopeFromVars(list: Iterable<VarExpr>): Scope {
  const vars = new Map<string, VarExpr>();
  const dims = new Set<string>();
  for (const v of list) {
    const before = vars.get(v.name);
    if (before && before !== v) {
      throw new DeclarationError(`\`${v.name}\` is declared twice with different shapes`);
    }
    vars.set(v.name, v);
    for (const s of [...dimSymbols(v.shape.rows), ...dimSymbols(v.shape.cols)]) dims.add(s);
  }
  for (const name of vars.keys()) {
    if (dims.has(name)) {
      throw new DeclarationError(`\`${name}\` is used both as a dimension and as a variable`);
    }
  }
  return Object.freeze({ vars, dims, defs: new Map() });
}

/** The scope plus a named definition `name = expr`; the name must be new, valid and not reserved. */
export function extendScope(scope: Scope, name: string, expr: Expr, pos?: SourcePos): Scope {
  const refuse = (why: string): never => {
    throw new DeclarationError(why, pos);
  };
  if (!IDENTIFIER.test(name)) refuse(`invalid name \`${name}\`: ${NAME_RULE}`);
  const why = reservedReason(name);
  if (why) refuse(`\`${name}\` is reserved (${why}); choose another name`);
  if (scope.vars.has(name)) refuse(`\`${name}\` is a declared variable and cannot be redefined`);
  if (scope.dims.has(name)) refuse(`\`${name}\` is a dimension and cannot be redefined`);
  if (scope.defs.has(name)) refuse(`\`${name}\` is already defined`);
  const defs = new Map(scope.defs);
  defs.set(name, expr);
  return Object.freeze({ vars: scope.vars, dims: scope.dims, defs });
}

/** The non-empty statements of a declaration text, with their offsets; comments removed. */
function statements(text: string): Word[] {
  const out: Word[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const hash = line.indexOf('#');
    const code = hash === -1 ? line : line.slice(0, hash);
    let start = 0;
    for (const part of code.split(';')) {
      const trimmed = part.trim();
      if (trimmed !== '') out.push({ text: trimmed, start: lineStart + start + part.indexOf(trimmed) });
      start += part.length + 1;
    }
    lineStart += line.length + 1;
  }
  return out;
}

/** Words of a DIMS-and-qualifiers text: `×` and `,` stand alone, `3x4` splits into `3 x 4`. */
function wordsOf(text: string, offset: number): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/×|,|[^\s×,]+/g)) {
    const start = offset + (m.index ?? 0);
    const split = /^(\d+)x(\d+)$/.exec(m[0]);
    if (split) {
      out.push({ text: split[1], start });
      out.push({ text: 'x', start: start + split[1].length });
      out.push({ text: split[2], start: start + split[1].length + 1 });
    } else {
      out.push({ text: m[0], start });
    }
  }
  return out;
}
