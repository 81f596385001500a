// Test helper: an Io for running CLI commands in-process, capturing what they print.
import { fileURLToPath } from 'node:url';
import { processIo } from '../../src/cli/io.js';
import type { Io } from '../../src/cli/main.js';

export type CapturedIo = Io & { stdout: string; stderr: string };

/** Captures stdout/stderr; `stdin` is what `-` reads; files are read relative to `root` when given. */
export function capture(stdin = '', root?: URL): CapturedIo {
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : `${t}\n`;
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : `${t}\n`;
    },
    stdin: () => stdin,
    readFile: (p: string) => processIo.readFile(root ? fileURLToPath(new URL(p, root)) : p),
  };
  return io;
}
