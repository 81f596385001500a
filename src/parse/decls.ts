// Declarations `name: DIMS [qualifiers]` (ARCHITECTURE.md §4) → a Scope: the declared variables, the dim
// symbols they mention, and named definitions added later. Every mistake is a DeclarationError with a position.
import { type Dim, dimConst, dimSym, dimSymbols } from '../ir/dim.js';
import { DeclarationError, type SourcePos } from '../ir/errors.js';
import { type Expr, type Qualifier, type VarExpr, variable } from '../ir/expr.js';
import { isSquare, SCALAR, type Shape, shape, shapeText } from '../ir/shape.js';
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

/**
 * Parse declarations separated by `;` or newlines (`#` starts a comment), on top of `base` when given:
 * a later `let` block may use the dims of an earlier one but not redeclare its names.
 */
export function parseDecls(text: string, base: Scope = EMPTY_SCOPE): Scope {
  const vars = new Map(base.vars);
  const dims = new Set(base.dims);
  /** Where each name was first given its role, for duplicate and conflict messages. */
  const seen = new Map<string, { kind: 'var' | 'dim'; line?: number }>();
  for (const name of base.vars.keys()) seen.set(name, { kind: 'var' });
  for (const name of base.defs.keys()) seen.set(name, { kind: 'var' });
  for (const name of base.dims) seen.set(name, { kind: 'dim' });

  const fail = (message: string, start: number, length = 1): never => {
    throw new DeclarationError(message, posAt(text, start, length));
  };

  const useDim = (w: Word): Dim => {
    if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(w.text) || /^[+-]?\.\d/.test(w.text)) {
      const n = Number(w.text);
      if (!Number.isInteger(n) || n < 1)
        fail(`a dimension must be a positive integer or a name, got ${w.text}`, w.start, w.text.length);
      return dimConst(n);
    }
    if (w.text === 'x') fail('`x` separates dimensions and cannot name one', w.start);
    if (w.text === 'scalar')
      fail('`scalar` is a whole shape, not a dimension: write `s: scalar`', w.start, 6);
    if (!IDENTIFIER.test(w.text))
      fail(
        `invalid dimension \`${w.text}\`: a dimension is a name or a positive integer`,
        w.start,
        w.text.length,
      );
    const why = reservedReason(w.text);
    if (why) fail(`\`${w.text}\` is reserved (${why}) and cannot name a dimension`, w.start, w.text.length);
    const prior = seen.get(w.text);
    if (prior?.kind === 'var')
      fail(`\`${w.text}\` is used both as a dimension and as a variable`, w.start, w.text.length);
    if (!prior) seen.set(w.text, { kind: 'dim', line: posAt(text, w.start).line });
    dims.add(w.text);
    return dimSym(w.text);
  };

  for (const stmt of statements(text)) {
    const colon = stmt.text.indexOf(':');
    const said = quote(text, stmt.start, stmt.start + stmt.text.length);
    if (colon === -1) {
      fail(
        `a declaration reads \`name: dims\` (e.g. \`X: n x d\`), got \`${said}\``,
        stmt.start,
        stmt.text.length,
      );
    }
    const rawName = stmt.text.slice(0, colon);
    const name = rawName.trim();
    const nameStart = stmt.start + rawName.indexOf(name);
    if (name === '') fail(`missing name before \`:\` in \`${said}\``, stmt.start + colon);
    if (!IDENTIFIER.test(name)) {
      fail(
        `invalid name \`${name}\`: a name starts with a letter or \`_\` and continues with letters, digits or \`_\``,
        nameStart,
        name.length,
      );
    }
    const why = reservedReason(name);
    if (why) fail(`\`${name}\` is reserved (${why}); choose another name`, nameStart, name.length);
    const prior = seen.get(name);
    if (prior?.kind === 'dim')
      fail(`\`${name}\` is used both as a dimension and as a variable`, nameStart, name.length);
    if (prior?.kind === 'var') {
      const where =
        prior.line === undefined ? 'already declared' : `declared twice (first on line ${prior.line})`;
      fail(`\`${name}\` is ${where}`, nameStart, name.length);
    }
    seen.set(name, { kind: 'var', line: posAt(text, nameStart).line });

    const words = wordsOf(stmt.text.slice(colon + 1), stmt.start + colon + 1);
    if (words.length === 0) {
      fail(
        `missing dimensions in \`${said}\`: write \`${name}: scalar\`, \`${name}: d\` or \`${name}: m x n\``,
        stmt.start + colon,
      );
    }
    let shp: Shape;
    let i = 1;
    if (words[0].text === 'scalar') {
      if (words.length > 1 && SEPARATORS.has(words[1].text)) {
        fail('`scalar` is a whole shape, not a dimension: write `s: scalar`', words[0].start, 6);
      }
      shp = SCALAR;
    } else {
      const rows = useDim(words[0]);
      if (i < words.length && SEPARATORS.has(words[i].text)) {
        const sep = words[i];
        if (i + 1 >= words.length || words[i + 1].text === ',') {
          fail(`missing dimension after \`${sep.text}\` in \`${said}\``, sep.start + sep.text.length);
        }
        shp = shape(rows, useDim(words[i + 1]));
        i += 2;
      } else {
        shp = shape(rows, dimConst(1));
      }
    }
    if (i < words.length && SEPARATORS.has(words[i].text)) {
      fail(
        `a declaration has at most two dimensions (everything is a matrix), in \`${said}\``,
        words[i].start,
      );
    }
    const qualifiers: Qualifier[] = [];
    for (; i < words.length; i++) {
      const w = words[i];
      if (w.text === ',') continue;
      if (!isQualifier(w.text)) {
        const looksLikeDim =
          qualifiers.length === 0 && words[0].text !== 'scalar' && i === 1 && /^(\w+)$/.test(w.text);
        const hint =
          didYouMean(w.text, QUALIFIERS) ||
          (looksLikeDim ? ` (did you mean \`${words[0].text} x ${w.text}\`?)` : '');
        fail(
          `unknown qualifier \`${w.text}\`${hint}; qualifiers are ${QUALIFIERS.join(', ')}`,
          w.start,
          w.text.length,
        );
      }
      if (w.text !== 'positive' && !isSquare(shp)) {
        fail(
          `\`${w.text}\` needs a square shape, got ${shapeText(shp)} in \`${said}\``,
          w.start,
          w.text.length,
        );
      }
      qualifiers.push(w.text as Qualifier);
    }
    vars.set(name, variable(name, shp, qualifiers));
  }
  return Object.freeze({ vars, dims, defs: base.defs });
}

