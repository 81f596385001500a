// The mathjs boundary: its parser alone (not the full bundle), and the node types matcalc reads, narrowed
// from mathjs's own. Nothing else in matcalc imports mathjs.
import { create, parseDependencies } from 'mathjs';

const { parse } = create({ parseDependencies });

export interface SymbolNode {
  readonly type: 'SymbolNode';
  readonly name: string;
}
export interface ConstantNode {
  readonly type: 'ConstantNode';
  readonly value: unknown;
}
export interface ParenthesisNode {
  readonly type: 'ParenthesisNode';
  readonly content: MjNode;
}
export interface OperatorNode {
  readonly type: 'OperatorNode';
  readonly op: string;
  /** mathjs function name: add, subtract, multiply, divide, dotMultiply, unaryMinus, ctranspose, pow, … */
  readonly fn: string;
  readonly args: readonly MjNode[];
  readonly implicit: boolean;
}
export interface FunctionNode {
  readonly type: 'FunctionNode';
  readonly fn: MjNode;
  readonly args: readonly MjNode[];
}
export interface BlockNode {
  readonly type: 'BlockNode';
  readonly blocks: readonly { readonly node: MjNode }[];
}
/** Node kinds outside the language; the lexer refuses the syntax that produces them. */
export interface ForeignNode {
  readonly type:
    | 'AccessorNode'
    | 'ArrayNode'
    | 'AssignmentNode'
    | 'ConditionalNode'
    | 'FunctionAssignmentNode'
    | 'IndexNode'
    | 'ObjectNode'
    | 'RangeNode'
    | 'RelationalNode';
}

export type MjNode =
  | SymbolNode
  | ConstantNode
  | ParenthesisNode
  | OperatorNode
  | FunctionNode
  | BlockNode
  | ForeignNode;

export type MathParse =
  | { readonly ok: true; readonly node: MjNode }
  | { readonly ok: false; readonly message: string; readonly offset: number }
  | { readonly ok: false; readonly tooDeep: true };

/** mathjs's parse, with its SyntaxError's "(char N)" turned into a 0-based offset. */
export function mathParse(text: string): MathParse {
  try {
    return { ok: true, node: parse(text) as unknown as MjNode };
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { ok: false, tooDeep: true };
    if (!(e instanceof Error)) throw e;
    const m = /^(.*?)\s*\(char (\d+)\)\s*$/s.exec(e.message);
    if (!m) return { ok: false, message: e.message, offset: 0 };
    return { ok: false, message: m[1], offset: Number(m[2]) - 1 };
  }
}
