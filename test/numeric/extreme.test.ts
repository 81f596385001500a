// Extreme-value property test: random compositions of σ, softplus, logsumexp, softmax, log-softmax, norm and
// the logistic loss over compound arguments (x, −x, x − y, y − x, 2x, Ax), at inputs of magnitude 40, 800
// and 1000. Wherever the mpmath reference (40 digits, naive formulas, mp.diff derivatives) is finite in
// float64, every backend — interpreter, compile(), TS module, NumPy module — gives a finite value,
// gradient, Hessian or Jacobian equal to it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { grad, hessian, jacobian } from '../../src/api.js';
import type { ModuleSpec } from '../../src/emit/numpy.js';
import { type Expr, freeVars, type VarExpr } from '../../src/ir/expr.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import {
  compiled,
  interpreter,
  type PyJob,
  type Rows,
  runPython,
  toMatrices,
  toNumpyModule,
  tsModules,
} from './backends.js';

const scope = parseDecls('x: n; y: n; t: n; A: n x n');
const N = 3;

/** Compound arguments: matcalc text and the mpmath list they stand for. */
const ARGS: readonly [string, string][] = [
  ['x', 'x'],
  ['-x', 'scale(-1, x)'],
  ['x - y', 'sub(x, env["y"])'],
  ['y - x', 'sub(env["y"], x)'],
  ['2*x', 'scale(2, x)'],
  ['A*x', 'mv(env["A"], x)'],
];

type Template = readonly [(u: string) => string, (u: string) => string];

/** Scalar losses of an argument U: matcalc text, mpmath reference (naive formulas, exact at 40 digits). */
const LOSSES: readonly Template[] = [
  [(u) => `sum(log(sigmoid(${u})))`, (u) => `S(V(lambda q: log(sig(q)), ${u}))`],
  [(u) => `sum(log(1 - sigmoid(${u})))`, (u) => `S(V(lambda q: log(sig(-q)), ${u}))`],
  [(u) => `sum(log(1 + exp(${u})))`, (u) => `S(V(sp, ${u}))`],
  [(u) => `sum(softplus(${u}))`, (u) => `S(V(sp, ${u}))`],
  [(u) => `sum(1 ./ (1 + exp(-(${u}))))`, (u) => `S(V(sig, ${u}))`],
  [(u) => `sum(exp(${u}) ./ (1 + exp(${u})))`, (u) => `S(V(sig, ${u}))`],
  [(u) => `sum(sigmoid(${u}))`, (u) => `S(V(sig, ${u}))`],
  [(u) => `log(sum(exp(${u})))`, (u) => `lse(${u})`],
  [(u) => `logsumexp(${u})`, (u) => `lse(${u})`],
  [(u) => `sum(log(softmax(${u})))`, (u) => `S(V(log, smax(${u})))`],
  [(u) => `sum(logsoftmax(${u}))`, (u) => `S(V(log, smax(${u})))`],
  [(u) => `sum(softmax(${u}) .* t)`, (u) => `S([a * b for a, b in zip(smax(${u}), env["t"])])`],
  [
    (u) => `sum(-t .* log(sigmoid(${u})) - (1 - t) .* log(1 - sigmoid(${u})))`,
    (u) => `S([-a * log(sig(b)) - (1 - a) * log(sig(-b)) for a, b in zip(env["t"], ${u})])`,
  ],
  [(u) => `norm(${u})`, (u) => `nrm(${u})`],
];

/** Vector functions of U, for Jacobians. */
const MAPS: readonly Template[] = [
  [(u) => `sigmoid(${u})`, (u) => `V(sig, ${u})`],
  [(u) => `log(sigmoid(${u}))`, (u) => `V(lambda q: log(sig(q)), ${u})`],
  [(u) => `log(1 - sigmoid(${u}))`, (u) => `V(lambda q: log(sig(-q)), ${u})`],
  [(u) => `log(1 + exp(${u}))`, (u) => `V(sp, ${u})`],
  [(u) => `1 ./ (1 + exp(-(${u})))`, (u) => `V(sig, ${u})`],
  [(u) => `softmax(${u})`, (u) => `smax(${u})`],
  [(u) => `exp(${u})/sum(exp(${u}))`, (u) => `smax(${u})`],
  [(u) => `log(softmax(${u}))`, (u) => `V(log, smax(${u}))`],
  [(u) => `logsoftmax(${u})`, (u) => `V(log, smax(${u}))`],
];

