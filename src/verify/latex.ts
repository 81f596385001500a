// Checking the display math of a derivation file in its scope: each relation's parts are turned into the
// language (parse/latex), then a plain undeclared symbol on the left is defined, a derivative or any other
// expression on the left makes a claim, and further `=` parts are chain steps. What cannot be read is
// reported as not understood, with line, column and the TeX, and the rest goes on.

import { expandDerivatives } from '../diff/expand.js';
import { toLatex } from '../emit/latex.js';
import { MatcalcError, ParseError, ShapeError } from '../ir/errors.js';
import type { Expr, VarExpr } from '../ir/expr.js';
import { type Shape, shapeText } from '../ir/shape.js';
import { extendScope, parseDecls } from '../parse/decls.js';
import { parseExpr } from '../parse/expr.js';
import { emitTex } from '../parse/latex/emit.js';
import { type MathItem, NotUnderstood, type TexPart } from '../parse/latex/index.js';
import { IDENTIFIER, reservedReason } from '../parse/names.js';
import { simplify } from '../simplify/engine.js';
import type { DocumentRun, Side } from './claims.js';
import type { CheckReport } from './report.js';
import { withNames } from './terms.js';

interface Read {
  readonly part: TexPart;
  readonly side: Side;
  /** The matcalc text of the part. */
  readonly text: string;
  readonly reason?: string;
}

export class LatexRun {
  constructor(private readonly run: DocumentRun) {}

  private unread(line: number, column: number, fragment: string, reason: string): void {
    this.run.checks.push({ kind: 'not understood', line, column, fragment, reason });
  }

  /** The part in the language, or null (reported as not understood). */
  private read(part: TexPart, want?: Shape): { text: string; side: Side } | null {
    const { tx } = part;
    if (tx instanceof NotUnderstood) {
      const inner = part.tex;
      this.unread(part.line, part.column, inner, tx.message);
      return null;
    }
    try {
      const text = emitTex(tx, this.run.scope, 0, want);
      return { text, side: sideOfText(text, this.run) };
    } catch (e) {
      if (e instanceof NotUnderstood || e instanceof ParseError) {
        this.unread(part.line, part.column, part.tex, e.message);
        return null;
      }
      if (e instanceof ShapeError) return { text: part.tex, side: e };
      throw e;
    }
  }

  item(item: MathItem): void {
    switch (item.kind) {
      case 'let':
        // `\lambda: scalar` in a TeX comment declares lambda, and `W_1` (or `W_{1}`) declares W1, which
        // `W_1`, `W_{1}` and `W^{(1)}` all name and which prints as W_{1} (spaces keep the columns)
        this.run.scope = this.located(item, () =>
          parseDecls(
            item.text
              .replace(/\\(?=[A-Za-z])/g, ' ')
              .replace(/\b([A-Za-z]+)_\{?([A-Za-z0-9]+)\}?(?=\s*[:,])/g, (m, a: string, b: string) =>
                `${a}${b}`.padEnd(m.length),
              ),
            this.run.scope,
          ),
        );
        break;
      case 'member':
        this.member(item);
        break;
      case 'unread':
        this.unread(item.line, item.column, item.tex, item.reason);
        break;
      case 'relation':
        this.relation(item.steps.map((s) => ({ part: s.part, reason: s.reason })));
        break;
      default: {
        const never: never = item;
        throw never;
      }
    }
  }

  /**
   * `X \in \mathbb{R}^{n \times d}` declares X, unless it is declared already: the same shape stated again
   * is nothing new, another one is reported (the first declaration stands).
   */
  private member(item: Extract<MathItem, { kind: 'member' }>): void {
    for (const name of item.names) {
      const prior = this.run.scope.vars.get(name);
      if (!prior) {
        try {
          this.run.scope = parseDecls(`${name}: ${item.spec}`, this.run.scope);
        } catch (e) {
          // a name the scope knows otherwise (a dim, a definition) or a reserved word
          if (!(e instanceof MatcalcError)) throw e;
          this.unread(item.line, item.column, item.tex, e.message);
        }
        continue;
      }
      const v = parseDecls(`${name}: ${item.spec}`).vars.get(name)!;
      // the prose may say less than a comment that also declares it (`Y: n x k onehot`), not otherwise
      const same =
        prior.shape === v.shape &&
        (v.qualifiers.length === 0 || prior.qualifiers.join() === v.qualifiers.join());
      if (!same)
        this.unread(
          item.line,
          item.column,
          item.tex,
          `\`${name}\` is already declared as ${describeVar(prior)}`,
        );
    }
  }

