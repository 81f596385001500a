// The library's loader, built to dist/script/load.js: runs the script-format bundle (dist/script/library.js)
// through vm.Script with the V8 code cache the build made after a warm-up, so a fresh process starts with the
// bytecode of everything a first derivative runs. A missing or rejected cache (another V8, other V8 flags) only
// means V8 compiles lazily, as for any module; dist/index.js and dist/kernels/index.js re-export from here.
import { readFileSync } from 'node:fs';
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

function readCache(): Buffer | undefined {
  if (process.env.MATCALC_CODE_CACHE === '0') return undefined;
  try {
    return readFileSync(new URL('./library.cache', import.meta.url));
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new Script(readFileSync(filename, 'utf8'), { filename, cachedData });

/** Whether V8 took the cache: 'accepted', 'rejected' (compiled from source instead) or 'missing'. */
export const cacheStatus: 'accepted' | 'rejected' | 'missing' =
  cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';

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
