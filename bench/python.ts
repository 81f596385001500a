// Python contenders for the benchmarks: finds an interpreter with NumPy (preferring one whose NumPy uses
// OpenBLAS) and one with PyTorch (Debian's python3-torch lives in /usr/bin/python3, not in a pyenv python3),
// and drives bench/contenders.py over a line protocol, so a Node benchmark can interleave them with its own.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./contenders.py', import.meta.url));
const CANDIDATES = ['python3', '/usr/bin/python3'];

function runs(python: string, code: string): string | null {
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** An interpreter whose NumPy uses OpenBLAS, else any with NumPy, else null. */
export function findNumpy(): string | null {
  const probe =
    'import numpy as np; c = np.show_config(mode="dicts"); print(c["Build Dependencies"]["blas"]["name"])';
  const found = CANDIDATES.map(
    (p) => [p, runs(p, probe) ?? (runs(p, 'import numpy') !== null ? '' : null)] as const,
  );
  const openblas = found.find(([, blas]) => blas !== null && /openblas/i.test(blas));
  return (openblas ?? found.find(([, blas]) => blas !== null))?.[0] ?? null;
}

/** An interpreter that imports torch, or null. */
export function findTorch(): string | null {
  return CANDIDATES.find((p) => runs(p, 'import torch') !== null) ?? null;
}

/** One bench/contenders.py process: send a command, get its one-line answer. */
export class PythonContenders {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor(python: string, kind: 'numpy' | 'torch', env: Record<string, string> = {}) {
    this.child = spawn(python, [SCRIPT, kind], { env: { ...process.env, ...env } });
    this.child.stderr.on('data', (d) => process.stderr.write(d));
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  /** The answer to `command`; rejects when the process answers with an error or exits. */
  ask(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`python contender exited while answering: ${command}`));
      this.child.once('exit', onExit);
      this.waiting.push((line) => {
        this.child.off('exit', onExit);
        if (line.startsWith('error')) reject(new Error(line));
        else resolve(line);
      });
      this.child.stdin.write(`${command}\n`);
    });
  }

  async time(command: string): Promise<number> {
    return Number(await this.ask(command));
  }

  close(): void {
    this.child.stdin.end();
    this.lines.close();
  }
}
