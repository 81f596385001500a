// What a command needs from the outside world, so commands can be run and tested in-process.
import { readFileSync } from 'node:fs';
import { UsageError, ValueError } from '../ir/errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text (for `-`). */
  stdin(): string;
  readFile(path: string): string;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  stdin: () => readFileSync(0, 'utf8'),
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
      throw new ValueError(`cannot read ${p}: ${why}`);
    }
  },
};

/** Control characters other than tab, newline and carriage return mark binary input. */
function isBinary(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return true;
  }
  return false;
}

/** EXPR from the command line, or standard input when it is `-`; refuses empty and binary input. */
export function exprArg(io: Io, text: string | undefined, what = 'EXPR'): string {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  const t = text === '-' ? io.stdin() : text;
  if (isBinary(t)) throw new UsageError(`${what} contains binary data`);
  if (t.trim() === '') throw new UsageError(`${what} is empty`);
  return t;
}
