// The common case of declarations, read in one pass without building messages: `name: d`, `name: m x n`,
// `name: scalar`, qualifiers, separated by `;` or newlines. Returns undefined for anything else or anything
// wrong (comments, `×`, `3x4`, a name clash…), and parseDecls then reads the text the careful way, so every
// success here is exactly what parseDecls would return and every error comes from parseDecls.
import { type Dim, dimConst, dimSym, ONE } from '../ir/dim.js';
import { type Qualifier, type VarExpr, variable } from '../ir/expr.js';
import { SCALAR, shape } from '../ir/shape.js';
import type { Scope } from './decls.js';
import { IDENTIFIER, isQualifier, reservedReason } from './names.js';

const INTEGER = /^[0-9]+$/;

/** Statement words: the text split at spaces and tabs. */
function words(stmt: string): string[] {
  const out: string[] = [];
  for (const w of stmt.split(/[ \t]+/)) if (w !== '') out.push(w);
  return out;
}

/** The scope parseDecls would return, or undefined when the text needs the careful reading. */
export function declsFast(text: string, base: Scope): Scope | undefined {
  if (text.includes('#') || text.includes('×') || text.includes('\r')) return undefined;
  const vars = new Map<string, VarExpr>(base.vars);
  const dims = new Set<string>(base.dims);
  const newVars = new Set<string>();
  const taken = (name: string) => base.vars.has(name) || base.defs.has(name) || newVars.has(name);
  const dimOf = (w: string): Dim | undefined => {
    if (w.includes(',')) return undefined;
    if (INTEGER.test(w)) {
      const n = Number(w);
      return n >= 1 && Number.isSafeInteger(n) ? dimConst(n) : undefined;
    }
    // `nxd` may be a glued `n x d`: the careful reading decides
    if (w === 'x' || w === 'scalar' || w.indexOf('x', 1) > 0 || !IDENTIFIER.test(w)) return undefined;
    if (reservedReason(w) !== undefined || taken(w)) return undefined;
    dims.add(w);
    return dimSym(w);
  };
  for (const line of text.split('\n')) {
    for (const stmt of line.split(';')) {
      const colon = stmt.indexOf(':');
      if (colon === -1) {
        if (stmt.trim() === '') continue;
        return undefined;
      }
      const name = stmt.slice(0, colon).trim();
      if (!IDENTIFIER.test(name) || reservedReason(name) !== undefined) return undefined;
      if (taken(name) || dims.has(name)) return undefined;
      newVars.add(name);
      const ws = words(stmt.slice(colon + 1));
      if (ws.length === 0 || ws[0] === 'x' || ws[0].includes(',')) return undefined;
      let shp = SCALAR;
      let i = 1;
      if (ws[0] === 'scalar') {
        if (ws[1] === 'x') return undefined;
      } else if (ws[1] === 'x') {
        if (ws.length < 3) return undefined;
        const rows = dimOf(ws[0]);
        const cols = rows && dimOf(ws[2]);
        if (!rows || !cols) return undefined;
        shp = shape(rows, cols);
        i = 3;
      } else {
        const rows = dimOf(ws[0]);
        if (!rows) return undefined;
        shp = shape(rows, ONE);
      }
      const qualifiers: Qualifier[] = [];
      for (; i < ws.length; i++) {
        for (const q of ws[i].split(',')) {
          if (q === '') continue;
          if (!isQualifier(q)) return undefined;
          if ((q === 'symmetric' || q === 'spd') && shp.rows !== shp.cols) return undefined;
          qualifiers.push(q);
        }
      }
      vars.set(name, variable(name, shp, qualifiers));
    }
  }
  return Object.freeze({ vars, dims, defs: base.defs });
}
