// Runs a script-format bundle of dist/script/ (library.js, cli.js) through vm.Script with the V8 code cache
// the build made after a warm-up (NAME.cache), so a fresh process starts with the bytecode of what first calls
// run. A missing, stale or rejected cache (another V8, other V8 flags) only means V8 compiles lazily, as for
// any module. Bundled into each loader (scripts/load-library.ts, scripts/load-cli.ts). V8 release builds do not
// checksum a cache: truncated or foreign bytes are rejected, but bytes corrupted in place (length intact) can
// crash the process, as a corrupted library.js would misbehave; npm checks the package's integrity.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** 'rejected': another V8 or other V8 flags; 'stale': the script is newer; 'off': MATCALC_CODE_CACHE=0. */
export type CacheStatus = 'accepted' | 'rejected' | 'stale' | 'missing' | 'off';

/** A bundle is `(function (exports, require, module, __filename, __dirname, __importMetaUrl) {…})`. */
type ScriptBundle = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dir: string,
  importMetaUrl: string,
) => void;

export interface LoadedScript<T> {
  readonly exports: T;
  readonly cacheStatus: CacheStatus;
  /** The code cache as it stands now: after a warm-up it holds every function compiled so far (the build's use). */
  createCodeCache(): Buffer;
}

/**
 * The cache, unless MATCALC_CODE_CACHE=0 or it is older than the script: V8 checks the source's length only,
 * so a script edited in place (patch-package) must not meet bytecode compiled from its former text.
 */
function readCache(scriptUrl: URL, cacheUrl: URL): { data?: Buffer; status: CacheStatus } {
  if (process.env.MATCALC_CODE_CACHE === '0') return { status: 'off' };
  try {
    if (statSync(cacheUrl).mtimeMs < statSync(scriptUrl).mtimeMs) return { status: 'stale' };
    return { data: readFileSync(cacheUrl), status: 'accepted' };
  } catch {
    return { status: 'missing' };
  }
}

/** Runs `dir/NAME.js` with `dir/NAME.cache`; `importMetaUrl` is what the bundle's code sees as import.meta.url. */
export function loadScript<T>(dir: URL, name: string, importMetaUrl?: string): LoadedScript<T> {
  const scriptUrl = new URL(`${name}.js`, dir);
  const filename = fileURLToPath(scriptUrl);
  const cache = readCache(scriptUrl, new URL(`${name}.cache`, dir));
  const script = new Script(readFileSync(filename, 'utf8'), { filename, cachedData: cache.data });
  const module = { exports: {} as T };
  (script.runInThisContext() as ScriptBundle)(
    module.exports,
    createRequire(scriptUrl),
    module,
    filename,
    dirname(filename),
    importMetaUrl ?? scriptUrl.href,
  );
  return {
    exports: module.exports,
    cacheStatus: script.cachedDataRejected === true ? 'rejected' : cache.status,
    createCodeCache: () => script.createCachedData(),
  };
}
