// The stable layer end to end: the README's logistic loss exported by `matcalc grad --format numpy|ts`,
// compile() and evaluate() at logits 40 and ±1000 against mpmath; norm at 1e300; det's gradient at
// diag(1e200, 1e200); NumPy gradients returned flat for flat inputs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { main } from '../../src/cli/main.js';
import type { Matrix } from '../../src/kernels/matrix.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { capture } from '../helpers/io.js';
import { compiled, interpreter, type Rows, toMatrices } from '../numeric/backends.js';

const LOSS = 'sum(-y .* log(sigmoid(X*w)) - (1 - y) .* log(1 - sigmoid(X*w)))';
const DECLS = 'X: n x d; w: d; y: n';

async function exported(format: 'numpy' | 'ts', expr: string, wrt: string, decls: string): Promise<string> {
  const io = capture();
  const code = await main(['grad', expr, '--wrt', wrt, '--let', decls, '--format', format], io);
  expect(code, io.stderr).toBe(0);
  return io.stdout;
}

function python(script: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
}

type TsModule = Record<string, (values: object) => Matrix>;

async function importTs(source: string): Promise<TsModule> {
  const file = join(mkdtempSync(join(tmpdir(), 'matcalc-stable-')), 'module.ts');
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as TsModule;
}

/** The logistic loss and its gradient at X = [[1], [1]], y = [0, 1], w = [logit], in mpmath (60 digits). */
function logisticReference(logits: readonly number[]): [number, number][] {
  return python(`
import json
from mpmath import mp, mpf, exp, log
mp.dps = 60
sig = lambda z: 1 / (1 + exp(-z))
out = []
for z in ${JSON.stringify(logits)}:
    z = mpf(z)
    # rows (x = 1, y = 0) and (x = 1, y = 1): -log(1 - σ(z)) - log σ(z); gradient σ(z) - 0 + σ(z) - 1
    out.append([float(-log(sig(-z)) - log(sig(z))), float(2 * sig(z) - 1)])
print(json.dumps(out))
`) as [number, number][];
}

const LOGITS = [40, 1000, -1000, 800];

describe("the README's logistic loss at large logits", () => {
  const reference = logisticReference(LOGITS);
  const values = (z: number): Rows => ({ X: [[1], [1]], w: [[z]], y: [[0], [1]] });

  it('the NumPy module from `matcalc grad --format numpy` is finite and exact', async () => {
    const source = await exported('numpy', LOSS, 'w', DECLS);
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-stable-py-'));
    writeFileSync(join(dir, 'loss.py'), source);
    const got = python(`
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
import numpy as np, loss
out = []
for z in ${JSON.stringify(LOGITS)}:
    X = np.array([[1.0], [1.0]]); y = np.array([0.0, 1.0])
    v, g = loss.value_and_grad(X=X, w=np.array([z]), y=y)
    out.append([float(loss.value(X=X, w=np.array([z]), y=y)), float(loss.grad_w(X=X, w=np.array([z]), y=y)[0]), float(v), float(g["w"][0])])
print(json.dumps(out))
`) as number[][];
    got.forEach(([v, g, v2, g2], k) => {
      expect(v, `value at logit ${LOGITS[k]}`).toBeCloseTo(reference[k][0], 9);
      expect(g, `gradient at logit ${LOGITS[k]}`).toBeCloseTo(reference[k][1], 12);
      expect([v2, g2]).toEqual([v, g]);
    });
  });

  it('the TS module from `matcalc grad --format ts` is finite and exact', async () => {
    const mod = await importTs(await exported('ts', LOSS, 'w', DECLS));
    LOGITS.forEach((z, k) => {
      const m = toMatrices(values(z));
      expect(mod.value(m).data[0], `value at logit ${z}`).toBeCloseTo(reference[k][0], 9);
      expect(mod.grad_w(m).data[0], `gradient at logit ${z}`).toBeCloseTo(reference[k][1], 12);
    });
  });

  it('compile() and evaluate() are finite and exact', () => {
    const scope = parseDecls(DECLS);
    const f = parseExpr(LOSS, scope);
    const [g] = grad(f, ['w'], { scope });
    LOGITS.forEach((z, k) => {
      for (const run of [compiled, interpreter]) {
        const [[v], [dw]] = run([f, g], values(z));
        expect(v, `value at logit ${z}`).toBeCloseTo(reference[k][0], 9);
        expect(dw, `gradient at logit ${z}`).toBeCloseTo(reference[k][1], 12);
      }
    });
  });
});

