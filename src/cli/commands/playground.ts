// matcalc playground [--port N]: serves the built page (docs/playground/) on 127.0.0.1 with node:http,
// prints the address, and runs until interrupted. The page needs no server: this is for browsers or
// settings that will not open file:// pages.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, ValueError } from '../../ir/errors.js';
import type { Io } from '../io.js';
import { parse, str } from '../options.js';

export const usage = 'matcalc playground [--port N]';

const DEFAULT_PORT = 8765;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The matcalc package's folder: the nearest one above this module holding its package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'matcalc') {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new ValueError('cannot find the matcalc package folder');
    dir = up;
  }
}

function portOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--port must be 0…65535, not ${text}`);
  return n;
}

/** Files of `root` by URL path; everything else, and any path leaving `root`, is 404. */
export function playgroundServer(root: string): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const name = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
    const file = join(root, name);
    if (name.split(/[/\\]/).includes('..') || !file.startsWith(root) || !existsSync(file) || !extname(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      })
      .end(readFileSync(file));
  });
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values: o, positionals } = parse(argv, { port: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`playground takes no arguments; got ${positionals[0]}`);
  const port = portOf(str(o.port));
  const root = join(packageRoot(), 'docs', 'playground');
  if (!existsSync(join(root, 'index.html'))) {
    throw new ValueError(`the playground is not built (${root}/index.html is missing); run npm run build`);
  }
  const server = playgroundServer(root);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is in use; choose another with --port N (0 picks a free one)`)
          : e,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  io.out(`matcalc playground: http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  io.err('serving docs/playground on 127.0.0.1 only; press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
