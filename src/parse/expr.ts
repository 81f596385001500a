// Expressions of the input language (README "Input language") → Expr: mathjs parses, lexer + locate recover
// positions, and an iterative post-order walk builds the DAG with the smart constructors of ops/build.ts.
import { dimSym } from '../ir/dim.js';
import { LimitError, ParseError } from '../ir/errors.js';
import type { Expr } from '../ir/expr.js';
import { broadcast, isScalar, type Shape, shape, shapeText } from '../ir/shape.js';
import { add, dimExpr, div, inv, matpow, mul, neg, num, pow, sub, times, transpose } from '../ops/build.js';
import { buildCall, callArgs, unwrap } from './calls.js';
import { Ctx } from './context.js';
import { type Scope, scopeNames } from './decls.js';
import { fastParse } from './fast.js';
import { lex } from './lexer.js';
import { codeTokens, LocateError, locate } from './locate.js';
import { type ConstantNode, type MjNode, mathParse, type OperatorNode } from './mathjs.js';
import { FOREIGN_CONSTANTS, FUNCTIONS } from './names.js';
import { posAt } from './position.js';
import { didYouMean } from './suggest.js';

/** mathjs operator functions the language has. */
const OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'dotMultiply',
  'dotDivide',
  'dotPow',
  'pow',
  'unaryMinus',
  'unaryPlus',
  'ctranspose',
]);

const ELEMENTWISE_BINARY = new Set(['add', 'subtract', 'dotMultiply', 'dotDivide', 'dotPow']);

/** Parse one expression over the names of `scope`; errors are ParseError/ShapeError/LimitError with positions. */
export function parseExpr(text: string, scope: Scope): Expr {
  return fastParse(text, scope) ?? parseCarefully(text, scope);
}

/** parseExpr for any text, through mathjs: every mistake found and reported with its position. */
export function parseCarefully(text: string, scope: Scope): Expr {
  // mathjs does not take '\r' as whitespace; a space in its place keeps every offset.
  const src = text.replaceAll('\r', ' ');
  const parsed = mathParse(src);
  const lexed = lex(src);
  if (!parsed.ok) {
    if ('tooDeep' in parsed) throw new LimitError('expression nested too deeply', posAt(text, 0));
    if (!lexed.ok && lexed.offset <= parsed.offset) {
      throw new ParseError(lexed.message, posAt(text, lexed.offset, lexed.length));
    }
    throw new ParseError(syntaxMessage(parsed.message), posAt(text, parsed.offset));
  }
  if (!lexed.ok) throw new ParseError(lexed.message, posAt(text, lexed.offset, lexed.length));
  const tokens = codeTokens(lexed.tokens);
  if (tokens.length === 0) throw new ParseError('empty expression', posAt(text, 0));

  let root = parsed.node;
  try {
    if (root.type === 'BlockNode') {
      root = root.blocks[0].node;
      if (parsed.node.type === 'BlockNode' && parsed.node.blocks.length > 1) {
        const second = tokens[locate(root, lexed.tokens).next] ?? tokens[tokens.length - 1];
        throw new ParseError(
          'the input must be a single expression; a second one starts here',
          posAt(text, second.start, second.end - second.start),
        );
      }
    }
    const { spans } = locate(root, lexed.tokens);
    return convert(root, new Ctx(text, scope, spans));
  } catch (e) {
    if (e instanceof LocateError) {
      throw new ParseError('this syntax is not part of the language', posAt(text, e.offset));
    }
    throw e;
  }
}

function syntaxMessage(message: string): string {
  if (message === 'Unexpected end of expression') return 'unexpected end of input';
  if (message === 'Value expected') return 'expected a value here';
  const paren = /^Parenthesis (.) expected$/.exec(message);
  if (paren) return `missing \`${paren[1]}\``;
  const unexpected = /^Unexpected (?:operator|part) "?(.*?)"?$/.exec(message);
  if (unexpected) return `unexpected \`${unexpected[1]}\``;
  return `syntax error: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

interface Frame {
  readonly node: MjNode;
  /** The children converted as expressions, once the frame has been expanded. */
  kids?: readonly MjNode[];
}

/** Post-order over the mathjs tree with an explicit stack, so long chains (`x + x + … + x`) are safe. */
function convert(root: MjNode, cx: Ctx): Expr {
  const done = new Map<MjNode, Expr>();
  const stack: Frame[] = [{ node: root }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (!frame.kids) {
      frame.kids = expand(frame.node, cx);
      for (let k = frame.kids.length - 1; k >= 0; k--) stack.push({ node: frame.kids[k] });
      continue;
    }
    stack.pop();
    const args = frame.kids.map((k) => done.get(k)!);
    done.set(frame.node, build(frame.node, args, cx));
  }
  return done.get(root)!;
}

/** Checks that need only the syntax; returns the children to convert. */
function expand(node: MjNode, cx: Ctx): readonly MjNode[] {
  switch (node.type) {
    case 'SymbolNode':
    case 'ConstantNode':
      return [];
    case 'ParenthesisNode':
      return [node.content];
    case 'OperatorNode':
      if (!OPERATORS.has(node.fn)) throw cx.parseError(node, `\`${node.op}\` is not part of the language`);
      if (node.implicit) cx.checkImplicit(node);
      return node.args;
    case 'FunctionNode':
      return callArgs(node, cx);
    default:
      throw cx.parseError(node, 'this syntax is not part of the language');
  }
}

