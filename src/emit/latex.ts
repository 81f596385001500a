// Expr → LaTeX that KaTeX renders in strict mode, from each op's LatexSyntax and one precedence table;
// parentheses are `\left( … \right)`. Built bottom-up over the DAG with a memo, so depth is not limited.
import { type DerivExpr, type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { specOf } from '../ops/index.js';
import { ATOMIC, LATEX_INFIX, LATEX_POSTFIX, LATEX_PREFIX, levelOf, needsParens } from './precedence.js';
import { MAX_PRINTED_LENGTH, printLimit } from './text.js';

export interface LatexOptions {
  /** Node id → LaTeX printed instead of the node (named intermediates such as `H`, `\delta_{2}`). */
  readonly names?: ReadonlyMap<number, string>;
}

/**
 * LaTeX text with its first few characters and its last one, which the juxtaposition rules look at
 * instead of `tex` itself: `tex` may be a deep rope that inspecting would flatten at every level.
 */
interface Text {
  readonly tex: string;
  readonly head: string;
  readonly last: string;
}

/**
 * A printed node: its text, the precedence of its outermost operator, and what that operator is — a
 * product symbol (to enclose a different product beneath it), a `\nabla` reaching over what follows, an
 * atomic form that a superscript would attach to only a part of (`open`: a fraction, `\log\lvert…\rvert`),
 * or one that carries a superscript of its own (`sup`: a named node such as `h^{(1)}`).
 */
interface Printed extends Text {
  readonly prec: number;
  readonly symbol?: string;
  readonly nabla?: boolean;
  readonly open?: boolean;
  readonly sup?: boolean;
}

const HEAD = 8;

/** Concatenate literals (short strings) and texts, keeping head and last without reading the texts. */
function cat(parts: readonly (string | Text)[]): Text {
  let tex = '';
  let head = '';
  let last = '';
  for (const part of parts) {
    const t =
      typeof part === 'string' ? { tex: part, head: part.slice(0, HEAD), last: part.slice(-1) } : part;
    if (t.tex.length === 0) continue;
    tex += t.tex;
    if (head.length < HEAD) head = (head + t.head).slice(0, HEAD);
    last = t.last;
  }
  return { tex, head, last };
}

const node = (parts: readonly (string | Text)[], prec: number, flags: Partial<Printed> = {}): Printed => ({
  ...flags,
  ...cat(parts),
  prec,
});
/** An atomic literal; `sup` when it has a superscript outside all braces. */
const literal = (tex: string): Printed => node([tex], ATOMIC, { sup: topLevelSuperscript(tex) });
const paren = (t: Text): Text => cat(['\\left(', t, '\\right)']);
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
 * A variable name in LaTeX, one-to-one (two names never print alike): `x`, `W1` → `W_{1}`, `b12` →
 * `b_{12}`, `alpha` → `\alpha`, `x_hat` → `x_{\mathrm{hat}}`, `W1_i` → `W_{1,i}`, `loss` → `\mathrm{loss}`.
 * A name those forms would confuse with another — an empty piece (`x_`, `__proto__`) or a digit subscript
 * written out (`W_1`, which `W1` prints as) — prints as typed, upright: `\mathrm{W\_1}`.
 */
export function latexName(name: string): string {
  const [head, ...rest] = name.split('_');
  const m = /^([A-Za-z]+?)([0-9]+)$/.exec(head);
  const base = m ? m[1] : head;
  const spelled = base === '' || rest.includes('') || (!m && /^[0-9]+$/.test(rest[0] ?? ''));
  if (spelled) return `\\mathrm{${name.replaceAll('_', '\\_')}}`;
  const subs = [...(m ? [m[2]] : []), ...rest];
  return subs.length === 0 ? word(base) : `${word(base)}_{${subs.map(word).join(',')}}`;
}

function constLatex(v: number): Printed {
  if (Number.isNaN(v)) return literal('\\mathrm{NaN}');
  if (v === Number.POSITIVE_INFINITY) return literal('\\infty');
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return literal(s);
  const exponent = s.slice(e + 1).replace(/^\+/, '');
  return node([`${s.slice(0, e)} \\times 10^{${exponent}}`], PRODUCT, { symbol: '\\times' });
}

function topLevelSuperscript(tex: string): boolean {
  let depth = 0;
  for (const c of tex) {
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '^' && depth === 0) return true;
  }
  return false;
}

/**
 * A base of `^` or of a postfix decoration: anything but a closed atomic form is enclosed, and one with
 * its own superscript is braced so that the two cannot double up (`{h^{(1)}}^{\top}`).
 */
function base(p: Printed): Text {
  if (p.prec < ATOMIC || p.open) return paren(p);
  return p.sup ? cat(['{', p, '}']) : p;
}

