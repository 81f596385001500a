// The steps of a writeup, as data: forward definitions with their shapes, then the backward pass node by
// node from the reverse sweep's log (rule, equation, dimension check, simplified result), in the
// differential or chain-rule style, then each gradient in the file's own names.

import { expandDerivatives } from '../diff/expand.js';
import { gradRaw, type SweepStep } from '../diff/grad.js';
import { toText } from '../emit/text.js';
import { isOne } from '../ir/dim.js';
import { type Expr, type OpExpr, topoOrder, type VarExpr } from '../ir/expr.js';
import { isScalar, SCALAR, sameShape, shapeText } from '../ir/shape.js';
import { add, matmul, mul, trace, transpose, zerosOf } from '../ops/build.js';
import { specOf } from '../ops/index.js';
import { type Rewrite, simplify } from '../simplify/engine.js';
import { differentialOf } from './differential.js';
import { type DimCheck, dimCheck } from './dims.js';
import { hasDerivative } from './forward.js';
import { type Layout, type Symbols, substitute } from './symbols.js';
import { cancelDoubleTransposes } from './transposes.js';

/** compact: the textbook's equations; steps: node by node; differential: node by node with dN and tr(Gᵀ dN). */
export type Style = 'compact' | 'steps' | 'differential';

export interface StepOptions {
  readonly style: Style;
  readonly layout: Layout;
}

export interface Equation {
  /** LaTeX of the left side. */
  readonly lhs: string;
  /** LaTeX of the right side in successive forms: as the rule gives it, simplified, in closed form. */
  readonly forms: readonly string[];
  readonly dims: DimCheck;
  /** The shape of the left side, `n×h`. */
  readonly shape: string;
  /** What else happened: a broadcast summed away, the simplification rules used. */
  readonly note?: string;
  /** The rules the equation used, as TeX, for a justification column. */
  readonly rules?: readonly string[];
  /** `u_{1} = …`: the short name its left side uses for a long expression. */
  readonly where?: string;
}

export interface Step {
  readonly kind: 'forward' | 'backward' | 'sum' | 'result';
  /** The rule, as the op record names it ("chain rule through tanh"). */
  readonly rule: string;
  /** LaTeX of the node a backward step goes through. */
  readonly node?: string;
  readonly equations: readonly Equation[];
}

export interface Definition {
  readonly name: string;
  readonly expr: Expr;
}

/** One gradient of the loss in the file's names, as shown, and as an expression over the variables. */
export interface Result {
  readonly variable: VarExpr;
  /** Gradient-shaped (G_ij = ∂L/∂X_ij), over the declared variables only: what numeric checks evaluate. */
  readonly gradient: Expr;
  /** The same in the input language over the named intermediates, `X'*(delta2)/n`. */
  readonly text: string;
}

export interface Backward {
  readonly steps: readonly Step[];
  readonly results: readonly Result[];
}

const BROADCAST_NOTE: Readonly<Record<string, string>> = {
  rows: 'broadcast: sum over the batch (the rows)',
  cols: 'broadcast: sum over the columns',
  all: 'broadcast: sum over all entries',
};

function broadcastNote(node: OpExpr, arg: Expr): string | undefined {
  if (specOf(node.op).js.kind !== 'map' || sameShape(node.shape, arg.shape)) return undefined;
  const rows = isOne(arg.shape.rows) && !isOne(node.shape.rows);
  const cols = isOne(arg.shape.cols) && !isOne(node.shape.cols);
  return BROADCAST_NOTE[rows && cols ? 'all' : rows ? 'rows' : 'cols'];
}

/** The distinct simplification rules a rewrite log used, with their identities. */
function rulesUsed(log: readonly Rewrite[]): string | undefined {
  const seen = new Map<string, string>();
  for (const r of log) if (!seen.has(r.rule)) seen.set(r.rule, r.identity);
  if (seen.size === 0) return undefined;
  return `simplified by ${[...seen.keys()].join(', ')}`;
}

const joinNotes = (...notes: (string | undefined)[]): string | undefined =>
  notes.filter((n) => n !== undefined).join('. ') || undefined;

/** Distinct LaTeX forms, in order. */
const distinct = (forms: readonly string[]): string[] => forms.filter((f, i) => forms.indexOf(f) === i);

/** tr(Gᵀ dA) in this layout, or g·dA for a scalar. */
function pairing(sym: Symbols, g: Expr, d: Expr): Expr {
  if (isScalar(d.shape)) return g.kind === 'const' && g.value === 1 ? d : mul(g, d);
  return trace(
    sym.layout === 'numerator'
      ? matmul(simplify(sym.oriented(g)), d)
      : matmul(cancelDoubleTransposes(transpose(g)), d),
  );
}

