// Expr → the input language (README "Input language") with minimal parentheses, such that parsing the text back
// with the same declarations returns the very same interned node. A small tree prints by recursion; anything
// larger, deeper or shared is printed bottom-up over the DAG with a memo, so depth is not limited and shared
// subterms cost one concatenation each. Both compose a node's text in nodeText, so they print alike.
import { LimitError } from '../ir/errors.js';
import { type Attrs, children, type Expr, numberedOrder, type OpExpr, slotOf } from '../ir/expr.js';
import { argShapes } from '../ir/intern.js';
import type { Shape } from '../ir/shape.js';
import { specOf } from '../ops/index.js';
import type { OpSpec, Syntax } from '../ops/spec.js';
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

// Spaced as textbooks write them: `X*w - y`, `sigmoid(x) .* (1 - sigmoid(x))`, `(X*w - y).^2`.
const SPACED = new Set(['+', '-', '.*', './']);

/** An infix symbol's level and the text written between its operands. */
interface Infix extends InfixLevel {
  readonly between: string;
}

/**
 * An op's record, and the syntax its text took last with the argument shapes and attrs it took it for (the
 * record's `text` is a function of those alone; shapes are interned): most nodes of a gradient repeat it. With
 * the syntax, its precedence and, for an infix form, its level.
 */
interface OpPrinting {
  readonly spec: OpSpec;
  shape0: Shape | undefined;
  shape1: Shape | undefined;
  attrs: Attrs | undefined;
  syntax: Syntax | undefined;
  prec: number;
  infix: Infix | undefined;
}

/** The op's syntax for e's argument shapes and attrs, with printing.prec and printing.infix set for it. */
function syntaxOf(printing: OpPrinting, e: OpExpr): Syntax {
  const { args, attrs } = e;
  const n = args.length;
  const s0 = n > 0 ? args[0].shape : undefined;
  const s1 = n > 1 ? args[1].shape : undefined;
  let { syntax } = printing;
  if (
    syntax === undefined ||
    n > 2 ||
    printing.shape0 !== s0 ||
    printing.shape1 !== s1 ||
    printing.attrs !== attrs
  ) {
    syntax = printing.spec.text(argShapes(args), attrs);
    // both may throw (a symbol with no precedence): the cache is updated only once they have not
    const infix = syntax.form === 'infix' ? infixOf(syntax.symbol) : undefined;
    const prec = precOf(syntax, infix);
    printing.shape0 = s0;
    printing.shape1 = s1;
    printing.attrs = attrs;
    printing.syntax = syntax;
    printing.infix = infix;
    printing.prec = prec;
  }
  return syntax;
}

/** The precedence of a syntax's outermost operator. */
function precOf(syntax: Syntax, infix: Infix | undefined): number {
  switch (syntax.form) {
    case 'infix':
      return infix!.prec;
    case 'prefix':
      return levelOf(TEXT_PREFIX, syntax.symbol, 'prefix');
    case 'postfix':
      return levelOf(TEXT_POSTFIX, syntax.symbol, 'postfix');
    case 'power':
      return TEXT_POWER;
    case 'call':
    case 'atom':
      return ATOMIC;
    default: {
      const never: never = syntax;
      return never;
    }
  }
}

const printings = new Map<string, OpPrinting>();
const infixes = new Map<string, Infix>();
/** The op asked for last and its printing: a chain of products asks for one op many times running. */
let lastOp = '';
let lastPrinting: OpPrinting | undefined;

function printingOf(op: string): OpPrinting {
  if (op === lastOp && lastPrinting !== undefined) return lastPrinting;
  let printing = printings.get(op);
  if (printing === undefined) {
    printing = {
      spec: specOf(op),
      shape0: undefined,
      shape1: undefined,
      attrs: undefined,
      syntax: undefined,
      prec: ATOMIC,
      infix: undefined,
    };
    printings.set(op, printing);
  }
  lastOp = op;
  lastPrinting = printing;
  return printing;
}

function infixOf(symbol: string): Infix {
  let infix = infixes.get(symbol);
  if (infix === undefined) {
    const { prec, assoc } = levelOf(TEXT_INFIX, symbol, 'infix');
    infix = { prec, assoc, between: SPACED.has(symbol) ? ` ${symbol} ` : symbol };
    infixes.set(symbol, infix);
  }
  return infix;
}

/** The precedence of the outermost operator of the text nodeText returned last. */
let printedPrec = ATOMIC;

/** An operand's text, enclosed when its precedence `child` needs it under `parent`. */
function operand(text: string, child: number, parent: number, assoc: 'left' | 'right', side: Side): string {
  return needsParens(parent, assoc, side, child) ? `(${text})` : text;
}

/**
 * The text of e from its children's (ir/expr.ts `children`) texts and precedences: the first two as t0, p0
 * and t1, p1, and when there are more, every child's text in `all`. Its own precedence goes to printedPrec.
 */
