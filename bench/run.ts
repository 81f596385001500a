// npm run bench: every benchmark, each in its own process (clean heap, honest peak memory), tables in order.
// Numbers are measured, never asserted; pass names to run a subset: `npm run bench -- derive simplify`.
// dist/ is built first (`npm run build`, a few seconds), since several benches time the installed library.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = [
  'cli',
  'playground',
  'derive',
  'simplify',
  'symbolic',
  'stages',
  'memory',
  'gemm',
  'codegen',
  'limits',
  'models',
  'hessian',
];
const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let failed = 0;
const built = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) {
  console.log('npm run build failed: the benches that time dist/ would time a stale build');
  failed++;
}
for (const name of picked.length > 0 ? picked : ALL) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file)) {
    console.log(`\n## ${name}: no ${file}`);
    continue;
  }
  console.log(`\n## bench/${name}.ts\n`);
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      // Node 20 validates relaxed-SIMD FMA only behind this flag (later Node versions ship it); the gemm
      // benches say which multiply-add they ran
      ...(name === 'gemm' || name === 'codegen' ? ['--experimental-wasm-relaxed-simd'] : []),
      '--import',
      'tsx',
      file,
      ...(name === 'gemm' ? ['--quick'] : []),
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
