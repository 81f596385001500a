// What a command needs from the outside world, so commands can be run and tested in-process.
import { readFileSync, readlinkSync } from 'node:fs';
import { OutputError, UsageError, ValueError } from '../ir/errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text (for `-`). */
  stdin(): string;
  readFile(path: string): string;
}

/**
 * True when the program was started with file descriptor `fd` closed (`matcalc … >&-`): node then opens
 * /dev/null in its place, read-write, where a shell's `> /dev/null` opens it write-only. Linux only.
 */
function startedClosed(fd: number): boolean {
  try {
    if (readlinkSync(`/proc/self/fd/${fd}`) !== '/dev/null') return false;
    const flags = /^flags:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags !== null && (Number.parseInt(flags[1], 8) & 3) === 2;
  } catch {
    return false;
  }
}

let stdoutChecked = false;

export const processIo: Io = {
  out: (t) => {
    if (!stdoutChecked) {
      stdoutChecked = true;
      if (startedClosed(1)) throw new OutputError('cannot write the result: standard output is closed');
    }
    process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
  },
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  stdin: () => {
    try {
      return readFileSync(0, 'utf8');
    } catch (e) {
      throw new ValueError(`cannot read standard input: ${errnoText(e)}`);
    }
  },
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new ValueError(`cannot read ${p}: ${errnoText(e)}`);
    }
  },
};

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EAGAIN: 'not ready (EAGAIN): pipe the input instead',
  ENAMETOOLONG: 'file name too long',
};

/** What a failed file-system call says, in words; the bare code for codes without words. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && ERRNO_TEXT[code]) ?? code ?? 'unreadable';
}

/** Exit status when the reader of standard output has gone away (`matcalc … | head -c1`): 128 + SIGPIPE. */
export const BROKEN_PIPE_STATUS = 141;

/**
 * A write error on standard output or error (an 'error' event of the stream, never a stack trace):
 * EPIPE, the reader went away, ends the program silently with BROKEN_PIPE_STATUS; any other (ENOSPC on
 * `> /dev/full`) is one line on stderr and exit status 2.
 */
export function guardStreams(): void {
  const onError = (stream: 'stdout' | 'stderr') => (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(BROKEN_PIPE_STATUS);
    if (stream === 'stdout') {
      try {
        process.stderr.write(`matcalc: error: cannot write standard output: ${errnoText(e)}\n`);
      } catch {}
    }
    process.exit(2);
  };
  process.stdout.on('error', onError('stdout'));
  process.stderr.on('error', onError('stderr'));
}

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
