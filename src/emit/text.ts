// Expr → the input language (README "Input language") with minimal parentheses, such that parsing the text back
// with the same declarations returns the very same interned node. Strings are built bottom-up over the
// DAG with a memo, so depth is not limited and shared subterms cost one concatenation each.
import { LimitError } from '../ir/errors.js';
import { children, type Expr, topoOrder } from '../ir/expr.js';
import { specOf } from '../ops/index.js';
import {
  ATOMIC,
  levelOf,
  needsParens,
  type Side,
  TEXT_INFIX,
  TEXT_POSTFIX,
  TEXT_POWER,
  TEXT_PREFIX,
} from './precedence.js';

/** A printed node: its text and the precedence of its outermost operator. */
interface Printed {
  readonly text: string;
  readonly prec: number;
}

const atomic = (text: string): Printed => ({ text, prec: ATOMIC });

function operand(p: Printed, parent: number, assoc: 'left' | 'right', side: Side): string {
  return needsParens(parent, assoc, side, p.prec) ? `(${p.text})` : p.text;
}

// Spaced as textbooks write them: `X*w - y`, `sigmoid(x) .* (1 - sigmoid(x))`, `(X*w - y).^2`.
const SPACED = new Set(['+', '-', '.*', './']);

/** Text of one node from the already-printed texts of its children. */
function printNode(e: Expr, of: (child: Expr) => Printed): Printed {
  switch (e.kind) {
    case 'var':
      return atomic(e.name);
    case 'const':
      return atomic(String(e.value));
    case 'deriv':
      return atomic(`${e.mode}(${of(e.f).text}, ${of(e.wrt).text})`);
    case 'op': {
      const spec = specOf(e.op);
      const syntax = spec.text(
        e.args.map((a) => a.shape),
        e.attrs,
      );
      const args = e.args.map(of);
      switch (syntax.form) {
        case 'infix': {
          const { prec, assoc } = levelOf(TEXT_INFIX, syntax.symbol, 'infix');
          const lhs = operand(args[0], prec, assoc, 'left');
          const rhs = operand(args[1], prec, assoc, 'right');
          const op = SPACED.has(syntax.symbol) ? ` ${syntax.symbol} ` : syntax.symbol;
          return { text: lhs + op + rhs, prec };
        }
        case 'prefix': {
          const prec = levelOf(TEXT_PREFIX, syntax.symbol, 'prefix');
          return { text: syntax.symbol + operand(args[0], prec, 'left', 'prefix'), prec };
        }
        case 'postfix': {
          const prec = levelOf(TEXT_POSTFIX, syntax.symbol, 'postfix');
          return { text: operand(args[0], prec, 'left', 'postfix') + syntax.symbol, prec };
        }
        case 'power':
          return {
            text: `${operand(args[0], TEXT_POWER, 'right', 'left')}^${syntax.exponent}`,
            prec: TEXT_POWER,
          };
        case 'call': {
          const all = [...args.map((a) => a.text), ...(syntax.extra ?? [])];
          return atomic(`${syntax.name}(${all.join(', ')})`);
        }
        case 'atom':
          return atomic(syntax.text);
        default: {
          const never: never = syntax;
          return never;
        }
      }
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/**
 * Longest printed form: a DAG of a few thousand nodes shared many times (the gradient of exp(exp(…x…)))
 * prints as a tree of quadratic size, past what a string can hold; it is refused, not half-built.
 */
export const MAX_PRINTED_LENGTH = 50_000_000;

/** A LimitError for a printed form longer than MAX_PRINTED_LENGTH; `what` names the form. */
export function printLimit(what: string, nodes: number): LimitError {
  return new LimitError(
    `the expression is too large to print as ${what}: more than ${MAX_PRINTED_LENGTH.toLocaleString('en-US')} ` +
      `characters, from ${nodes.toLocaleString('en-US')} distinct subexpressions repeated many times; ` +
      'print it with named intermediates (toTextLets) instead',
  );
}

/** The expression in the input language; `parse(toText(e), scope) === e` for the declarations of e. */
export function toText(e: Expr): string {
  const memo = new Map<number, Printed>();
  const of = (c: Expr): Printed => memo.get(c.id)!;
  const order = topoOrder([e]);
  for (const node of order) {
    const p = printNode(node, of);
    if (p.text.length > MAX_PRINTED_LENGTH) throw printLimit('text', order.length);
    memo.set(node.id, p);
  }
  return memo.get(e.id)!.text;
}

export interface TextLets {
  /** `[name, text]` in dependency order: each text mentions only earlier names. */
  readonly lets: readonly (readonly [string, string])[];
  readonly result: string;
}

export interface TextLetsMany {
  readonly lets: readonly (readonly [string, string])[];
  readonly results: readonly string[];
}

/** Nodes smaller than this (counted as a tree) are repeated inline rather than named. */
const LET_MIN_SIZE = 4;
/** Tree sizes saturate here so that counting stays finite on exponentially shared DAGs. */
const SIZE_CAP = 1 << 30;

/**
 * Like toText, but every op or derivative node that occurs at least `minUses` times in the DAG and spans
 * at least LET_MIN_SIZE nodes is named once (`t1 = …`) and referred to by name, so the text of a huge
 * shared DAG stays proportional to its node count.
 */
export function toTextLets(e: Expr, minUses = 2): TextLets {
  const { lets, results } = toTextLetsMany([e], minUses);
  return { lets, result: results[0] };
}

/** toTextLets for several roots sharing one table of names (gradients of one loss share the forward pass). */
export function toTextLetsMany(roots: readonly Expr[], minUses = 2): TextLetsMany {
  const order = topoOrder(roots);
  const isRoot = new Set(roots.map((r) => r.id));
  const uses = new Map<number, number>();
  const size = new Map<number, number>();
  const taken = new Set<string>();
  for (const node of order) {
    let s = 1;
    for (const c of children(node)) {
      uses.set(c.id, (uses.get(c.id) ?? 0) + 1);
      s = Math.min(SIZE_CAP, s + size.get(c.id)!);
    }
    size.set(node.id, s);
    if (node.kind === 'var') taken.add(node.name);
  }
  let counter = 0;
  const freshName = (): string => {
    let name: string;
    do name = `t${++counter}`;
    while (taken.has(name));
    return name;
  };
  const lets: [string, string][] = [];
  const memo = new Map<number, Printed>();
  const of = (c: Expr): Printed => memo.get(c.id)!;
  for (const node of order) {
    const printed = printNode(node, of);
    if (printed.text.length > MAX_PRINTED_LENGTH) throw printLimit('text', order.length);
    const shared =
      !isRoot.has(node.id) &&
      (node.kind === 'op' || node.kind === 'deriv') &&
      (uses.get(node.id) ?? 0) >= minUses &&
      size.get(node.id)! >= LET_MIN_SIZE;
    if (shared) {
      const name = freshName();
      lets.push([name, printed.text]);
      memo.set(node.id, atomic(name));
    } else {
      memo.set(node.id, printed);
    }
  }
  return { lets, results: roots.map((r) => memo.get(r.id)!.text) };
}
