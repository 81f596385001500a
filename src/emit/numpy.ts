// Expr → a Python module over NumPy (README "Commands"): `value(**values)`, one `grad_<NAME>(**values)`
// per variable and `value_and_grad(**values)`, each binding the dims from its inputs' shapes and computing
// shared subexpressions once. The same printer, with another dialect, writes the JAX module (jax.ts).

import { type Dim, dimSymbols } from '../ir/dim.js';
import { type Attrs, type Expr, topoOrder, type VarExpr } from '../ir/expr.js';
import { isScalar, type Shape, shapeText } from '../ir/shape.js';
import { stabilize } from '../numeric/stable.js';
import { apply, mul } from '../ops/build.js';
import { OPS, type OpName, specOf } from '../ops/index.js';
import { commentText, fillTemplate, Namer, PYTHON_RESERVED, useCounts } from './names.js';
import { ARGS, HELPERS, NUMPY_PREAMBLE } from './numpy-runtime.js';
import { toText } from './text.js';

/** What a generated module computes. All expressions must be free of derivative nodes (expanded). */
export interface ModuleSpec {
  /** The forward value, usually a scalar loss. */
  readonly value: Expr;
  /** One gradient per variable, each with its variable's shape. */
  readonly grads: readonly { readonly wrt: VarExpr; readonly expr: Expr }[];
  /** Every declared variable in declaration order: each function takes all of them. */
  readonly inputs: readonly VarExpr[];
  /**
   * Hessian-vector products, each H·vec(V) for the variable `wrt` along the input `direction` (a variable
   * outside `inputs`, given to the hvp function by position), written without forming H.
   */
  readonly hvps?: readonly { readonly wrt: VarExpr; readonly direction: VarExpr; readonly expr: Expr }[];
  /** The value's name in documentation (`L`, `f`): the gradients are ∂L/∂W1. */
  readonly name: string;
  /** One line saying what the module is, e.g. `f = sum((X*w - y).^2)`. */
  readonly title: string;
}

/** How a Python array library is spelled: its module prefix, helpers and how results are returned. */
export interface PyDialect {
  readonly label: string;
  /** The array module's local name (`np`, `jnp`); templates written with `np.` are rewritten to it. */
  readonly np: string;
  readonly preamble: string;
  /** A line for the module docstring about the library, if any. */
  readonly note?: string;
}

export const NUMPY: PyDialect = { label: 'NumPy', np: 'np', preamble: NUMPY_PREAMBLE };

/**
 * Ops whose operands may be Python numbers (a constant, a size) rather than arrays: the elementwise ones,
 * read from the op records (their JS form is a scalar `map`).
 */
const NUMBER_SAFE = new Set(
  Object.entries(OPS).flatMap(([name, spec]) => (spec.js.kind === 'map' ? [name] : [])),
);

/** Python binding levels of the operators the op templates write; anything else prints as an atom. */
const LEVEL: Readonly<Record<string, number>> = {
  add: 1,
  sub: 1,
  emul: 2,
  ediv: 2,
  matmul: 2,
  neg: 3,
  epow: 4,
};
const ATOM = 5;

/**
 * The least level operand k of `op` may have without parentheses: left-associative binary operators
 * take their own level on the left and one more on the right (`a - (b - c)`); `-` and `**` take atoms.
 */
function operandLevel(op: string, k: number): number {
  const own = LEVEL[op];
  if (own === undefined || own >= 3) return ATOM;
  return own + k;
}

/** A constant as a Python literal. */
function pyNumber(v: number): string {
  if (Number.isNaN(v)) return 'float("nan")';
  if (!Number.isFinite(v)) return 'float("inf")';
  return String(v);
}

