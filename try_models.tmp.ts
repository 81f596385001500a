import * as M from './src/models/index.js';
import { check, grad } from './src/api.js';
import { toText } from './src/emit/text.js';
const models = [M.linearRegression(), M.ridgeRegression(), M.logisticRegression(), M.softmaxRegression(), M.mlp({ layers: ['d', 'h', 'k'] }), M.mlp({ layers: [5, 4, 3, 2], activation: 'tanh', loss: 'squared', batch: false }), M.mlp({ layers: [784, 256, 10] }), M.layerNorm(), M.attention()];
for (const m of models) {
  const t0 = Date.now();
  const r = check(m.loss, m.params, { scope: m.scope, trials: 2, seed: 1 });
  console.log(m.title, r.ok, r.perVariable.map((p) => `${p.variable}:${p.relError.toExponential(1)}`).join(' '), 'proj', r.projectionError.toExponential(1), Date.now() - t0, 'ms');
}
const m = M.mlp({ layers: ['d', 'h', 'k'] });
console.log(m.source);
grad(m.loss, m.params, { scope: m.scope }).forEach((g, k) => console.log(m.params[k], '=', toText(g)));