interface Case {
  readonly kind: 'scalar' | 'jacobian';
  readonly text: string;
  readonly code: string;
  /** Signs and sizes in [0.5, 1] of x and y; A's entries in quarters; labels t. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly a: readonly number[];
  readonly t: readonly number[];
}

const pick = <T>(xs: readonly T[]) => fc.integer({ min: 0, max: xs.length - 1 }).map((k) => xs[k]);
const signed = fc.tuple(fc.boolean(), fc.integer({ min: 2, max: 4 })).map(([s, q]) => (s ? 1 : -1) * (q / 4));
const vector = fc.array(signed, { minLength: N, maxLength: N });
const point = {
  x: vector,
  y: vector,
  a: fc.array(
    fc.integer({ min: -4, max: 4 }).map((q) => q / 4),
    { minLength: N * N, maxLength: N * N },
  ),
  t: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: N, maxLength: N }),
};

const lossCase: fc.Arbitrary<Case> = fc
  .record({ l1: pick(LOSSES), u1: pick(ARGS), l2: fc.option(pick(LOSSES)), u2: pick(ARGS), ...point })
  .map(({ l1, u1, l2, u2, ...p }) => ({
    kind: 'scalar',
    text: l2 ? `${l1[0](u1[0])} + ${l2[0](u2[0])}` : l1[0](u1[0]),
    code: l2 ? `(${l1[1](u1[1])}) + (${l2[1](u2[1])})` : l1[1](u1[1]),
    ...p,
  }));

const mapCase: fc.Arbitrary<Case> = fc
  .record({ m: pick(MAPS), u: pick(ARGS), ...point })
  .map(({ m, u, ...p }) => ({ kind: 'jacobian', text: m[0](u[0]), code: m[1](u[1]), ...p }));

const CASES: readonly Case[] = [
  ...fc.sample(lossCase, { seed: 20261201, numRuns: 28 }),
  ...fc.sample(mapCase, { seed: 20261202, numRuns: 14 }),
];
const MAGNITUDES = [40, 800, 1000];

const column = (v: readonly number[]) => v.map((e) => [e]);

function valuesAt(c: Case, magnitude: number, used: readonly VarExpr[]): Rows {
  const all: Rows = {
    x: column(c.x.map((e) => e * magnitude)),
    y: column(c.y.map((e) => e * magnitude)),
    t: column(c.t),
    A: [0, 1, 2].map((i) => c.a.slice(i * N, i * N + N)),
  };
  return Object.fromEntries(used.map((v) => [v.name, all[v.name]]));
}

interface Prepared {
  readonly c: Case;
  readonly inputs: readonly VarExpr[];
  /** value, then grad and Hessian (scalar) or the Jacobian, with their names. */
  readonly outputs: readonly (readonly [string, Expr])[];
  readonly specs: readonly ModuleSpec[];
}

function prepare(c: Case): Prepared {
  const f = parseExpr(c.text, scope);
  const inputs = freeVars(f).sort((p, q) => p.name.localeCompare(q.name));
  const x = scope.vars.get('x')!;
  const spec = (name: string, value: Expr, grads: ModuleSpec['grads'] = []): ModuleSpec => ({
    name,
    title: name,
    value,
    grads,
    inputs,
  });
  if (c.kind === 'jacobian') {
    const j = jacobian(f, 'x', { scope });
    return {
      c,
      inputs,
      outputs: [
        ['value', f],
        ['jacobian', j],
      ],
      specs: [spec('f', f), spec('J', j)],
    };
  }
  const [g] = grad(f, ['x'], { scope });
  const h = hessian(f, 'x', { scope });
  return {
    c,
    inputs,
    outputs: [
      ['value', f],
      ['grad', g],
      ['hessian', h],
    ],
    specs: [spec('f', f, [{ wrt: x, expr: g }]), spec('H', h)],
  };
}

type Answers = Record<string, number[]>;

interface Run {
  readonly label: string;
  readonly reference: Answers;
  readonly backends: Record<string, Answers>;
}

