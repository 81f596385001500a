// One fuzz case end to end: build the expression, print it and parse it back (the very same node), render
// its LaTeX under KaTeX strict mode, check simplify keeps its value, and check its gradients (and sometimes
// a Jacobian and a Hessian) against finite differences. Every problem comes with a command that shows it.
import { grad, hessian, jacobian, simplify } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { toLatex } from '../../src/emit/latex.js';
import { toText } from '../../src/emit/text.js';
import { type Expr, freeVars, topoOrder } from '../../src/ir/expr.js';
import { shapeValue } from '../../src/ir/shape.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { type CheckResult, checkGradients, checkJacobian } from '../../src/numeric/gradcheck.js';
import { randomValues, seededRandom } from '../../src/numeric/random.js';
import { parseExpr } from '../../src/parse/index.js';
import { build, type FuzzCase, SCOPE } from './arbitraries.js';
import {
  atJump,
  command,
  compareCompiled,
  declsOf,
  evaluateFinite,
  firstLine,
  MAX_VALUE,
  magnitude,
  type Problem,
  type ProblemKind,
  renderKatex,
  type Stage,
  TOLERANCE,
  treeSize,
} from './checks.js';
import { confirmGradients, confirmJacobian } from './confirm.js';

export type { Problem, ProblemKind } from './checks.js';

export interface Outcome {
  readonly problems: readonly Problem[];
  /** Function values too large or not finite at the sampled point: the numeric checks were skipped. */
  readonly skipped: boolean;
  /** A finite-difference check failed, and finite differences could not settle at that point. */
  readonly inconclusive: readonly string[];
  readonly jacobian: boolean;
  readonly hessian: boolean;
  /** Tree size of f, for reports. */
  readonly nodes: number;
}

