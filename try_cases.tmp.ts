import { CASES, caseSpec } from './test/emit/cases.js';
import { toNumpyModule } from './src/emit/numpy.js';
import { toJaxModule } from './src/emit/jax.js';
import { runPython } from './test/emit/python-driver.js';
for (const c of CASES) {
  try {
    const spec = caseSpec(c);
    const r = runPython(toNumpyModule(spec), spec.inputs, c.wrt);
    const j = runPython(toJaxModule(spec), spec.inputs, c.wrt, { jax: true, flat: true, seed: 2 });
    console.log(c.name, JSON.stringify(r.errors), r.together, JSON.stringify(j.errors));
  } catch (e) { console.log(c.name, 'ERROR', String(e).slice(0, 1500)); }
}
