#!/usr/bin/env node
// The matcalc command line: dispatch to a command, and the one place errors become messages and exit
// statuses (0 success, 1 a check or verification failed, 2 bad usage or bad input — never a stack trace).
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MatcalcError } from '../ir/errors.js';
import { SingularMatrixError } from '../kernels/linalg.js';
import { formatCaret } from '../parse/index.js';
import * as checkCmd from './commands/check.js';
import * as deriveCmd from './commands/derive.js';
import * as evalCmd from './commands/eval.js';
import * as gradCmd from './commands/grad.js';
import * as verifyCmd from './commands/verify.js';
import { guardStreams, type Io, processIo } from './io.js';

export type { Io } from './io.js';

interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: Io): number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  grad: {
    summary: 'gradient of a scalar expression',
    usage: gradCmd.usage.grad,
    run: (a, io) => gradCmd.run('grad', a, io),
  },
  jacobian: {
    summary: 'Jacobian ∂vec f/∂vec x',
    usage: gradCmd.usage.jacobian,
    run: (a, io) => gradCmd.run('jacobian', a, io),
  },
  hessian: {
    summary: 'Hessian of a scalar expression',
    usage: gradCmd.usage.hessian,
    run: (a, io) => gradCmd.run('hessian', a, io),
  },
  eval: { summary: 'evaluate an expression at given values', usage: evalCmd.usage, run: evalCmd.run },
  check: { summary: 'check gradients against finite differences', usage: checkCmd.usage, run: checkCmd.run },
  derive: {
    summary: 'step-by-step writeups of derivation files: Markdown + offline HTML',
    usage: deriveCmd.usage,
    run: deriveCmd.run,
  },
  verify: { summary: 'verify a claim, or a derivation file', usage: verifyCmd.usage, run: verifyCmd.run },
  export: {
    summary:
      'a TypeScript, NumPy or JAX module of the value and gradients of a derivation file or a model (checked first)',
    usage:
      'matcalc export FILE.md | --model linear|ridge|logistic|softmax|mlp|layernorm|attention [--layers 784,256,10] [--activation relu|tanh|sigmoid] [--loss softmax-ce|squared] [--batch|--single] --to ts|numpy|jax [--out FILE] [--no-check]',
    run: async (a, io) => (await import('./commands/export.js')).run(a, io),
  },
};

const EXAMPLES = `Examples:
  matcalc grad "sum((X*w - y).^2)" --wrt w --let "X: n x d; w: d; y: n"
      2*X'*(X*w - y)
  matcalc grad "sum(log(1 + exp(-y .* (X*w))))" --wrt w --let "X: n x d; w: d; y: n" --format latex
  matcalc jacobian "sigmoid(x)" --wrt x --let "x: n"
  matcalc check "logdet(S) - trace(S*A)" --wrt S --let "S: n x n spd; A: n x n"
  matcalc eval "trace(A*inv(B))" --let "A: n x n; B: n x n" --at values.json --format json`;

function help(): string {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}\n      ${c.summary}`);
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

/** The one-line message, with the position, then the caret picture when input text is at fault. */
export function errorMessage(e: unknown): string {
  if (e instanceof MatcalcError) {
    const pos = e.pos;
    const where = pos ? ` at ${pos.file ? `${pos.file}:` : ''}${pos.line}:${pos.column}` : '';
    const caret = pos ? formatCaret(pos) : '';
    return `matcalc: error: ${e.message}${where}${caret ? `\n${caret}` : ''}`;
  }
  if (e instanceof SingularMatrixError) return `matcalc: error: ${e.message}`;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'matcalc: error: expression nested too deeply to process';
  }
  const msg = e instanceof Error ? e.message : String(e);
  return `matcalc: error: internal error: ${msg.split('\n')[0]}`;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
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
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${cmd.usage}\n\n${EXAMPLES}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
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
