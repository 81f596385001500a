// The build that `npm ci` (prepare), `npm run build` and `npm start` run: type declarations from tsc, then
// esbuild bundles — the CLI and the library as a few tree-shaken ES-module files (commands and the writeup
// libraries in chunks loaded on demand), and the playground as one self-contained page (scripts/playground.ts).
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { buildLibraryScript } from './library-script.js';
import { buildPlayground } from './playground.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** mathjs's factory files alone: its main entry creates every function at import, which matcalc never uses. */
export const MATHJS_FACTORIES = `${ROOT}node_modules/mathjs/lib/esm/factoriesAny.js`;

/** Dependencies loaded at run time from node_modules, and only by the commands that need them. */
const EXTERNAL = ['katex', 'markdown-it', '@viz-js/viz'];

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  alias: { mathjs: MATHJS_FACTORIES },
  external: EXTERNAL,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

async function bundle(name: string, options: BuildOptions): Promise<void> {
  const result = await build({ ...common, ...options });
  const outputs = Object.entries(result.metafile?.outputs ?? {});
  const total = outputs.reduce((s, [, o]) => s + o.bytes, 0);
  console.log(`build: ${name}: ${outputs.length} files, ${kb(total)}`);
}

export async function buildAll(): Promise<void> {
  rmSync(`${ROOT}dist`, { recursive: true, force: true });
  execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // tsc's per-file JavaScript is replaced by the bundles; its declarations stay (the package's types).
  for (const file of readdirSync(`${ROOT}dist`, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.js')) rmSync(`${ROOT}dist/${file}`);
  }
  await bundle('CLI (dist/cli/main.js)', { entryPoints: ['src/cli/main.ts'], outdir: 'dist/cli' });
  await buildLibraryScript(ROOT, common, MATHJS_FACTORIES);
  await buildPlayground(ROOT);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAll();
}