  /** Errors of a declaration comment, at their place in the file. */
  private located<T>(at: { line: number; column: number }, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof MatcalcError && e.pos && !e.pos.file) {
        const { line, column, length } = e.pos;
        e.pos = {
          file: this.run.doc.file,
          line: at.line + line - 1,
          column: line === 1 ? at.column + column - 1 : column,
          source: this.run.doc.source,
          length,
        };
      }
      throw e;
    }
  }

  /** A plain symbol the scope does not know: the name it defines (`\delta_2` → delta2), or null. */
  private definedName(part: TexPart): string | null {
    const tx = part.tx;
    if (tx instanceof NotUnderstood || tx.k !== 'sym') return null;
    const { vars, defs, dims } = this.run.scope;
    if (tx.names.some((n) => vars.has(n) || defs.has(n) || dims.has(n))) return null;
    return tx.names.find((n) => IDENTIFIER.test(n) && !reservedReason(n)) ?? null;
  }

  private relation(steps: readonly { part: TexPart; reason?: string }[]): void {
    if (steps.length < 2) {
      const p = steps[0].part;
      this.unread(p.line, p.column, p.tex, 'an expression without `=`: nothing to check');
      return;
    }
    const name = this.definedName(steps[0].part);
    let rest = steps;
    if (name) {
      const value = this.read(steps[1].part);
      if (!value) return;
      if (value.side instanceof ShapeError) {
        this.unread(
          steps[1].part.line,
          steps[1].part.column,
          steps[1].part.tex,
          `the definition of ${name}: ${value.side.message}`,
        );
        return;
      }
      this.run.scope = extendScope(this.run.scope, name, value.side);
      rest = steps.slice(1);
      if (rest.length < 2) return;
    }
    const reads: Read[] = [];
    let want: Shape | undefined;
    for (const s of rest) {
      const r = this.read(s.part, want);
      if (!r) continue;
      if (!(r.side instanceof ShapeError)) want = r.side.shape;
      reads.push({ part: s.part, ...r, reason: s.reason });
    }
    // An unsized first part (`\mathbf{0} = …`) read again with the shape of the second.
    if (reads.length > 0 && reads[0].part !== rest[0].part && want) void 0;
    if (reads.length < 2) return;
    const before = this.run.checks.length;
    if (reads.length === 2 && !name) {
      const [a, b] = reads;
      const report = this.run.claim(b.part.line, a.side, b.side, [a.part.tex, b.part.tex], [a.text, b.text]);
      this.run.checks.push(this.decorate(report, b, a));
    } else {
      const chain = this.run.chain(
        reads[0].part.line,
        reads.map((r) => ({
          side: r.side,
          text: r.part.tex,
          parsed: r.text,
          line: r.part.line,
          reason: r.reason,
        })),
      );
      const steps = chain.steps.map((s, k) => this.decorate(s, reads[k + 1], reads[k]));
      const firstFailure = steps.find((s) => !s.verdict.equal);
      this.run.checks.push({ ...chain, steps, firstFailure });
    }
    void before;
  }

  /** Column, the matcalc reading, and for a wrong check the engine's own value as LaTeX. */
  private decorate(c: CheckReport, claim: Read, truth: Read): CheckReport {
    const out: CheckReport = { ...c, column: claim.part.column, reading: claim.text };
    if (c.verdict.equal) return out;
    const reference = c.claim === claim.part.tex ? truth : claim;
    if (reference.side instanceof ShapeError) return out;
    const value = simplify(expandDerivatives(reference.side as Expr));
    const defs = this.run.scope.defs;
    const simplified = new Map([...defs].map(([n, d]) => [n, simplify(d)]));
    return { ...out, engine: toLatex(withNames(withNames(value, simplified), defs)) };
  }
}

function describeVar(v: VarExpr): string {
  const quals = v.qualifiers.length > 0 ? ` ${v.qualifiers.join(' ')}` : '';
  return `${shapeText(v.shape)}${quals}`;
}

function sideOfText(text: string, run: DocumentRun): Side {
  try {
    return parseExpr(text, run.scope);
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
}
