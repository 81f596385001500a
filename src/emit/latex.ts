// Expr → LaTeX that KaTeX renders in strict mode, from each op's LatexSyntax and one precedence table;
// parentheses are `\left( … \right)`. Built bottom-up over the DAG with a memo, so depth is not limited.
import type { Expr, OpExpr } from '../ir/expr.js';
import { topoOrder } from '../ir/expr.js';
import { specOf } from '../ops/index.js';
import { ATOMIC, LATEX_INFIX, LATEX_POSTFIX, LATEX_PREFIX, levelOf, needsParens } from './precedence.js';

export interface LatexOptions {
  /** Node id → LaTeX printed instead of the node (named intermediates such as `H`, `\delta_{2}`). */
  readonly names?: ReadonlyMap<number, string>;
}

/**
 * A printed node: its LaTeX, the precedence of its outermost operator, and what that operator is — a
 * product symbol (to enclose a different product beneath it), a prefix (`-`, `\nabla`), or a fraction.
 */
interface Printed {
  readonly tex: string;
  readonly prec: number;
  readonly symbol?: string;
  readonly prefix?: 'minus' | 'nabla';
  readonly frac?: boolean;
}

const atomic = (tex: string): Printed => ({ tex, prec: ATOMIC });
const paren = (tex: string): string => `\\left(${tex}\\right)`;
/** The level of products, at which juxtaposition and the circled operators sit. */
const PRODUCT = LATEX_INFIX[''].prec;

const GREEK = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho ' +
    'sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega'
  ).split(' '),
);

/** One identifier piece: a letter as is, a Greek name as its letter, a longer word upright. */
function word(w: string): string {
  if (/^[A-Za-z]$/.test(w) || /^[0-9]+$/.test(w)) return w;
  if (GREEK.has(w)) return `\\${w}`;
  return `\\mathrm{${w.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\backslash ' : `\\${c}`))}}`;
}

/**
 * A variable name in LaTeX: `x`, `W1` → `W_{1}`, `b12` → `b_{12}`, `alpha` → `\alpha`, `x_hat` →
 * `x_{\mathrm{hat}}`, `W1_i` → `W_{1,i}`, `loss` → `\mathrm{loss}`.
 */
export function latexName(name: string): string {
  const [head, ...rest] = name.split('_');
  const m = /^([A-Za-z]+?)([0-9]+)$/.exec(head);
  const base = m ? m[1] : head;
  const subs = [...(m ? [m[2]] : []), ...rest.filter((s) => s !== '')];
  if (base === '') return word(name);
  return subs.length === 0 ? word(base) : `${word(base)}_{${subs.map(word).join(',')}}`;
}

function constLatex(v: number): Printed {
  if (Number.isNaN(v)) return atomic('\\mathrm{NaN}');
  if (v === Number.POSITIVE_INFINITY) return atomic('\\infty');
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return atomic(s);
  const exponent = s.slice(e + 1).replace(/^\+/, '');
  return { tex: `${s.slice(0, e)} \\times 10^{${exponent}}`, prec: PRODUCT, symbol: '\\times' };
}

/** `{…}` around an atomic base that already carries a top-level superscript, so `^` cannot double up. */
function guardSuperscript(tex: string): string {
  let depth = 0;
  for (const c of tex) {
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '^' && depth === 0) return `{${tex}}`;
  }
  return tex;
}

/** A base of `^` or of a postfix decoration: anything but an atomic, non-fraction form is enclosed. */
function base(p: Printed): string {
  return p.prec < ATOMIC || p.frac ? paren(p.tex) : guardSuperscript(p.tex);
}

