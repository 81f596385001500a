// The library's loader, built to dist/script/load.js: runs the script-format bundle (dist/script/library.js)
// through vm.Script with the V8 code cache the build made after a warm-up, so a fresh process starts with the
// bytecode of everything a first derivative runs. A missing or rejected cache (another V8, other V8 flags) only
// means V8 compiles lazily, as for any module; dist/index.js and dist/kernels/index.js re-export from here.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type Namespace = Record<string, unknown>;

/** What the script bundle's function fills in: the library's and the kernels' exports. */
interface Exports {
  index: Namespace;
  kernels: Namespace;
}

/** The script bundle is `(function (exports, require, module, __filename, __dirname, __importMetaUrl) {…})`. */
type ScriptBundle = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dir: string,
  importMetaUrl: string,
) => void;

const scriptUrl = new URL('./library.js', import.meta.url);
const filename = fileURLToPath(scriptUrl);

type CacheStatus = 'accepted' | 'rejected' | 'stale' | 'missing' | 'off';

/**
 * The cache, unless MATCALC_CODE_CACHE=0 or it is older than the script: V8 checks the source's length only,
 * so a script edited in place (patch-package) must not meet bytecode compiled from its former text.
 */
function readCache(): { data?: Buffer; status: CacheStatus } {
  if (process.env.MATCALC_CODE_CACHE === '0') return { status: 'off' };
  const cacheUrl = new URL('./library.cache', import.meta.url);
  try {
    if (statSync(cacheUrl).mtimeMs < statSync(scriptUrl).mtimeMs) return { status: 'stale' };
    return { data: readFileSync(cacheUrl), status: 'accepted' };
  } catch {
    return { status: 'missing' };
  }
}

const cache = readCache();
const script = new Script(readFileSync(filename, 'utf8'), { filename, cachedData: cache.data });

/**
 * Whether V8 took the cache: 'accepted'; 'rejected' (another V8 or other V8 flags: compiled from source);
 * 'stale' (the script is newer); 'missing'; 'off' (MATCALC_CODE_CACHE=0).
 */
export const cacheStatus: CacheStatus = script.cachedDataRejected === true ? 'rejected' : cache.status;

const module = { exports: {} as Exports };
(script.runInThisContext() as ScriptBundle)(
  module.exports,
  createRequire(scriptUrl),
  module,
  filename,
  dirname(filename),
  scriptUrl.href,
);

export const library: Exports = module.exports;

/** The code cache as it stands now: after a warm-up it holds every function compiled so far (the build's use). */
export function createCodeCache(): Buffer {
  return script.createCachedData();
}
