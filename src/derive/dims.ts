// Dimension checks as a reader writes them beside an equation: the operands' symbolic shapes combined by
// the outermost operation, `[h×n][n×k] = h×k ✓`, and whether the result has the shape it must have. The
// same check as plain text (under an equation) and as TeX (in an equation's justification column).
import type { Expr } from '../ir/expr.js';
import { isScalar, type Shape, sameShape, shapeText } from '../ir/shape.js';

export interface DimCheck {
  readonly text: string;
  /** The same check as TeX: `[h \times n][n \times k] = h \times k \;\checkmark`. */
  readonly tex: string;
  readonly ok: boolean;
}

interface Printer {
  shape(s: Shape): string;
  infix: Readonly<Record<string, string>>;
  words(w: string): string;
  transposed(x: string): string;
  minus: string;
}

/** A shape's TeX: `n \times h`, a multi-letter dim upright. */
function shapeTexOf(s: Shape): string {
  return shapeText(s)
    .split('×')
    .map((d) =>
      d
        .split('·')
        .map((f) => (/^[A-Za-z]{2,}/.test(f) ? `\\mathit{${f}}` : f))
        .join(' \\cdot '),
    )
    .join(' \\times ');
}

const TEXT: Printer = {
  shape: (s) => `[${shapeText(s)}]`,
  infix: { add: ' + ', sub: ' − ', emul: ' ⊙ ', ediv: ' ⊘ ' },
  words: (w) => w,
  transposed: (x) => `${x}ᵀ`,
  minus: '−',
};

const TEX: Printer = {
  shape: (s) => `[${shapeTexOf(s)}]`,
  infix: { add: ' + ', sub: ' - ', emul: ' \\odot ', ediv: ' \\oslash ' },
  words: (w) => `\\text{${w}}`,
  transposed: (x) => `${x}^{\\top}`,
  minus: '-',
};

/** The factors of a chain of matrix products, left to right. */
function factors(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'op' && e.op === 'matmul') {
    factors(e.args[0], out);
    factors(e.args[1], out);
  } else out.push(e);
  return out;
}

const FUNCTION_TEX: Readonly<Record<string, string>> = {
  tanh: '\\tanh',
  exp: '\\exp',
  log: '\\log',
  sin: '\\sin',
  cos: '\\cos',
  sigmoid: '\\sigma',
  det: '\\det',
};

const REDUCTION: Readonly<Record<number, string>> = {
  0: 'sum of all entries of ',
  1: 'sum down the columns of ',
  2: 'sum across the rows of ',
};

/** One operand: its shape, or the shapes of a product chain inside it. */
function operand(e: Expr, p: Printer): string {
  if (e.kind === 'op' && e.op === 'matmul')
    return factors(e)
      .map((f) => p.shape(f.shape))
      .join('');
  return p.shape(e.shape);
}

function combine(e: Expr, p: Printer): string {
  if (e.kind !== 'op') return p.shape(e.shape);
  const [a, b] = e.args;
  switch (e.op) {
    case 'matmul':
      return operand(e, p);
    case 'add':
    case 'sub':
      return `${operand(a, p)}${p.infix[e.op]}${operand(b, p)}`;
    case 'emul':
    case 'ediv':
      if (isScalar(a.shape) && e.op === 'emul')
        return `${p.words('scalar')} · ${operand(b, p)}`.replace('·', p === TEX ? '\\cdot' : '·');
      if (isScalar(b.shape))
        return `${operand(a, p)}${e.op === 'emul' ? (p === TEX ? ' \\cdot ' : ' · ') : ' / '}${p.words('scalar')}`;
      return `${operand(a, p)}${p.infix[e.op]}${operand(b, p)}`;
    case 'transpose':
      return p.transposed(operand(a, p));
    case 'neg':
      return `${p.minus}${operand(a, p)}`;
    case 'trace':
      return `${p === TEX ? '\\operatorname{tr}' : 'tr'}(${operand(a, p)})`;
    case 'sum':
      return `${p.words(REDUCTION[e.attrs.dim ?? 0])}${operand(a, p)}`;
    default:
      return e.args.length === 0
        ? p.shape(e.shape)
        : `${p === TEX ? (FUNCTION_TEX[e.op] ?? `\\operatorname{${e.op}}`) : e.op}(${e.args.map((x) => operand(x, p)).join(', ')})`;
  }
}

/** How the outermost operation of e combines the shapes of its operands. */
export function combination(e: Expr): string {
  return combine(e, TEXT);
}

/** The check of `e` against the shape it must have: `[d×n][n×h] = d×h ✓`. */
export function dimCheck(e: Expr, expected: Shape = e.shape): DimCheck {
  const ok = sameShape(e.shape, expected);
  const result = shapeText(e.shape);
  const text = ok
    ? `${combination(e)} = ${result} ✓`
    : `${combination(e)} = ${result}, but ${shapeText(expected)} is needed ✗`;
  const resultTex = shapeTexOf(e.shape);
  const tex = ok
    ? `${combine(e, TEX)} = ${resultTex} \\;\\checkmark`
    : `${combine(e, TEX)} = ${resultTex} \\text{, but } ${shapeTexOf(expected)} \\text{ is needed}`;
  return { text, tex, ok };
}