/** One generated function: its lines after the `def`, given the roots it returns. */
function pyBody(
  spec: ModuleSpec,
  dialect: PyDialect,
  given: readonly Expr[],
  finish: (codes: readonly string[], shape: (s: Shape) => string) => string,
): string[] {
  const roots = sharedPhi(given);
  const namer = new Namer(new Set([...PYTHON_RESERVED, ...HELPERS, dialect.np]));
  const lines = ['_check(values, _NAMES)', '_dims = {}'];
  const locals = new Map<string, string>();
  const dimLit = (d: Dim): string => (dimSymbols(d).length === 0 ? d.key : JSON.stringify(d.key));
  for (const v of spec.inputs) {
    const local = namer.name(v.name);
    locals.set(v.name, local);
    const shp = `(${dimLit(v.shape.rows)}, ${dimLit(v.shape.cols)})`;
    lines.push(`${local} = _arg(values, ${JSON.stringify(v.name)}, ${shp}, _dims)`);
  }
  const dimLocals = new Map<string, string>();
  const dimBindings: string[] = [];
  const dimCode = (d: Dim): string => {
    const parts = d.coef === 1 && d.factors.length > 0 ? [] : [String(d.coef)];
    for (const [s, e] of d.factors) {
      let local = dimLocals.get(s);
      if (!local) {
        local = namer.name(s);
        dimLocals.set(s, local);
        dimBindings.push(`${local} = _dims[${JSON.stringify(s)}]`);
      }
      parts.push(e === 1 ? local : `${local}**${e}`);
    }
    return parts.length === 1 ? parts[0] : `(${parts.join('*')})`;
  };
  const pyDim = (d: Dim): Dim => ({ key: dimCode(d), id: d.id, coef: d.coef, factors: d.factors });
  const pyAttrs = (a: Attrs): Attrs => ({
    ...a,
    ...(a.rows ? { rows: pyDim(a.rows) } : {}),
    ...(a.cols ? { cols: pyDim(a.cols) } : {}),
  });
  const uses = useCounts(roots);
  const isRoot = new Set(roots.map((r) => r.id));
  const code = new Map<number, string>();
  const prec = new Map<number, number>();
  const body: string[] = [];
  const np = (s: string) => (dialect.np === 'np' ? s : s.replace(/\bnp\./g, `${dialect.np}.`));
  for (const node of topoOrder(roots)) {
    let c: string;
    switch (node.kind) {
      case 'var': {
        const local = locals.get(node.name);
        if (!local) throw new RangeError(`internal: ${node.name} is not among the module's inputs`);
        c = local;
        break;
      }
      case 'const':
        c = pyNumber(node.value);
        break;
      case 'op': {
        const args = node.args.map((a) => {
          const ac = code.get(a.id)!;
          const isNumber = a.kind === 'const' || (a.kind === 'op' && a.op === 'size');
          return isNumber && !NUMBER_SAFE.has(node.op) ? `${dialect.np}.full((1, 1), ${ac})` : ac;
        });
        const attrs = pyAttrs(node.attrs);
        const need = (k: number) => (prec.get(node.args[k].id) ?? ATOM) < operandLevel(node.op, k);
        c = np(fillTemplate((xs) => specOf(node.op).numpy(xs, attrs), args, need));
        prec.set(node.id, LEVEL[node.op] ?? ATOM);
        const cheap = node.op === 'size' || node.op === 'transpose' || node.args.length === 0;
        const shared = (uses.get(node.id) ?? 0) >= 2 && !cheap;
        if (!isRoot.has(node.id) && (shared || c.length > 100)) {
          const t = namer.temp();
          body.push(`${t} = ${c}`);
          c = t;
          prec.set(node.id, ATOM);
        }
        break;
      }
      case 'deriv':
        throw new RangeError('internal: expand derivatives before generating code');
      default: {
        const never: never = node;
        throw never;
      }
    }
    code.set(node.id, c);
  }
  const shapeCode = (s: Shape) => `(${dimCode(s.rows)}, ${dimCode(s.cols)})`;
  const ret = finish(
    roots.map((r) => code.get(r.id)!),
    shapeCode,
  );
  return [...lines, ...dimBindings, ...body, ret];
}