describe('norm and det where their naive forms overflow', () => {
  it('norm(x) and its gradient at x = (1e300, 1e300) on every backend', async () => {
    const expr = 'norm(x)';
    const scope = parseDecls('x: n');
    const f = parseExpr(expr, scope);
    const [g] = grad(f, ['x'], { scope });
    const at: Rows = { x: [[1e300], [1e300]] };
    const expected = [[Math.SQRT2 * 1e300], [Math.SQRT1_2, Math.SQRT1_2]];
    const ts = await importTs(await exported('ts', expr, 'x', 'x: n'));
    const m = toMatrices(at);
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-stable-py-'));
    writeFileSync(join(dir, 'norm_mod.py'), await exported('numpy', expr, 'x', 'x: n'));
    const np = python(`
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
import numpy as np, norm_mod
x = np.array([1e300, 1e300])
print(json.dumps([[float(norm_mod.value(x=x))], norm_mod.grad_x(x=x).tolist()]))
`);
    const backends = {
      interpreter: interpreter([f, g], at),
      'compile()': compiled([f, g], at),
      'TS module': [Array.from(ts.value(m).data), Array.from(ts.grad_x(m).data)],
      'NumPy module': np as number[][],
    };
    for (const [name, [[v], dx]] of Object.entries(backends)) {
      expect(v / expected[0][0], name).toBeCloseTo(1, 14);
      for (const [i, d] of dx.entries()) expect(d, name).toBeCloseTo(expected[1][i], 14);
    }
  });

  it("det's gradient adj(X)' and Jacobi's det(X)·X⁻ᵀ at diag(1e200, 1e200) are diag(1e200, 1e200), and match NumPy at an ordinary X", async () => {
    const scope = parseDecls('X: n x n');
    const f = parseExpr('det(X)', scope);
    const [g] = grad(f, ['X'], { scope });
    const jacobi = parseExpr("det(X)*inv(X)'", scope);
    const huge: Rows = {
      X: [
        [1e200, 0],
        [0, 1e200],
      ],
    };
    const ordinary: Rows = {
      X: [
        [2, -1, 0.5],
        [0.25, 3, 1],
        [-1, 0.5, 1.5],
      ],
    };
    const ts = await importTs(await exported('ts', 'det(X)', 'X', 'X: n x n'));
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-stable-py-'));
    writeFileSync(join(dir, 'det_mod.py'), await exported('numpy', 'det(X)', 'X', 'X: n x n'));
    const run = (at: Rows) =>
      python(`
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
import numpy as np, det_mod
X = np.array(${JSON.stringify(at.X)})
naive = np.linalg.det(X) * np.linalg.inv(X).T if np.all(np.abs(X) < 1e100) else np.zeros(X.shape)
print(json.dumps([det_mod.grad_X(X=X).reshape(-1).tolist(), naive.reshape(-1).tolist()]))
`) as number[][];
    for (const [at, expected] of [
      [huge, [1e200, 0, 0, 1e200]],
      [ordinary, run(ordinary)[1]],
    ] as const) {
      const got = {
        interpreter: interpreter([g], at)[0],
        'compile()': compiled([g], at)[0],
        'Jacobi product, interpreter': interpreter([jacobi], at)[0],
        'Jacobi product, compile()': compiled([jacobi], at)[0],
        'TS module': Array.from(ts.grad_X(toMatrices(at)).data),
        'NumPy module': run(at)[0],
      };
      for (const [name, entries] of Object.entries(got)) {
        expect(entries.length, name).toBe(expected.length);
        entries.forEach((e, i) => {
          expect(Number.isFinite(e), `${name} [${i}] = ${e}`).toBe(true);
          expect(Math.abs(e - expected[i]), `${name} [${i}]`).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(expected[i])),
          );
        });
      }
    }
  });
});

describe('NumPy modules return what they were given', () => {
  it('a flat (d,) variable gets a flat gradient, a (d, 1) column a column, in grad_<name> and value_and_grad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-stable-py-'));
    writeFileSync(join(dir, 'ls.py'), await exported('numpy', 'sum((X*w - y).^2)', 'w,y', DECLS));
    const shapes = python(`
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
import numpy as np, ls
X = np.arange(6.0).reshape(3, 2)
flat = dict(X=X, w=np.array([1.0, -2.0]), y=np.array([0.5, 1.0, 2.0]))
cols = dict(X=X, w=np.array([[1.0], [-2.0]]), y=np.array([[0.5], [1.0], [2.0]]))
mixed = dict(X=X, w=np.array([1.0, -2.0]), y=np.array([[0.5], [1.0], [2.0]]))
out = {}
for name, v in [("flat", flat), ("cols", cols), ("mixed", mixed)]:
    _, g = ls.value_and_grad(**v)
    out[name] = [list(ls.grad_w(**v).shape), list(ls.grad_y(**v).shape), list(g["w"].shape), list(g["y"].shape)]
out["same"] = bool(np.allclose(ls.grad_w(**flat), ls.grad_w(**cols).reshape(-1)))
print(json.dumps(out))
`);
    expect(shapes).toEqual({
      flat: [[2], [3], [2], [3]],
      cols: [
        [2, 1],
        [3, 1],
        [2, 1],
        [3, 1],
      ],
      mixed: [[2], [3, 1], [2], [3, 1]],
      same: true,
    });
  });
});
