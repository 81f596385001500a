// The compact backward pass a careful author writes: one equation per meaningful quantity — the error
// signal at each named node a parameter feeds (δ = ∂L/∂Z), then each parameter's gradient over those
// signals — in textbook order, identity steps merged, values substituted, each with its dimension check and
// the rules used. Each quantity's equation comes from the engine's gradient of a surrogate that holds the
// downstream signals fixed: φ(t) = L[S → s, T → t] + Σ_S ⟨G_S, S[T → t]⟩, so ∇φ(T) = ∂L/∂T over the G_S.
import { gradRaw } from '../diff/grad.js';
import { toLatex } from '../emit/latex.js';
import { isOne } from '../ir/dim.js';
import { type Expr, type OpExpr, topoOrder, type VarExpr, variable } from '../ir/expr.js';
import { isScalar, SCALAR, sameShape } from '../ir/shape.js';
import { add, mul, num, sum, transpose } from '../ops/build.js';
import { specOf } from '../ops/index.js';
import { type Rewrite, rebuild, simplify } from '../simplify/engine.js';
import { dimCheck } from './dims.js';
import { fieldNotation } from './notation.js';
import type { Equation } from './steps.js';
import { type Symbols, substitute } from './symbols.js';
import { cancelDoubleTransposes } from './transposes.js';

/** x ↦ the node it depends on, over the DAG of f: nodes of f that depend on `from`. */
function dependentsOf(order: readonly Expr[], from: Expr): Set<number> {
  const dep = new Set([from.id]);
  for (const n of order) if (n.kind === 'op' && n.args.some((a) => dep.has(a.id))) dep.add(n.id);
  return dep;
}

/** Consumers of each node within f. */
function consumersOf(order: readonly Expr[]): Map<number, Expr[]> {
  const users = new Map<number, Expr[]>();
  for (const n of order)
    if (n.kind === 'op') for (const a of new Set(n.args)) users.set(a.id, [...(users.get(a.id) ?? []), n]);
  return users;
}

/** The nearest nodes of `stops` (or the root) on every path up from `from`. */
function frontier(from: Expr, root: Expr, stops: ReadonlySet<number>, users: Map<number, Expr[]>): Expr[] {
  const out = new Map<number, Expr>();
  const seen = new Set<number>();
  const todo = [...(users.get(from.id) ?? [])];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (stops.has(n.id) || n === root) {
      out.set(n.id, n);
      continue;
    }
    todo.push(...(users.get(n.id) ?? []));
  }
  return [...out.values()];
}

const SKIP = new Set([
  'add',
  'sub',
  'neg',
  'transpose',
  'sum',
  'mean',
  'vec',
  'const',
  'ones',
  'zeros',
  'eye',
]);
const u = variable('u', SCALAR);

