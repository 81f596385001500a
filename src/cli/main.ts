#!/usr/bin/env node
// The matcalc command line: dispatch to a command, and the one place errors become messages and exit
// statuses (0 success, 1 a check or verification failed, 2 bad usage or bad input — never a stack trace).
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorMessage } from './errors.js';
import { guardStreams, type Io, processIo } from './io.js';

export { errorMessage } from './errors.js';

export type { Io } from './io.js';

/** A command's module is imported only when that command runs (or its usage is shown): start-up stays light. */
interface Loaded {
  readonly usage: string;
  run(argv: readonly string[], io: Io): number | Promise<number>;
}
interface Command {
  readonly summary: string;
  load(): Promise<Loaded>;
}

const derivative = (mode: 'grad' | 'jacobian' | 'hessian') => async (): Promise<Loaded> => {
  const m = await import('./commands/grad.js');
  return { usage: m.usage[mode], run: (a, io) => m.run(mode, a, io) };
};

const COMMANDS: Record<string, Command> = {
  grad: { summary: 'gradient of a scalar expression', load: derivative('grad') },
  jacobian: { summary: 'Jacobian ∂vec f/∂vec x', load: derivative('jacobian') },
  hessian: { summary: 'Hessian of a scalar expression', load: derivative('hessian') },
  eval: { summary: 'evaluate an expression at given values', load: () => import('./commands/eval.js') },
  check: {
    summary: 'check gradients against finite differences',
    load: () => import('./commands/check.js'),
  },
  derive: {
    summary: 'step-by-step writeups of derivation files: Markdown + offline HTML',
    load: () => import('./commands/derive.js'),
  },
  verify: { summary: 'verify a claim, or a derivation file', load: () => import('./commands/verify.js') },
  export: {
    summary:
      'a TypeScript, NumPy, JAX or PyTorch module of the value and gradients of a derivation file or a model (checked first)',
    load: () => import('./commands/export.js'),
  },
  playground: {
    summary: 'serve the playground page on 127.0.0.1 and print its address',
    load: () => import('./commands/playground.js'),
  },
};

const EXAMPLES = `Examples:
  matcalc grad "sum((X*w - y).^2)" --wrt w --let "X: n x d; w: d; y: n"
      2*X'*(X*w - y)
  matcalc grad "sum(log(1 + exp(-y .* (X*w))))" --wrt w --let "X: n x d; w: d; y: n" --format latex
  matcalc jacobian "sigmoid(x)" --wrt x --let "x: n"
  matcalc check "logdet(S) - trace(S*A)" --wrt S --let "S: n x n spd; A: n x n"
  matcalc eval "trace(A*inv(B))" --let "A: n x n; B: n x n" --at values.json --format json`;

async function help(): Promise<string> {
  const loaded = await Promise.all(Object.values(COMMANDS).map((c) => c.load()));
  const lines = Object.values(COMMANDS).map((c, i) => `  ${loaded[i].usage}\n      ${c.summary}`);
  return `matcalc — symbolic matrix calculus with symbolic shapes

Usage:
${lines.join('\n')}

EXPR may be - for standard input. DECLS: "X: n x d; w: d; s: scalar; S: n x n spd" (qualifiers:
symmetric, spd, positive, onehot). Vectors are columns; the gradient of f with respect to an m×n X is
the m×n matrix of ∂f/∂X_ij; Jacobians are ∂vec f/∂vec x (numerator layout).
Exit status: 0 success, 1 a check or verification failed, 2 bad usage or bad input.

${EXAMPLES}
`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd || !Object.hasOwn(COMMANDS, name)) {
    io.err(
      `matcalc: error: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`,
    );
    return 2;
  }
  const loaded = await cmd.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${loaded.usage}\n\n${EXAMPLES}`);
    return 0;
  }
  try {
    return await loaded.run(rest, io);
  } catch (e) {
    io.err(errorMessage(e));
    return 2;
  }
}

/** True when this file is the program node was started with (directly, or through the npm bin link). */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  guardStreams();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${errorMessage(e)}\n`);
      process.exitCode = 2;
    },
  );
}
