import * as M from './src/models/index.js';
import { check } from './src/api.js';
for (const [name, m] of [['relu2', M.mlp({ layers: ['d', 'h', 'k'] })], ['relu3', M.mlp({ layers: ['d', 'h', 'g', 'k'] })], ['relu3sq', M.mlp({ layers: ['d', 'h', 'g', 'k'], loss: 'squared' })], ['relu-single', M.mlp({ layers: ['d', 'h', 'g', 'k'], batch: false })]] as const) {
  let fails = 0;
  const t0 = Date.now();
  for (let seed = 1; seed <= 100; seed++) if (!check(m.loss, m.params, { scope: m.scope, trials: 2, seed }).ok) fails++;
  console.log(name, 'fails', fails, '/100', Date.now() - t0, 'ms');
}