class BackwardPass {
  readonly steps: Step[] = [];
  /** Node id → what each consumer sent back: over the consumer's cotangent symbol, and in closed form. */
  private readonly contributions = new Map<number, Expr[]>();
  private readonly closed = new Map<number, Expr[]>();
  private readonly consumers = new Map<number, number>();

  constructor(
    private readonly sym: Symbols,
    private readonly opts: StepOptions,
    private readonly patterns: ReadonlyMap<number, Expr>,
    private readonly relevant: ReadonlySet<number>,
    order: readonly Expr[],
  ) {
    for (const n of order) {
      if (n.kind !== 'op' || !relevant.has(n.id)) continue;
      for (const a of new Set(n.args)) {
        if (relevant.has(a.id)) this.consumers.set(a.id, (this.consumers.get(a.id) ?? 0) + 1);
      }
    }
  }

  /** Simplify for display and write the file's named quantities in (`\delta_{2}`). */
  private tidy(e: Expr, log?: Rewrite[]): Expr {
    return substitute(simplify(e, log), this.patterns);
  }

  /** The derivative of the loss with respect to a node in closed form, over the file's names. */
  resolved(node: Expr): Expr {
    const parts = this.closed.get(node.id);
    return parts ? this.tidy(parts.reduce((a, b) => add(a, b))) : zerosOf(node.shape);
  }

  /** The equation `∂L/∂A = forms…` for a gradient-shaped expression over symbols. */
  private equation(target: Expr, raw: Expr, closed: Expr | null, note?: string): Equation {
    const sym = this.sym;
    const log: Rewrite[] = [];
    const shown = cancelDoubleTransposes(sym.oriented(raw));
    const simplified = this.tidy(shown, log);
    // A number (`\frac{1}{2}`) is shown as the rule gives it, not again as the simplifier folds it.
    const constant = !topoOrder([shown]).some((n) => n.kind === 'var');
    const tex = (e: Expr) => sym.latex(cancelDoubleTransposes(e));
    const forms = constant ? [tex(shown)] : [tex(shown), tex(simplified)];
    if (closed) forms.push(tex(this.tidy(sym.oriented(closed))));
    const expected = sym.orientedShape(target);
    return {
      lhs: sym.derivLatex(target),
      where: sym.whereLatex(target),
      forms: distinct(forms),
      dims: dimCheck(simplified, expected),
      shape: shapeText(expected),
      note: joinNotes(note, rulesUsed(log)),
    };
  }

  /** When A feeds several nodes, its derivative is the sum of what each path sends back. */
  private sumStep(node: Expr): void {
    const parts = this.contributions.get(node.id) ?? [];
    if (parts.length < 2) return;
    this.steps.push({
      kind: 'sum',
      rule: `sum over paths: ${parts.length} uses of this value, so their contributions add`,
      node: this.sym.nodeLatex(node),
      equations: [
        this.equation(
          node,
          parts.reduce((a, b) => add(a, b)),
          this.resolved(node),
        ),
      ],
    });
  }

  /** One node of the sweep: the cotangent reaching it and what its rule sends to each relevant argument. */
  visit(st: SweepStep, root: Expr): void {
    const node = st.node as OpExpr;
    this.sumStep(node);
    const sym = this.sym;
    // A constant cotangent (the loss itself, or a term of a sum at the top) is shown as the number it is.
    const g = node === root || st.ct.kind === 'const' ? st.ct : sym.cotangent(node);
    const value = sym.bind(node, node === root ? st.ct : this.resolved(node));
    const toSymbols = (e: Expr) => sym.abstract(substitute(e, new Map([[st.ct.id, g]])));
    const args = node.args.map((a, k) => (this.relevant.has(a.id) && st.argCts[k] ? a : null));
    const equations: Equation[] = [];
    const pairs: Expr[] = [];
    args.forEach((a, k) => {
      if (!a) return;
      const raw = toSymbols(st.argCts[k]!);
      const closed = this.tidy(substitute(raw, value));
      this.contributions.set(a.id, [...(this.contributions.get(a.id) ?? []), this.tidy(raw)]);
      this.closed.set(a.id, [...(this.closed.get(a.id) ?? []), closed]);
      // The closed form of a named quantity's derivative, once this is the only path back to it.
      const complete = this.consumers.get(a.id) === 1 && node.args.filter((x) => x === a).length === 1;
      equations.push(
        this.equation(a, raw, complete && sym.isNamed(a) ? closed : null, broadcastNote(node, a)),
      );
      pairs.push(pairing(sym, this.tidy(raw), sym.differential(a)));
    });
    if (this.opts.style === 'differential')
      equations.unshift(...this.differentials(node, g, args, pairs, root));
    this.steps.push({
      kind: 'backward',
      rule: this.ruleOf(node),
      node: sym.whereLatex(node) ?? sym.nodeLatex(node),
      equations,
    });
  }

