// The mathjs boundary: its parser alone, composed from mathjs's own factories with only what parsing
// uses (numbers, node classes), and the node types matcalc reads, narrowed from mathjs's. Nothing else in
// matcalc imports mathjs; the bundles (scripts/build.ts) resolve 'mathjs' to its factory files only.
import {
  createAccessorNode,
  createArrayNode,
  createAssignmentNode,
  createBlockNode,
  createConditionalNode,
  createConstantNode,
  createFunctionAssignmentNode,
  createFunctionNode,
  createIndexNode,
  createNode,
  createNumber,
  createNumeric,
  createObjectNode,
  createOperatorNode,
  createParenthesisNode,
  createParse,
  createRangeNode,
  createRelationalNode,
  createResultSet,
  createSymbolNode,
  createTyped,
} from 'mathjs';

/** mathjs's factories (exported, though its typings omit them): dependencies in, one function or class out. */
type Factory = (deps: Readonly<Record<string, unknown>>) => unknown;
declare module 'mathjs' {
  const createTyped: Factory;
  const createNumber: Factory;
  const createNumeric: Factory;
  const createNode: Factory;
  const createSymbolNode: Factory;
  const createAccessorNode: Factory;
  const createArrayNode: Factory;
  const createAssignmentNode: Factory;
  const createBlockNode: Factory;
  const createResultSet: Factory;
  const createConditionalNode: Factory;
  const createConstantNode: Factory;
  const createFunctionAssignmentNode: Factory;
  const createFunctionNode: Factory;
  const createIndexNode: Factory;
  const createObjectNode: Factory;
  const createOperatorNode: Factory;
  const createParenthesisNode: Factory;
  const createRangeNode: Factory;
  const createRelationalNode: Factory;
  const createParse: Factory;
}

/**
 * The parser over a bare `math` namespace: the node classes only need it to evaluate or print trees,
 * which matcalc never asks of them, so evaluation-only dependencies (subset, size, matrix) are refusals.
 */
function createMathParse(): (text: string) => unknown {
  const unused = (what: string) => () => {
    throw new Error(`mathjs ${what} is not loaded (matcalc uses its parser only)`);
  };
  const typed = createTyped({});
  const numeric = createNumeric({ number: createNumber({ typed }) });
  const config = { number: 'number', numberFallback: 'number', matrix: 'Matrix' };
  const math = { config };
  const Node = createNode({ mathWithTransform: math });
  const SymbolNode = createSymbolNode({ math, Node });
  const subset = unused('subset');
  const nodes = {
    AccessorNode: createAccessorNode({ subset, Node }),
    ArrayNode: createArrayNode({ Node }),
    AssignmentNode: createAssignmentNode({ subset, Node }),
    BlockNode: createBlockNode({ ResultSet: createResultSet({}), Node }),
    ConditionalNode: createConditionalNode({ Node }),
    ConstantNode: createConstantNode({ Node, isBounded: () => true }),
    FunctionAssignmentNode: createFunctionAssignmentNode({ typed, Node }),
    FunctionNode: createFunctionNode({ math, Node, SymbolNode }),
    IndexNode: createIndexNode({ Node, size: unused('size') }),
    ObjectNode: createObjectNode({ Node }),
    OperatorNode: createOperatorNode({ Node }),
    ParenthesisNode: createParenthesisNode({ Node }),
    RangeNode: createRangeNode({ Node }),
    RelationalNode: createRelationalNode({ Node }),
    SymbolNode,
  };
  return createParse({ typed, numeric, config, ...nodes }) as (text: string) => unknown;
}

/** Created on first use: the fast reading (parse/fast.ts) handles most texts without it. */
let parse: ((text: string) => unknown) | undefined;

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
  parse ??= createMathParse();
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
