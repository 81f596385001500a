// Builds docs/playground/: index.html holding everything inline — the page script and the worker source
// (classic scripts, so the page works from file://), the styles, KaTeX's CSS with its woff2 fonts as data
// URIs — and viz.js (Graphviz, loaded by the page only when the graph is opened). Prints the weights.
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The page's budget: everything index.html holds, uncompressed. */
const BUDGET = 1.5 * 1024 * 1024;

async function iife(root: string, entry: string, alias: Record<string, string>): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    alias,
  });
  // Inside an inline <script>, only `</script` could end it early; `<\/` means the same in JS strings.
  return result.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
}

/** KaTeX's stylesheet with each font face reduced to its woff2 file, inlined. */
function katexCss(root: string): string {
  const dist = join(root, 'node_modules/katex/dist');
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  return css.replace(/src:(url\([^)]*\)[^;}]*)/g, (all, sources: string) => {
    const woff2 = /url\(([^)]+\.woff2)\)/.exec(sources)?.[1];
    if (!woff2) return all;
    const data = readFileSync(join(dist, woff2.replace(/^['"]|['"]$/g, ''))).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

export async function buildPlayground(root: string): Promise<void> {
  const mathjs = join(root, 'node_modules/mathjs/lib/esm/factoriesAny.js');
  // The worker runs the engine; the graph's DOT text needs no Graphviz, which the page loads separately.
  const noViz = join(root, 'playground/no-viz.ts');
  const worker = await iife(root, 'playground/worker.ts', { mathjs, '@viz-js/viz': noViz });
  const page = await iife(root, 'playground/main.ts', {});
  const style = `${katexCss(root)}\n${readFileSync(join(root, 'playground/style.css'), 'utf8')}`;
  const template = readFileSync(join(root, 'playground/index.html'), 'utf8');
  const parts = { '/*STYLE*/': style, '/*WORKER*/': worker, '/*SCRIPT*/': page };
  let html = template;
  for (const [mark, text] of Object.entries(parts)) {
    if (!html.includes(mark)) throw new Error(`playground/index.html lacks ${mark}`);
    html = html.replace(mark, () => text);
  }
  const out = join(root, 'docs/playground');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), html);
  const viz = join(out, 'viz.js');
  copyFileSync(join(dirname(join(root, 'node_modules/@viz-js/viz/package.json')), 'dist/viz-global.js'), viz);
  const weight = Buffer.byteLength(html);
  console.log(
    `build: playground (docs/playground/index.html): ${kb(weight)} — worker ${kb(worker.length)}, page script ${kb(page.length)}, styles and fonts ${kb(style.length)}; budget ${kb(BUDGET)}: ${weight <= BUDGET ? 'within' : 'OVER'}`,
  );
  console.log(
    `build: playground graph renderer (docs/playground/viz.js, loaded on demand): ${kb(statSync(viz).size)}`,
  );
}
