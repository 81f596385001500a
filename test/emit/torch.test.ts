// The PyTorch export: each model's torch.autograd.Function passes torch.autograd.gradcheck (finite
// differences in float64, torch's own) at two sets of sizes, and called on float32 tensors returns float32
// gradients close to the float64 ones. Runs where a python3 with torch exists (Debian's python3-torch,
// which .ci/run installs); the probe tries `python3`, then /usr/bin/python3.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/api.js';
import { expandDerivatives } from '../../src/diff/expand.js';
import { toTorchModule } from '../../src/emit/torch.js';
import { dimValue } from '../../src/ir/dim.js';
import {
  buildModel,
  conv1d,
  convNet,
  elmanRnn,
  embedding,
  gaussianProcess,
  gru,
  layerNorm,
  logisticRegression,
  type Model,
  mlp,
  multiHeadAttention,
  transformerBlock,
  vae,
} from '../../src/models/index.js';
import { sizesFor } from './python-driver.js';

function torchPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
      return py;
    } catch {}
  }
  return null;
}
const python = torchPython();

const MODELS: readonly (readonly [string, () => Model])[] = [
  ['logistic regression', () => logisticRegression()],
  ['MLP d-h-k tanh', () => mlp({ layers: ['d', 'h', 'k'], activation: 'tanh' })],
  ['layer norm', () => layerNorm()],
  ['causal 2-head attention', () => multiHeadAttention({ heads: 2, causal: true })],
  ['transformer block', () => transformerBlock({ heads: 1 })],
  ['GRU, 2 steps', () => gru({ steps: 2 })],
  ['causal convolution', () => conv1d()],
  ['VAE', () => vae()],
  ['Elman RNN, 2 steps', () => elmanRnn({ steps: 2 })],
  ['conv net', () => convNet({ width: 2 })],
  ['embedding classifier', () => embedding()],
  ['Gaussian process NLML', () => gaussianProcess()],
  [
    'GELU layer',
    () =>
      buildModel({
        title: 'GELU layer',
        decls: ['X: n x d', 'W: d x h', 'Y: n x h'],
        defs: [['L', 'sum((gelu_erf(X*W) - Y).^2)/2']],
        params: ['W', 'X'],
      }),
  ],
];

/** The GELU layer written by hand in torch: autograd of it is the reference for the exported backward. */
const BACKWARD_DRIVER = `
import importlib.util, json, math, sys
import numpy as np
import torch
spec = json.loads(sys.stdin.read())
loader = importlib.util.spec_from_file_location("gelu", spec["module"])
mod = importlib.util.module_from_spec(loader)
loader.loader.exec_module(mod)
rng = np.random.default_rng(3)
X, W, Y = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
def tensors():
    return [torch.tensor(a, requires_grad=n in ("X", "W")) for n, a in zip(mod._NAMES, [{"X": X, "W": W, "Y": Y}[n] for n in mod._NAMES])]
ref = tensors()
x, w, y = (ref[mod._NAMES.index(n)] for n in "XWY")
L = ((0.5 * (x @ w) * (1 + torch.erf((x @ w) / math.sqrt(2))) - y) ** 2).sum() / 2
gx, gw = torch.autograd.grad(L, [x, w])
mine = tensors()
loss = mod.LFunction.apply(*mine)
# a scaled backward through a retained graph, then a plain one: the gradients accumulate 3 + 1 = 4 times
(3 * loss).backward(retain_graph=True)
loss.backward()
mx, mw = (mine[mod._NAMES.index(n)].grad for n in "XW")
err = max(float((mx - 4 * gx).abs().max() / gx.abs().max()), float((mw - 4 * gw).abs().max() / gw.abs().max()))
print(json.dumps({"err": err, "value": abs(float(loss) - float(L))}))
`;

