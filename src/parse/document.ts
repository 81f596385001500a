// Derivation files (README "Step-by-step derivations"): Markdown prose and ```matcalc blocks of statements, each with its
// 1-based line in the file. Expressions stay located text (Snippet) until they are parsed in scope with
// exprIn/declsIn, whose errors point into the file (file, line, column and the file's text for the caret).
import { MatcalcError, ParseError, type SourcePos } from '../ir/errors.js';
import type { Expr } from '../ir/expr.js';
import { parseDecls, type Scope } from './decls.js';
import { parseExpr } from './expr.js';

/** A piece of statement text and where its first character is in the file (1-based). */
export interface Snippet {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface ChainStep {
  readonly line: number;
  readonly expr: Snippet;
  /** The `# reason` after the step, when given. */
  readonly reason?: string;
}

export type ExportTarget = 'ts' | 'numpy' | 'jax' | 'torch';

export type Statement =
  | { readonly kind: 'let'; readonly line: number; readonly decls: Snippet }
  | { readonly kind: 'def'; readonly line: number; readonly name: Snippet; readonly expr: Snippet }
  | { readonly kind: 'grad'; readonly line: number; readonly f: Snippet; readonly wrt: readonly Snippet[] }
  | { readonly kind: 'claim'; readonly line: number; readonly lhs: Snippet; readonly rhs: Snippet }
  /** steps[0] is the expression the chain starts from; each later step must equal the one before. */
  | { readonly kind: 'chain'; readonly line: number; readonly steps: readonly ChainStep[] }
  | { readonly kind: 'export'; readonly line: number; readonly target: ExportTarget };

export interface Prose {
  readonly kind: 'prose';
  readonly line: number;
  readonly text: string;
}

export interface Block {
  readonly kind: 'block';
  /** The line of the opening fence. */
  readonly line: number;
  readonly statements: readonly Statement[];
}

export interface DerivationDoc {
  readonly file?: string;
  readonly source: string;
  readonly chunks: readonly (Prose | Block)[];
}

/** The statements of every block, in file order. */
export function statementsOf(doc: DerivationDoc): Statement[] {
  return doc.chunks.flatMap((c) => (c.kind === 'block' ? c.statements : []));
}

const EXPORTS: readonly ExportTarget[] = ['ts', 'numpy', 'jax', 'torch'];
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

interface Line {
  readonly n: number;
  readonly text: string;
}

/** Split a Markdown derivation into prose and matcalc blocks, and the blocks into statements. */
export function parseDocument(source: string, file?: string): DerivationDoc {
  const lines = source.split('\n').map((t, i) => ({ n: i + 1, text: t.replace(/\r$/, '') }));
  const chunks: (Prose | Block)[] = [];
  let prose: Line[] = [];
  const flush = () => {
    if (prose.length > 0)
      chunks.push({ kind: 'prose', line: prose[0].n, text: prose.map((l) => l.text).join('\n') });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i].text);
    if (!open) {
      prose.push(lines[i]);
      continue;
    }
    const fence = open[1];
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j].text)) j++;
    if (open[2] !== 'matcalc') {
      prose.push(...lines.slice(i, j + 1));
      i = j;
      continue;
    }
    if (j >= lines.length) {
      throw new ParseError(`unclosed \`${fence}matcalc\` block: close it with ${fence}`, {
        file,
        line: lines[i].n,
        column: 1,
        source,
        length: lines[i].text.length,
      });
    }
    flush();
    chunks.push({
      kind: 'block',
      line: lines[i].n,
      statements: new BlockParser(lines.slice(i + 1, j), source, file).parse(),
    });
    i = j;
  }
  flush();
  return { file, source, chunks };
}

/** The code of a line and its `# comment`, if any. */
function splitComment(text: string): { code: string; comment?: string } {
  const hash = text.indexOf('#');
  return hash === -1 ? { code: text } : { code: text.slice(0, hash), comment: text.slice(hash + 1).trim() };
}

