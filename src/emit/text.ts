// Expr → the input language (README "Input language") with minimal parentheses, such that parsing the text back
// with the same declarations returns the very same interned node. Strings are built bottom-up over the
// DAG with a memo, so depth is not limited and shared subterms cost one concatenation each.
import { LimitError } from '../ir/errors.js';
import { children, type Expr, numberedOrder, slotOf } from '../ir/expr.js';
import { argShapes } from '../ir/intern.js';
import { specOf } from '../ops/index.js';
import type { OpSpec } from '../ops/spec.js';
import {
  ATOMIC,
  type InfixLevel,
  levelOf,
  needsParens,
  type Side,
  TEXT_INFIX,
  TEXT_POSTFIX,
  TEXT_POWER,
  TEXT_PREFIX,
} from './precedence.js';

/** Printed nodes by slot (ir/expr.ts numberedOrder): the text and the precedence of its outermost operator. */
interface Printed {
  readonly texts: string[];
  readonly precs: number[];
}

function operand(p: Printed, child: Expr, parent: number, assoc: 'left' | 'right', side: Side): string {
  const k = slotOf(child);
  return needsParens(parent, assoc, side, p.precs[k]) ? `(${p.texts[k]})` : p.texts[k];
}

// Spaced as textbooks write them: `X*w - y`, `sigmoid(x) .* (1 - sigmoid(x))`, `(X*w - y).^2`.
const SPACED = new Set(['+', '-', '.*', './']);

const specs = new Map<string, OpSpec>();
const infixLevels = new Map<string, InfixLevel>();

function specFor(op: string): OpSpec {
  let spec = specs.get(op);
  if (spec === undefined) {
    spec = specOf(op);
    specs.set(op, spec);
  }
  return spec;
}

function infixLevel(symbol: string): InfixLevel {
  let level = infixLevels.get(symbol);
  if (level === undefined) {
    level = levelOf(TEXT_INFIX, symbol, 'infix');
    infixLevels.set(symbol, level);
  }
  return level;
}

/** The text of one node from the already-printed slots of its children; its precedence goes into its slot. */
function printNode(e: Expr, p: Printed): string {
  let prec = ATOMIC;
  let text: string;
  switch (e.kind) {
    case 'var':
      text = e.name;
      break;
    case 'const':
      text = String(e.value);
      break;
    case 'deriv':
      text = `${e.mode}(${p.texts[slotOf(e.f)]}, ${p.texts[slotOf(e.wrt)]})`;
      break;
    case 'op': {
      const { args } = e;
      const syntax = specFor(e.op).text(argShapes(args), e.attrs);
      switch (syntax.form) {
        case 'infix': {
          const level = infixLevel(syntax.symbol);
          prec = level.prec;
          const lhs = operand(p, args[0], prec, level.assoc, 'left');
          const rhs = operand(p, args[1], prec, level.assoc, 'right');
          text = lhs + (SPACED.has(syntax.symbol) ? ` ${syntax.symbol} ` : syntax.symbol) + rhs;
          break;
        }
        case 'prefix':
          prec = levelOf(TEXT_PREFIX, syntax.symbol, 'prefix');
          text = syntax.symbol + operand(p, args[0], prec, 'left', 'prefix');
          break;
        case 'postfix':
          prec = levelOf(TEXT_POSTFIX, syntax.symbol, 'postfix');
          text = operand(p, args[0], prec, 'left', 'postfix') + syntax.symbol;
          break;
        case 'power':
          prec = TEXT_POWER;
          text = `${operand(p, args[0], TEXT_POWER, 'right', 'left')}^${syntax.exponent}`;
          break;
        case 'call': {
          text = `${syntax.name}(`;
          for (let i = 0; i < args.length; i++) text += (i > 0 ? ', ' : '') + p.texts[slotOf(args[i])];
          const extra = syntax.extra ?? [];
          for (let i = 0; i < extra.length; i++) text += (i + args.length > 0 ? ', ' : '') + extra[i];
          text += ')';
          break;
        }
        case 'atom':
          text = syntax.text;
          break;
        default: {
          const never: never = syntax;
          return never;
        }
      }
      break;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
  p.precs[slotOf(e)] = prec;
  return text;
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
  const order = numberedOrder([e]);
  const p: Printed = { texts: new Array<string>(order.length), precs: new Array<number>(order.length) };
  for (let i = 0; i < order.length; i++) {
    p.texts[i] = printNode(order[i], p);
    if (p.texts[i].length > MAX_PRINTED_LENGTH) throw printLimit('text', order.length);
  }
  return p.texts[order.length - 1];
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
  const order = numberedOrder(roots);
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
  const p: Printed = { texts: new Array<string>(order.length), precs: new Array<number>(order.length) };
  for (let i = 0; i < order.length; i++) {
    const node = order[i];
    p.texts[i] = printNode(node, p);
    if (p.texts[i].length > MAX_PRINTED_LENGTH) throw printLimit('text', order.length);
    const shared =
      !isRoot.has(node.id) &&
      (node.kind === 'op' || node.kind === 'deriv') &&
      (uses.get(node.id) ?? 0) >= minUses &&
      size.get(node.id)! >= LET_MIN_SIZE;
    if (shared) {
      const name = freshName();
      lets.push([name, p.texts[i]]);
      p.texts[i] = name;
      p.precs[i] = ATOMIC;
    }
  }
  return { lets, results: roots.map((r) => p.texts[slotOf(r)]) };
}