const DRIVER = `
import importlib.util, json, sys
import numpy as np
import torch
specs = json.loads(sys.stdin.read())
out = []
for spec in specs:
    loader = importlib.util.spec_from_file_location(spec["id"], spec["module"])
    mod = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(mod)
    rng = np.random.default_rng(spec["seed"])
    def sample(v):
        r, c, kind = v["rows"], v["cols"], v["kind"]
        if kind == "onehot":
            a = np.zeros((r, c)); a[np.arange(r), rng.integers(0, c, size=r)] = 1.0
            return a
        if kind == "positive":
            return rng.uniform(0.5, 2.0, size=(r, c))
        return rng.normal(size=(r, c))
    arrays = [sample(v) for v in spec["inputs"]]
    grads = set(spec["grads"])
    t64 = [torch.tensor(a, dtype=torch.float64, requires_grad=v["name"] in grads) for a, v in zip(arrays, spec["inputs"])]
    ok = bool(torch.autograd.gradcheck(mod.LFunction.apply, tuple(t64), eps=1e-6, atol=1e-5, rtol=1e-4))
    t32 = [torch.tensor(a, dtype=torch.float32, requires_grad=v["name"] in grads) for a, v in zip(arrays, spec["inputs"])]
    loss32 = mod.LFunction.apply(*t32)
    loss32.backward()
    loss64 = mod.LFunction.apply(*t64)
    g64 = torch.autograd.grad(loss64, [t for t in t64 if t.requires_grad])
    g32 = [t.grad for t in t32 if t.requires_grad]
    worst = max(float((a.double() - b).abs().max() / (1 + b.abs().max())) for a, b in zip(g32, g64))
    out.append({"gradcheck": ok, "dtype": str(loss32.dtype), "float32_vs_float64": worst})
print(json.dumps(out))
`;

/** The PyTorch module of a model's loss and its gradients, as `matcalc export --to torch` writes it. */
function torchModuleOf(m: ReturnType<(typeof MODELS)[number][1]>): string {
  const wrt = m.params.map((p) => m.scope.vars.get(p)!);
  const gs = grad(m.loss, wrt);
  return toTorchModule({
    name: 'L',
    title: m.title,
    value: expandDerivatives(m.loss),
    grads: wrt.map((v, i) => ({ wrt: v, expr: gs[i] })),
    inputs: [...m.scope.vars.values()],
  });
}

describe.skipIf(python === null)(
  'PyTorch export (torch.autograd.Function with the symbolic backward)',
  () => {
    it('scales by the incoming gradient and survives a second backward through a retained graph', () => {
      const m = MODELS.find(([name]) => name === 'GELU layer')![1]();
      const module = join(mkdtempSync(join(tmpdir(), 'matcalc-torch-')), 'gelu.py');
      writeFileSync(module, torchModuleOf(m));
      const r = JSON.parse(
        execFileSync(python!, ['-c', BACKWARD_DRIVER], {
          input: JSON.stringify({ module }),
          encoding: 'utf8',
        }),
      ) as { err: number; value: number };
      expect(r.err).toBeLessThan(1e-12);
      expect(r.value).toBeLessThan(1e-12);
    });

    it('passes torch.autograd.gradcheck for every model at two sets of sizes, and runs in float32', () => {
      const dir = mkdtempSync(join(tmpdir(), 'matcalc-torch-'));
      const specs = MODELS.flatMap(([, build], k) => {
        const m = build();
        const inputs = [...m.scope.vars.values()];
        const module = join(dir, `model${k}.py`);
        writeFileSync(module, torchModuleOf(m));
        return [2, 3].map((base) => {
          const dims = sizesFor(inputs, base);
          return {
            id: `model${k}_${base}`,
            module,
            seed: 10 * k + base,
            grads: m.params,
            inputs: inputs.map((v) => ({
              name: v.name,
              rows: dimValue(v.shape.rows, dims),
              cols: dimValue(v.shape.cols, dims),
              kind: v.qualifiers.includes('onehot')
                ? 'onehot'
                : v.qualifiers.includes('positive')
                  ? 'positive'
                  : 'any',
            })),
          };
        });
      });
      const reports = JSON.parse(
        execFileSync(python!, ['-c', DRIVER], { input: JSON.stringify(specs), encoding: 'utf8' }),
      ) as { gradcheck: boolean; dtype: string; float32_vs_float64: number }[];
      reports.forEach((r, i) => {
        const name = `${MODELS[Math.floor(i / 2)][0]} (${specs[i].id})`;
        expect(r.gradcheck, name).toBe(true);
        expect(r.dtype, name).toBe('torch.float32');
        expect(r.float32_vs_float64, name).toBeLessThan(1e-4);
      });
    });
  },
);
