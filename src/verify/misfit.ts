// A claim whose own shapes do not fit (`2*X*(X*W - Y)` for an n×d X) is a wrong claim, not bad input: the
// conflict is named, and transposes added to or removed from the operands (one, then two at a time) are
// tried until a variant parses and equals the truth — "a missing transpose on X".
import { MatcalcError, ShapeError } from '../ir/errors.js';
import type { Expr } from '../ir/expr.js';
import type { Scope } from '../parse/decls.js';
import { parseExpr } from '../parse/expr.js';
import { lex } from '../parse/lexer.js';
import { agrees } from './assumptions.js';
import { type Diagnosis, type Judgement, judge } from './diagnose.js';
import type { EqualOptions } from './equal.js';

interface Edit {
  /** Offset in the claim text: insert `'` there, or delete the `'` there. */
  readonly at: number;
  readonly insert: boolean;
  /** The operand as written: `X`, `(X*W - Y)`. */
  readonly operand: string;
}

const MAX_EDITS = 16;

/** Where a transpose can be added (after a name or a closing parenthesis) or removed. */
function transposeEdits(text: string, scope: Scope): Edit[] {
  const lexed = lex(text);
  if (!lexed.ok) return [];
  const tokens = lexed.tokens.filter((t) => t.kind !== 'nl');
  const edits: Edit[] = [];
  const opens: number[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.text === '(') opens.push(t.start);
    const isName = t.kind === 'ident' && (scope.vars.has(t.text) || scope.defs.has(t.text));
    const closes = t.text === ')';
    const start = closes ? opens.pop() : t.start;
    if ((!isName || next?.text === '(') && !closes) return;
    if (closes && tokens[i - 1]?.text === '(') return;
    const operand = text.slice(start ?? t.start, t.end);
    if (next?.text === "'") edits.push({ at: next.start, insert: false, operand: `${operand}'` });
    else edits.push({ at: t.end, insert: true, operand });
  });
  return edits.slice(0, MAX_EDITS);
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) {
    out = e.insert ? `${out.slice(0, e.at)}'${out.slice(e.at)}` : out.slice(0, e.at) + out.slice(e.at + 1);
  }
  return out;
}

const describe = (e: Edit) =>
  e.insert ? `a missing transpose on \`${e.operand}\`` : `an extra transpose in \`${e.operand}\``;

function tryParse(text: string, scope: Scope): Expr | null {
  try {
    return parseExpr(text, scope);
  } catch (e) {
    // A transpose where the language takes a name (the variable of grad) does not parse: not a repair.
    if (e instanceof MatcalcError) return null;
    throw e;
  }
}

/** The shapes the error names, as the failed product or sum (`[n×d][n×k], inner dimensions d and n differ`). */
function conflictOf(message: string): string | null {
  const why = message.split(/: | in `/)[1] ?? '';
  const mul = /cannot multiply (\S+) by (\S+?):/.exec(message);
  if (mul) return `[${mul[1]}][${mul[2]}], ${why}`;
  const two = /cannot \w+ (\S+) and (\S+?):/.exec(message);
  if (two) return `${two[1]} and ${two[2]}, ${why}`;
  return null;
}

/** The shape conflict of a claim that does not parse in scope, and the transposes that repair it. */
export function misfit(
  text: string,
  error: ShapeError,
  truth: Expr,
  scope: Scope,
  opts: EqualOptions & { reference?: string } = {},
): Judgement {
  const ref = opts.reference ?? 'the true value';
  const where = /in `([^`]*)`/.exec(error.message)?.[1];
  const conflict = conflictOf(error.message);
  const plain = error.message.replace(/ \(did you mean[^)]*\)/, '');
  const head = `the claim's shapes do not fit: ${conflict && where ? `\`${where}\` is ${conflict}` : plain}`;
  const edits = transposeEdits(text, scope);
  const singles = edits.map((e) => [e]);
  const pairs = edits.flatMap((a, i) => edits.slice(i + 1).map((b) => [a, b]));
  let fitting: { text: string; edits: Edit[] } | null = null;
  for (const group of [...singles, ...pairs]) {
    const fixed = applyEdits(text, group);
    const e = tryParse(fixed, scope);
    if (!e || e.shape.rows !== truth.shape.rows || e.shape.cols !== truth.shape.cols) continue;
    if (agrees(e, truth, opts)) {
      const cause = group.map(describe).join(' and ');
      const diagnosis: Diagnosis = {
        kind: 'shape-conflict',
        message: `${head}; likely cause: ${cause} (\`${fixed}\` equals ${ref})`,
        fix: fixed,
      };
      return { verdict: shapeVerdict(error), diagnosis };
    }
    fitting ??= { text: fixed, edits: group };
  }
  const more = fitting
    ? `; with ${fitting.edits.map(describe).join(' and ')} the shapes fit, but \`${fitting.text}\` still differs from ${ref}`
    : '; no transpose of one or two of its operands makes the shapes fit';
  return { verdict: shapeVerdict(error), diagnosis: { kind: 'shape-conflict', message: head + more } };
}

const shapeVerdict = (error: ShapeError) =>
  ({ equal: false, method: 'shape', reason: `the claim's shapes do not fit: ${error.message}` }) as const;

/**
 * The verdict on a claim as typed: parsed in `scope` and judged against `truth`, or — when its own shapes do
 * not fit — judged by `misfit`. Other parse errors are thrown (bad input, not a wrong claim). The CLI's
 * `verify --claim` and the playground both answer through this.
 */
export function judgeClaimText(
  text: string,
  truth: Expr,
  scope: Scope,
  opts: EqualOptions & { reference?: string } = {},
  parse: (text: string) => Expr = (t) => parseExpr(t, scope),
): Judgement & { readonly claim: Expr | null } {
  let claim: Expr;
  try {
    claim = parse(text);
  } catch (e) {
    if (e instanceof ShapeError) return { ...misfit(text, e, truth, scope, opts), claim: null };
    throw e;
  }
  return { ...judge(claim, truth, opts), claim };
}
