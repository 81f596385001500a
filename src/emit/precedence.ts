// The precedence tables of emit/text (mathjs's grammar) and emit/latex, keyed by Syntax symbol (higher binds
// tighter), and the one rule deciding when an operand needs parentheses. Op records only name their form.

export type Assoc = 'left' | 'right';

export interface InfixLevel {
  readonly prec: number;
  readonly assoc: Assoc;
}

/** Calls, atoms, variables, constants, and anything already enclosed: never parenthesized. */
export const ATOMIC = 6;

const left = (prec: number): InfixLevel => ({ prec, assoc: 'left' });
const right = (prec: number): InfixLevel => ({ prec, assoc: 'right' });

/**
 * mathjs: `+ -` < `* .* / ./` (one level) < unary `-` < `^ .^` (right-assoc; the exponent is parsed as a
 * unary expression) < postfix `'` < calls and atoms. So `-a^2` is `-(a^2)` and `x'^2` is `(x')^2`.
 */
export const TEXT_INFIX: Readonly<Record<string, InfixLevel>> = {
  '+': left(1),
  '-': left(1),
  '*': left(2),
  '.*': left(2),
  '/': left(2),
  './': left(2),
  '^': right(4),
  '.^': right(4),
};
export const TEXT_PREFIX: Readonly<Record<string, number>> = { '-': 3 };
export const TEXT_POSTFIX: Readonly<Record<string, number>> = { "'": 5 };
/** The `power` form `A^k`: the level of `^`. */
export const TEXT_POWER = 4;

/**
 * LaTeX: `+ -` < products (juxtaposition `''`, `\odot`, `\oslash`, `\otimes`) < unary `-` < `^` < postfix
 * decorations (`^{\top}`, `^{-1}`, `^{k}`) < atomic forms (variables, constants, calls, wraps, fractions).
 */
export const LATEX_INFIX: Readonly<Record<string, InfixLevel>> = {
  '+': left(1),
  '-': left(1),
  '': left(2),
  '\\odot': left(2),
  '\\oslash': left(2),
  '\\otimes': left(2),
  '\\times': left(2),
  '^': right(4),
  // A ∘ B's Hadamard power A^{∘p}: what an elementwise power of a matrix or vector is written as
  '^\\circ': right(4),
};
export const LATEX_PREFIX: Readonly<Record<string, number>> = { '-': 3 };
/** Every postfix decoration sits at this level, whatever its symbol. */
export const LATEX_POSTFIX = 5;

/** Where an operand sits relative to its operator. */
export type Side = 'left' | 'right' | 'prefix' | 'postfix';

/**
 * Whether an operand of precedence `child` needs parentheses under an operator of precedence `parent`.
 * Infix: the side the operator associates to tolerates an equal level, the other side does not
 * (`a - (b - c)`, `(a^b)^c`). A prefix operand at the same level is enclosed (`-(-a)`); a postfix one is
 * not (`A''`).
 */
export function needsParens(parent: number, assoc: Assoc, side: Side, child: number): boolean {
  switch (side) {
    case 'left':
      return assoc === 'left' ? child < parent : child <= parent;
    case 'right':
      return assoc === 'right' ? child < parent : child <= parent;
    case 'prefix':
      return child <= parent;
    case 'postfix':
      return child < parent;
    default: {
      const never: never = side;
      return never;
    }
  }
}

/** The table entry for `symbol`, or an error naming the table to extend. */
export function levelOf<T>(table: Readonly<Record<string, T>>, symbol: string, what: string): T {
  if (!Object.hasOwn(table, symbol)) {
    throw new RangeError(`no precedence for ${what} symbol '${symbol}': add it to src/emit/precedence.ts`);
  }
  return table[symbol];
}