/** A scope holding exactly these variables (models/ build them directly); dims are read off their shapes. */
export function scopeFromVars(list: Iterable<VarExpr>): Scope {
  const vars = new Map<string, VarExpr>();
  const dims = new Set<string>();
  for (const v of list) {
    const before = vars.get(v.name);
    if (before && before !== v)
      throw new DeclarationError(`\`${v.name}\` is declared twice with different shapes`);
    vars.set(v.name, v);
    for (const s of [...dimSymbols(v.shape.rows), ...dimSymbols(v.shape.cols)]) dims.add(s);
  }
  for (const name of vars.keys()) {
    if (dims.has(name))
      throw new DeclarationError(`\`${name}\` is used both as a dimension and as a variable`);
  }
  return Object.freeze({ vars, dims, defs: new Map() });
}

/** The scope plus a named definition `name = expr`; the name must be new, valid and not reserved. */
export function extendScope(scope: Scope, name: string, expr: Expr, pos?: SourcePos): Scope {
  if (!IDENTIFIER.test(name)) {
    throw new DeclarationError(
      `invalid name \`${name}\`: a name starts with a letter or \`_\` and continues with letters, digits or \`_\``,
      pos,
    );
  }
  const why = reservedReason(name);
  if (why) throw new DeclarationError(`\`${name}\` is reserved (${why}); choose another name`, pos);
  if (scope.vars.has(name))
    throw new DeclarationError(`\`${name}\` is a declared variable and cannot be redefined`, pos);
  if (scope.dims.has(name))
    throw new DeclarationError(`\`${name}\` is a dimension and cannot be redefined`, pos);
  if (scope.defs.has(name)) throw new DeclarationError(`\`${name}\` is already defined`, pos);
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
