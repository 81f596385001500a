// Expr → a Python module over NumPy (README "Commands"): `value(**values)`, one `grad_<NAME>(**values)`
// per variable and `value_and_grad(**values)`, each binding the dims from its inputs' shapes and computing
// shared subexpressions once. The same printer, with another dialect, writes the JAX module (jax.ts).

import { type Dim, dimSymbols } from '../ir/dim.js';
import { type Attrs, type Expr, topoOrder, type VarExpr } from '../ir/expr.js';
import { isScalar, type Shape, shapeText } from '../ir/shape.js';
import { stabilize } from '../numeric/stable.js';
import { OPS, specOf } from '../ops/index.js';
import { commentText, fillTemplate, Namer, PYTHON_RESERVED, useCounts } from './names.js';
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

const NUMPY_PREAMBLE = `import numpy as np

try:  # SciPy's vectorized error function where it is installed, else the math module's, entry by entry
    from scipy.special import erf as _erf, erfc as _erfc
except ImportError:
    from math import erf as _math_erf, erfc as _math_erfc

    _erf = np.vectorize(_math_erf, otypes=[float])
    _erfc = np.vectorize(_math_erfc, otypes=[float])


def _sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _relu(x):
    return np.maximum(x, 0.0)


def _step(x):
    return np.heaviside(x, 0.0)


def _logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def _softmax(x, axis):
    return np.exp(x - _logsumexp(x, axis))


def _logsoftmax(x, axis):
    return x - _logsumexp(x, axis)


def _logdet(x):
    return np.reshape(np.linalg.slogdet(x)[1], (1, 1))


def _norm(x):
    s = np.max(np.abs(x))
    s = np.where(np.isfinite(s) & (s > 0), s, 1.0)
    return np.reshape(s * np.sqrt(np.sum((x / s) ** 2)), (1, 1))


def _normcdf(x):
    return 0.5 * _erfc(-x * np.sqrt(0.5))


def _normpdf(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


def _gelu_erf(x):
    return 0.5 * x * _erfc(-x * np.sqrt(0.5))


def _gelu_tanh(x):
    u = np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)
    return x * _sigmoid(2.0 * u)


def _masked_softmax(s, m):
    top = np.max(np.where(m != 0, s, -np.inf), axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.where(m != 0, m * np.exp(np.minimum(s - top, 0.0)), 0.0)
    total = np.sum(e, axis=1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def _adj(a):
    n = a.shape[0]
    if n == 1:
        return np.ones((1, 1))
    cof = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=0), j, axis=1)
            cof[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return cof.T


def _asarray(v):
    return np.asarray(v, dtype=float)`;

export const NUMPY: PyDialect = { label: 'NumPy', np: 'np', preamble: NUMPY_PREAMBLE };

/** Reading inputs, checking their sizes and binding dims; shaping results. Shared by NumPy and JAX. */
const ARGS = `

def _arg(values, name, shape, dims):
    if name not in values:
        raise TypeError(f"missing keyword argument {name!r}")
    a = _asarray(values[name])
    rows, cols = shape
    if a.ndim == 0 or (a.ndim == 1 and a.shape[0] == 1 and rows == 1 and cols == 1):
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        a = a.reshape(-1, 1) if cols == 1 else a.reshape(1, -1)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a matrix, got an array of shape {a.shape}")
    for size, dim in zip(a.shape, shape):
        if isinstance(dim, int):
            if size != dim:
                raise ValueError(f"{name} is declared with {dim} in shape {shape} but has shape {a.shape}")
        elif dims.setdefault(dim, size) != size:
            raise ValueError(f"{dim} is {dims[dim]} elsewhere but {size} in {name}")
    return a


def _check(values, names):
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {unknown}; expected {list(names)}")


def _out(x, shape, given=None):
    out = NP.broadcast_to(_asarray(x), shape).copy()
    return out.reshape(-1) if given is not None and NP.ndim(given) == 1 else out


def _scalar(x):
    return NP.reshape(_asarray(x), ())
`;

/**
 * Ops whose operands may be Python numbers (a constant, a size) rather than arrays: the elementwise ones,
 * read from the op records (their JS form is a scalar `map`).
 */
const NUMBER_SAFE = new Set(
  Object.entries(OPS).flatMap(([name, spec]) => (spec.js.kind === 'map' ? [name] : [])),
);

const HELPERS = [
  '_sigmoid',
  '_softplus',
  '_relu',
  '_step',
  '_softmax',
  '_logsoftmax',
  '_logsumexp',
  '_logdet',
  '_norm',
  '_erf',
  '_erfc',
  '_gelu_erf',
  '_masked_softmax',
  '_adj',
  '_normcdf',
  '_normpdf',
  '_gelu_tanh',
  '_math_erf',
  '_math_erfc',
];

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
  roots: readonly Expr[],
  finish: (codes: readonly string[], shape: (s: Shape) => string) => string,
): string[] {
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