function build(node: MjNode, args: readonly Expr[], cx: Ctx): Expr {
  switch (node.type) {
    case 'SymbolNode':
      return resolve(node.name, node, cx);
    case 'ConstantNode':
      return constant(node, cx);
    case 'ParenthesisNode':
      return args[0];
    case 'OperatorNode':
      return cx.guard(node, () => operator(node, args, cx), transposeHint(node, args, cx));
    case 'FunctionNode':
      return cx.guard(node, () => buildCall(node, args, cx));
    default:
      throw cx.parseError(node, 'this syntax is not part of the language');
  }
}

function resolve(name: string, node: MjNode, cx: Ctx): Expr {
  const { scope } = cx;
  const def = scope.defs.get(name);
  if (def) return def;
  const v = scope.vars.get(name);
  if (v) return v;
  if (scope.dims.has(name)) return dimExpr(dimSym(name));
  if (FUNCTIONS.includes(name)) throw cx.parseError(node, `\`${name}\` is a function: call it as ${name}(…)`);
  const foreign = FOREIGN_CONSTANTS.get(name);
  if (foreign) throw cx.parseError(node, foreign);
  throw cx.parseError(node, `undeclared symbol \`${name}\`${didYouMean(name, scopeNames(scope))}`);
}

function constant(node: ConstantNode, cx: Ctx): Expr {
  const token = cx.spans.get(node)?.anchor;
  if (token?.kind === 'ident') {
    throw cx.parseError(
      node,
      FOREIGN_CONSTANTS.get(token.text) ?? `\`${token.text}\` is not part of the language`,
    );
  }
  const v = node.value;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw cx.parseError(node, `\`${cx.said(node)}\` is not a number`);
  }
  if (!Number.isFinite(v)) throw cx.parseError(node, `the number \`${cx.said(node)}\` is too large`);
  return num(v);
}

function operator(node: OperatorNode, args: readonly Expr[], cx: Ctx): Expr {
  const [a, b] = args;
  switch (node.fn) {
    case 'add':
      return add(a, b);
    case 'subtract':
      return sub(a, b);
    case 'multiply':
      return times(a, b);
    case 'dotMultiply':
      return mul(a, b);
    case 'dotDivide':
      return div(a, b);
    case 'divide':
      if (!isScalar(b.shape)) {
        const d = cx.said(node.args[1]);
        const inverse = b.shape.rows === b.shape.cols ? `, or \`*inv(${d})\` for the inverse` : '';
        throw cx.shapeError(
          node,
          `cannot divide by the ${shapeText(b.shape)} matrix \`${d}\` with \`/\` in \`${cx.said(node)}\`: ` +
            `use \`./\` for elementwise division${inverse}`,
        );
      }
      return div(a, b);
    case 'dotPow':
      return pow(a, b);
    case 'pow':
      return power(node, a, b, cx);
    case 'unaryMinus':
      return neg(a);
    case 'unaryPlus':
      return a;
    case 'ctranspose':
      return transpose(a);
    default:
      throw cx.parseError(node, `\`${node.op}\` is not part of the language`);
  }
}

/** For elementwise ops whose shapes do not broadcast but would with one side transposed: `(did you mean b'?)`. */
function transposeHint(node: OperatorNode, [a, b]: readonly Expr[], cx: Ctx): string {
  if (!ELEMENTWISE_BINARY.has(node.fn) || broadcast(a.shape, b.shape)) return '';
  const flip = (s: Shape): Shape => shape(s.cols, s.rows);
  if (broadcast(a.shape, flip(b.shape))) return ` (did you mean \`${cx.said(node.args[1])}'\`?)`;
  if (broadcast(flip(a.shape), b.shape)) return ` (did you mean \`${cx.said(node.args[0])}'\`?)`;
  return '';
}

/** `s ^ p` for a 1×1 base is a scalar power; `A ^ k` is an integer matrix power, `A^-1` the inverse. */
function power(node: OperatorNode, a: Expr, p: Expr, cx: Ctx): Expr {
  if (isScalar(a.shape)) {
    if (!isScalar(p.shape)) {
      throw cx.shapeError(
        node,
        `\`^\` needs a scalar exponent, got ${shapeText(p.shape)} in \`${cx.said(node)}\`: use \`.^\` for elementwise powers`,
      );
    }
    return pow(a, p);
  }
  const k = integerLiteral(node.args[1]);
  if (k === undefined) {
    throw cx.parseError(
      node,
      `a matrix power needs an integer exponent, got \`${cx.said(node.args[1])}\` in \`${cx.said(node)}\`: ` +
        'use `.^` for an elementwise power',
    );
  }
  if (a.shape.rows !== a.shape.cols) {
    throw cx.shapeError(
      node,
      `\`^\` is a matrix power and needs a square matrix, got ${shapeText(a.shape)} in \`${cx.said(node)}\`: ` +
        'use `.^` for an elementwise power',
    );
  }
  if (k === -1) return inv(a);
  if (k < 0) return matpow(inv(a), -k);
  return matpow(a, k);
}

/** The value of an integer literal, possibly signed and parenthesized (`2`, `-1`, `(-3)`). */
function integerLiteral(node: MjNode): number | undefined {
  let n = unwrap(node);
  let sign = 1;
  while (
    n.type === 'OperatorNode' &&
    n.args.length === 1 &&
    (n.fn === 'unaryMinus' || n.fn === 'unaryPlus')
  ) {
    if (n.fn === 'unaryMinus') sign = -sign;
    n = unwrap(n.args[0]);
  }
  if (n.type === 'ConstantNode' && typeof n.value === 'number' && Number.isInteger(n.value)) {
    return sign * n.value;
  }
  return undefined;
}
