// Lay a mathjs node tree back over the tokens of its text: every node gets its source span and an anchor
// (its operator, function name or symbol) for error positions. Iterative, so any depth mathjs accepts works.
import type { Token } from './lexer.js';
import type { MjNode } from './mathjs.js';

export interface Span {
  /** 0-based offsets of the node's text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The token a message points at: the operator, function name, symbol or number. */
  readonly anchor: Token;
  readonly first: Token;
  readonly last: Token;
}

export type Spans = ReadonlyMap<MjNode, Span>;

/** Tokens and tree disagree: a construct this file does not know how to lay out. */
export class LocateError extends Error {
  constructor(readonly offset: number) {
    super('could not lay the expression over its text');
  }
}

type Task =
  | { readonly t: 'enter'; readonly node: MjNode }
  | {
      readonly t: 'tok';
      readonly text?: string;
      readonly kinds: readonly Token['kind'][];
      readonly anchorOf?: MjNode;
    }
  | { readonly t: 'exit'; readonly node: MjNode; readonly first: number };

const OP: readonly Token['kind'][] = ['op'];

/**
 * Spans of `root` and all its descendants, reading `tokens` (newlines are skipped: mathjs lets them stand
 * between operands inside parentheses and after operators). Returns the index of the first unread token.
 */
export function locate(root: MjNode, tokens: readonly Token[]): { spans: Spans; next: number } {
  const toks = tokens.filter((t) => t.kind !== 'nl');
  const spans = new Map<MjNode, Span>();
  const anchors = new Map<MjNode, Token>();
  const stack: Task[] = [{ t: 'enter', node: root }];
  let at = 0;
  const offsetHere = (): number => toks[at]?.start ?? toks[toks.length - 1]?.end ?? 0;
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (task.t === 'tok') {
      const tok = toks[at];
      if (!tok || !task.kinds.includes(tok.kind) || (task.text !== undefined && tok.text !== task.text)) {
        throw new LocateError(offsetHere());
      }
      if (task.anchorOf) anchors.set(task.anchorOf, tok);
      at++;
      continue;
    }
    if (task.t === 'exit') {
      const node = task.node;
      if (at <= task.first) throw new LocateError(offsetHere());
      const first = toks[task.first];
      const last = toks[at - 1];
      let anchor = anchors.get(node);
      if (!anchor && node.type === 'OperatorNode' && node.args.length === 2) {
        anchor = spans.get(node.args[1])?.first;
      }
      spans.set(node, { start: first.start, end: last.end, anchor: anchor ?? first, first, last });
      continue;
    }
    const node = task.node;
    const plan: Task[] = [];
    const enter = (n: MjNode) => plan.push({ t: 'enter', node: n });
    const tok = (text: string, anchorOf?: MjNode) => plan.push({ t: 'tok', text, kinds: OP, anchorOf });
    switch (node.type) {
      case 'SymbolNode':
        plan.push({ t: 'tok', text: node.name, kinds: ['ident'], anchorOf: node });
        break;
      case 'ConstantNode':
        plan.push({ t: 'tok', kinds: ['num', 'ident'], anchorOf: node });
        break;
      case 'ParenthesisNode':
        tok('(', node);
        enter(node.content);
        tok(')');
        break;
      case 'OperatorNode':
        if (node.args.length === 1) {
          if (node.op === "'" || node.op === '!') {
            enter(node.args[0]);
            tok(node.op, node);
          } else {
            tok(node.op, node);
            enter(node.args[0]);
          }
        } else {
          enter(node.args[0]);
          if (!node.implicit) tok(node.op, node);
          enter(node.args[1]);
        }
        break;
      case 'FunctionNode':
        if (node.fn.type !== 'SymbolNode') throw new LocateError(offsetHere());
        plan.push({ t: 'tok', text: node.fn.name, kinds: ['ident'], anchorOf: node });
        tok('(');
        node.args.forEach((arg, k) => {
          if (k > 0) tok(',');
          enter(arg);
        });
        tok(')');
        break;
      default:
        throw new LocateError(offsetHere());
    }
    stack.push({ t: 'exit', node, first: at });
    for (let k = plan.length - 1; k >= 0; k--) stack.push(plan[k]);
  }
  return { spans, next: at };
}

/** The tokens without newlines, as `locate` indexes them. */
export function codeTokens(tokens: readonly Token[]): readonly Token[] {
  return tokens.filter((t) => t.kind !== 'nl');
}
