import { grad } from './src/api.js';
import { parseDecls, parseExpr } from './src/parse/index.js';
import { toTsModule } from './src/emit/ts-module.js';
const scope = parseDecls(process.argv[3]);
const f = parseExpr(process.argv[2], scope);
const wrt = process.argv[4].split(',');
const gs = grad(f, wrt, { scope });
const spec = { value: f, grads: wrt.map((w, k) => ({ wrt: scope.vars.get(w)!, expr: gs[k] })), inputs: [...scope.vars.values()], title: `f = ${process.argv[2]}` };
console.log(toTsModule(spec));
