// matcalc export FILE.md | --model NAME [model options] --to ts|numpy|jax [--out FILE] [--no-check]
// A module with the forward value and the gradients a derivation file requests (or a model's parameter
// gradients), written only after they pass the numeric check (exit 1 naming the failing gradient).
import { writeFileSync } from 'node:fs';
import { check, grad } from '../../api.js';
import { expandDerivatives } from '../../diff/expand.js';
import { toJaxModule } from '../../emit/jax.js';
import { type ModuleSpec, shortText, toNumpyModule } from '../../emit/numpy.js';
import { toTorchModule } from '../../emit/torch.js';
import { toTsModule } from '../../emit/ts-module.js';
import { dimSymbols } from '../../ir/dim.js';
import { DeclarationError, ShapeError, UsageError, ValueError } from '../../ir/errors.js';
import { type Expr, topoOrder, type VarExpr } from '../../ir/expr.js';
import { isScalar, shapeText } from '../../ir/shape.js';
import * as models from '../../models/index.js';
import type { Model } from '../../models/model.js';
import { EMPTY_SCOPE, extendScope, type Scope } from '../../parse/decls.js';
import {
  declsIn,
  type ExportTarget,
  exprIn,
  filePos,
  parseDocument,
  statementsOf,
} from '../../parse/document.js';
import { fmt } from '../format.js';
import type { Io } from '../io.js';
import { oneOf, parse, str } from '../options.js';

export const usage =
  'matcalc export FILE.md | --model linear|ridge|logistic|softmax|mlp|layernorm|attention|mha|transformer|rnn|gru|conv1d|convnet|embedding|vae|gp [--layers 784,256,10] [--activation relu|tanh|sigmoid] [--loss softmax-ce|squared] [--batch|--single] [--heads H] [--causal|--no-causal] [--steps T] [--width W] --to ts|numpy|jax|torch [--out FILE] [--no-check]';

export const TARGETS: readonly ExportTarget[] = ['ts', 'numpy', 'jax', 'torch'];

export function emitModule(target: ExportTarget, spec: ModuleSpec): string {
  switch (target) {
    case 'ts':
      return toTsModule(spec);
    case 'numpy':
      return toNumpyModule(spec);
    case 'jax':
      return toJaxModule(spec);
    case 'torch':
      return toTorchModule(spec);
  }
}

/** The module of f's value and its simplified gradients with respect to `wrt`. */
export function moduleSpec(
  f: Expr,
  wrt: readonly VarExpr[],
  inputs: readonly VarExpr[],
  name: string,
  title: string,
): ModuleSpec {
  const gs = grad(f, wrt);
  return {
    name,
    title,
    value: expandDerivatives(f),
    grads: wrt.map((v, k) => ({ wrt: v, expr: gs[k] })),
    inputs,
  };
}

/**
 * The declared variables a module needs, in declaration order: those the expressions mention, plus the
 * first declaration carrying each symbolic dim they use that those do not fix (so every size is bound).
 */
export function inputsFor(scope: Scope, exprs: readonly Expr[]): VarExpr[] {
  const used = new Set<string>();
  const needed = new Set<string>();
  for (const node of topoOrder(exprs)) {
    if (node.kind === 'var') used.add(node.name);
    const dims = [node.shape.rows, node.shape.cols];
    if (node.kind === 'op') dims.push(...[node.attrs.rows, node.attrs.cols].filter((d) => d !== undefined));
    for (const d of dims) for (const s of dimSymbols(d)) needed.add(s);
  }
  const all = [...scope.vars.values()];
  for (const v of all)
    if (used.has(v.name))
      for (const s of [...dimSymbols(v.shape.rows), ...dimSymbols(v.shape.cols)]) needed.delete(s);
  for (const v of all) {
    const carries = [...dimSymbols(v.shape.rows), ...dimSymbols(v.shape.cols)].filter((s) => needed.has(s));
    if (carries.length === 0 || used.has(v.name)) continue;
    used.add(v.name);
    for (const s of carries) needed.delete(s);
  }
  return all.filter((v) => used.has(v.name));
}

