// Every backend evaluating the same expressions at the same values, for tests that compare them: the
// interpreter (evaluateAll), compile(), TS modules (one file, one namespace per module, imported) and NumPy
// modules plus mpmath references (all in one python3 process). Non-finite numbers cross JSON as strings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluateAll } from '../../src/api.js';
import { compile } from '../../src/emit/js.js';
import type { ModuleSpec } from '../../src/emit/numpy.js';
import { toNumpyModule } from '../../src/emit/numpy.js';
import { toTsModule } from '../../src/emit/ts-module.js';
import type { Expr } from '../../src/ir/expr.js';
import type { Matrix } from '../../src/kernels/matrix.js';

/** Values by name: a number or an array of rows (column vectors as n×1 rows). */
export type Rows = Record<string, number | number[][]>;

/** A matrix's entries, row-major. */
export const entries = (m: Matrix): number[] => Array.from(m.data);

export function toMatrices(values: Rows): Record<string, Matrix> {
  const out: Record<string, Matrix> = {};
  for (const [name, v] of Object.entries(values)) {
    const rows = typeof v === 'number' ? [[v]] : v;
    out[name] = { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
  }
  return out;
}

export const interpreter = (exprs: readonly Expr[], values: Rows): number[][] =>
  evaluateAll(exprs, toMatrices(values)).map(entries);

export const compiled = (exprs: readonly Expr[], values: Rows): number[][] =>
  compile(exprs, { copyOutputs: true })(toMatrices(values)).map(entries);

type TsFn = (values: object) => Matrix;

/** Write the modules into one TS file (namespace m0, m1, …) and import it: module k → its functions. */
export async function tsModules(specs: readonly ModuleSpec[]): Promise<Record<string, TsFn>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-extreme-ts-'));
  const file = join(dir, 'modules.ts');
  const text = specs.map((s, k) => `export namespace m${k} {\n${toTsModule(s)}\n}`).join('\n');
  writeFileSync(file, text);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, Record<string, TsFn>>;
  return specs.map((_, k) => mod[`m${k}`]);
}

/** Reference helpers for mpmath at 40 digits: the naive formulas are exact there. */
const MPMATH = `
import json, sys, types
import numpy as np
from mpmath import mp, mpf, exp, log, sqrt
mp.dps = 40

def sig(t): return 1 / (1 + exp(-t))
def sp(t): return log(1 + exp(t))
def V(f, U): return [f(t) for t in U]
def S(U): return sum(U)
def lse(U): return log(sum(exp(t) for t in U))
def smax(U):
    s = sum(exp(t) for t in U)
    return [exp(t) / s for t in U]
def nrm(U): return sqrt(sum(t * t for t in U))
def mv(A, x): return [sum(A[i][j] * x[j] for j in range(len(x))) for i in range(len(A))]
def add(a, b): return [p + q for p, q in zip(a, b)]
def sub(a, b): return [p - q for p, q in zip(a, b)]
def scale(c, a): return [c * p for p in a]
def col(v): return [r[0] for r in v]
def enc(v):
    v = float(v)
    return v if np.isfinite(v) else repr(v)

def reference(code, values, kind):
    env = {k: (mpf(v) if isinstance(v, (int, float)) else (col([[mpf(e) for e in r] for r in v]) if len(v[0]) == 1 else [[mpf(e) for e in r] for r in v])) for k, v in values.items()}
    x0 = env["x"]
    n = len(x0)
    f = eval("lambda x, env: " + code)
    def at(*xs): return f(list(xs), env)
    out = {"value": [enc(e) for e in (at(*x0) if kind == "jacobian" else [at(*x0)])]}
    if kind == "jacobian":
        out["jacobian"] = [enc(mp.diff(lambda *xs: at(*xs)[i], x0, tuple(1 if k == j else 0 for k in range(n)))) for i in range(n) for j in range(n)]
    else:
        out["grad"] = [enc(mp.diff(at, x0, tuple(1 if k == j else 0 for k in range(n)))) for j in range(n)]
        h = {(i, j): mp.diff(at, x0, tuple((k == i) + (k == j) for k in range(n))) for i in range(n) for j in range(i, n)}
        out["hessian"] = [enc(h[min(i, j), max(i, j)]) for i in range(n) for j in range(n)]
    return out

def numpy_run(source, calls, values):
    m = types.ModuleType("generated")
    exec(source, m.__dict__)
    vals = {k: (float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)) for k, v in values.items()}
    with np.errstate(all="ignore"):
        return {c: [enc(e) for e in np.asarray(getattr(m, c)(**vals), dtype=float).reshape(-1)] for c in calls}

jobs = json.loads(sys.stdin.read())
print(json.dumps([reference(j["code"], j["values"], j["kind"]) if j["job"] == "mpmath" else numpy_run(j["source"], j["calls"], j["values"]) for j in jobs]))
`;

export type PyJob =
  | {
      readonly job: 'mpmath';
      readonly code: string;
      readonly values: Rows;
      readonly kind: 'scalar' | 'jacobian';
    }
  | {
      readonly job: 'numpy';
      readonly source: string;
      readonly calls: readonly string[];
      readonly values: Rows;
    };

const decode = (v: number | string): number =>
  typeof v === 'number' ? v : Number(v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : -Infinity);

/** Run all jobs in one python3 process: each answer maps a name (value, grad, grad_x, …) to entries. */
export function runPython(jobs: readonly PyJob[]): Record<string, number[]>[] {
  const out = execFileSync('python3', ['-c', MPMATH], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const raw = JSON.parse(out) as Record<string, (number | string)[]>[];
  return raw.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map(decode)])));
}

export { toNumpyModule };
