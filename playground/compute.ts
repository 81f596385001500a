// What the playground shows for one set of inputs, computed in stages (the gradient first, then the check,
// the claim's verdict, the steps, the code, the graph) so the page can update as soon as each is ready.
// The texts are the CLI's own (src/cli/results.ts); errors carry the field at fault and the caret picture.
import { check, checkJac, grad, hessian, jacobian } from '../src/api.js';
import {
  checkText,
  defaultLayout,
  derivativeLatex,
  derivativeText,
  type Mode,
  verdictText,
} from '../src/cli/results.js';
import { symbolsFor } from '../src/derive/forward.js';
import { graphDot } from '../src/derive/graph.js';
import { jacobianSteps } from '../src/derive/jacobian-steps.js';
import { backwardSteps } from '../src/derive/steps.js';
import { equationTex, stepHeading } from '../src/derive/wording.js';
import { expandDerivatives } from '../src/diff/expand.js';
import { toJaxModule } from '../src/emit/jax.js';
import { type ModuleSpec, shortText, toNumpyModule } from '../src/emit/numpy.js';
import { toTorchModule } from '../src/emit/torch.js';
import { toTsModule } from '../src/emit/ts-module.js';
import { DeclarationError, MatcalcError, UsageError } from '../src/ir/errors.js';
import type { Expr, VarExpr } from '../src/ir/expr.js';
import { isScalar } from '../src/ir/shape.js';
import { parseDecls, parseExpr, type Scope } from '../src/parse/index.js';
import { formatCaret } from '../src/parse/position.js';
import { didYouMean } from '../src/parse/suggest.js';
import { judgeClaimText } from '../src/verify/misfit.js';

export type Field = 'let' | 'expr' | 'wrt' | 'claim';

export interface Inputs {
  readonly let: string;
  readonly expr: string;
  readonly wrt: string;
  readonly claim: string;
  readonly mode: Mode;
}

export interface FieldError {
  readonly field: Field;
  /** `matcalc: error: …` as the CLI prints it, position included. */
  readonly message: string;
  /** The input line and the caret under the fault, when the text is at fault. */
  readonly caret: string;
  readonly line?: number;
  readonly column?: number;
}

export interface StepView {
  readonly heading: string;
  readonly node?: string;
  readonly kind: string;
  readonly equations: readonly { readonly tex: string; readonly dims: string; readonly ok: boolean }[];
}

export type Stage =
  | {
      readonly kind: 'result';
      readonly text: string;
      readonly latex: readonly string[];
      /** Time to parse, differentiate, simplify and print, in the worker. */
      readonly ms: number;
    }
  | { readonly kind: 'check'; readonly text: string; readonly ok: boolean }
  | { readonly kind: 'verdict'; readonly text: string; readonly equal: boolean | null }
  | { readonly kind: 'steps'; readonly steps: readonly StepView[]; readonly note?: string }
  | {
      readonly kind: 'code';
      readonly ts: string;
      readonly numpy: string;
      readonly jax: string;
      readonly torch: string;
      readonly note?: string;
    }
  | { readonly kind: 'graph'; readonly dot: string }
  /** The inputs are at fault: nothing else can be computed. */
  | { readonly kind: 'error'; readonly error: FieldError }
  /** One later stage could not be computed; the others stand. */
  | { readonly kind: 'failed'; readonly stage: StageName; readonly error: FieldError };

export type StageName = 'check' | 'verdict' | 'steps' | 'code' | 'graph';

const OPTION: Readonly<Record<Field, string>> = {
  let: '--let',
  expr: 'EXPR',
  wrt: '--wrt',
  claim: '--claim',
};

/** An error in one field as the CLI reports it (`at --let:1:5` and the caret). */
export function fieldError(field: Field, e: unknown): FieldError {
  if (!(e instanceof MatcalcError)) {
    const msg = e instanceof Error ? e.message : String(e);
    return { field, message: `matcalc: error: internal error: ${msg.split('\n')[0]}`, caret: '' };
  }
  const pos = e.pos ? { ...e.pos, file: e.pos.file ?? OPTION[field] } : undefined;
  const where = pos ? ` at ${pos.file}:${pos.line}:${pos.column}` : '';
  return {
    field,
    message: `matcalc: error: ${e.message}${where}`,
    caret: pos ? formatCaret(pos) : '',
    line: pos?.line,
    column: pos?.column,
  };
}

/** An error already attributed to the field at fault. */
class FieldFailure extends Error {
  constructor(readonly error: FieldError) {
    super(error.message);
  }
}

/** An error of `e` attributed to `field`, unless it already names its field. */
const blame = (field: Field, e: unknown): FieldError =>
  e instanceof FieldFailure ? e.error : fieldError(field, e);

function attempt<T>(field: Field, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new FieldFailure(fieldError(field, e));
  }
}

/** The last declarations parsed: most keystrokes change the expression, not the declarations. */
let lastDecls: { readonly text: string; readonly scope: Scope } | undefined;

function declarations(text: string): Scope {
  if (lastDecls?.text !== text) lastDecls = { text, scope: parseDecls(text) };
  return lastDecls.scope;
}

function wrtVars(scope: Scope, wrt: string): VarExpr[] {
  if (!wrt.trim()) throw new UsageError('missing --wrt (the variable(s) to differentiate with respect to)');
  return wrt.split(',').map((raw) => {
    const name = raw.trim();
    const v = scope.vars.get(name);
    if (!v)
      throw new DeclarationError(
        `--wrt ${name} is not a declared variable${didYouMean(name, [...scope.vars.keys()])}`,
      );
    return v;
  });
}

