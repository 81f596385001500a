// What users load: the library (dist/index.js, dist/kernels/index.js) and the CLI (dist/cli/main.js), each one
// script-format bundle in dist/script/ (library.js, cli.js) with a V8 code cache made after a warm-up in a plain
// `node` child (library.cache, cli.cache; scripts/warm-up.ts), run through vm.Script by a small ES-module
// loader (scripts/load-library.ts, load-cli.ts). The entry files only re-export the loaded names.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

/** The script's own arguments; `"use strict"` keeps the ES-module semantics the sources were written for. */
const BANNER = '(function (exports, require, module, __filename, __dirname, __importMetaUrl) {"use strict";';

/**
 * KaTeX is read only by LaTeX verification and writeups: a stand-in that requires it on first use keeps its
 * 270 KB out of every start. Only the default import is used (`katex.renderToString`, `katex.__parse`).
 */
const lazyKatex: Plugin = {
  name: 'lazy-katex',
  setup(b) {
    b.onResolve({ filter: /^katex$/ }, (args) =>
      args.namespace === 'lazy-katex'
        ? { path: 'katex', external: true }
        : { path: 'katex', namespace: 'lazy-katex' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-katex' }, () => ({
      contents: `let real;
const load = () => (real ??= require('katex'));
export default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
      loader: 'js',
    }));
  },
};

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

/** A plain `node` with no flags from this process (tsx, NODE_OPTIONS): the flags users' node runs with. */
function plainNode(args: readonly string[], cwd: string, extra: Record<string, string> = {}): string {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.MATCALC_CODE_CACHE;
  return execFileSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
}

/**
 * `--no-sparkplug --no-turbofan --no-maglev|<their defaults>` for this node (read from `node --v8-options`), so
 * the warm-up can run in the interpreter only and put the flags back exactly; '|' when none is listed.
 */
function tierFlags(): string {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  const off: string[] = [];
  const on: string[] = [];
  for (const name of ['sparkplug', 'turbofan', 'maglev']) {
    const m = new RegExp(`^\\s+--${name} \\(.*\\n\\s+type: bool\\s+default: (--(?:no-)?${name})$`, 'm').exec(
      options,
    );
    if (!m) continue;
    off.push(`--no-${name}`);
    on.push(m[1]);
  }
  return `${off.join(' ')}|${on.join(' ')}`;
}

interface Context {
  readonly root: string;
  readonly dist: string;
  readonly external: readonly string[];
  readonly mathjs: string;
}

/** dist/script/NAME.js: `entry` (TypeScript exports) bundled as one function expression for vm.Script. */
async function scriptBundle(ctx: Context, name: string, entry: string): Promise<void> {
  const result = await build({
    absWorkingDir: ctx.root,
    stdin: { contents: entry, resolveDir: ctx.root, sourcefile: `${name}-entry.ts`, loader: 'ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    alias: { mathjs: ctx.mathjs },
    external: [...ctx.external],
    plugins: [lazyKatex],
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: BANNER },
    footer: { js: '})' },
    outfile: `${ctx.dist}script/${name}.js`,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  // vm.Script has no module loader: an import() left in the output would need one (bundled ones become inits).
  for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
    const dynamic = output.imports.filter((i) => i.kind === 'dynamic-import');
    if (dynamic.length > 0)
      throw new Error(`${file}: dynamic import of ${dynamic[0].path} in a script bundle`);
  }
}

async function esm(ctx: Context, entry: string, outfile: string, bundle: boolean): Promise<void> {
  await build({
    absWorkingDir: ctx.root,
    entryPoints: [entry],
    outfile,
    bundle,
    alias: { mathjs: ctx.mathjs },
    external: [...ctx.external],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

type Names = Record<string, string[]>;

/**
 * Runs the warm-up for `kind` and writes dist/script/NAME.cache; checks that a plain node accepts it, else makes
 * it again with tiering left on (see scripts/warm-up.ts). Returns the loaded export names and the cache status.
 */
function codeCache(
  ctx: Context,
  warmUp: string,
  kind: string,
  loader: string,
  name: string,
): [Names, string] {
  const cache = `${ctx.dist}script/${name}.cache`;
  const tiers = tierFlags();
  const run = (...mode: string[]): Names =>
    JSON.parse(
      plainNode([warmUp, kind, loader, cache, ...mode], ctx.root, { TIERS: tiers })
        .trim()
        .split('\n')
        .pop() ?? '',
    );
  const status = () =>
    plainNode(
      ['--input-type=module', '-e', `console.log((await import(${JSON.stringify(loader)})).cacheStatus)`],
      ctx.root,
    ).trim();
  let names = run();
  let verdict = status();
  if (verdict !== 'accepted') {
    names = run('--tiering');
    verdict = `${status()} (made with tiering on)`;
  }
  if (!verdict.startsWith('accepted'))
    console.warn(`build: warning: the fresh ${name} code cache was not accepted`);
  return [names, verdict];
}

function reexports(from: string, what: string, names: readonly string[]): string {
  return `// Generated by scripts/script-bundles.ts: the ${what} exports, from the one loaded instance.
import { ${what.split('.')[0]} } from '${from}';
export const { ${names.join(', ')} } = ${what};
`;
}

function report(ctx: Context, label: string, name: string, verdict: string): void {
  const size = (f: string) => kb(statSync(`${ctx.dist}script/${f}`).size);
  console.log(
    `build: ${label} over dist/script/${name}.js ${size(`${name}.js`)}: V8 code cache ${size(`${name}.cache`)}, ${verdict} by this node`,
  );
}

export async function buildScriptBundles(
  root: string,
  external: readonly string[],
  mathjs: string,
): Promise<void> {
  const ctx: Context = { root, dist: `${root}dist/`, external, mathjs };
  await scriptBundle(
    ctx,
    'library',
    `export * as index from './src/index.ts';\nexport * as kernels from './src/kernels/index.ts';`,
  );
  await scriptBundle(ctx, 'cli', `export * from './src/cli/main.ts';`);
  await esm(ctx, 'scripts/load-library.ts', `${ctx.dist}script/load.js`, true);
  await esm(ctx, 'scripts/load-cli.ts', `${ctx.dist}script/cli-load.js`, true);
  const warmUp = `${ctx.dist}script/.warm-up.mjs`;
  await esm(ctx, 'scripts/warm-up.ts', warmUp, true);
  try {
    const [lib, libVerdict] = codeCache(ctx, warmUp, 'library', `${ctx.dist}script/load.js`, 'library');
    mkdirSync(`${ctx.dist}kernels`, { recursive: true });
    writeFileSync(`${ctx.dist}index.js`, reexports('./script/load.js', 'library.index', lib.index));
    writeFileSync(
      `${ctx.dist}kernels/index.js`,
      reexports('../script/load.js', 'library.kernels', lib.kernels),
    );
    report(ctx, 'library (dist/index.js, dist/kernels/index.js)', 'library', libVerdict);
    const [cli, cliVerdict] = codeCache(ctx, warmUp, 'cli', `${ctx.dist}script/cli-load.js`, 'cli');
    mkdirSync(`${ctx.dist}cli`, { recursive: true });
    writeFileSync(
      `${ctx.dist}cli/main.js`,
      `#!/usr/bin/env node\n${reexports('../script/cli-load.js', 'cli', cli.cli)}`,
    );
    report(ctx, 'CLI (dist/cli/main.js)', 'cli', cliVerdict);
  } finally {
    rmSync(warmUp, { force: true });
  }
}