function nodeText(
  e: Expr,
  t0: string,
  p0: number,
  t1: string,
  p1: number,
  all: readonly string[] | null,
): string {
  printedPrec = ATOMIC;
  switch (e.kind) {
    case 'var':
      return e.name;
    case 'const':
      return String(e.value);
    case 'deriv':
      return `${e.mode}(${t0}, ${t1})`;
    case 'op':
      return opText(e, t0, p0, t1, p1, all);
    default: {
      const never: never = e;
      return never;
    }
  }
}

function opText(
  e: OpExpr,
  t0: string,
  p0: number,
  t1: string,
  p1: number,
  all: readonly string[] | null,
): string {
  const { args } = e;
  const printing = printingOf(e.op);
  const syntax = syntaxOf(printing, e);
  const { prec } = printing;
  printedPrec = prec;
  switch (syntax.form) {
    case 'infix': {
      const { assoc, between } = printing.infix!;
      return operand(t0, p0, prec, assoc, 'left') + between + operand(t1, p1, prec, assoc, 'right');
    }
    case 'prefix':
      return syntax.symbol + operand(t0, p0, prec, 'left', 'prefix');
    case 'postfix':
      return operand(t0, p0, prec, 'left', 'postfix') + syntax.symbol;
    case 'power':
      return `${operand(t0, p0, prec, 'right', 'left')}^${syntax.exponent}`;
    case 'call': {
      const n = args.length;
      let text = `${syntax.name}(`;
      if (n > 0) text += t0;
      if (n > 1) text += `, ${t1}`;
      for (let i = 2; i < n; i++) text += `, ${all![i]}`;
      const extra = syntax.extra ?? [];
      for (let i = 0; i < extra.length; i++) text += (i + n > 0 ? ', ' : '') + extra[i];
      return `${text})`;
    }
    case 'atom':
      return syntax.text;
    default: {
      const never: never = syntax;
      return never;
    }
  }
}

/** The recursive printer's limits: past them (or past MAX_PRINTED_LENGTH) the DAG printer takes over. */
const TREE_DEPTH = 64;
const TREE_NODES = 512;
const NOT_A_SMALL_TREE: unique symbol = Symbol('not a small tree');
/** Nodes the recursive printer may still visit, a shared node once per use. */
let budget = 0;

/** e printed by recursion, its precedence in printedPrec; throws NOT_A_SMALL_TREE past the limits. */
function printTree(e: Expr, depth: number): string {
  if (--budget < 0 || depth === TREE_DEPTH) throw NOT_A_SMALL_TREE;
  if (e.kind === 'var') {
    printedPrec = ATOMIC;
    return e.name;
  }
  const kids = children(e);
  const n = kids.length;
  let t0 = '';
  let p0 = ATOMIC;
  let t1 = '';
  let p1 = ATOMIC;
  let all: string[] | null = null;
  if (n > 0) {
    t0 = printTree(kids[0], depth + 1);
    p0 = printedPrec;
  }
  if (n > 1) {
    t1 = printTree(kids[1], depth + 1);
    p1 = printedPrec;
  }
  if (n > 2) {
    all = [t0, t1];
    for (let k = 2; k < n; k++) all.push(printTree(kids[k], depth + 1));
  }
  const text = nodeText(e, t0, p0, t1, p1, all);
  if (text.length > MAX_PRINTED_LENGTH) throw NOT_A_SMALL_TREE;
  return text;
}

/** Printed nodes by slot (ir/expr.ts numberedOrder): the text and the precedence of its outermost operator. */
interface Printed {
  readonly texts: string[];
  readonly precs: number[];
}

/** The text of order[i] from the printed slots of its children, stored in its slot; order from numberedOrder. */
function printSlot(order: readonly Expr[], i: number, p: Printed): void {
  const e = order[i];
  const kids = children(e);
  const n = kids.length;
  const s0 = n > 0 ? slotOf(kids[0]) : -1;
  const s1 = n > 1 ? slotOf(kids[1]) : -1;
  const all = n > 2 ? kids.map((k) => p.texts[slotOf(k)]) : null;
  const text =
    n === 0
      ? nodeText(e, '', ATOMIC, '', ATOMIC, null)
      : nodeText(e, p.texts[s0], p.precs[s0], n > 1 ? p.texts[s1] : '', n > 1 ? p.precs[s1] : ATOMIC, all);
  if (text.length > MAX_PRINTED_LENGTH) throw printLimit('text', order.length);
  p.texts[i] = text;
  p.precs[i] = printedPrec;
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
  budget = TREE_NODES;
  try {
    return printTree(e, 0);
  } catch (x) {
    if (x !== NOT_A_SMALL_TREE) throw x;
  }
  const order = numberedOrder([e]);
  const p: Printed = { texts: new Array<string>(order.length), precs: new Array<number>(order.length) };
  for (let i = 0; i < order.length; i++) printSlot(order, i, p);
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
    printSlot(order, i, p);
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
