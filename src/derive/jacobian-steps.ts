// A Jacobian as steps, by the forward-mode chain rule: the nodes between x and f are named u₁, u₂, … in
// order, and each node's Jacobian is ∂vec u/∂vec x = Σₖ (∂vec u/∂vec aₖ)(∂vec aₖ/∂vec x) over its arguments
// aₖ that depend on x — the op's local Jacobian (the op record's vec form, simplified) times the Jacobian
// reached so far. The last step is f's, in closed form. Numerator layout throughout.
import { jacobianRaw } from '../diff/jacobian.js';
import { latexName, toLatex } from '../emit/latex.js';
import { type Expr, freeVars, topoOrder, type VarExpr, variable } from '../ir/expr.js';
import { shape as shapeOf, shapeText } from '../ir/shape.js';
import { add, eye, matmul, numel } from '../ops/build.js';
import { specOf } from '../ops/index.js';
import { rebuild, simplify } from '../simplify/engine.js';
import { chainOperands } from '../simplify/operands.js';
import { operatorForm } from '../simplify/operator-form.js';
import { isOp } from '../simplify/rule.js';
import { dimCheck } from './dims.js';
import type { Equation, Step } from './steps.js';
import { substitute } from './symbols.js';

/** ∂vec a/∂vec x as TeX. */
const jacTex = (a: string, x: string): string =>
  `\\frac{\\partial \\operatorname{vec} ${a}}{\\partial \\operatorname{vec} ${x}}`;

/** The steps, and the Jacobian they arrive at, over x's own expression. */
export function jacobianSteps(f: Expr, x: VarExpr): { steps: Step[]; jacobian: Expr | null } {
  const order = topoOrder([f]);
  const dep = new Set<number>([x.id]);
  for (const n of order) if (n.kind === 'op' && n.args.some((a) => dep.has(a.id))) dep.add(n.id);
  if (!dep.has(f.id)) return { steps: [], jacobian: null };
  const taken = new Set(freeVars(f).map((v) => v.name));
  // the nodes between x and f, each named by a fresh variable of its shape
  const names = new Map<number, VarExpr>();
  const named = new Map<number, Expr>();
  let k = 1;
  for (const n of order) {
    if (n === f || n.kind !== 'op' || !dep.has(n.id)) continue;
    while (taken.has(`u${k}`)) k++;
    const u = variable(`u${k++}`, n.shape);
    names.set(n.id, u);
    named.set(u.id, n);
  }
  const nameOf = (e: Expr): Expr => names.get(e.id) ?? e;
  const tex = (e: Expr): string => (e === f ? 'f' : toLatex(nameOf(e)));
  const xTex = latexName(x.name);
  // each node's Jacobian with respect to x, over the names
  const reached = new Map<number, Expr>([[x.id, eye(numel(x.shape))]]);
  const steps: Step[] = [];
  let result: Expr | null = null;
  for (const n of order) {
    if (n.kind !== 'op' || !dep.has(n.id)) continue;
    const over = rebuild(n, n.args.map(nameOf));
    const terms: { local: Expr; of: Expr }[] = [];
    for (const a of n.args) {
      if (!dep.has(a.id) || terms.some((t) => t.of === a)) continue;
      terms.push({ local: operatorForm(simplify(jacobianRaw(over, nameOf(a) as VarExpr))), of: a });
    }
    const total = terms.map((t) => (t.of === x ? t.local : matmul(t.local, reached.get(t.of.id)!)));
    const value = operatorForm(simplify(sum(total)));
    reached.set(n.id, value);
    // ∂vec u/∂vec a and ∂vec a/∂vec x as placeholder matrices printed as those fractions, so that the
    // printer decides the parentheses of Σ (∂u/∂a)(∂a/∂x) and of (local Jacobian)(∂a/∂x)
    const symbols = new Map<number, string>();
    const placeholder = (tex: string, rows: Expr, cols: Expr): Expr => {
      const v = variable(`#${symbols.size}:${tex}`, shapeOf(numel(rows.shape), numel(cols.shape)));
      symbols.set(v.id, tex);
      return v;
    };
    const reachedSymbol = (a: Expr) => placeholder(jacTex(tex(a), xTex), a, x);
    const rule = sum(
      terms.map((t) =>
        t.of === x
          ? placeholder(jacTex(tex(n), xTex), n, x)
          : matmul(placeholder(jacTex(tex(n), tex(t.of)), n, t.of), reachedSymbol(t.of)),
      ),
    );
    const locals = sum(terms.map((t) => (t.of === x ? t.local : matmul(t.local, reachedSymbol(t.of)))));
    const lhs = jacTex(tex(n), xTex);
    if (n === f) result = concrete(value, named);
    const printed = [rule, locals].map((e) => toLatex(e, { names: symbols }));
    const closed = toLatex(n === f ? result! : value);
    const forms = [...printed, closed].filter((s, i, all) => s !== lhs && all.indexOf(s) === i);
    const shape = shapeOf(numel(n.shape), numel(x.shape));
    const definition: Equation = {
      lhs: tex(n),
      forms: [toLatex(over)],
      dims: dimCheck(over, n.shape),
      shape: shapeText(n.shape),
    };
    const chain: Equation = {
      lhs,
      forms,
      dims: dimCheck(value, shape),
      shape: shapeText(shape),
    };
    steps.push({
      kind: n === f ? 'result' : 'backward',
      rule: specOf(n.op).rule,
      node: tex(n),
      equations: [definition, chain],
    });
  }
  return { steps, jacobian: result };
}

const sum = (es: readonly Expr[]): Expr => es.reduce((p, q) => add(p, q));

/** A product chain associated to the left, as it reads (V diag(…) W rather than V (diag(…) W)). */
function leftChain(e: Expr): Expr {
  return isOp(e, 'matmul') ? chainOperands(e, 'matmul').reduce((a, b) => matmul(a, b)) : e;
}

/** The expression over x alone: each name replaced by the node it stands for, simplified. */
function concrete(e: Expr, named: ReadonlyMap<number, Expr>): Expr {
  // the names stand for f's own nodes, which hold no names: one substitution
  return leftChain(operatorForm(simplify(substitute(e, named))));
}