function infix(symbol: string, a: Printed, b: Printed): Printed {
  const { prec, assoc } = levelOf(LATEX_INFIX, symbol, 'LaTeX infix');
  if (symbol === '^') return { tex: `${base(a)}^{${b.tex}}`, prec };
  const isProduct = prec === PRODUCT;
  // A different product beneath a product, or a prefix operand of one, is enclosed so that `A \odot B C`
  // and `A -B` cannot be misread; so is a negated right operand of `+`/`-` (`a - \left(-b\right)`).
  const mixed = (p: Printed): boolean => isProduct && p.prec === prec && p.symbol !== symbol;
  const lhs =
    needsParens(prec, assoc, 'left', a.prec) || mixed(a) || (isProduct && a.prefix) ? paren(a.tex) : a.tex;
  const rhs =
    needsParens(prec, assoc, 'right', b.prec) || mixed(b) || (isProduct ? b.prefix : b.prefix === 'minus')
      ? paren(b.tex)
      : b.tex;
  let tex: string;
  if (symbol === '') {
    // `2 \cdot 3`, `A \cdot 2`, `2 \cdot \frac{1}{2}`: juxtaposed digits or a digit before a fraction misread.
    const dot = /^[0-9.]/.test(rhs) || (/[0-9.]$/.test(lhs) && rhs.startsWith('\\frac'));
    tex = dot ? `${lhs} \\cdot ${rhs}` : `${lhs} ${rhs}`;
  } else {
    tex = `${lhs} ${symbol} ${rhs}`;
  }
  return { tex, prec, symbol };
}

function opLatex(e: OpExpr, args: readonly Printed[]): Printed {
  const syntax = specOf(e.op).latex(
    e.args.map((a) => a.shape),
    e.attrs,
  );
  switch (syntax.form) {
    case 'infix':
      return infix(syntax.symbol, args[0], args[1]);
    case 'prefix': {
      const prec = levelOf(LATEX_PREFIX, syntax.symbol, 'LaTeX prefix');
      const a = args[0];
      const tex = needsParens(prec, 'left', 'prefix', a.prec) || a.prefix ? paren(a.tex) : a.tex;
      return { tex: syntax.symbol + tex, prec, prefix: 'minus' };
    }
    case 'postfix':
      return { tex: base(args[0]) + syntax.symbol, prec: LATEX_POSTFIX };
    case 'frac':
      return { tex: `\\frac{${args[0].tex}}{${args[1].tex}}`, prec: ATOMIC, frac: true };
    case 'call': {
      const head = syntax.sub === undefined ? syntax.name : `${syntax.name}_{${syntax.sub}}`;
      const simple = e.args.length === 1 && (e.args[0].kind === 'var' || e.args[0].kind === 'const');
      const inner = args.map((a) => a.tex).join(', ');
      return atomic(head + (simple ? `(${inner})` : paren(inner)));
    }
    case 'wrap':
      return atomic(syntax.open + args[0].tex + syntax.close);
    case 'atom':
      return atomic(syntax.text);
    default: {
      const never: never = syntax;
      return never;
    }
  }
}

function nodeLatex(e: Expr, of: (child: Expr) => Printed): Printed {
  switch (e.kind) {
    case 'var':
      return atomic(latexName(e.name));
    case 'const':
      return constLatex(e.value);
    case 'op':
      return opLatex(e, e.args.map(of));
    case 'deriv': {
      const f = of(e.f);
      const body = f.prec < ATOMIC ? paren(f.tex) : f.tex;
      const x = of(e.wrt).tex;
      switch (e.mode) {
        case 'grad':
          return { tex: `\\nabla_{${x}} ${body}`, prec: LATEX_PREFIX['-'], prefix: 'nabla' };
        case 'hessian':
          return { tex: `\\nabla^{2}_{${x}} ${body}`, prec: LATEX_PREFIX['-'], prefix: 'nabla' };
        case 'jacobian':
          // Numerator layout: row i is ∂(vec f)_i, column j is ∂(vec x)_j, so the Jacobian is m×n.
          return {
            tex: `\\frac{\\partial \\operatorname{vec} ${body}}{\\partial \\operatorname{vec} ${x}}`,
            prec: ATOMIC,
            frac: true,
          };
        default: {
          const never: never = e.mode;
          return never;
        }
      }
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** LaTeX for KaTeX (strict mode); nodes listed in `opts.names` print as the given LaTeX. */
export function toLatex(e: Expr, opts: LatexOptions = {}): string {
  const memo = new Map<number, Printed>();
  const of = (c: Expr): Printed => memo.get(c.id)!;
  for (const node of topoOrder([e])) {
    const named = opts.names?.get(node.id);
    memo.set(node.id, named === undefined ? nodeLatex(node, of) : atomic(named));
  }
  return memo.get(e.id)!.tex;
}