/**
 * The roots with gelu_erf(u) written u ⊙ Φ(u) wherever Φ(u) is computed too (GELU's derivative is
 * Φ(u) + u ⊙ φ(u)), so a function returning a GELU value and its gradient evaluates erfc once per entry.
 * gelu_erf(x) = x·erfc(−x/√2)/2 = x·Φ(x) term for term, so results are unchanged.
 */
function sharedPhi(roots: readonly Expr[]): readonly Expr[] {
  const order = topoOrder(roots);
  const phiOf = new Set<number>();
  for (const n of order) if (n.kind === 'op' && n.op === 'normcdf') phiOf.add(n.args[0].id);
  if (!order.some((n) => n.kind === 'op' && n.op === 'gelu_erf' && phiOf.has(n.args[0].id))) return roots;
  const memo = new Map<number, Expr>();
  for (const n of order) {
    let out: Expr = n;
    if (n.kind === 'op') {
      const args = n.args.map((a) => memo.get(a.id)!);
      if (n.op === 'gelu_erf' && phiOf.has(n.args[0].id)) out = mul(args[0], apply('normcdf', args));
      else if (args.some((a, i) => a !== n.args[i])) out = apply(n.op as OpName, args, n.attrs);
    }
    memo.set(n.id, out);
  }
  return roots.map((r) => memo.get(r.id)!);
}

/** The value given for a variable, which decides whether its gradient is returned flat. */
const givenAs = (v: VarExpr): string => `values[${JSON.stringify(v.name)}]`;

const shapeDoc = (s: Shape): string => (isScalar(s) ? 'scalar' : shapeText(s));

function def(name: string, doc: string, lines: readonly string[]): string {
  return [`def ${name}(**values):`, `    """${commentText(doc)}"""`, ...lines.map((l) => `    ${l}`)].join(
    '\n',
  );
}

