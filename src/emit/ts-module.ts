// Expr → a self-contained TypeScript module over {rows, cols, data: Float64Array} matrices (row-major):
// value(), one grad_<NAME>() per variable and value_and_grad(), with the helpers they call inlined, so the
// file type-checks under `tsc --strict` alone. Elementwise subtrees fuse into one loop per materialized node.
import { type Dim, ONE } from '../ir/dim.js';
import { type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { isScalar, type Shape, shapeText } from '../ir/shape.js';
import { specOf } from '../ops/index.js';
import { commentText, fillTemplate, Namer, TS_RESERVED, useCounts } from './names.js';
import { type ModuleSpec, shortText, stabilized } from './numpy.js';
import { helperSources, TS_HELPERS } from './ts-runtime.js';
import { TS_SCALARS, withScalarDeps } from './ts-scalars.js';

/** Ops that are constants given their attrs: written as a number inside loops, `fill(…)` elsewhere. */
const LITERAL_OPS = new Set(['size', 'ones', 'zeros']);

/** Ops computed by one helper call `name(args…, extra…)`; the extra arguments come from attrs. */
const HELPER_CALLS: Readonly<Record<string, (e: OpExpr, dim: (d: Dim) => string) => [string, string[]]>> = {
  transpose: () => ['transpose', []],
  sum: (e) => ['reduce', [String(e.attrs.dim ?? 0), 'false']],
  mean: (e) => ['reduce', [String(e.attrs.dim ?? 0), 'true']],
  norm: () => ['norm', []],
  softmax: (e) => ['softmax', [String(e.attrs.dim ?? 0)]],
  logsoftmax: (e) => ['logsoftmax', [String(e.attrs.dim ?? 0)]],
  logsumexp: (e) => ['logsumexp', [String(e.attrs.dim ?? 0)]],
  trace: () => ['trace', []],
  det: () => ['det', []],
  logdet: () => ['logdet', []],
  inv: () => ['inv', []],
  matpow: (e) => ['matpow', [String(e.attrs.power ?? 0)]],
  kron: () => ['kron', []],
  vec: () => ['vec', []],
  diagm: () => ['diagm', []],
  diagv: () => ['diagv', []],
  eye: (e, dim) => ['eye', [dim(e.attrs.rows!)]],
  commutation: (e, dim) => ['commutation', [dim(e.attrs.rows!), dim(e.attrs.cols!)]],
  tril: () => ['tril', []],
  shift: (e, dim) => ['shift', [dim(e.attrs.rows!), String(e.attrs.offset ?? 0)]],
  masked_softmax: () => ['maskedSoftmax', []],
  norm1: () => ['norm1', []],
  adj: () => ['adj', []],
};

/** Elementwise ops fused into one loop at most: longer chains are cut into several loops. */
const MAX_INLINE = 24;

const isOp = (e: Expr, op: string): e is OpExpr => e.kind === 'op' && e.op === op;
const isMap = (e: Expr): e is OpExpr => e.kind === 'op' && specOf(e.op).js.kind === 'map';
const isLiteral = (e: Expr): boolean => e.kind === 'const' || (e.kind === 'op' && LITERAL_OPS.has(e.op));

const shapeDoc = (s: Shape): string => (isScalar(s) ? 'scalar' : shapeText(s));

/** A property key: the name itself, or `["__proto__"]`, which an object literal would read as a prototype. */
const key = (name: string): string => (name === '__proto__' ? '["__proto__"]' : name);

/** The index of an operand of shape `a` at loop position (i, j) / flat k of a result of shape `out`. */
function index(a: Shape, out: Shape): string {
  if (a.rows === out.rows && a.cols === out.cols) return 'k';
  if (a.rows === ONE && a.cols === ONE) return '0';
  return a.rows === ONE ? 'j' : 'i';
}

function jsNumber(v: number): string {
  return Number.isNaN(v) ? 'Number.NaN' : Number.isFinite(v) ? String(v) : 'Number.POSITIVE_INFINITY';
}

interface Body {
  readonly lines: string[];
  readonly results: readonly string[];
  readonly helpers: ReadonlySet<string>;
  readonly scalars: ReadonlySet<string>;
}

/** The statements computing `roots` from the inputs, and the Matrix-valued code of each root. */
function tsBody(spec: ModuleSpec, roots: readonly Expr[]): Body {
  const namer = new Namer(new Set([...TS_RESERVED, ...Object.keys(TS_HELPERS)]));
  const helpers = new Set<string>(['input']);
  const scalars = new Set<string>();
  const lines = ['const dims = new Map<string, number>();'];
  const locals = new Map<string, string>();
  const dimLit = (d: Dim): string => (d.factors.length === 0 ? d.key : JSON.stringify(d.key));
  for (const v of spec.inputs) {
    const local = namer.name(v.name);
    locals.set(v.name, local);
    lines.push(
      `const ${local} = input(values, ${JSON.stringify(v.name)}, ${dimLit(v.shape.rows)}, ${dimLit(v.shape.cols)}, dims);`,
    );
  }
  const dimLocals = new Map<string, string>();
  const dim = (d: Dim): string => {
    const parts = d.coef === 1 && d.factors.length > 0 ? [] : [String(d.coef)];
    for (const [s, e] of d.factors) {
      let local = dimLocals.get(s);
      if (!local) {
        local = namer.name(s);
        dimLocals.set(s, local);
        lines.push(`const ${local} = dims.get(${JSON.stringify(s)})!;`);
      }
      for (let p = 0; p < e; p++) parts.push(local);
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' * ')})`;
  };

  // Which nodes the code reads: a matmul reads through a transpose operand (a flag), a fused
  // elementwise tree reads its leaves. Walk from the roots down, in reverse topological order.
  const order = topoOrder(roots);
  const uses = useCounts(roots);
  const isRoot = new Set(roots.map((r) => r.id));
  const needed = new Set(roots.map((r) => r.id));
  /** Nodes whose value must exist as a Matrix (as opposed to a scalar expression inside a loop). */
  const asMatrix = new Set(roots.map((r) => r.id));
  for (let n = order.length - 1; n >= 0; n--) {
    const node = order[n];
    if (!needed.has(node.id) || node.kind !== 'op') continue;
    for (const a of node.args) {
      if (node.op === 'matmul' && isOp(a, 'transpose')) {
        needed.add(a.args[0].id);
        asMatrix.add(a.args[0].id);
        continue;
      }
      needed.add(a.id);
      if (!isMap(node) || (isMap(a) && (uses.get(a.id) ?? 0) >= 2)) asMatrix.add(a.id);
    }
  }

  const matrixCode = new Map<number, string>();
  /** Op count of each fused (not materialized) elementwise subtree. */
  const inlineSize = new Map<number, number>();
  /** Scalar code of a node inside a loop producing a result of shape `out`. */
  const scalarCode = new Map<number, (out: Shape) => string>();
  for (const node of order) {
    if (!needed.has(node.id)) continue;
    if (node.kind === 'var') {
      const local = locals.get(node.name);
      if (!local) throw new RangeError(`internal: ${node.name} is not among the module's inputs`);
      matrixCode.set(node.id, isRoot.has(node.id) ? `clone(${local})` : local);
      if (isRoot.has(node.id)) helpers.add('clone');
      scalarCode.set(node.id, (out) => `${local}.data[${index(node.shape, out)}]`);
      continue;
    }
    if (node.kind === 'deriv') throw new RangeError('internal: expand derivatives before generating code');
    if (isLiteral(node)) {
      const v =
        node.kind === 'const'
          ? jsNumber(node.value)
          : node.op === 'size'
            ? dim(node.attrs.rows!)
            : node.op === 'ones'
              ? '1'
              : '0';
      scalarCode.set(node.id, () => v);
      if (asMatrix.has(node.id)) {
        helpers.add('fill');
        matrixCode.set(node.id, `fill(${dim(node.shape.rows)}, ${dim(node.shape.cols)}, ${v})`);
      }
      continue;
    }
    const op = node as OpExpr;
    const js = specOf(op.op).js;
    if (op.op === 'transpose' && !asMatrix.has(op.id) && (op.shape.rows === ONE || op.shape.cols === ONE)) {
      // A transposed vector has the same entries in the same order: read them in place.
      const data = `${matrixCode.get(op.args[0].id)!}.data`;
      scalarCode.set(op.id, (out) => `${data}[${index(op.shape, out)}]`);
      continue;
    }
    let code: string;
    if (js.kind === 'map') {
      const args = op.args.map((a) => scalarCode.get(a.id)!);
      const expr = (out: Shape) => {
        const xs = args.map((f) => f(out));
        return fillTemplate(js.scalar, xs).replace(/\bK\.(\w+)/g, (m, name: string) => {
          if (!Object.hasOwn(TS_SCALARS, name))
            throw new RangeError(`internal: no TS scalar helper K.${name}`);
          scalars.add(name);
          return m;
        });
      };
      const size = 1 + op.args.reduce((n, a) => n + (inlineSize.get(a.id) ?? 0), 0);
      if (!asMatrix.has(op.id) && size <= MAX_INLINE) {
        scalarCode.set(op.id, expr);
        inlineSize.set(op.id, size);
        continue;
      }
      const t = namer.temp();
      const body = expr(op.shape);
      helpers.add('alloc');
      lines.push(`const ${t} = alloc(${dim(op.shape.rows)}, ${dim(op.shape.cols)});`);
      lines.push(
        /\b[ij]\b/.test(body)
          ? `for (let i = 0, k = 0; i < ${t}.rows; i++) for (let j = 0; j < ${t}.cols; j++, k++) ${t}.data[k] = ${body};`
          : `for (let k = 0; k < ${t}.data.length; k++) ${t}.data[k] = ${body};`,
      );
      code = t;
    } else if (op.op === 'matmul') {
      helpers.add('matmul');
      const operand = (a: Expr): [string, boolean] =>
        isOp(a, 'transpose') ? [matrixCode.get(a.args[0].id)!, true] : [matrixCode.get(a.id)!, false];
      const [[a, ta], [b, tb]] = op.args.map(operand);
      code = `matmul(${a}, ${b}, ${ta}, ${tb})`;
    } else {
      const call = HELPER_CALLS[op.op];
      if (!call) throw new RangeError(`the TypeScript export does not support the op ${op.op}`);
      const [name, extra] = call(op, dim);
      helpers.add(name);
      code = `${name}(${[...op.args.map((a) => matrixCode.get(a.id)!), ...extra].join(', ')})`;
    }
    if (!/^t\d+$/.test(code)) {
      const t = namer.temp();
      lines.push(`const ${t} = ${code};`);
      code = t;
    }
    matrixCode.set(op.id, code);
    scalarCode.set(op.id, (out) => `${code}.data[${index(op.shape, out)}]`);
  }
  // Each result is its own matrix, even when two roots are the same node.
  const seen = new Set<string>();
  const results = roots.map((r) => {
    const code = matrixCode.get(r.id)!;
    if (!seen.has(code)) {
      seen.add(code);
      return code;
    }
    helpers.add('clone');
    return `clone(${code})`;
  });
  return { lines, results, helpers, scalars };
}

