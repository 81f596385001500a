// Function calls of the language (README "Input language") → ops: which arguments are expressions and which are
// literal dims or sizes, argument counts, and the derivative forms grad/jacobian/hessian.
import { type Dim, dimConst, dimMul, dimSym, ONE } from '../ir/dim.js';
import { derivNode, type Expr } from '../ir/expr.js';
import { isScalar, isVector, shape, shapeText } from '../ir/shape.js';
import { apply, commutation, eye, ones, zeros } from '../ops/build.js';
import type { OpName } from '../ops/index.js';
import type { Ctx } from './context.js';
import { type HeldInput, heldInput } from './intermediate.js';
import type { FunctionNode, MjNode } from './mathjs.js';
import { ELEMENTWISE, FUNCTIONS } from './names.js';
import { didYouMean } from './suggest.js';

/** Argument counts [min, max]. */
const ARITY: ReadonlyMap<string, readonly [number, number]> = new Map(
  Object.entries({
    ...Object.fromEntries(ELEMENTWISE.map((f) => [f, [1, 1] as const])),
    sum: [1, 2],
    mean: [1, 2],
    softmax: [1, 2],
    logsoftmax: [1, 2],
    logsumexp: [1, 2],
    trace: [1, 1],
    det: [1, 1],
    logdet: [1, 1],
    inv: [1, 1],
    diag: [1, 1],
    norm: [1, 2],
    max: [2, 2],
    min: [2, 2],
    adj: [1, 1],
    tril: [1, 1],
    shift: [2, 2],
    masked_softmax: [2, 2],
    vec: [1, 1],
    transpose: [1, 1],
    kron: [2, 2],
    eye: [1, 1],
    ones: [1, 2],
    zeros: [1, 2],
    commutation: [2, 2],
    grad: [2, 2],
    jacobian: [2, 2],
    hessian: [2, 2],
  }),
);

/** Functions whose first argument only is an expression (the rest are literals or a variable). */
const FIRST_ONLY = new Set([
  'sum',
  'mean',
  'softmax',
  'logsoftmax',
  'logsumexp',
  'norm',
  'grad',
  'jacobian',
  'hessian',
]);
/** Functions whose arguments are all dims. */
const SIZES = new Set(['eye', 'ones', 'zeros', 'shift', 'commutation']);

/** Names people reach for that the language spells differently. */
const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ln: 'did you mean `log`?',
    tr: 'did you mean `trace`?',
    logistic: 'did you mean `sigmoid`?',
    dot: "write x'*y for a dot product",
    matmul: 'write A*B for a matrix product',
    pow: 'write A.^p, or A^k for a matrix power',
    diagm: 'did you mean `diag`?',
    diagv: 'did you mean `diag`?',
    identity: 'did you mean `eye`?',
    ctranspose: "did you mean `transpose` or A'?",
  }),
);

const arityText = ([min, max]: readonly [number, number]): string =>
  min === max ? `${min} argument${min === 1 ? '' : 's'}` : `${min} or ${max} arguments`;

/** Check the call's name and argument count; the arguments to convert as expressions. */
export function callArgs(node: FunctionNode, cx: Ctx): readonly MjNode[] {
  const name = node.fn.type === 'SymbolNode' ? node.fn.name : '';
  const arity = ARITY.get(name);
  if (!arity) throw cx.parseError(node, unknownFunction(name, node, cx));
  if (node.args.length < arity[0] || node.args.length > arity[1]) {
    throw cx.parseError(node, `${name} takes ${arityText(arity)}, got ${node.args.length}`);
  }
  if (SIZES.has(name)) return [];
  return FIRST_ONLY.has(name) ? node.args.slice(0, 1) : node.args;
}

function unknownFunction(name: string, node: FunctionNode, cx: Ctx): string {
  const scope = cx.scope;
  const role = scope.vars.has(name)
    ? 'a variable'
    : scope.defs.has(name)
      ? 'a defined name'
      : scope.dims.has(name)
        ? 'a dimension'
        : undefined;
  if (role) {
    const span = cx.spans.get(node);
    const args = span ? cx.text.slice(span.anchor.end, span.end).replace(/\s+/g, ' ').trim() : '(…)';
    return `${name} is ${role}, not a function; did you mean ${name}*${args}?`;
  }
  const alias = ALIASES.get(name);
  if (alias) return `unknown function \`${name}\`: ${alias}`;
  return `unknown function \`${name}\`${didYouMean(name, FUNCTIONS)}`;
}