/** One answer set per backend in the same names as the reference: value, grad, hessian / jacobian. */
async function runAll(prepared: readonly Prepared[]): Promise<Run[]> {
  const ts = await tsModules(prepared.flatMap((p) => p.specs));
  const jobs: PyJob[] = [];
  const slots: { p: Prepared; m: number; values: Rows; ts: (typeof ts)[number][] }[] = [];
  prepared.forEach((p, k) => {
    for (const m of MAGNITUDES) {
      const values = valuesAt(p.c, m, p.inputs);
      slots.push({ p, m, values, ts: [ts[2 * k], ts[2 * k + 1]] });
      jobs.push({ job: 'mpmath', code: p.c.code, values, kind: p.c.kind });
      jobs.push({
        job: 'numpy',
        source: toNumpyModule(p.specs[0]),
        calls: p.c.kind === 'scalar' ? ['value', 'grad_x'] : ['value'],
        values,
      });
      jobs.push({ job: 'numpy', source: toNumpyModule(p.specs[1]), calls: ['value'], values });
    }
  });
  const py = runPython(jobs);
  return slots.map(({ p, m, values, ts: [mod0, mod1] }, k) => {
    const [ref, np0, np1] = py.slice(3 * k, 3 * k + 3);
    const names = p.outputs.map(([n]) => n);
    const exprs = p.outputs.map(([, e]) => e);
    const byName = (rows: number[][]): Answers => Object.fromEntries(names.map((n, i) => [n, rows[i]]));
    const matrices = toMatrices(values);
    const tsRows =
      p.c.kind === 'scalar'
        ? [mod0.value(matrices), mod0.grad_x(matrices), mod1.value(matrices)]
        : [mod0.value(matrices), mod1.value(matrices)];
    const numpyRows = p.c.kind === 'scalar' ? [np0.value, np0.grad_x, np1.value] : [np0.value, np1.value];
    return {
      label: `${p.c.text} at magnitude ${m} (x = ${JSON.stringify(values.x)})`,
      reference: ref,
      backends: {
        interpreter: byName(interpreter(exprs, values)),
        'compile()': byName(compiled(exprs, values)),
        'TS module': byName(tsRows.map((r) => Array.from(r.data))),
        'NumPy module': byName(numpyRows),
      },
    };
  });
}

/** Largest float64 magnitude a reference may have to count as finite (with headroom for rounding). */
const FINITE = 1e300;
const RTOL = 1e-7;

/** The entries where a backend is not finite or differs from a finite reference, as messages. */
function disagreements(run: Run): string[] {
  const out: string[] = [];
  for (const [name, ref] of Object.entries(run.reference)) {
    const scale = Math.max(1, ...ref.filter((r) => Math.abs(r) < FINITE).map(Math.abs));
    for (const [backend, answers] of Object.entries(run.backends)) {
      const got = answers[name];
      if (!got || got.length !== ref.length) {
        out.push(`${backend} ${name}: ${got?.length ?? 'no'} entries, expected ${ref.length}`);
        continue;
      }
      ref.forEach((r, i) => {
        if (!(Math.abs(r) < FINITE)) return;
        const b = got[i];
        if (!Number.isFinite(b) || Math.abs(b - r) > RTOL * scale)
          out.push(`${backend} ${name}[${i}] = ${b}, reference ${r}`);
      });
    }
  }
  return out;
}

describe('extreme values: every backend is finite and agrees with mpmath at magnitudes 40, 800, 1000', () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await runAll(CASES.map(prepare));
  }, 120_000);

  it('covers every loss and map template and all three derivative kinds', () => {
    const texts = CASES.map((c) => c.text);
    expect(CASES.filter((c) => c.kind === 'scalar').length).toBeGreaterThan(20);
    expect(CASES.filter((c) => c.kind === 'jacobian').length).toBeGreaterThan(10);
    expect(texts.some((t) => t.includes('1 - sigmoid'))).toBe(true);
    expect(texts.some((t) => t.includes('A*x'))).toBe(true);
    expect(runs.length).toBe(CASES.length * MAGNITUDES.length);
  });

  it('the references are mostly finite (the test is not vacuous)', () => {
    const entries = runs.flatMap((r) => Object.values(r.reference).flat());
    const finite = entries.filter((e) => Math.abs(e) < FINITE);
    expect(finite.length / entries.length).toBeGreaterThan(0.95);
  });

  it('values, gradients, Hessians and Jacobians are finite and equal to the reference on every backend', () => {
    const failures = runs.flatMap((r) => disagreements(r).map((d) => `${r.label}: ${d}`));
    expect(failures.slice(0, 20), `${failures.length} disagreements`).toEqual([]);
  });

  it('the comparison can fail: a naive form is caught at magnitude 800', () => {
    const naive: Run = {
      label: 'log(1 + exp(x)) evaluated naively',
      reference: { value: [800] },
      backends: { naive: { value: [Math.log(1 + Math.exp(800))] } },
    };
    expect(disagreements(naive)).toHaveLength(1);
  });
});
