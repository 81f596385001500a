import { CASES, caseSpec } from './test/emit/cases.js';
import { toNumpyModule } from './src/emit/numpy.js';
import { toTsModule } from './src/emit/ts-module.js';
const c = CASES.find((c) => c.name.startsWith(process.argv[2]))!;
const out = process.argv[3] === 'ts' ? toTsModule(caseSpec(c)) : toNumpyModule(caseSpec(c));
console.log(out.slice(out.indexOf(process.argv[3] === 'ts' ? '/** f,' : '_NAMES')));