/** The justification of a quantity: the rules of the ops between it and its frontier, as TeX. */
function rulesOf(parts: readonly Expr[], t: Expr, log: readonly Rewrite[]): string[] {
  const order = topoOrder(parts);
  const dep = dependentsOf(order, t);
  const rules: string[] = [];
  const push = (r: string) => {
    if (!rules.includes(r)) rules.push(r);
  };
  for (const n of order) {
    if (n.kind !== 'op' || !dep.has(n.id)) continue;
    const on = n.args.map((a) => dep.has(a.id));
    const spec = specOf(n.op);
    const elementwise = spec.js.kind === 'map';
    if (elementwise && n.args.length === 2) {
      const copied = n.args.find((a, k) => on[k] && !sameShape(a.shape, n.shape) && !isScalar(a.shape));
      if (copied)
        push(
          isOne(copied.shape.rows) ? '\\text{broadcast rows: summed}' : '\\text{broadcast columns: summed}',
        );
    }
    if (SKIP.has(n.op)) continue;
    if (n.op === 'matmul') push('\\text{matrix product}');
    else if (n.op === 'epow') push('\\text{power rule}');
    else if (n.op === 'emul') {
      if (on.every(Boolean)) push('\\text{product rule}');
    } else if (n.op === 'ediv') {
      if (on[1]) push('\\text{quotient rule}');
    } else if (elementwise && n.args.length === 1) {
      const slope = simplify(spec.vjp(num(1), apply1(n, u), [u], n.attrs)[0] ?? num(1));
      const f = toLatex(apply1(n, u));
      const name = f.replace(/(\\left)?\((\\right)?u(\\right)?\)$|\\left\(u\\right\)$/, '');
      push(name !== f ? `${name}'(u) = ${toLatex(slope)}` : `\\tfrac{d}{du} ${f} = ${toLatex(slope)}`);
    } else push(`\\text{${spec.rule}}`);
  }
  for (const r of log) {
    const before = topoOrder([r.before]).filter(
      (v): v is VarExpr => v.kind === 'var' && v.qualifiers.length > 0,
    );
    const after = new Set(topoOrder([r.after]).map((v) => v.id));
    for (const v of before) {
      if (after.has(v.id)) continue;
      if (v.qualifiers.includes('onehot'))
        push(`\\text{rows of } ${toLatex(v)} \\text{ sum to } 1 \\text{ (one-hot)}`);
      else if (v.qualifiers.some((q) => q === 'symmetric' || q === 'spd'))
        push(`${toLatex(v)}^{\\top} = ${toLatex(v)}`);
    }
  }
  return rules;
}

function apply1(n: OpExpr, arg: Expr): Expr {
  return rebuild(n, [arg]);
}

export interface CompactInput {
  /** The loss, derivatives expanded. */
  readonly f: Expr;
  readonly wrt: readonly VarExpr[];
  readonly sym: Symbols;
  /** Named concrete node id → the name's symbol variable. */
  readonly named: ReadonlyMap<number, Expr>;
  /** Simplified abstract form of a definition → its symbol (to recognise δ = … in a result). */
  readonly patterns: ReadonlyMap<number, Expr>;
}

export interface Compact {
  readonly rows: Equation[];
  /** LaTeX names of the definitions the rows state (`\delta_{2}`): a writeup need not define them again. */
  readonly labels: ReadonlySet<string>;
}