const SEEDS = [1, 2, 3, 4, 5];

/**
 * The numeric check before writing. A loss with kinks (relu) can fail finite differences at an unlucky
 * point, so a failure is retried at other seeds; a wrong gradient fails at all of them. Returns the
 * message for the failing gradient, or null when it passes.
 */
export function checkFailure(f: Expr, wrt: readonly VarExpr[], scope?: Scope): string | null {
  let first = null;
  for (const seed of SEEDS) {
    const r = check(f, wrt, { scope, seed, trials: 2 });
    if (r.ok) return null;
    first ??= r;
  }
  const r = first!;
  const bad = [...r.perVariable].sort((a, b) => b.relError - a.relError)[0];
  const w = r.worst;
  const where = w
    ? `; worst entry ${w.variable}[${w.row},${w.col}]: symbolic ${fmt(w.symbolic)}, finite differences ${fmt(w.numeric)}`
    : '';
  const which =
    bad && bad.relError > 1e-5
      ? `the gradient with respect to ${bad.variable}`
      : 'the gradients (random projections)';
  const err = bad && bad.relError > 1e-5 ? bad.relError : r.projectionError;
  return `the numeric check failed for ${which}: max relative error ${err.toExponential(2)}${where}`;
}

interface Request {
  readonly f: Expr;
  readonly text: string;
  readonly line: number;
  readonly wrt: VarExpr[];
}

/** The module a derivation file asks for: its `grad` requests on one loss, and its `export` targets. */
function fromDocument(
  source: string,
  file: string,
  loss: string | undefined,
): { spec: ModuleSpec; targets: ExportTarget[]; scope: Scope } {
  const doc = parseDocument(source, file);
  let scope: Scope = EMPTY_SCOPE;
  const requests: Request[] = [];
  const targets: ExportTarget[] = [];
  for (const st of statementsOf(doc)) {
    if (st.kind === 'let') scope = declsIn(doc, st.decls, scope);
    else if (st.kind === 'def')
      scope = extendScope(scope, st.name.text, exprIn(doc, st.expr, scope), filePos(doc, st.name));
    else if (st.kind === 'export') targets.push(st.target);
    else if (st.kind === 'grad') {
      const f = exprIn(doc, st.f, scope);
      if (!isScalar(f.shape))
        throw new ShapeError(
          `grad needs a scalar (1×1) function, got ${shapeText(f.shape)}`,
          filePos(doc, st.f),
        );
      const wrt = st.wrt.map((w) => {
        const v = scope.vars.get(w.text);
        if (!v) throw new DeclarationError(`\`${w.text}\` is not a declared variable`, filePos(doc, w));
        return v;
      });
      const same = requests.find((r) => r.f === f);
      if (same) same.wrt.push(...wrt.filter((v) => !same.wrt.includes(v)));
      else requests.push({ f, text: st.f.text, line: st.line, wrt });
    }
  }
  if (requests.length === 0)
    throw new UsageError(`${file} has no \`grad L wrt X\` request: nothing to export`);
  const chosen = loss === undefined ? requests : requests.filter((r) => r.text === loss);
  if (chosen.length === 0) {
    throw new UsageError(
      `--loss ${loss} matches no \`grad\` request of ${file}; they are for ${requests.map((r) => r.text).join(', ')}`,
    );
  }
  if (chosen.length > 1) {
    const list = chosen.map((r) => `${r.text} (line ${r.line})`).join(', ');
    throw new UsageError(
      `${file} requests gradients of several losses: ${list}; a module exports one, choose it with --loss`,
    );
  }
  const r = chosen[0];
  const name = /^[A-Za-z_]\w*$/.test(r.text) ? r.text : 'f';
  const title = `${file}: ${name === r.text ? `${name} = ` : ''}${shortText(r.f)}`;
  const spec = moduleSpec(r.f, r.wrt, [], name, title);
  const inputs = inputsFor(scope, [spec.value, ...spec.grads.map((g) => g.expr), ...r.wrt]);
  return { spec: { ...spec, inputs }, targets, scope };
}