const DECL_LINE = /^\s*[A-Za-z_]\w*\s*:/;
const DEF = /^([A-Za-z_]\w*)\s*=(?!=)/;

class BlockParser {
  private i = 0;
  private readonly out: Statement[] = [];

  constructor(
    private readonly lines: readonly Line[],
    private readonly source: string,
    private readonly file?: string,
  ) {}

  private fail(message: string, line: Line, column: number, length = 1): never {
    throw new ParseError(message, { file: this.file, line: line.n, column, source: this.source, length });
  }

  /** The trimmed code of `line` from offset `from`, as a snippet. */
  private snippet(line: Line, from: number, to = splitComment(line.text).code.length): Snippet {
    const raw = line.text.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    return { text: raw.trim(), line: line.n, column: from + lead + 1 };
  }

  parse(): Statement[] {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i++];
      const { code } = splitComment(line.text);
      const trimmed = code.trim();
      if (trimmed === '') continue;
      const at = code.length - code.trimStart().length;
      const word = /^\S+/.exec(trimmed)![0];
      const def = DEF.exec(trimmed);
      if (def) {
        const eq = code.indexOf('=', at);
        const expr = this.snippet(line, eq + 1);
        if (expr.text === '') this.fail(`missing expression after \`${def[1]} =\``, line, eq + 1);
        this.out.push({ kind: 'def', line: line.n, name: this.snippet(line, at, at + def[1].length), expr });
      } else if (word === 'let' || trimmed.startsWith('let ')) this.letStatement(line, at);
      else if (word === 'claim') this.claim(line, at);
      else if (word === 'chain') this.chain(line, at);
      else if (word === 'grad') this.grad(line, at);
      else if (word === 'export') this.exportStatement(line, at);
      else if (trimmed.startsWith('=')) {
        this.fail(
          'a line starting with `=` continues a chain; start the chain with a `chain` line',
          line,
          at + 1,
        );
      } else {
        this.fail(
          'unknown statement: a matcalc block holds `let DECLS`, `NAME = EXPR`, `grad L wrt X`, `claim EXPR = EXPR`, `chain` and `export ts|numpy|jax` lines',
          line,
          at + 1,
          word.length,
        );
      }
    }
    return this.out;
  }

  /** `let DECLS`, continued on following lines that read `name: …`. */
  private letStatement(line: Line, at: number): void {
    const from = at + 3;
    const parts = [line.text.slice(from)];
    while (this.i < this.lines.length && DECL_LINE.test(splitComment(this.lines[this.i].text).code)) {
      parts.push(this.lines[this.i++].text);
    }
    if (parts.every((p) => splitComment(p).code.trim() === '')) {
      this.fail('`let` needs declarations, e.g. `let X: n x d; w: d`', line, at + 1, 3);
    }
    this.out.push({
      kind: 'let',
      line: line.n,
      decls: { text: parts.join('\n'), line: line.n, column: from + 1 },
    });
  }

  /** `claim LHS = RHS`, split at the one top-level `=` that is not part of `==`, `<=`, `>=` or `!=`. */
  private claim(line: Line, at: number): void {
    const { code } = splitComment(line.text);
    const from = at + 5;
    const eqs: number[] = [];
    let depth = 0;
    for (let k = from; k < code.length; k++) {
      const ch = code[k];
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (ch === '=' && depth === 0 && !'=<>!'.includes(code[k - 1]) && code[k + 1] !== '=') eqs.push(k);
    }
    if (eqs.length === 0) this.fail('a claim reads `claim EXPR = EXPR`: missing `=`', line, at + 1, 5);
    if (eqs.length > 1)
      this.fail('a claim has one `=`; write a `chain` to check several equalities', line, eqs[1] + 1);
    const lhs = this.snippet(line, from, eqs[0]);
    const rhs = this.snippet(line, eqs[0] + 1);
    if (lhs.text === '') this.fail('missing expression before `=` in the claim', line, eqs[0] + 1);
    if (rhs.text === '') this.fail('missing expression after `=` in the claim', line, eqs[0] + 1);
    this.out.push({ kind: 'claim', line: line.n, lhs, rhs });
  }

  /** `chain [EXPR]`, an optional start line, then `= EXPR  # reason` lines. */
  private chain(line: Line, at: number): void {
    const steps: ChainStep[] = [];
    const head = this.snippet(line, at + 5);
    if (head.text !== '') steps.push({ line: line.n, expr: head, reason: splitComment(line.text).comment });
    while (this.i < this.lines.length) {
      const next = this.lines[this.i];
      const { code, comment } = splitComment(next.text);
      const trimmed = code.trim();
      if (trimmed === '') {
        this.i++;
        continue;
      }
      const col = code.length - code.trimStart().length;
      if (trimmed.startsWith('=') && !trimmed.startsWith('==')) {
        const expr = this.snippet(next, col + 1);
        if (expr.text === '') this.fail('missing expression after `=` in the chain', next, col + 1);
        steps.push({ line: next.n, expr, reason: comment });
      } else if (
        steps.length === 0 &&
        !DEF.test(trimmed) &&
        !/^(let|claim|chain|grad|export)(\s|$)/.test(trimmed)
      ) {
        steps.push({ line: next.n, expr: this.snippet(next, col), reason: comment });
      } else break;
      this.i++;
    }
    if (steps.length < 2) {
      this.fail('a chain needs an expression and at least one `= EXPR` line after it', line, at + 1, 5);
    }
    this.out.push({ kind: 'chain', line: line.n, steps });
  }

  /** `grad L wrt X, Y`. */
  private grad(line: Line, at: number): void {
    const { code } = splitComment(line.text);
    const m = /\s+wrt\s+/.exec(code.slice(at + 4));
    if (!m) this.fail('a gradient request reads `grad L wrt X, Y`', line, at + 1, 4);
    const wrtAt = at + 4 + m.index;
    const f = this.snippet(line, at + 4, wrtAt);
    if (f.text === '') this.fail('missing expression after `grad`', line, at + 5);
    const wrt: Snippet[] = [];
    let k = wrtAt + m[0].length;
    for (const part of code.slice(k).split(',')) {
      const s = this.snippet(line, k, k + part.length);
      if (s.text === '') this.fail('missing variable name in `wrt`', line, k + 1);
      wrt.push(s);
      k += part.length + 1;
    }
    this.out.push({ kind: 'grad', line: line.n, f, wrt });
  }

  private exportStatement(line: Line, at: number): void {
    const target = this.snippet(line, at + 6);
    if (!(EXPORTS as readonly string[]).includes(target.text)) {
      this.fail(
        `export to one of ${EXPORTS.join(', ')}, not \`${target.text}\``,
        line,
        target.column,
        Math.max(1, target.text.length),
      );
    }
    this.out.push({ kind: 'export', line: line.n, target: target.text as ExportTarget });
  }
}

/** A position inside a snippet's text (1-based, as parse errors give it) as a position in the file. */
export function filePos(doc: DerivationDoc, s: Snippet, inner?: SourcePos): SourcePos {
  const line = inner?.line ?? 1;
  const column = inner?.column ?? 1;
  return {
    file: doc.file,
    line: s.line + line - 1,
    column: line === 1 ? s.column + column - 1 : column,
    source: doc.source,
    length: inner?.length ?? Math.max(1, s.text.length),
  };
}

/** Run a parse over a snippet's text; errors are given positions in the file. */
export function parseIn<T>(doc: DerivationDoc, s: Snippet, parse: (text: string) => T): T {
  try {
    return parse(s.text);
  } catch (e) {
    if (e instanceof MatcalcError && !e.pos?.file) e.pos = filePos(doc, s, e.pos);
    throw e;
  }
}

export function exprIn(doc: DerivationDoc, s: Snippet, scope: Scope): Expr {
  return parseIn(doc, s, (text) => parseExpr(text, scope));
}

export function declsIn(doc: DerivationDoc, s: Snippet, scope: Scope): Scope {
  return parseIn(doc, s, (text) => parseDecls(text, scope));
}