function describeCheck(r: CheckResult, tol: number): string {
  const w = r.worst;
  if ((!w || w.relError <= tol) && r.projectionError > tol) {
    return `random projection ⟨∇f, V⟩ disagrees with the directional derivative: relative error ${r.projectionError.toExponential(2)}`;
  }
  if (!w) return 'finite differences disagree';
  const at = Object.entries(w.dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return (
    `${w.variable}[${w.row},${w.col}] at ${at}: symbolic ${w.symbolic}, finite differences ${w.numeric} ` +
    `(relative error ${w.relError.toExponential(2)})`
  );
}

export function runCase(c: FuzzCase): Outcome {
  const problems: Problem[] = [];
  let skipped = false;
  const inconclusive: string[] = [];
  let didJacobian = false;
  let didHessian = false;
  const dims = new Map([
    ['n', c.dims[0]],
    ['d', c.dims[1]],
  ]);
  const opts = { dims, seed: c.seed, trials: 1, tolerance: TOLERANCE };
  const at = ` (n=${c.dims[0]}, d=${c.dims[1]}, seed ${c.seed})`;
  let f: Expr;
  try {
    f = build(c.f);
  } catch (e) {
    return {
      problems: [{ kind: 'crash', stage: 'build', message: firstLine(e), command: JSON.stringify(c.f) }],
      skipped,
      inconclusive,
      jacobian: false,
      hessian: false,
      nodes: 0,
    };
  }
  const own = freeVars(f);
  const wrt = own.length > 0 ? own : [SCOPE.vars.get('s')!];
  const stage: Stage = <T>(
    name: string,
    kind: ProblemKind,
    cmd: () => string,
    run: () => T,
  ): T | undefined => {
    try {
      return run();
    } catch (e) {
      let shown: string;
      try {
        shown = cmd();
      } catch {
        shown = JSON.stringify(c.f);
      }
      problems.push({ kind, stage: name, message: firstLine(e), command: shown });
      return undefined;
    }
  };
  const gradCmd =
    (extra = '') =>
    () =>
      command('grad', f, wrt, extra);

  // Printing: the text parses back to the very same node; the LaTeX renders.
  const text = stage('toText(f)', 'crash', gradCmd(), () => toText(f));
  if (text !== undefined) {
    const back = stage('parse(toText(f))', 'roundtrip', gradCmd(), () => parseExpr(text, SCOPE));
    if (back !== undefined && back !== f) {
      problems.push({
        kind: 'roundtrip',
        stage: 'parse(toText(f))',
        message: `\`${text}\` parses back as \`${toText(back)}\`, a different node`,
        command: gradCmd()(),
      });
    }
  }
  const tex = stage('toLatex(f)', 'crash', gradCmd(' --format latex'), () => toLatex(f));
  if (tex !== undefined)
    stage('KaTeX(toLatex(f))', 'latex', gradCmd(' --format latex'), () => renderKatex(tex));

  // The value at a sampled point, and simplify keeping it.
  const vars = [...new Map([...own, ...wrt].map((v) => [v.name, v])).values()];
  const values = randomValues(vars, dims, seededRandom(c.seed ^ 0x5bd1e995));
  // grad(…)/jacobian(…)/hessian(…) written in f are given their meaning before evaluating or differencing.
  const fx = stage('expandDerivatives(f)', 'crash', gradCmd(), () => expandDerivatives(f)) ?? f;
  const all = topoOrder([fx]);
  const evaluated = stage('evaluate(f)', 'crash', gradCmd(), () => evaluateMany(all, values, dims));
  const scale = evaluated ? magnitude(evaluated) : null;
  if (scale === null || scale > MAX_VALUE) skipped = true;
  const fValue = evaluated?.[evaluated.length - 1].data[0];
  const sf = stage('simplify(f)', 'crash', gradCmd(), () => simplify(f));
  // At a jump of sign or step (an argument 0 up to rounding, as in sign(logdet(-V*inv(V)))), rounding
  // decides the value, so two forms equal in exact arithmetic may differ there.
  const onJump = evaluated !== undefined && scale !== null && atJump(all, evaluated, scale);
  if (sf !== undefined && !skipped && !onJump && fValue !== undefined && scale !== null) {
    const v = stage(
      'evaluate(simplify(f))',
      'crash',
      gradCmd(),
      () => evaluateMany([sf], values, dims)[0].data[0],
    );
    if (v !== undefined && !(Math.abs(v - fValue) <= 1e-9 * Math.max(1, scale))) {
      problems.push({
        kind: 'simplify',
        stage: 'simplify(f)',
        message: `\`${toText(f)}\` is ${fValue} but its simplified form \`${toText(sf)}\` is ${v}${at}`,
        command: `matcalc eval "${toText(f)}" --let "${declsOf(f)}" --at VALUES.json`,
      });
    }
  }

  // Gradients: printed forms, then finite differences.
  const grads = stage('grad', 'crash', gradCmd(), () => grad(f, wrt, { scope: SCOPE }));
  if (grads) {
    grads.forEach((g, k) => {
      const name = `∂f/∂${wrt[k].name}`;
      const gText = stage(`toText(${name})`, 'crash', gradCmd(), () => toText(g));
      if (gText !== undefined) {
        const back = stage(`parse(toText(${name}))`, 'roundtrip', gradCmd(), () => parseExpr(gText, SCOPE));
        if (back !== undefined && back !== g) {
          problems.push({
            kind: 'roundtrip',
            stage: `parse(toText(${name}))`,
            message: `\`${gText}\` parses back as \`${toText(back)}\`, a different node`,
            command: gradCmd()(),
          });
        }
      }
      const gTex = stage(`toLatex(${name})`, 'crash', gradCmd(' --format latex'), () => toLatex(g));
      if (gTex !== undefined)
        stage(`KaTeX(${name})`, 'latex', gradCmd(' --format latex'), () => renderKatex(gTex));
    });
    if (!skipped) compareCompiled([f, ...grads], [fx, ...grads], values, dims, problems, stage, gradCmd()());
    if (!skipped) {
      const r = stage('checkGradients', 'crash', gradCmd(), () => checkGradients(fx, wrt, grads, opts));
      if (r?.verdict === 'cannot check') inconclusive.push(`${command('check', f, wrt)}  # ${r.reason}${at}`);
      else if (r && !r.ok && r.worst && !Number.isFinite(r.worst.numeric)) skipped = true;
      else if (r && !r.ok) {
        const cmd = command('check', f, wrt, ' --trials 5');
        const second = stage(
          'confirmGradients',
          'crash',
          () => cmd,
          () => confirmGradients(fx, wrt, grads, dims, c.seed, TOLERANCE, r.worst),
        );
        if (second?.verdict === 'inconclusive') inconclusive.push(`${cmd}  # ${second.detail}${at}`);
        if (second?.verdict === 'disagree') {
          problems.push({
            kind: 'gradient',
            stage: 'checkGradients',
            message: `${wrt.length === 1 ? '' : `grad wrt ${wrt.map((v) => v.name).join(',')}: `}${describeCheck(r, TOLERANCE)}${at}`,
            command: cmd,
          });
        }
      }
    }
  }

  if (c.jac) {
    const g = stage(
      'build(g)',
      'crash',
      () => JSON.stringify(c.jac?.g),
      () => build(c.jac!.g),
    );
    const gv = g ? freeVars(g) : [];
    if (g && gv.length > 0) {
      const x = gv[c.jac.pick % gv.length];
      const gVars = [...new Map([...gv, x].map((v) => [v.name, v])).values()];
      const gx = expandDerivatives(g);
      const gValues = evaluateFinite(gx, gVars, dims, c.seed);
      const jacCmd = () => command('jacobian', g, [x]);
      const J = stage('jacobian', 'crash', jacCmd, () => jacobian(g, x, { scope: SCOPE }));
      if (J && gValues) {
        didJacobian = true;
        const jText = stage('toText(J)', 'crash', jacCmd, () => toText(J));
        if (jText !== undefined) {
          const back = stage('parse(toText(J))', 'roundtrip', jacCmd, () => parseExpr(jText, SCOPE));
          if (back !== undefined && back !== J) {
            problems.push({
              kind: 'roundtrip',
              stage: 'parse(toText(J))',
              message: `\`${jText}\` parses back as \`${toText(back)}\`, a different node`,
              command: jacCmd(),
            });
          }
        }
        const r = stage('checkJacobian', 'crash', jacCmd, () => checkJacobian(gx, x, J, opts));
        if (r?.verdict === 'cannot check') inconclusive.push(`${jacCmd()}  # ${r.reason}${at}`);
        else if (r && !r.ok) {
          const second = stage('confirmJacobian', 'crash', jacCmd, () =>
            confirmJacobian(gx, x, J, dims, c.seed, TOLERANCE),
          );
          if (second?.verdict === 'inconclusive') inconclusive.push(`${jacCmd()}  # ${second.detail}${at}`);
          if (second?.verdict === 'disagree') {
            problems.push({
              kind: 'jacobian',
              stage: 'checkJacobian',
              message: `${describeCheck(r, TOLERANCE)}${at}`,
              command: jacCmd(),
            });
          }
        }
      }
    }
  }

  if (c.hess && grads && !skipped) {
    const k = c.hess.pick % wrt.length;
    const x = wrt[k];
    const [rows, cols] = shapeValue(x.shape, dims);
    if (rows * cols <= 12) {
      const hessCmd = () => command('hessian', f, [x]);
      const H = stage('hessian', 'crash', hessCmd, () => hessian(f, x, { scope: SCOPE }));
      if (H) {
        didHessian = true;
        const hTex = stage('toLatex(H)', 'crash', hessCmd, () => toLatex(H));
        if (hTex !== undefined) stage('KaTeX(H)', 'latex', hessCmd, () => renderKatex(hTex));
        // H is the Jacobian of the gradient with respect to x: the raw gradient, since simplified forms may
        // use x's qualifiers (inv(S)' → inv(S)) and so agree with it only where they hold, not around.
        const rawGrad = stage('grad raw', 'crash', hessCmd, () => grad(f, [x], { raw: true })[0]);
        const r =
          rawGrad &&
          stage('checkJacobian(grad, H)', 'crash', hessCmd, () => checkJacobian(rawGrad, x, H, opts));
        if (r?.verdict === 'cannot check') inconclusive.push(`${hessCmd()}  # ${r.reason}${at}`);
        else if (rawGrad && r && !r.ok) {
          const second = stage('confirmJacobian(grad, H)', 'crash', hessCmd, () =>
            confirmJacobian(rawGrad, x, H, dims, c.seed, TOLERANCE),
          );
          if (second?.verdict === 'inconclusive') inconclusive.push(`${hessCmd()}  # ${second.detail}${at}`);
          if (second?.verdict === 'disagree') {
            problems.push({
              kind: 'hessian',
              stage: 'checkJacobian(grad, H)',
              message: `${describeCheck(r, TOLERANCE)}${at}`,
              command: hessCmd(),
            });
          }
        }
      }
    }
  }
  return { problems, skipped, inconclusive, jacobian: didJacobian, hessian: didHessian, nodes: treeSize(f) };
}