/** Build the op for a call whose expression arguments (as chosen by `callArgs`) are converted. */
export function buildCall(node: FunctionNode, args: readonly Expr[], cx: Ctx): Expr {
  const name = node.fn.type === 'SymbolNode' ? node.fn.name : '';
  const a = args[0];
  switch (name) {
    case 'sum':
    case 'mean':
    case 'softmax':
    case 'logsoftmax':
    case 'logsumexp':
      return apply(name, [a], { dim: node.args.length === 2 ? reductionDim(name, node.args[1], cx) : 0 });
    case 'diag':
      if (isVector(a.shape)) return apply('diagm', [a]);
      if (a.shape.rows !== a.shape.cols) {
        throw cx.shapeError(
          node,
          `diag needs a vector or a square matrix, got ${shapeText(a.shape)} in \`${cx.said(node)}\``,
        );
      }
      return apply('diagv', [a]);
    case 'transpose':
      return apply('transpose', [a]);
    case 'eye':
      return eye(sizeArg(name, node.args[0], cx));
    case 'ones':
    case 'zeros': {
      const rows = sizeArg(name, node.args[0], cx);
      const cols = node.args.length === 2 ? sizeArg(name, node.args[1], cx) : ONE;
      return name === 'ones' ? ones(rows, cols) : zeros(rows, cols);
    }
    case 'commutation':
      return commutation(sizeArg(name, node.args[0], cx), sizeArg(name, node.args[1], cx));
    case 'shift':
      return apply('shift', [], {
        rows: sizeArg(name, node.args[0], cx),
        offset: offsetArg(node.args[1], cx),
      });
    case 'norm':
      return node.args.length === 2 ? normWithOrder(node, a, cx) : apply('norm', [a]);
    case 'max':
    case 'min':
    case 'adj':
    case 'tril':
    case 'masked_softmax':
      return apply(name, args);
    case 'grad':
    case 'jacobian':
    case 'hessian':
      return derivative(name, node, a, cx);
    case 'trace':
    case 'det':
    case 'logdet':
    case 'inv':
    case 'vec':
    case 'kron':
      return apply(name, args);
    default:
      if (ELEMENTWISE.includes(name)) return apply(name as OpName, args);
      throw cx.parseError(node, `unknown function \`${name}\``);
  }
}

/** The integer offset of `shift(n, k)`: a literal, possibly negative. */
function offsetArg(arg: MjNode, cx: Ctx): number {
  const n = unwrap(arg);
  const inner = n.type === 'OperatorNode' && n.fn === 'unaryMinus' ? unwrap(n.args[0]) : n;
  const sign = inner === n ? 1 : -1;
  if (inner.type === 'ConstantNode' && typeof inner.value === 'number' && Number.isSafeInteger(inner.value))
    return sign * inner.value;
  throw cx.argError(
    arg,
    `the offset of shift must be an integer literal such as 1 or -1, got \`${cx.said(arg)}\``,
  );
}

/** `norm(x, 1)`, `norm(x, 2)` of a vector; `norm(X, fro)` of any matrix. */
function normWithOrder(node: FunctionNode, a: Expr, cx: Ctx): Expr {
  const order = unwrap(node.args[1]);
  if (order.type === 'SymbolNode' && order.name === 'fro') return apply('norm', [a]);
  const p = order.type === 'ConstantNode' ? order.value : undefined;
  if (p !== 1 && p !== 2) {
    throw cx.argError(
      node.args[1],
      `the order of norm must be 1, 2 or fro (Frobenius), got \`${cx.said(node.args[1])}\``,
    );
  }
  if (!isVector(a.shape) && !isScalar(a.shape)) {
    const instead = p === 1 ? 'sum(abs(X)) for the entrywise 1-norm' : 'norm(X, fro) for the Frobenius norm';
    throw cx.shapeError(
      node,
      `norm(X, ${p}) of a matrix (${shapeText(a.shape)}) is ambiguous (an operator norm?); write ${instead}`,
    );
  }
  return apply(p === 1 ? 'norm1' : 'norm', [a]);
}

