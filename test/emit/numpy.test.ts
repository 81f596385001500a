// The NumPy and JAX module exports, executed by python3: each grad_<NAME> against central differences of
// value(), value_and_grad against both. JAX runs on the real package when installed, else on a NumPy
// stand-in of the few jax functions the module calls (which checks the module's logic, not jax itself).
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { toJaxModule } from '../../src/emit/jax.js';
import { toNumpyModule } from '../../src/emit/numpy.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { CASES, caseSpec } from './cases.js';
import { hasJax, type PythonReport, runPythonMany } from './python-driver.js';

const TOLERANCE = 1e-6;

function python(script: string): string {
  return execFileSync('python3', ['-c', script], { encoding: 'utf8' });
}

describe('NumPy module export', () => {
  let reports: PythonReport[] = [];
  beforeAll(() => {
    reports = runPythonMany(
      CASES.map((c, k) => {
        const spec = caseSpec(c);
        return {
          source: toNumpyModule(spec),
          inputs: spec.inputs,
          grads: c.wrt,
          seed: k + 1,
          flat: k % 2 === 1,
        };
      }),
    );
  });

  CASES.forEach((c, k) => {
    it(`${c.name}: gradients agree with central differences of value()`, () => {
      const report = reports[k];
      for (const w of c.wrt) expect(report.errors[w], `∂f/∂${w}`).toBeLessThan(TOLERANCE);
      expect(report.together).toBeLessThan(1e-12);
      expect(Number.isFinite(report.value)).toBe(true);
    });
  });

  it('evaluates Φ once where a function needs GELU and its derivative', () => {
    const c = CASES.find((x) => x.name.startsWith('GELU layer'))!;
    const text = toNumpyModule(caseSpec(c));
    const body = (name: string) => text.slice(text.indexOf(`def ${name}(`)).split('\n\n\n')[0];
    for (const f of ['value_and_grad', 'grad_W']) {
      expect(body(f).match(/_normcdf\(/g), f).toHaveLength(1);
      expect(body(f), f).not.toContain('_gelu_erf(');
    }
    // the value alone keeps the one-call GELU
    expect(body('value')).toContain('_gelu_erf(');
  });

  it('has the contract shape: numpy import, helpers, value and grad_<NAME> taking keyword arguments', () => {
    const text = toNumpyModule(caseSpec(CASES[1]));
    expect(text).toMatch(/^import numpy as np$/m);
    for (const h of [
      '_sigmoid',
      '_softplus',
      '_relu',
      '_step',
      '_softmax',
      '_logsoftmax',
      '_logsumexp',
      '_logdet',
    ]) {
      expect(text).toContain(`def ${h}(`);
    }
    expect(text).toContain('def value(**values):');
    expect(text).toContain('def grad_w(**values):');
    expect(text).toContain('def grad_lambda(**values):');
    // the keyword stays `lambda`; the local is safe
    expect(text).toContain('lambda_ = _arg(values, "lambda", (1, 1), _dims)');
  });

  it('computes a shared subexpression once, in a temporary', () => {
    const text = toNumpyModule(caseSpec(CASES[1]));
    const together = text.slice(text.indexOf('def value_and_grad'));
    expect(together).toMatch(/t\d+ = X @ w\n/);
    expect(together.match(/X @ w/g)).toHaveLength(1);
  });

  it('binds dims from the inputs and rejects missing, unknown and mis-sized arguments', () => {
    const dir = JSON.stringify(toNumpyModule(caseSpec(CASES[0])));
    const out = python(`
import numpy as np, types
m = types.ModuleType("m"); exec(${dir}, m.__dict__)
X = np.ones((4, 3)); w = np.ones((3, 1)); y = np.ones(4)
print(m.grad_w(X=X, w=w, y=y).shape)
for bad in [dict(X=X, w=w), dict(X=X, w=w, y=y, z=1), dict(X=X, w=np.ones((2, 1)), y=y), dict(X=X, w=w, y=np.ones((4, 2)))]:
    try:
        m.grad_w(**bad); print("accepted")
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
`);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('(3, 1)');
    expect(lines[1]).toMatch(/^TypeError missing keyword argument 'y'/);
    expect(lines[2]).toMatch(/^TypeError unexpected keyword argument\(s\) \['z'\]/);
    expect(lines[3]).toMatch(/^ValueError d is 3 elsewhere but 2 in w/);
    expect(lines[4]).toMatch(/^ValueError y is declared with 1/);
  });

  it('keeps a hostile title inside its docstring (no code runs from it)', () => {
    const spec = { ...caseSpec(CASES[0]), title: 'x """\nimport os; os._exit(7)\n"""' };
    const text = toNumpyModule(spec);
    const out = python(
      `import ast; t = ast.parse(${JSON.stringify(text)}); print(type(t.body[0].value.value).__name__, len([n for n in t.body if isinstance(n, ast.Import)]))`,
    );
    expect(out.trim()).toBe('str 1');
  });

  it('writes log(1 + exp(x)), log σ(x) and log Σ exp(x) in forms that do not overflow', () => {
    const scope = parseDecls('x: n');
    const f = parseExpr('sum(log(1 + exp(x))) + sum(log(sigmoid(-x))) + log(sum(exp(x)))', scope);
    const text = toNumpyModule({
      name: 'f',
      title: 'f',
      value: f,
      grads: [],
      inputs: [scope.vars.get('x')!],
    });
    expect(text).toContain('_softplus(x)');
    expect(text.slice(text.indexOf('_NAMES'))).not.toContain('np.log(');
    const out = python(`
import types
m = types.ModuleType("m"); exec(${JSON.stringify(text)}, m.__dict__)
print(float(m.value(x=[1000.0, -1000.0])))
`);
    // softplus(1000) + 0 − softplus(1000) − 0 + logsumexp(1000, −1000) = 1000, to rounding
    expect(Number(out)).toBeCloseTo(1000, 9);
  });

  it('is stable where the naive forms overflow: large logits give finite loss and gradients', () => {
    const spec = caseSpec(CASES[2]);
    const text = JSON.stringify(toNumpyModule(spec));
    const out = python(`
import numpy as np, types, json
m = types.ModuleType("m"); exec(${text}, m.__dict__)
X = np.array([[1000.0, -1000.0], [2.0, 3.0]]); W = np.eye(2) * 5; b = np.zeros(2); Y = np.eye(2)
v, g = m.value_and_grad(X=X, W=W, b=b, Y=Y)
print(json.dumps([bool(np.isfinite(v)), bool(np.all(np.isfinite(g["W"])))]))
`);
    expect(JSON.parse(out)).toEqual([true, true]);
  });
});

describe(`JAX module export (${hasJax() ? 'real jax' : 'jax missing: NumPy stand-in'})`, () => {
  let reports: PythonReport[] = [];
  beforeAll(() => {
    reports = runPythonMany(
      CASES.map((c, k) => {
        const spec = caseSpec(c);
        return { source: toJaxModule(spec), inputs: spec.inputs, grads: c.wrt, seed: k + 11, jax: true };
      }),
    );
  });

  CASES.forEach((c, k) => {
    it(`${c.name}: gradients agree with central differences of value()`, () => {
      const report = reports[k];
      for (const w of c.wrt) expect(report.errors[w], `∂f/∂${w}`).toBeLessThan(TOLERANCE);
      expect(report.together).toBeLessThan(1e-9);
    });
  });

  it('imports jax.numpy and calls no NumPy directly', () => {
    const text = toJaxModule(caseSpec(CASES[3]));
    expect(text).toMatch(/^import jax\.numpy as jnp$/m);
    expect(text).not.toMatch(/\bnp\./);
    expect(text).toContain('jnp.linalg.inv(');
  });

  it.runIf(hasJax())('value() is a 0-d array that jax.grad differentiates to the module gradient', () => {
    const spec = caseSpec(CASES[0]);
    const text = JSON.stringify(toJaxModule(spec));
    const out = python(`
import jax; jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp, numpy as np, types
m = types.ModuleType("m"); exec(${text}, m.__dict__)
X = np.arange(12.0).reshape(4, 3) / 10; w = np.ones((3, 1)); y = np.ones((4, 1))
g = jax.grad(lambda w: m.value(X=X, w=w, y=y))(jnp.asarray(w))
print(float(jnp.max(jnp.abs(g - m.grad_w(X=X, w=w, y=y)))))
`);
    expect(Number(out)).toBeLessThan(1e-9);
  });
});