/** A layer size from --layers: a positive integer or a dim name. */
function size(text: string): models.Size {
  const t = text.trim();
  if (/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 1_000_000) return Number(t);
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return t;
  throw new UsageError(
    `--layers takes sizes (positive integers or dim names) separated by commas, not ${JSON.stringify(text)}`,
  );
}

/** The same sizes with every integer above 1 replaced by a dim name (equal integers by the same name). */
function symbolicTwin(sizes: readonly models.Size[]): models.Size[] {
  const names = new Map<number, string>();
  return sizes.map((s) => {
    if (typeof s === 'string' || s === 1) return s;
    if (!names.has(s)) names.set(s, `size${names.size + 1}`);
    return names.get(s)!;
  });
}

type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** The model named by --model, and a twin with symbolic sizes for the numeric check at small sizes. */
function fromModel(name: string, o: Flags): { model: Model; twin: Model } {
  const kind = oneOf('--model', name, models.MODEL_NAMES, 'mlp');
  for (const [opt, owners] of Object.entries(MODEL_OPTIONS)) {
    if (o[opt] !== undefined && !owners.includes(kind))
      throw new UsageError(`--${opt} is an option of --model ${owners.join(' or ')}, not of --model ${kind}`);
  }
  const mlpOnly = ['layers', 'activation', 'single', 'batch'].filter((k) => o[k] !== undefined);
  if (kind !== 'mlp' && (mlpOnly.length > 0 || o.loss !== undefined)) {
    throw new UsageError(`--${mlpOnly[0] ?? 'loss'} is an option of --model mlp, not of --model ${kind}`);
  }
  switch (kind) {
    case 'linear':
      return twinless(models.linearRegression());
    case 'ridge':
      return twinless(models.ridgeRegression());
    case 'logistic':
      return twinless(models.logisticRegression());
    case 'softmax':
      return twinless(models.softmaxRegression());
    case 'layernorm':
      return twinless(models.layerNorm());
    case 'attention':
      return twinless(models.attention());
    case 'mha':
      return twinless(models.multiHeadAttention({ heads: count(o, 'heads', 2), causal: Boolean(o.causal) }));
    case 'transformer':
      return twinless(models.transformerBlock({ heads: count(o, 'heads', 2), causal: !o['no-causal'] }));
    case 'rnn':
      return twinless(models.elmanRnn({ steps: count(o, 'steps', 4) }));
    case 'gru':
      return twinless(models.gru({ steps: count(o, 'steps', 4) }));
    case 'conv1d':
      return twinless(models.conv1d({ width: count(o, 'width', 3) }));
    case 'convnet':
      return twinless(models.convNet({ width: count(o, 'width', 3) }));
    case 'embedding':
      return twinless(models.embedding());
    case 'vae':
      return twinless(models.vae());
    case 'gp':
      return twinless(models.gaussianProcess());
    case 'mlp': {
      if (o.single && o.batch) throw new UsageError('--batch and --single exclude each other');
      const layers = (str(o.layers) ?? 'd,h,k').split(',').map(size);
      if (layers.length < 2)
        throw new UsageError('--layers needs at least two sizes: the input and the output');
      const opts = {
        activation: oneOf('--activation', str(o.activation), models.ACTIVATIONS, 'relu'),
        loss: oneOf('--loss', str(o.loss), models.MLP_LOSSES, 'softmax-ce'),
        batch: !o.single,
      };
      return {
        model: models.mlp({ ...opts, layers }),
        twin: models.mlp({ ...opts, layers: symbolicTwin(layers) }),
      };
    }
  }
}

