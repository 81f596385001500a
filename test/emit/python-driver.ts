// Runs a generated NumPy or JAX module under python3: random inputs of the declared shapes, each
// grad_<NAME> against central differences of value(), and value_and_grad against both. When the real
// `jax` is missing, a JAX module can run over a stand-in package built on NumPy (`shim: true`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dimValue } from '../../src/ir/dim.js';
import type { VarExpr } from '../../src/ir/expr.js';

export interface PythonReport {
  /** Largest |grad − finite difference| / max(1, |finite difference|) per variable. */
  readonly errors: Record<string, number>;
  /** Largest difference between value_and_grad and value / grad_<NAME>. */
  readonly together: number;
  readonly value: number;
}

const DRIVER = `
import importlib.util, json, sys
specs = json.loads(sys.stdin.read())
if any(spec.get("x64") for spec in specs):
    import jax
    jax.config.update("jax_enable_x64", True)
import numpy as np

def run(spec):
    loader = importlib.util.spec_from_file_location(spec["id"], spec["module"])
    mod = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(mod)
    rng = np.random.default_rng(spec["seed"])

    def sample(rows, cols, kind):
        if kind == "spd":
            a = rng.normal(size=(rows, rows))
            return a @ a.T / rows + np.eye(rows)
        if kind == "onehot":
            out = np.zeros((rows, cols))
            out[np.arange(rows), rng.integers(0, cols, size=rows)] = 1.0
            return out
        if kind == "positive":
            return rng.uniform(0.3, 2.0, size=(rows, cols))
        x = rng.uniform(0.2, 1.5, size=(rows, cols)) * rng.choice([-1.0, 1.0], size=(rows, cols))
        return (x + x.T) / 2 if kind == "symmetric" else x

    values = {}
    for inp in spec["inputs"]:
        x = sample(inp["rows"], inp["cols"], inp["kind"])
        if inp["rows"] == 1 and inp["cols"] == 1:
            values[inp["name"]] = float(x[0, 0])
        elif inp["cols"] == 1 and spec.get("flat"):
            values[inp["name"]] = x[:, 0].copy()
        else:
            values[inp["name"]] = x

    def f(vals):
        return float(np.asarray(mod.value(**vals)))

    errors = {}
    grads = {}
    for name in spec["grads"]:
        g = np.asarray(getattr(mod, "grad_" + name)(**values), dtype=float)
        grads[name] = g
        x = np.array(values[name], dtype=float)
        if x.size != g.size or (x.ndim == 2 and x.shape != g.shape):
            raise SystemExit(f"grad_{name} has shape {g.shape}, expected {x.shape}")
        x = x.reshape(g.shape)
        worst = 0.0
        for idx in np.ndindex(*x.shape):
            h = 1e-5 * max(1.0, abs(x[idx]))
            xp = x.copy(); xp[idx] += h
            xm = x.copy(); xm[idx] -= h
            num = (f({**values, name: xp}) - f({**values, name: xm})) / (2 * h)
            worst = max(worst, abs(g[idx] - num) / max(1.0, abs(num)))
        errors[name] = worst
    v, gs = mod.value_and_grad(**values)
    together = abs(float(np.asarray(v)) - f(values))
    for name, g in gs.items():
        together = max(together, float(np.max(np.abs(np.asarray(g) - grads[name]))))
    return {"errors": errors, "together": together, "value": f(values)}

print(json.dumps([run(spec) for spec in specs]))
`;