function fn(doc: string, signature: string, body: Body, ret: string): string {
  return [
    `/** ${commentText(doc)} */`,
    `${signature} {`,
    ...[...body.lines, ret].map((l) => `  ${l}`),
    '}',
  ].join('\n');
}

export function toTsModule(written: ModuleSpec): string {
  const spec = stabilized(written);
  const f = commentText(spec.name);
  const bodies: Body[] = [];
  const fns: string[] = [];
  const add = (
    doc: string,
    signature: string,
    roots: readonly Expr[],
    ret: (rs: readonly string[]) => string,
  ) => {
    const body = tsBody(spec, roots);
    bodies.push(body);
    fns.push(fn(doc, signature, body, ret(body.results)));
  };
  add(
    `${f}, ${shapeDoc(spec.value.shape)}: ${shortText(spec.value)}.`,
    'export function value(values: Values): Matrix',
    [spec.value],
    ([r]) => `return ${r};`,
  );
  for (const g of spec.grads) {
    add(
      `∂${f}/∂${g.wrt.name}, ${shapeDoc(g.wrt.shape)}: ${shortText(g.expr)}.`,
      `export function grad_${g.wrt.name}(values: Values): Matrix`,
      [g.expr],
      ([r]) => `return ${r};`,
    );
  }
  for (const h of spec.hvps ?? []) {
    const body = tsBody({ ...spec, inputs: [...spec.inputs, h.direction] }, [h.expr]);
    bodies.push(body);
    // The direction comes as its own argument, so a declared name never clashes with it.
    const lines = [
      `const values = { ...given, ${JSON.stringify(h.direction.name)}: hvpDirection };`,
      ...body.lines,
    ];
    fns.push(
      fn(
        `∇²${f}·vec(direction) for ${h.wrt.name} (direction ${shapeDoc(h.wrt.shape)}), ${shapeDoc(h.expr.shape)}, without forming the Hessian: ${shortText(h.expr)}.`,
        `export function hvp_${h.wrt.name}(given: Values, hvpDirection: Matrix): Matrix`,
        { ...body, lines },
        `return ${body.results[0]};`,
      ),
    );
  }
  add(
    `${f} and its gradients with respect to ${spec.grads.map((g) => g.wrt.name).join(', ') || 'nothing'}, sharing their common work.`,
    'export function value_and_grad(values: Values): { readonly value: Matrix; readonly grad: Gradients }',
    [spec.value, ...spec.grads.map((g) => g.expr)],
    ([v, ...gs]) =>
      `return { value: ${v}, grad: { ${spec.grads.map((g, k) => `${key(g.wrt.name)}: ${gs[k]}`).join(', ')} } };`,
  );
  const helpers = helperSources([...new Set(bodies.flatMap((b) => [...b.helpers]))].sort());
  const scalars = withScalarDeps(bodies.flatMap((b) => [...b.scalars]));
  const valueFields = spec.inputs.map(
    (v) =>
      `  /** ${shapeDoc(v.shape)} */\n  readonly ${key(v.name)}: ${isScalar(v.shape) ? 'Matrix | number' : 'Matrix'};`,
  );
  const gradFields = spec.grads.map(
    (g) => `  /** ∂${f}/∂${g.wrt.name}, ${shapeDoc(g.wrt.shape)} */\n  readonly ${key(g.wrt.name)}: Matrix;`,
  );
  return [
    `// Generated by matcalc: ${commentText(spec.title)}.`,
    '// Self-contained: matrices are row-major {rows, cols, data: Float64Array} (entry (i, j) at data[i * cols + j]),',
    '// vectors are d×1 columns, symbolic sizes are read from the inputs. Every function returns new matrices.',
    '',
    '/** A row-major matrix, structurally the same as matcalc’s Matrix. */',
    'export interface Matrix {\n  readonly rows: number;\n  readonly cols: number;\n  readonly data: Float64Array;\n}',
    '',
    '/** The inputs by declared name (scalars may be plain numbers). */',
    `export interface Values {\n${valueFields.join('\n')}\n}`,
    '',
    `/** The gradients of ${f} by variable name. */`,
    `export interface Gradients {\n${gradFields.join('\n')}\n}`,
    '',
    ...(scalars.length
      ? [`const K = {\n${scalars.map((s) => `  ${TS_SCALARS[s]},`).join('\n')}\n};`, '']
      : []),
    ...helpers.flatMap((h) => [h, '']),
    fns.join('\n\n'),
    '',
  ].join('\n');
}