/** The literal 1 or 2 of `sum(A, 1)`: down columns or across rows. */
function reductionDim(fn: string, arg: MjNode, cx: Ctx): 1 | 2 {
  const n = unwrap(arg);
  if (n.type === 'ConstantNode' && (n.value === 1 || n.value === 2)) return n.value;
  throw cx.argError(
    arg,
    `the dim of ${fn} must be the literal 1 (down columns) or 2 (across rows), got \`${cx.said(arg)}\``,
  );
}

/** A size argument: a declared dim name, a positive integer, or a product or power of them (`n*d`, `n^2`). */
function sizeArg(fn: string, arg: MjNode, cx: Ctx): Dim {
  const bad = (why: string) =>
    cx.argError(arg, `${fn} takes dimensions (a declared dim name or a positive integer); ${why}`);
  const n = unwrap(arg);
  switch (n.type) {
    case 'ConstantNode':
      if (typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= 1) return dimConst(n.value);
      throw bad(`got \`${cx.said(arg)}\``);
    case 'SymbolNode':
      if (cx.scope.dims.has(n.name)) return dimSym(n.name);
      if (cx.scope.vars.has(n.name) || cx.scope.defs.has(n.name)) {
        throw bad(`\`${n.name}\` is not a dimension`);
      }
      throw bad(`\`${n.name}\` is not declared${didYouMean(n.name, cx.scope.dims)}`);
    case 'OperatorNode':
      if (n.fn === 'multiply') {
        if (n.implicit) cx.checkImplicit(n);
        return dimMul(sizeArg(fn, n.args[0], cx), sizeArg(fn, n.args[1], cx));
      }
      if (n.fn === 'pow') {
        const k = unwrap(n.args[1]);
        if (
          k.type === 'ConstantNode' &&
          typeof k.value === 'number' &&
          Number.isInteger(k.value) &&
          k.value >= 1
        ) {
          const base = sizeArg(fn, n.args[0], cx);
          let d = base;
          for (let i = 1; i < k.value; i++) d = dimMul(d, base);
          return d;
        }
      }
      throw bad(`got \`${cx.said(arg)}\``);
    default:
      throw bad(`got \`${cx.said(arg)}\``);
  }
}

/** grad(f, X): X's shape, f 1×1; jacobian(f, x): numel f × numel x; hessian(f, x): numel x × numel x, f 1×1. */
function derivative(mode: 'grad' | 'jacobian' | 'hessian', node: FunctionNode, fIn: Expr, cx: Ctx): Expr {
  const { f, wrt, at } = wrtVariable(mode, node.args[1], fIn, cx);
  const numel = (e: Expr) => dimMul(e.shape.rows, e.shape.cols);
  if (mode !== 'jacobian' && !isScalar(f.shape)) {
    const instead = mode === 'grad' ? 'jacobian(f, x)' : 'jacobian(grad(f, x), x) or a scalar f';
    throw cx.shapeError(
      node,
      `${mode} needs a scalar (1×1) function, got ${shapeText(f.shape)} in \`${cx.said(node)}\`; use ${instead}`,
    );
  }
  const s =
    mode === 'grad'
      ? wrt.shape
      : mode === 'jacobian'
        ? shape(numel(f), numel(wrt))
        : shape(numel(wrt), numel(wrt));
  return derivNode(mode, f, wrt, s, at);
}

/** A declared variable, or a named intermediate `H = …` held as an input `H` of its shape, at its definition. */
function wrtVariable(mode: string, arg: MjNode, f: Expr, cx: Ctx): HeldInput {
  const n = unwrap(arg);
  if (n.type === 'SymbolNode') {
    const held = heldInput(cx.scope, n.name, f);
    if (held) return held;
    if (!cx.scope.dims.has(n.name)) {
      throw cx.argError(arg, `undeclared symbol \`${n.name}\`${didYouMean(n.name, cx.scope.vars.keys())}`);
    }
  }
  throw cx.argError(
    arg,
    `${mode} differentiates with respect to a declared variable; \`${cx.said(arg)}\` is not one (nor a named intermediate)`,
  );
}

/** The node inside any parentheses. */
export function unwrap(node: MjNode): MjNode {
  let n = node;
  while (n.type === 'ParenthesisNode') n = n.content;
  return n;
}
