// The symbols a writeup speaks in: named intermediates and cotangents stand as variables, so each step's
// equation reads in the file's own names and simplifies locally; `latex` prints them, `concrete` undoes it.
import { latexName, toLatex } from '../emit/latex.js';
import { type Expr, topoOrder, type VarExpr, variable } from '../ir/expr.js';
import { isScalar, type Shape, shape } from '../ir/shape.js';
import { transpose } from '../ops/build.js';
import { rebuild } from '../simplify/engine.js';
import { fieldNotation } from './notation.js';

export type Layout = 'numerator' | 'denominator';

/** e with every node listed in `map` replaced (outermost match wins), rebuilt bottom-up. */
export function substitute(e: Expr, map: ReadonlyMap<number, Expr>): Expr {
  if (map.size === 0) return e;
  const memo = new Map<number, Expr>();
  for (const n of topoOrder([e])) {
    const hit = map.get(n.id);
    if (hit) memo.set(n.id, hit);
    else
      memo.set(
        n.id,
        n.kind === 'op'
          ? rebuild(
              n,
              n.args.map((a) => memo.get(a.id)!),
            )
          : n,
      );
  }
  return memo.get(e.id)!;
}

const transposed = (s: Shape): Shape => shape(s.cols, s.rows);

/**
 * The symbol table of one writeup. Variables stand for named intermediates (`H`), for the cotangent of a
 * node (∂L/∂Z, gradient-shaped; in numerator layout the symbol is its transpose) and for differentials dA.
 */
export class Symbols {
  private readonly tex = new Map<number, string>();
  /** Symbol variable id → the concrete expression it stands for. */
  private readonly meaning = new Map<number, Expr>();
  /** Concrete node id → the variable naming it. */
  private readonly named = new Map<number, VarExpr>();
  private readonly cotangents = new Map<number, Expr>();
  private readonly differentials = new Map<number, VarExpr>();

  constructor(
    readonly loss: string,
    readonly layout: Layout,
  ) {}

  /** Name a concrete node (a definition of the file); later names of the same node are ignored. */
  name(name: string, node: Expr): void {
    if (this.named.has(node.id) || node.kind === 'var') return;
    const v = variable(name, node.shape);
    this.tex.set(v.id, latexName(name));
    this.meaning.set(v.id, node);
    this.named.set(node.id, v);
  }

  /** The node over named symbols: every named node inside it (but `except`) becomes its variable. */
  abstract(e: Expr, except?: Expr): Expr {
    const map = new Map<number, Expr>([...this.named].filter(([id]) => id !== except?.id));
    return substitute(e, map);
  }

  /** Concrete node id → the variable naming it, for every named node. */
  namedNodes(): ReadonlyMap<number, Expr> {
    return this.named;
  }

  isNamed(node: Expr): boolean {
    return node.kind === 'var' || this.named.has(node.id);
  }

  /** The shape ∂L/∂A is written with: A's own (denominator layout) or its transpose (numerator). */
  orientedShape(node: Expr): Shape {
    return this.layout === 'numerator' ? transposed(node.shape) : node.shape;
  }

  /** LaTeX of the node itself: its name, a variable, or its expression over names. */
  nodeLatex(node: Expr): string {
    const v = this.named.get(node.id);
    return v ? this.tex.get(v.id)! : this.latex(this.abstract(node));
  }

  /** Short names u₁, u₂, … for unnamed nodes too long to repeat in every denominator. */
  private readonly auto = new Map<number, string>();

  /** The node as a derivative is taken with respect to it: its name, a short `u_k`, or its expression. */
  private wrtLatex(node: Expr): { readonly tex: string; readonly simple: boolean } {
    if (this.isNamed(node)) return { tex: this.nodeLatex(node), simple: true };
    const of = this.nodeLatex(node);
    if (of.length <= 28) return { tex: of, simple: false };
    let u = this.auto.get(node.id);
    if (!u) {
      u = `u_{${this.auto.size + 1}}`;
      this.auto.set(node.id, u);
    }
    return { tex: u, simple: true };
  }

  /** `u_{1} = \operatorname{sum}(…)` when the node has a short name, for a `where` clause. */
  whereLatex(node: Expr): string | undefined {
    const u = this.auto.get(node.id);
    return u ? `${u} = ${this.nodeLatex(node)}` : undefined;
  }

  /** `\frac{\partial L}{\partial A}`: the derivative symbol of a node. */
  derivLatex(node: Expr): string {
    const { tex, simple } = this.wrtLatex(node);
    return `\\frac{\\partial ${latexName(this.loss)}}{\\partial ${simple ? tex : `\\left(${tex}\\right)`}}`;
  }

  /**
   * The cotangent of `node` (gradient-shaped, G_ij = ∂L/∂A_ij) as a symbol expression: in denominator
   * layout the derivative symbol itself, in numerator layout the transpose of a symbol of transposed shape.
   */
  cotangent(node: Expr): Expr {
    const known = this.cotangents.get(node.id);
    if (known) return known;
    const numerator = this.layout === 'numerator' && !isScalar(node.shape);
    const v = variable(`d${this.loss}/d#${node.id}`, numerator ? transposed(node.shape) : node.shape);
    this.tex.set(v.id, this.derivLatex(node));
    const ct = numerator ? transpose(v) : v;
    this.cotangents.set(node.id, ct);
    return ct;
  }

  /** The substitution giving the cotangent symbol of `node` the gradient-shaped value `value`. */
  bind(node: Expr, value: Expr): Map<number, Expr> {
    const ct = this.cotangents.get(node.id);
    if (!ct) return new Map();
    return ct.kind === 'op' ? new Map([[ct.args[0].id, transpose(value)]]) : new Map([[ct.id, value]]);
  }

  /** The variable `dA` standing for the differential of a node. */
  differential(node: Expr): VarExpr {
    let v = this.differentials.get(node.id);
    if (!v) {
      v = variable(`d#${node.id}`, node.shape);
      const { tex, simple } = this.wrtLatex(node);
      this.tex.set(v.id, simple ? `d${tex}` : `d\\left(${tex}\\right)`);
      this.differentials.set(node.id, v);
    }
    return v;
  }

  /** How a gradient-shaped expression is written in this layout: itself, or its transpose. */
  oriented(e: Expr): Expr {
    return this.layout === 'numerator' && !isScalar(e.shape) ? transpose(e) : e;
  }

  /** The concrete expression behind a symbol expression (cotangent symbols are left alone). */
  concrete(e: Expr): Expr {
    const map = new Map<number, Expr>();
    for (const n of topoOrder([e])) {
      const m = n.kind === 'var' ? this.meaning.get(n.id) : undefined;
      if (m) map.set(n.id, m);
    }
    return substitute(e, map);
  }

  /** LaTeX of a symbol expression; a derivative symbol under a superscript is enclosed. */
  latex(e: Expr): string {
    let out = toLatex(fieldNotation(e), { names: this.tex });
    for (const v of this.cotangents.values()) {
      const sym = this.tex.get((v.kind === 'op' ? v.args[0] : v).id)!;
      out = out
        .replaceAll(`${sym}^{`, `\\left(${sym}\\right)^{`)
        .replaceAll(`(${sym})`, `\\left(${sym}\\right)`);
    }
    return out;
  }
}
