// The build that `npm ci` (prepare), `npm run build` and `npm start` run: type declarations from tsc, then
// esbuild bundles — the CLI and the library as one script each with a V8 code cache (scripts/script-bundles.ts;
// commands and the writeup libraries initialised on demand), and the playground as one self-contained page
// (scripts/playground.ts).
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPlayground } from './playground.js';
import { buildScriptBundles } from './script-bundles.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** mathjs's factory files alone: its main entry creates every function at import, which matcalc never uses. */
export const MATHJS_FACTORIES = `${ROOT}node_modules/mathjs/lib/esm/factoriesAny.js`;

/** Dependencies loaded at run time from node_modules, and only by the commands that need them. */
const EXTERNAL = ['katex', 'markdown-it', '@viz-js/viz'];

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
  await buildScriptBundles(ROOT, EXTERNAL, MATHJS_FACTORIES);
  await buildPlayground(ROOT);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAll();
}