function stepsOf(f: Expr, vars: readonly VarExpr[]): StepView[] {
  const options = { style: 'steps', layout: 'denominator' } as const;
  const back = backwardSteps(f, vars, [], symbolsFor([], 'f', options.layout), options);
  return back.steps.map((s) => ({
    heading: stepHeading(s),
    node: s.node,
    kind: s.kind,
    equations: s.equations.map((eq) => ({ tex: equationTex(eq), dims: eq.dims.text, ok: eq.dims.ok })),
  }));
}

function chainSteps(f: Expr, x: VarExpr): StepView[] {
  return jacobianSteps(f, x).steps.map((s) => ({
    heading: stepHeading(s),
    node: s.node,
    kind: s.kind,
    equations: s.equations.map((eq) => ({ tex: equationTex(eq), dims: eq.dims.text, ok: eq.dims.ok })),
  }));
}

function codeOf(f: Expr, vars: readonly VarExpr[], scope: Scope): Stage {
  if (!isScalar(f.shape)) {
    return {
      kind: 'code',
      ts: '',
      numpy: '',
      jax: '',
      torch: '',
      note: 'Code is exported for gradients of a scalar f.',
    };
  }
  const gs = grad(f, vars);
  const spec: ModuleSpec = {
    name: 'f',
    title: `f = ${shortText(f)}`,
    value: expandDerivatives(f),
    grads: vars.map((v, k) => ({ wrt: v, expr: gs[k] })),
    inputs: [...scope.vars.values()],
  };
  return {
    kind: 'code',
    ts: toTsModule(spec),
    numpy: toNumpyModule(spec),
    jax: toJaxModule(spec),
    torch: toTorchModule(spec),
  };
}

/**
 * The stages for `inputs`: `'result'` alone (the derivative, kept fast for typing), or `'details'` (the
 * rest), each handed to `emit` as it is ready. `stale()` is asked between stages so that a newer keystroke
 * stops work on an older one. A later stage that fails is reported alone; the others stand.
 */
export async function compute(
  inputs: Inputs,
  part: 'result' | 'details',
  emit: (s: Stage) => void,
  stale: () => Promise<boolean>,
): Promise<void> {
  let scope: Scope;
  let f: Expr;
  let vars: VarExpr[];
  let results: Expr[];
  const mode = inputs.mode;
  const start = performance.now();
  try {
    scope = attempt('let', () => declarations(inputs.let));
    f = attempt('expr', () => {
      if (!inputs.expr.trim()) throw new UsageError('EXPR is empty');
      return parseExpr(inputs.expr, scope);
    });
    vars = attempt('wrt', () => wrtVars(scope, inputs.wrt));
    results = attempt('expr', () => {
      if (mode === 'grad') return grad(f, vars, { scope });
      if (vars.length > 1) throw new UsageError(`${mode} takes one variable in --wrt`);
      return [mode === 'jacobian' ? jacobian(f, vars[0], { scope }) : hessian(f, vars[0], { scope })];
    });
  } catch (e) {
    if (part === 'result') {
      emit({ kind: 'error', error: blame('expr', e) });
    }
    return;
  }
  if (part === 'result') {
    const text = derivativeText(mode, vars, results, defaultLayout(mode));
    const latex = derivativeLatex(mode, vars, results, defaultLayout(mode));
    emit({ kind: 'result', text, latex, ms: performance.now() - start });
    return;
  }
  const trials = { trials: 3, seed: 1 };
  const stages: readonly [StageName, () => Stage][] = [
    [
      'check',
      () => {
        const r =
          mode === 'grad'
            ? check(f, vars, { scope, ...trials })
            : mode === 'jacobian'
              ? checkJac(f, vars[0], results[0], trials)
              : checkJac(grad(f, vars, { scope })[0], vars[0], results[0], trials);
        return { kind: 'check', text: checkText(r), ok: r.ok };
      },
    ],
    [
      'verdict',
      () => {
        if (!inputs.claim.trim()) return { kind: 'verdict', text: '', equal: null };
        if (vars.length !== 1) {
          throw new UsageError('verify checks the gradient with respect to one variable in --wrt');
        }
        const [g] = mode === 'grad' ? results : grad(f, vars, { scope });
        // A claim whose own shapes do not fit is a wrong claim with a repair, as in `matcalc verify`.
        // (Bad input in it fails this stage, which is blamed on the claim field.)
        const { verdict, diagnosis } = judgeClaimText(inputs.claim, g, scope, {
          reference: 'the gradient',
          seed: 0x5eed,
        });
        return { kind: 'verdict', text: verdictText(verdict, diagnosis, vars[0], g), equal: verdict.equal };
      },
    ],
    [
      'steps',
      () =>
        mode === 'grad'
          ? { kind: 'steps', steps: stepsOf(f, vars) }
          : {
              kind: 'steps',
              // a Hessian is the Jacobian of the gradient
              steps: chainSteps(mode === 'jacobian' ? f : grad(f, vars, { scope })[0], vars[0]),
              note:
                mode === 'jacobian'
                  ? 'The chain rule forward: each node’s Jacobian is its local Jacobian times the one reached so far.'
                  : 'The Hessian is the Jacobian of the gradient ∇f, taken node by node.',
            },
    ],
    ['code', () => codeOf(f, vars, scope)],
    [
      'graph',
      () => ({
        kind: 'graph',
        dot: graphDot({ roots: [f], names: new Map(), wrt: new Set(vars.map((v) => v.id)) }),
      }),
    ],
  ];
  for (const [name, stage] of stages) {
    if (await stale()) return;
    try {
      emit(stage());
    } catch (e) {
      emit({
        kind: 'failed',
        stage: name,
        error: blame(name === 'verdict' ? 'claim' : 'expr', e),
      });
    }
  }
}