/** The compact backward pass: error signals and parameter gradients, in textbook order. */
export function compactBackward(input: CompactInput): Compact {
  const labels = new Set<string>();
  const { f, wrt, sym, named, patterns } = input;
  const order = topoOrder([f]);
  const inLoss = new Set(order.map((n) => n.id));
  const users = consumersOf(order);
  const relevant = new Set<number>();
  for (const v of wrt) for (const id of dependentsOf(order, v)) relevant.add(id);
  const isNamedNode = new Set([...named.keys()].filter((id) => relevant.has(id) && id !== f.id));
  const signals = new Map<number, Expr>();
  for (const v of wrt) for (const s of frontier(v, f, isNamedNode, users)) if (s !== f) signals.set(s.id, s);
  const stops = new Set(signals.keys());
  const position = new Map(order.map((n, i) => [n.id, i]));
  /** Each signal's gradient-shaped symbol (δ₂, or ∂L/∂Z) and its closed value over names. */
  const symbolOf = new Map<number, Expr>();
  const closedValue = new Map<number, Expr>();
  const closed = (e: Expr): Expr => {
    let out = e;
    for (const [id, g] of symbolOf) {
      const value = closedValue.get(id);
      if (!value) continue;
      const bind = g.kind === 'op' && g.op === 'transpose' ? [g.args[0].id, transpose(value)] : [g.id, value];
      out = substitute(out, new Map([bind as [number, Expr]]));
    }
    return out;
  };
  const show = (e: Expr, skip?: number): string => {
    const map = new Map([...patterns].filter(([, v]) => v.id !== skip));
    return sym.latex(fieldNotation(cancelDoubleTransposes(substitute(simplify(sym.oriented(e)), map))));
  };
  const derivative = (target: Expr) => {
    const front = frontier(target, f, stops, users);
    const t = variable(`#t${target.id}`, target.shape);
    const frozen = new Map<number, Expr>();
    const back = new Map<number, Expr>([[t.id, target]]);
    for (const s of front) {
      if (s === f) continue;
      const v = variable(`#s${s.id}`, s.shape);
      frozen.set(s.id, v);
      back.set(v.id, s);
    }
    const direct = front.includes(f) ? substitute(substitute(f, frozen), new Map([[target.id, t]])) : null;
    // A signal inside another (μ inside x − μ) is held fixed there too: its own term carries that path.
    const local = front
      .filter((s) => s !== f)
      .map((s) => {
        const others = new Map([...frozen].filter(([id]) => id !== s.id));
        const held =
          s.kind === 'op'
            ? rebuild(
                s,
                s.args.map((a) => substitute(a, others)),
              )
            : s;
        return substitute(held, new Map([[target.id, t]]));
      });
    const terms = front.filter((s) => s !== f).map((s, k) => sum(mul(symbolOf.get(s.id)!, local[k])));
    const parts = direct ? [direct, ...terms] : terms;
    const phi = parts.reduce((a, b) => add(a, b));
    const log: Rewrite[] = [];
    const raw = gradRaw(phi, [t])[0];
    const g = simplify(raw, log);
    const conc = substitute(g, back);
    // Only a quantity the loss does not use can name a derivative (δ₂ = ∂L/∂Z₂, not r = ∂L/∂r).
    const self = inLoss.has(conc.id) ? undefined : named.get(conc.id);
    const rules = rulesOf(direct ? [direct, ...local] : local, t, log);
    if (self) return { self, value: simplify(sym.abstract(conc, conc)), rules };
    // Simplified inside and then named, or named first and simplified over the names: the shorter.
    const inside = simplify(sym.abstract(conc));
    const overNames = simplify(sym.abstract(substitute(raw, back)));
    const size = (e: Expr) => show(e).length;
    return { self, value: size(overNames) < size(inside) ? overNames : inside, rules };
  };
  const equation = (target: Expr, value: Expr, rules: string[], label?: Expr): Equation => {
    const forms = [show(value, label?.id)];
    const full = closed(value);
    if (full !== value) forms.push(show(simplify(full), label?.id));
    const lhs = sym.derivLatex(target);
    const shown = fieldNotation(simplify(sym.oriented(value)));
    const expected = sym.orientedShape(target);
    return {
      lhs: label ? `${sym.latex(label)} = ${lhs}` : lhs,
      forms: forms.filter((x, i) => forms.indexOf(x) === i),
      dims: dimCheck(shown, expected),
      shape: '',
      rules,
    };
  };
  const rows: Equation[] = [];
  const emitted = new Set<number>();
  const params = wrt.map((v) => ({ v, front: frontier(v, f, stops, users).filter((s) => s !== f) }));
  const emitReady = () => {
    for (const p of params) {
      if (emitted.has(p.v.id) || !p.front.every((s) => symbolOf.has(s.id))) continue;
      emitted.add(p.v.id);
      const d = derivative(p.v);
      rows.push(equation(p.v, d.value, d.rules));
    }
  };
  emitReady();
  const sorted = [...signals.values()].sort((a, b) => position.get(b.id)! - position.get(a.id)!);
  for (const s of sorted) {
    const d = derivative(s);
    const full = simplify(closed(d.value));
    const outside = (v: Expr | undefined) => (v && !inLoss.has(sym.concrete(v).id) ? v : undefined);
    const known = (e: Expr) => outside(patterns.get(e.id)) ?? outside(patterns.get(simplify(e).id));
    const label = d.self ?? known(full) ?? known(d.value);
    symbolOf.set(s.id, label ?? sym.cotangent(s));
    if (!label) closedValue.set(s.id, full);
    else labels.add(sym.latex(label));
    rows.push(equation(s, d.value, d.rules, label));
    emitReady();
  }
  return { rows, labels };
}