const twinless = (model: Model) => ({ model, twin: model });

/** A small positive integer option (--heads, --steps, --width). */
function count(o: Flags, name: string, fallback: number): number {
  const text = str(o[name]);
  if (text === undefined) return fallback;
  if (!/^\d{1,3}$/.test(text.trim()) || Number(text) < 1)
    throw new UsageError(`--${name} takes a positive integer, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** Which --model each model-specific option belongs to. */
const MODEL_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  heads: ['mha', 'transformer'],
  causal: ['mha'],
  'no-causal': ['transformer'],
  steps: ['rnn', 'gru'],
  width: ['conv1d', 'convnet'],
};

export function run(argv: readonly string[], io: Io): number {
  const { values: o, positionals } = parse(argv, {
    to: { type: 'string' },
    out: { type: 'string' },
    'no-check': { type: 'boolean' },
    model: { type: 'string' },
    layers: { type: 'string' },
    activation: { type: 'string' },
    loss: { type: 'string' },
    batch: { type: 'boolean' },
    single: { type: 'boolean' },
    heads: { type: 'string' },
    causal: { type: 'boolean' },
    'no-causal': { type: 'boolean' },
    steps: { type: 'string' },
    width: { type: 'string' },
  });
  const modelName = str(o.model);
  if (positionals.length > 1) throw new UsageError(`export takes one FILE.md; got ${positionals.length}`);
  if (modelName !== undefined && positionals.length > 0)
    throw new UsageError('export takes either FILE.md or --model, not both');
  if (modelName === undefined && positionals.length === 0)
    throw new UsageError('missing FILE.md (or --model NAME)');
  let spec: ModuleSpec;
  let fileTargets: ExportTarget[] = [];
  let checkAgainst: { f: Expr; wrt: VarExpr[]; scope?: Scope };
  if (modelName !== undefined) {
    const { model, twin } = fromModel(modelName, o);
    const wrt = model.params.map((p) => model.scope.vars.get(p)!);
    spec = moduleSpec(
      model.loss,
      wrt,
      [...model.scope.vars.values()],
      'L',
      `${model.title}: L = ${shortText(model.loss)}`,
    );
    checkAgainst = { f: twin.loss, wrt: twin.params.map((p) => twin.scope.vars.get(p)!), scope: twin.scope };
  } else {
    const ext = ['layers', 'activation', 'batch', 'single', ...Object.keys(MODEL_OPTIONS)].find(
      (k) => o[k] !== undefined,
    );
    if (ext) throw new UsageError(`--${ext} is an option of --model, not of a derivation file`);
    const file = positionals[0];
    const doc = fromDocument(io.readFile(file), file, str(o.loss));
    spec = doc.spec;
    fileTargets = doc.targets;
    checkAgainst = { f: doc.spec.value, wrt: doc.spec.grads.map((g) => g.wrt), scope: doc.scope };
  }
  const to = str(o.to);
  const distinct = [...new Set(fileTargets)];
  if (to === undefined && distinct.length !== 1) {
    throw new UsageError(
      distinct.length === 0
        ? 'missing --to ts|numpy|jax|torch'
        : `the file exports to ${distinct.join(' and ')}: choose one with --to`,
    );
  }
  const target = oneOf('--to', to ?? distinct[0], TARGETS, 'ts');
  if (!o['no-check']) {
    const failure = checkFailure(checkAgainst.f, checkAgainst.wrt, checkAgainst.scope);
    if (failure) {
      io.err(`matcalc: ${failure}; no module written (--no-check writes it anyway)`);
      return 1;
    }
  }
  const text = emitModule(target, spec);
  const out = str(o.out);
  if (out === undefined) {
    io.out(text);
    return 0;
  }
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new ValueError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  io.err(`wrote ${out} (${target}: value${spec.grads.map((g) => `, grad_${g.wrt.name}`).join('')})`);
  return 0;
}
