// The library's loader, built to dist/script/load.js: the script bundle of both entry points with its code
// cache (scripts/load-script.ts). dist/index.js and dist/kernels/index.js re-export from here, so both share one
// instance (setGemmThreads from matcalc/kernels reaches compile()).
import { loadScript } from './load-script.js';

type Namespace = Record<string, unknown>;

const loaded = loadScript<{ index: Namespace; kernels: Namespace }>(
  new URL('./', import.meta.url),
  'library',
);

export const library = loaded.exports;
export const { cacheStatus, createCodeCache } = loaded;
