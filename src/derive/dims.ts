// Dimension checks as a reader writes them beside an equation: the operands' symbolic shapes combined by
// the outermost operation, `[h×n][n×k] = h×k ✓`, and whether the result has the shape it must have.
import type { Expr } from '../ir/expr.js';
import { isScalar, type Shape, sameShape, shapeText } from '../ir/shape.js';

export interface DimCheck {
  readonly text: string;
  readonly ok: boolean;
}

const box = (s: Shape): string => `[${shapeText(s)}]`;

/** The factors of a chain of matrix products, left to right. */
function factors(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'op' && e.op === 'matmul') {
    factors(e.args[0], out);
    factors(e.args[1], out);
  } else out.push(e);
  return out;
}

const INFIX: Readonly<Record<string, string>> = { add: ' + ', sub: ' − ', emul: ' ⊙ ', ediv: ' ⊘ ' };

const REDUCTION: Readonly<Record<number, string>> = {
  0: 'sum of all entries of ',
  1: 'sum down the columns of ',
  2: 'sum across the rows of ',
};

/** One operand: its shape, or the shapes of a product chain inside it. */
function operand(e: Expr): string {
  if (e.kind === 'op' && e.op === 'matmul')
    return factors(e)
      .map((f) => box(f.shape))
      .join('');
  return box(e.shape);
}

/** How the outermost operation of e combines the shapes of its operands. */
export function combination(e: Expr): string {
  if (e.kind !== 'op') return box(e.shape);
  const [a, b] = e.args;
  switch (e.op) {
    case 'matmul':
      return operand(e);
    case 'add':
    case 'sub':
      return `${operand(a)}${INFIX[e.op]}${operand(b)}`;
    case 'emul':
    case 'ediv':
      if (isScalar(a.shape) && e.op === 'emul') return `scalar · ${operand(b)}`;
      if (isScalar(b.shape)) return `${operand(a)}${e.op === 'emul' ? ' · scalar' : ' / scalar'}`;
      return `${operand(a)}${INFIX[e.op]}${operand(b)}`;
    case 'transpose':
      return `${operand(a)}ᵀ`;
    case 'neg':
      return `−${operand(a)}`;
    case 'trace':
      return `tr(${operand(a)})`;
    case 'sum':
      return `${REDUCTION[e.attrs.dim ?? 0]}${operand(a)}`;
    default:
      return e.args.length === 0 ? box(e.shape) : `${e.op}(${e.args.map(operand).join(', ')})`;
  }
}

/** The check of `e` against the shape it must have: `[d×n][n×h] = d×h ✓`. */
export function dimCheck(e: Expr, expected: Shape = e.shape): DimCheck {
  const ok = sameShape(e.shape, expected);
  const result = shapeText(e.shape);
  const text = ok
    ? `${combination(e)} = ${result} ✓`
    : `${combination(e)} = ${result}, but ${shapeText(expected)} is needed ✗`;
  return { text, ok };
}