const SHIM: Readonly<Record<string, string>> = {
  'jax/__init__.py': 'from . import numpy, nn, scipy\n',
  'jax/numpy/__init__.py': 'from numpy import *\nfrom numpy import linalg\n',
  'jax/nn/__init__.py': `import numpy as _np
def sigmoid(x): return 1 / (1 + _np.exp(-x))
def softplus(x): return _np.logaddexp(0.0, x)
def relu(x): return _np.maximum(x, 0.0)
def log_softmax(x, axis=-1):
    m = _np.max(x, axis=axis, keepdims=True)
    return x - m - _np.log(_np.sum(_np.exp(x - m), axis=axis, keepdims=True))
def softmax(x, axis=-1): return _np.exp(log_softmax(x, axis))
def gelu(x, approximate=True):
    import math
    if approximate:
        return 0.5 * x * (1 + _np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + _np.vectorize(math.erf)(x / math.sqrt(2)))
`,
  'jax/scipy/__init__.py': 'from . import special, stats\n',
  'jax/scipy/stats/__init__.py': 'from . import norm\n',
  'jax/scipy/stats/norm.py': `import math
import numpy as _np
def cdf(x): return 0.5 * (1 + _np.vectorize(math.erf)(x / math.sqrt(2)))
def pdf(x): return _np.exp(-x * x / 2) / math.sqrt(2 * math.pi)
`,
  'jax/scipy/special.py': `import math
import numpy as _np
def erf(x): return _np.vectorize(math.erf)(x)
def logsumexp(a, axis=None, keepdims=False):
    m = _np.max(a, axis=axis, keepdims=True)
    out = m + _np.log(_np.sum(_np.exp(a - m), axis=axis, keepdims=True))
    return out if keepdims else _np.squeeze(out, axis=axis)
`,
};

let jaxPresent: boolean | undefined;

export function hasJax(): boolean {
  if (jaxPresent === undefined) {
    try {
      execFileSync('python3', ['-c', 'import jax'], { stdio: 'ignore' });
      jaxPresent = true;
    } catch {
      jaxPresent = false;
    }
  }
  return jaxPresent;
}

/** Distinct small sizes for the symbols of the inputs' shapes. */
export function sizesFor(inputs: readonly VarExpr[], base = 2): Map<string, number> {
  const dims = new Map<string, number>();
  for (const v of inputs) {
    for (const d of [v.shape.rows, v.shape.cols]) {
      for (const [s] of d.factors) if (!dims.has(s)) dims.set(s, base + dims.size);
    }
  }
  return dims;
}

export interface RunOptions {
  readonly seed?: number;
  /** Pass column vectors as flat arrays. */
  readonly flat?: boolean;
  /** A JAX module: real jax with float64 when present, else the NumPy stand-in. */
  readonly jax?: boolean;
  readonly dims?: ReadonlyMap<string, number>;
}

export interface Job extends RunOptions {
  readonly source: string;
  readonly inputs: readonly VarExpr[];
  readonly grads: readonly string[];
}

/** Write each module to a temp dir and run the driver over all of them in one python3 process. */
export function runPythonMany(jobs: readonly Job[]): PythonReport[] {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-py-'));
  const shim = jobs.some((j) => j.jax) && !hasJax();
  if (shim) {
    for (const [path, text] of Object.entries(SHIM)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  }
  const kind = (v: VarExpr) =>
    v.qualifiers.find((q) => q !== 'positive') ?? (v.qualifiers.includes('positive') ? 'positive' : 'signed');
  const specs = jobs.map((job, k) => {
    const module = join(dir, `generated${k}.py`);
    writeFileSync(module, job.source);
    const dims = job.dims ?? sizesFor(job.inputs);
    return {
      id: `generated${k}`,
      module,
      seed: job.seed ?? 1,
      flat: job.flat ?? false,
      x64: Boolean(job.jax) && !shim,
      grads: job.grads,
      inputs: job.inputs.map((v) => ({
        name: v.name,
        rows: dimValue(v.shape.rows, dims),
        cols: dimValue(v.shape.cols, dims),
        kind: kind(v),
      })),
    };
  });
  const out = execFileSync('python3', ['-c', DRIVER], {
    input: JSON.stringify(specs),
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, PYTHONPATH: shim ? dir : (process.env.PYTHONPATH ?? '') },
  });
  return JSON.parse(out) as PythonReport[];
}

export function runPython(
  source: string,
  inputs: readonly VarExpr[],
  grads: readonly string[],
  opts: RunOptions = {},
): PythonReport {
  return runPythonMany([{ ...opts, source, inputs, grads }])[0];
}
