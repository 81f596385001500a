// The CLI's loader, built to dist/script/cli-load.js and run by dist/cli/main.js: the script bundle of the whole
// command line (src/cli/main.ts and every command) with its code cache (scripts/load-script.ts). The bundle sees
// dist/cli/main.js as its import.meta.url, so it knows it was run directly and finds package.json from there.
import { loadScript } from './load-script.js';

type Main = (argv: readonly string[], io?: unknown) => Promise<number>;

const loaded = loadScript<{ main: Main }>(
  new URL('./', import.meta.url),
  'cli',
  new URL('../cli/main.js', import.meta.url).href,
);

export const cli = loaded.exports;
export const { cacheStatus, createCodeCache } = loaded;