/** A wrap whose opening is a delimiter (`\lvert`, `\left\lVert`, `\sqrt{`) closes over all of it. */
const CLOSED_WRAP = /^(\\left|\\lvert|\\lVert|\\langle|\\lfloor|\\lceil|\\sqrt|[|([])/;

const negative = (t: Text): boolean => t.head.startsWith('-');

function infix(symbol: string, a: Printed, b: Printed): Printed {
  const { prec, assoc } = levelOf(LATEX_INFIX, symbol, 'LaTeX infix');
  if (symbol === '^') return node([base(a), '^{', b, '}'], prec);
  if (symbol === '^\\circ') return node([base(a), '^{\\circ ', b, '}'], prec);
  const isProduct = prec === PRODUCT;
  // Enclosed so that nothing is misread: a different product beneath a product (`A \odot B C`), a `\nabla`
  // operand of a product, and a right operand that starts with a minus (`A \left(-B\right)`,
  // `a - \left(-b\right)`). A leading minus on the left is kept bare: `-2 X` is `(-2) X` and `-(2 X)` alike.
  const mixed = (p: Printed): boolean => isProduct && p.prec === prec && p.symbol !== symbol;
  const lhs = needsParens(prec, assoc, 'left', a.prec) || mixed(a) || (isProduct && a.nabla) ? paren(a) : a;
  const rhs =
    needsParens(prec, assoc, 'right', b.prec) || mixed(b) || negative(b) || (isProduct && b.nabla)
      ? paren(b)
      : b;
  if (symbol !== '') return node([lhs, ` ${symbol} `, rhs], prec, { symbol });
  // `2 \cdot 3`, `A \cdot 2`, `2 \cdot \frac{1}{2}`: juxtaposed digits, or a digit before a fraction, misread.
  const dot = /^[0-9.]/.test(rhs.head) || (/[0-9.]$/.test(lhs.last) && rhs.head.startsWith('\\frac'));
  return node([lhs, dot ? ' \\cdot ' : ' ', rhs], prec, { symbol });
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
      const [a] = args;
      // −(2A) prints −2 A: a negation commutes with every product (each is linear in each factor), so
      // reading it as (−2)A or −(2A) gives the same value
      const bareProduct = syntax.symbol === '-' && a.prec === PRODUCT && !a.nabla;
      const enclose = (needsParens(prec, 'left', 'prefix', a.prec) && !bareProduct) || negative(a);
      return node([syntax.symbol, enclose ? paren(a) : a], prec);
    }
    case 'postfix':
      return node([base(args[0]), syntax.symbol], LATEX_POSTFIX);
    case 'frac':
      return node(['\\frac{', args[0], '}{', args[1], '}'], ATOMIC, { open: true });
    case 'call': {
      const name = syntax.sub === undefined ? syntax.name : `${syntax.name}_{${syntax.sub}}`;
      const inner = cat(args.flatMap((a, i) => (i === 0 ? [a] : [', ', a])));
      const simple = e.args.length === 1 && (e.args[0].kind === 'var' || e.args[0].kind === 'const');
      return node([name, simple ? cat(['(', inner, ')']) : paren(inner)], ATOMIC);
    }
    case 'wrap':
      return node([syntax.open, args[0], syntax.close], ATOMIC, { open: !CLOSED_WRAP.test(syntax.open) });
    case 'atom':
      return literal(syntax.text);
    default: {
      const never: never = syntax;
      return never;
    }
  }
}

function derivLatex(e: DerivExpr, f: Printed, x: Printed): Printed {
  const body = f.prec < ATOMIC ? paren(f) : f;
  switch (e.mode) {
    case 'grad':
      return node(['\\nabla_{', x, '} ', body], LATEX_PREFIX['-'], { nabla: true });
    case 'hessian':
      return node(['\\nabla^{2}_{', x, '} ', body], LATEX_PREFIX['-'], { nabla: true });
    case 'jacobian':
      // Numerator layout: row i is ∂(vec f)_i, column j is ∂(vec x)_j, so the Jacobian is m×n.
      return node(
        ['\\frac{\\partial \\operatorname{vec} ', body, '}{\\partial \\operatorname{vec} ', x, '}'],
        ATOMIC,
        { open: true },
      );
    default: {
      const never: never = e.mode;
      return never;
    }
  }
}

function nodeLatex(e: Expr, of: (child: Expr) => Printed): Printed {
  switch (e.kind) {
    case 'var':
      return literal(latexName(e.name));
    case 'const':
      return constLatex(e.value);
    case 'op':
      return opLatex(e, e.args.map(of));
    case 'deriv':
      return derivLatex(e, of(e.f), of(e.wrt));
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** (A⁻¹)ᵏ prints as A^{-k}, as textbooks write it, unless the inverse has a name of its own. */
function inversePower(n: Expr, of: (child: Expr) => Printed, opts: LatexOptions): Printed | null {
  if (n.kind !== 'op' || n.op !== 'matpow') return null;
  const inverse = n.args[0];
  if (inverse.kind !== 'op' || inverse.op !== 'inv' || opts.names?.has(inverse.id)) return null;
  return node([base(of(inverse.args[0])), `^{-${n.attrs.power}}`], LATEX_POSTFIX);
}

/** LaTeX for KaTeX (strict mode); nodes listed in `opts.names` print as the given LaTeX. */
export function toLatex(e: Expr, opts: LatexOptions = {}): string {
  const memo = new Map<number, Printed>();
  const of = (c: Expr): Printed => memo.get(c.id)!;
  const order = topoOrder([e]);
  for (const n of order) {
    const named = opts.names?.get(n.id);
    const p = named === undefined ? (inversePower(n, of, opts) ?? nodeLatex(n, of)) : literal(named);
    if (p.tex.length > MAX_PRINTED_LENGTH) throw printLimit('LaTeX', order.length);
    memo.set(n.id, p);
  }
  return memo.get(e.id)!.tex;
}