/** The whole module text for a dialect. */
export function pythonModule(written: ModuleSpec, dialect: PyDialect): string {
  const spec = stabilized(written);
  const f = commentText(spec.name);
  const names = spec.inputs.map((v) => JSON.stringify(v.name));
  const decls = spec.inputs.map((v) => `${v.name}: ${shapeDoc(v.shape)}`).join(', ');
  const scalarValue = isScalar(spec.value.shape);
  const valueReturn = (c: string, shape: (s: Shape) => string) =>
    scalarValue ? `_scalar(${c})` : `_out(${c}, ${shape(spec.value.shape)})`;
  const fns: string[] = [];
  fns.push(
    def(
      'value',
      `${f}, ${shapeDoc(spec.value.shape)}: ${shortText(spec.value)}.`,
      pyBody(spec, dialect, [spec.value], ([c], shape) => `return ${valueReturn(c, shape)}`),
    ),
  );
  for (const g of spec.grads) {
    fns.push(
      def(
        `grad_${g.wrt.name}`,
        `∂${f}/∂${g.wrt.name}, ${shapeDoc(g.wrt.shape)}: ${shortText(g.expr)}.`,
        pyBody(
          spec,
          dialect,
          [g.expr],
          ([c], shape) => `return _out(${c}, ${shape(g.wrt.shape)}, ${givenAs(g.wrt)})`,
        ),
      ),
    );
  }
  for (const h of spec.hvps ?? []) {
    const withDirection = { ...spec, inputs: [...spec.inputs, h.direction] };
    const body = pyBody(
      withDirection,
      dialect,
      [h.expr],
      ([c], shape) => `return _out(${c}, ${shape(h.expr.shape)})`,
    );
    // The direction comes by position, so a declared name never clashes with it.
    body.splice(1, 0, `values = {**values, ${JSON.stringify(h.direction.name)}: direction}`);
    const doc = `∇²${f}·vec(direction) for ${h.wrt.name} (direction ${shapeDoc(h.wrt.shape)}), ${shapeDoc(h.expr.shape)}, without forming the Hessian: ${shortText(h.expr)}.`;
    fns.push(
      [
        `def hvp_${h.wrt.name}(direction, /, **values):`,
        `    """${commentText(doc)}"""`,
        ...body.map((l) => `    ${l}`),
      ].join('\n'),
    );
  }
  fns.push(
    def(
      'value_and_grad',
      `(${f}, {name: ∂${f}/∂name}) for ${spec.grads.map((g) => g.wrt.name).join(', ') || 'no variables'}, sharing their common work.`,
      pyBody(spec, dialect, [spec.value, ...spec.grads.map((g) => g.expr)], ([c, ...gs], shape) => {
        const entries = spec.grads.map(
          (g, k) =>
            `\n        ${JSON.stringify(g.wrt.name)}: _out(${gs[k]}, ${shape(g.wrt.shape)}, ${givenAs(g.wrt)}),`,
        );
        return `return ${valueReturn(c, shape)}, {${entries.join('')}${entries.length ? '\n    ' : ''}}`;
      }),
    ),
  );
  const doc = [
    `"""Generated by matcalc (${dialect.label}): ${commentText(spec.title)}.`,
    '',
    `Declared: ${commentText(decls) || 'nothing'}.`,
    'Each function takes every declared name as a keyword argument: matrices as 2-D arrays, vectors as',
    '(d, 1) columns or flat (d,) arrays, scalars as floats; symbolic sizes are read from the shapes.',
    `value(**values) returns ${f} (a 0-d array when it is 1×1); grad_<name>(**values) returns the gradient`,
    `∂${f}/∂name with the variable's shape (flat when the variable was given flat); value_and_grad(**values)`,
    'returns both at once.',
    ...(spec.hvps?.length
      ? [
          'hvp_<name>(direction, **values) returns the Hessian times vec(direction), a column, without forming it.',
        ]
      : []),
    ...(dialect.note ? [dialect.note] : []),
    '"""',
  ].join('\n');
  const preamble = `${dialect.preamble}\n${ARGS.replaceAll('NP.', `${dialect.np}.`)}`;
  return `${doc}\n${preamble}\n_NAMES = (${names.join(', ')}${names.length === 1 ? ',' : ''})\n\n\n${fns.join('\n\n\n')}\n`;
}

export function toNumpyModule(spec: ModuleSpec): string {
  return pythonModule(spec, NUMPY);
}

/** The module with every expression in its stable forms (numeric/stable.ts, the table all backends share). */
export function stabilized(spec: ModuleSpec): ModuleSpec {
  const [value, ...rest] = stabilize([
    spec.value,
    ...spec.grads.map((g) => g.expr),
    ...(spec.hvps ?? []).map((h) => h.expr),
  ]);
  const grads = rest.slice(0, spec.grads.length);
  const hvps = rest.slice(spec.grads.length);
  return {
    ...spec,
    value,
    grads: spec.grads.map((g, k) => ({ wrt: g.wrt, expr: grads[k] })),
    ...(spec.hvps ? { hvps: spec.hvps.map((h, k) => ({ ...h, expr: hvps[k] })) } : {}),
  };
}

/** Nodes counted as a tree (saturating): above this, docstrings name the expression instead of printing it. */
const DOC_TEXT_LIMIT = 60;

/** The expression's text when it is short enough for a docstring, else a note. */
export function shortText(e: Expr): string {
  const size = new Map<number, number>();
  for (const n of topoOrder([e])) {
    const kids = n.kind === 'op' ? n.args : n.kind === 'deriv' ? [n.f, n.wrt] : [];
    size.set(n.id, Math.min(1e6, 1 + kids.reduce((s, k) => s + size.get(k.id)!, 0)));
  }
  return size.get(e.id)! <= DOC_TEXT_LIMIT ? toText(e) : '(long expression; see the code)';
}