  /** The op record's rule, or the plainer name of what happens when one operand is a constant. */
  private ruleOf(node: OpExpr): string {
    const held = node.args.map((a) => !this.relevant.has(a.id));
    const scalarConstant = (k: number) => held[k] && isScalar(node.args[k].shape);
    if (node.op === 'ediv' && held[1])
      return scalarConstant(1) ? 'division by a constant' : 'elementwise division by a fixed factor';
    if (node.op === 'emul' && held.some(Boolean) && !held.every(Boolean)) {
      return scalarConstant(held.indexOf(true))
        ? 'multiplication by a constant'
        : 'elementwise product with a fixed factor';
    }
    return specOf(node.op).rule;
  }

  /** dN = … and dL = tr(Gᵀ dN) = Σ tr(G_Aᵀ dA): the differential reading of one step. */
  private differentials(
    node: OpExpr,
    g: Expr,
    args: readonly (Expr | null)[],
    pairs: Expr[],
    root: Expr,
  ): Equation[] {
    const sym = this.sym;
    const out: Equation[] = [];
    const dN = differentialOf(
      node,
      args.map((a) => a !== null),
      sym,
    );
    const dNode = sym.differential(node);
    if (dN) {
      out.push({
        lhs: node === root ? `d${sym.nodeLatex(node)}` : sym.latex(dNode),
        forms: [sym.latex(dN)],
        dims: dimCheck(dN, node.shape),
        shape: shapeText(node.shape),
      });
    }
    if (node !== root) {
      const total = pairs.reduce((a, b) => add(a, b));
      out.push({
        lhs: `d${sym.nodeLatex(root)}`,
        forms: distinct([sym.latex(pairing(sym, g, dNode)), sym.latex(total)]),
        dims: dimCheck(total, SCALAR),
        shape: shapeText(SCALAR),
        note:
          sym.layout === 'numerator'
            ? `read off each derivative: d${sym.loss} = tr(D dA) means ∂${sym.loss}/∂A = D`
            : `read off each derivative: d${sym.loss} = tr(Gᵀ dA) means ∂${sym.loss}/∂A = G`,
      });
    }
    return out;
  }

  finish(wrt: readonly VarExpr[]): void {
    for (const v of wrt) this.sumStep(v);
  }
}

/** Each definition's simplified form over the other names → its own name's symbol (`E/n` → δ₂). */
export function definitionPatterns(defs: readonly Definition[], sym: Symbols): Map<number, Expr> {
  const patterns = new Map<number, Expr>();
  for (const d of defs) {
    if (hasDerivative(d.expr) || d.expr.kind === 'var') continue;
    const p = simplify(sym.abstract(d.expr, d.expr));
    if (p.kind === 'op' && !patterns.has(p.id)) patterns.set(p.id, sym.abstract(d.expr));
  }
  return patterns;
}

/** Nodes of f that depend on one of `wrt`. */
function dependents(order: readonly Expr[], wrt: readonly VarExpr[]): Set<number> {
  const dep = new Set(wrt.map((v) => v.id));
  for (const n of order) {
    if (n.kind === 'op' && n.args.some((a) => dep.has(a.id))) dep.add(n.id);
  }
  return dep;
}

/**
 * The backward pass of `loss` with respect to `wrt`, node by node, and each gradient in the file's names.
 * `sym` knows the definitions; `defs` supplies quantities (`delta2 = …`) to recognise in the results.
 */
export function backwardSteps(
  loss: Expr,
  wrt: readonly VarExpr[],
  defs: readonly Definition[],
  sym: Symbols,
  opts: StepOptions,
): Backward {
  const f = expandDerivatives(loss);
  const log: SweepStep[] = [];
  gradRaw(f, wrt, log);
  const order = topoOrder([f]);
  const relevant = dependents(order, wrt);
  const patterns = definitionPatterns(defs, sym);
  const pass = new BackwardPass(sym, opts, patterns, relevant, order);
  for (const st of log) if (relevant.has(st.node.id)) pass.visit(st, f);
  pass.finish(wrt);
  const named = wrt.map((v) => pass.resolved(v));
  const results = wrt.map((v, k) => ({
    variable: v,
    gradient: sym.concrete(named[k]),
    text: toText(simplify(sym.oriented(named[k]))),
  }));
  const resultSteps: Step[] = wrt.map((v, k) => {
    const shown = cancelDoubleTransposes(substitute(simplify(sym.oriented(named[k])), patterns));
    return {
      kind: 'result',
      rule: `the gradient with respect to ${v.name}`,
      equations: [
        {
          lhs: sym.derivLatex(v),
          forms: [sym.latex(shown)],
          dims: dimCheck(shown, sym.orientedShape(v)),
          shape: shapeText(sym.orientedShape(v)),
        },
      ],
    };
  });
  return { steps: [...pass.steps, ...resultSteps], results };
}
