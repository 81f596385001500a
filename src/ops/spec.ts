// The op record: everything matcalc knows about one op — shape rule, VJP, numeric eval, how it is written
// in text, LaTeX, JS and NumPy, and the rule name shown in writeups. Passes read these records; cross-op
// knowledge (precedence, simplification, sweep order, CSE) lives in the pass that owns it.
import type { Dim } from '../ir/dim.js';
import type { Attrs, Expr } from '../ir/expr.js';
import type { Shape } from '../ir/shape.js';
import type { Matrix } from '../kernels/matrix.js';

/**
 * How an op is written. Parentheses are decided by emit/ from one precedence table keyed by `symbol`;
 * a `call` never needs parentheses around its arguments.
 */
export type Syntax =
  | { readonly form: 'infix'; readonly symbol: string }
  | { readonly form: 'prefix'; readonly symbol: string }
  | { readonly form: 'postfix'; readonly symbol: string }
  | { readonly form: 'call'; readonly name: string; readonly extra?: readonly string[] }
  /** `A^k` for an integer matrix power held in attrs. */
  | { readonly form: 'power'; readonly exponent: string }
  /** A name or number that needs no parentheses (`n`, `eye(3)` written by the op itself). */
  | { readonly form: 'atom'; readonly text: string };

/**
 * LaTeX forms. `infix`/`prefix`/`postfix` use emit/latex's precedence table keyed by `symbol`
 * (`''` is juxtaposition, i.e. a matrix product); `frac` is a fraction; `call` is `name(args)` with
 * auto-sized parentheses; `wrap` encloses its single argument (`\lVert x \rVert`), needing no parens;
 * `sub`/`sup`-style decorations are written as `postfix` symbols like `^{\top}`.
 */
export type LatexSyntax =
  | { readonly form: 'infix'; readonly symbol: string }
  | { readonly form: 'prefix'; readonly symbol: string }
  | { readonly form: 'postfix'; readonly symbol: string }
  | { readonly form: 'frac' }
  | { readonly form: 'call'; readonly name: string; readonly sub?: string }
  | { readonly form: 'wrap'; readonly open: string; readonly close: string }
  | { readonly form: 'atom'; readonly text: string };

/**
 * JS code for compiled closures. `map`: an elementwise op given as a scalar expression over its operands'
 * entries (broadcast like NumPy), which the compiler fuses with neighbouring maps; `kernel`: a call
 * `K.<name>(out, ...args, ...extra)` into src/kernels that writes its result into the preallocated `out`.
 */
export type JsTemplate =
  | { readonly kind: 'map'; readonly scalar: (xs: readonly string[]) => string }
  | {
      readonly kind: 'kernel';
      readonly name: string;
      /** Trailing arguments: JS literals, or a Dim that the compiler replaces by its runtime size. */
      readonly extra?: (attrs: Attrs) => readonly (string | number | Dim)[];
    };

/** What eval may need beyond its arguments: the numeric value of a symbolic dim at this evaluation. */
export interface EvalCtx {
  dim(d: Dim): number;
}

export interface ShapeCtx {
  /** Text of the arguments as the user wrote them (for messages); may be empty. */
  readonly argText?: readonly string[];
}

/**
 * Where an argument must lie for the op and its derivative to be defined: `pos` every entry positive,
 * `full` square and invertible (`spd` is the part of `full` that generators build). Numeric checks sample
 * inside these domains (src/numeric/domains.ts) and name the op when they cannot.
 */
export type Domain = 'any' | 'pos' | 'spd' | 'full';

export interface OpSpec {
  /** Number of Expr arguments (eye/ones/zeros take 0; their sizes are attrs). */
  readonly arity: number;
  /** Output shape; throws ShapeError naming the op and the shapes. */
  shape(args: readonly Shape[], attrs: Attrs): Shape;
  /**
   * Vector-Jacobian product: given the cotangent `ct` of the output `out`, one cotangent per argument
   * (null = no dependence). Results may have the *broadcast* shape; the engine sums them back over
   * broadcast axes and asserts the argument's shape. `needs[k]` false: the sweep drops argument k's
   * cotangent (nothing to differentiate depends on it), so a rule may return null for it unbuilt.
   */
  vjp(
    ct: Expr,
    out: Expr,
    args: readonly Expr[],
    attrs: Attrs,
    needs?: readonly boolean[],
  ): readonly (Expr | null)[];
  /**
   * Forward mode in vec form (Magnus & Neudecker; vec stacks columns). `tangents[k]` is ∂vec(args[k])/∂vec(x),
   * an (numel args[k])×N matrix, or null when args[k] does not depend on x. For an operand that an
   * elementwise op broadcasts, the engine has already expanded the tangent to (numel out)×N, except a 1×1
   * operand, whose 1×N tangent broadcasts by itself. Returns ∂vec(out)/∂vec(x), (numel out)×N, or null
   * when out does not depend on x (always when every tangent is null).
   */
  jvp(out: Expr, args: readonly Expr[], attrs: Attrs, tangents: readonly (Expr | null)[]): Expr | null;
  /** Numeric value of the op on concrete arguments. */
  eval(args: readonly Matrix[], attrs: Attrs, ctx: EvalCtx): Matrix;
  text(args: readonly Shape[], attrs: Attrs): Syntax;
  latex(args: readonly Shape[], attrs: Attrs): LatexSyntax;
  js: JsTemplate;
  /** NumPy expression over already-parenthesized operand strings (vectors are (d, 1) arrays). */
  numpy(args: readonly string[], attrs: Attrs): string;
  /** Name of the rule shown in writeups, e.g. "chain rule through tanh". */
  readonly rule: string;
  /** The domain of each argument (omitted: defined everywhere). */
  readonly domain?: readonly Domain[];
}
