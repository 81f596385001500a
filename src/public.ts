// The public API's functions with their arguments checked: a wrong argument (a number for a text, a name
// for a list, a missing scope) is a UsageError naming the function and the argument, never a raw TypeError.
import * as api from './api.js';
import { type Compiled, type CompileOptions, compile as compileRaw } from './emit/js.js';
import { type LatexOptions, toLatex as toLatexRaw } from './emit/latex.js';
import { toText as toTextRaw } from './emit/text.js';
import { LimitError, MatcalcError, UsageError } from './ir/errors.js';
import type { Expr } from './ir/expr.js';
import type { Matrix } from './kernels/matrix.js';
import type { Values } from './numeric/evaluate.js';
import { extendScope, parseDecls, parseExpr, type Scope } from './parse/index.js';
import {
  equal as equalRaw,
  verifyDocument as verifyDocumentRaw,
  verify as verifyRaw,
} from './verify/claims.js';

/** `the number 42`, `undefined`, `an array`: what was passed, in a message. */
function described(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `the ${typeof v} ${v}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  return 'an object';
}

const misuse = (fn: string, what: string, v: unknown): UsageError =>
  new UsageError(`${fn}: ${what}, got ${described(v)}`);

const EXPR_KINDS = new Set(['var', 'const', 'op', 'deriv']);

export function isExpr(v: unknown): v is Expr {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Expr>;
  return (
    typeof e.id === 'number' && EXPR_KINDS.has(e.kind as string) && typeof e.shape?.rows?.key === 'string'
  );
}

function isScope(v: unknown): v is Scope {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<Scope>;
  return s.vars instanceof Map && s.dims instanceof Set && s.defs instanceof Map;
}

function text(fn: string, arg: string, v: unknown): string {
  if (typeof v !== 'string') throw misuse(fn, `${arg} must be a string`, v);
  return v;
}

function expr(fn: string, arg: string, v: unknown): Expr {
  if (!isExpr(v)) throw misuse(fn, `${arg} must be an expression from parse(…)`, v);
  return v;
}

function scope(fn: string, v: unknown, required: boolean): Scope | undefined {
  if (v === undefined && !required) return undefined;
  if (!isScope(v)) {
    const why =
      v === undefined
        ? 'needs the scope that declares the names, as in parse(text, declare("x: n"))'
        : 'the scope must come from declare(…)';
    throw misuse(fn, why, v);
  }
  return v;
}

function options<T extends object>(fn: string, v: unknown): T {
  if (v === undefined) return {} as T;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw misuse(fn, 'options must be an object', v);
  return v as T;
}

function varRef(fn: string, v: unknown): api.VarRef {
  if (typeof v === 'string') return v;
  if (isExpr(v) && v.kind === 'var') return v;
  throw misuse(fn, 'a variable is named by a string or given as a variable expression', v);
}

function varRefs(fn: string, v: unknown): api.VarRef[] {
  if (!Array.isArray(v)) {
    const hint = typeof v === 'string' ? ` (write [${JSON.stringify(v)}])` : '';
    throw misuse(fn, `the variables must be an array of names${hint}`, v);
  }
  if (v.length === 0) throw new UsageError(`${fn}: the list of variables is empty`);
  return v.map((r) => varRef(fn, r));
}

function values(fn: string, v: unknown): Values {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw misuse(fn, 'values must be an object mapping declared names to values', v);
  }
  return v as Values;
}

/** The CLI's message for an expression too deep to recurse over, from the library too. */
function guarded<R>(run: () => R): R {
  try {
    return run();
  } catch (e) {
    throw deepError(e);
  }
}

/** A stack overflow as the LimitError the CLI reports; any other error unchanged. */
function deepError(e: unknown): unknown {
  if (!(e instanceof MatcalcError) && e instanceof RangeError && /call stack/i.test(e.message)) {
    return new LimitError('expression nested too deeply to process');
  }
  return e;
}

export function declare(decls: string, base?: Scope): Scope {
  return guarded(() => parseDecls(text('declare', 'the declarations', decls), scope('declare', base, false)));
}

export function parse(source: string, within: Scope): Expr {
  const t = text('parse', 'the expression', source);
  return guarded(() => parseExpr(t, scope('parse', within, true)!));
}

/** The scope with `name` defined as `e` (a named intermediate: `grad(L, H)` then holds H as an input). */
export function define(within: Scope, name: string, e: Expr): Scope {
  const t = text('define', 'the name', name);
  return guarded(() => extendScope(scope('define', within, true)!, t, expr('define', 'the definition', e)));
}

/** ∂f/∂name for a declared variable or a named intermediate of the scope (held as an input). */
export function gradAt(f: Expr, name: string, opts?: api.DerivOptions): Expr {
  const o = options<api.DerivOptions>('gradAt', opts);
  const t = text('gradAt', 'the name', name);
  return guarded(() =>
    api.gradAt(expr('gradAt', 'f', f), t, { ...o, scope: scope('gradAt', o.scope, false) }),
  );
}

export function grad(f: Expr, wrt: readonly api.VarRef[], opts?: api.DerivOptions): Expr[] {
  const o = options<api.DerivOptions>('grad', opts);
  return guarded(() =>
    api.grad(expr('grad', 'f', f), varRefs('grad', wrt), { ...o, scope: scope('grad', o.scope, false) }),
  );
}

export function jacobian(f: Expr, x: api.VarRef, opts?: api.DerivOptions & { layout?: api.Layout }): Expr {
  if (Array.isArray(x)) throw misuse('jacobian', 'takes one variable, as in jacobian(f, "x")', x);
  const o = options<api.DerivOptions & { layout?: api.Layout }>('jacobian', opts);
  if (o.layout !== undefined && o.layout !== 'numerator' && o.layout !== 'denominator') {
    throw misuse('jacobian', 'layout must be "numerator" or "denominator"', o.layout);
  }
  return guarded(() =>
    api.jacobian(expr('jacobian', 'f', f), varRef('jacobian', x), {
      ...o,
      scope: scope('jacobian', o.scope, false),
    }),
  );
}

export function hessian(f: Expr, x: api.VarRef, opts?: api.DerivOptions & { layout?: api.Layout }): Expr {
  if (Array.isArray(x)) throw misuse('hessian', 'takes one variable, as in hessian(f, "x")', x);
  const o = options<api.DerivOptions & { layout?: api.Layout }>('hessian', opts);
  if (o.layout !== undefined && o.layout !== 'numerator' && o.layout !== 'denominator') {
    throw misuse('hessian', 'layout must be "numerator" or "denominator"', o.layout);
  }
  return guarded(() =>
    api.hessian(expr('hessian', 'f', f), varRef('hessian', x), {
      ...o,
      scope: scope('hessian', o.scope, false),
    }),
  );
}

/** H·vec(V): the Hessian of f with respect to x times a direction (a variable, its name, or an expression). */
export function hvp(f: Expr, x: api.VarRef, direction: api.VarRef | Expr, opts?: api.DerivOptions): Expr {
  if (Array.isArray(x)) throw misuse('hvp', 'takes one variable, as in hvp(f, "x", "v")', x);
  const o = options<api.DerivOptions>('hvp', opts);
  const d = typeof direction === 'string' ? direction : expr('hvp', 'the direction', direction as Expr);
  return guarded(() =>
    api.hvp(expr('hvp', 'f', f), varRef('hvp', x), d, { ...o, scope: scope('hvp', o.scope, false) }),
  );
}

export function simplify(e: Expr, log?: Parameters<typeof api.simplify>[1]): Expr {
  if (log !== undefined && !Array.isArray(log)) throw misuse('simplify', 'the log must be an array', log);
  return guarded(() => api.simplify(expr('simplify', 'its argument', e), log));
}

export function evaluate(e: Expr, at: Values, opts?: api.EvalOptions): Matrix {
  const o = options<api.EvalOptions>('evaluate', opts);
  return guarded(() =>
    api.evaluate(expr('evaluate', 'its argument', e), values('evaluate', at), {
      ...o,
      scope: scope('evaluate', o.scope, false),
    }),
  );
}

export function evaluateAll(es: readonly Expr[], at: Values, opts?: api.EvalOptions): Matrix[] {
  if (!Array.isArray(es)) throw misuse('evaluateAll', 'the expressions must be an array', es);
  const checked = es.map((e) => expr('evaluateAll', 'each expression', e));
  const o = options<api.EvalOptions>('evaluateAll', opts);
  return guarded(() =>
    api.evaluateAll(checked, values('evaluateAll', at), {
      ...o,
      scope: scope('evaluateAll', o.scope, false),
    }),
  );
}

export function check(
  f: Expr,
  wrt: readonly api.VarRef[],
  opts?: Parameters<typeof api.check>[2],
): ReturnType<typeof api.check> {
  const o = options<NonNullable<Parameters<typeof api.check>[2]>>('check', opts);
  if (o.trials !== undefined && !(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= 1_000_000)) {
    throw misuse('check', 'trials must be a positive integer', o.trials);
  }
  return guarded(() =>
    api.check(expr('check', 'f', f), varRefs('check', wrt), { ...o, scope: scope('check', o.scope, false) }),
  );
}

export function compile(exprs: Expr, opts?: CompileOptions): Compiled<Matrix>;
export function compile(exprs: readonly Expr[], opts?: CompileOptions): Compiled<Matrix[]>;
export function compile(
  exprs: Expr | readonly Expr[],
  opts?: CompileOptions,
): Compiled<Matrix> | Compiled<Matrix[]> {
  const o = options<CompileOptions>('compile', opts);
  if (Array.isArray(exprs)) {
    if (exprs.length === 0) throw new UsageError('compile: the list of expressions is empty');
    for (const e of exprs) expr('compile', 'each expression', e);
  } else expr('compile', 'its argument', exprs);
  const fn = guarded(() => compileRaw(exprs as Expr, o)) as Compiled<Matrix | Matrix[]>;
  // no closure per call: a compiled gradient allocates nothing once its buffers exist
  const run = (at: Values) => {
    try {
      return fn(values('compiled function', at));
    } catch (e) {
      throw deepError(e);
    }
  };
  Object.defineProperty(run, 'source', { get: () => fn.source });
  Object.defineProperty(run, 'allocations', { get: () => fn.allocations });
  return run as Compiled<Matrix> | Compiled<Matrix[]>;
}

export function toText(e: Expr): string {
  return guarded(() => toTextRaw(expr('toText', 'its argument', e)));
}

export function toLatex(e: Expr, opts?: LatexOptions): string {
  return guarded(() => toLatexRaw(expr('toLatex', 'its argument', e), options('toLatex', opts)));
}

export function equal(a: Expr, b: Expr, opts?: Parameters<typeof equalRaw>[2]): ReturnType<typeof equalRaw> {
  const o = options<NonNullable<Parameters<typeof equalRaw>[2]>>('equal', opts);
  return guarded(() =>
    equalRaw(expr('equal', 'the first expression', a), expr('equal', 'the second expression', b), o),
  );
}

/** verify(claim, truth): whether the claim equals the truth, and a diagnosis when it does not. */
export function verify(
  claim: Expr,
  truth: Expr,
  opts?: Parameters<typeof verifyRaw>[2],
): ReturnType<typeof verifyRaw> {
  const o = options<NonNullable<Parameters<typeof verifyRaw>[2]>>('verify', opts);
  const c = expr('verify', 'the claim (verify(claim, truth))', claim);
  const t = expr('verify', 'the truth (verify(claim, truth), e.g. grad(f, ["w"])[0])', truth);
  return guarded(() => verifyRaw(c, t, o));
}

export function verifyDocument(
  source: string,
  file?: string,
  opts?: Parameters<typeof verifyDocumentRaw>[2],
): ReturnType<typeof verifyDocumentRaw> {
  const t = text('verifyDocument', 'the document', source);
  if (file !== undefined) text('verifyDocument', 'the file name', file);
  const o = options<NonNullable<Parameters<typeof verifyDocumentRaw>[2]>>('verifyDocument', opts);
  return guarded(() => verifyDocumentRaw(t, file, o));
}
