// Hostile input, generated over commands × inputs: unbounded work (huge matrix powers, sizes), huge and
// control-character names, option abuse, files that must not be written, and broken output streams. Each
// exits 2 with one line `matcalc: error: …`, never "internal error", a stack trace or output on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'matcalc-hostile-'));
const file = (name: string, content: string): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

interface Hostile {
  readonly argv: readonly string[];
  /** The message after `matcalc: error: `. */
  readonly message: RegExp;
  readonly stdin?: string;
}

const X = 'X: n x d; w: d; y: n; A: n x n; x: n';
const LONG = 'a'.repeat(40_000);
const LONG_TYPO = `${'a'.repeat(39_999)}b`;
const DERIVATIVE_COMMANDS = ['grad', 'jacobian', 'hessian', 'check'] as const;
const exprFor = (cmd: string, inner: string) => (cmd === 'jacobian' ? `vec(${inner})` : `sum(${inner})`);

const CASES: Record<string, Hostile> = {};
const add = (name: string, h: Hostile) => {
  if (CASES[name]) throw new Error(`duplicate case ${name}`);
  CASES[name] = h;
};

// ---- unbounded work: matrix powers beyond the differentiable limit, in every derivative command
for (const cmd of DERIVATIVE_COMMANDS) {
  for (const k of ['65', '1000', '99999999', '1e15']) {
    add(`${cmd} of A^${k}`, {
      argv: [cmd, exprFor(cmd, `A^${k}`), '--wrt', 'A', '--let', X],
      message: /^cannot differentiate the matrix power \^\d+: .*up to \^64$/,
    });
  }
  add(`${cmd} of a power of a product (A*A)^100`, {
    argv: [cmd, exprFor(cmd, '(A*A)^100'), '--wrt', 'A', '--let', X],
    message: /cannot differentiate the matrix power \^100:/,
  });
}

// ---- sizes: refused before anything is allocated
for (const [decl, message] of [
  ['x: 100000000', /^100000000 entries is too large to evaluate \(x of size 100000000×1\)/],
  ['x: 1e15', /^1000000000000000 entries is too large to evaluate|1\.0e15 entries is too large/],
  ['x: 3000 x 20000', /^60000000 entries is too large to evaluate/],
] as const) {
  add(`check with ${decl}`, { argv: ['check', 'sum(x)', '--wrt', 'x', '--let', decl], message });
}
add('check of a product too large to compute', {
  argv: ['check', 'sum(A*B)', '--wrt', 'A', '--let', 'A: 5000 x 5000; B: 5000 x 5000'],
  message: /floating-point operations; matcalc refuses more than/,
});
add('check of an inverse too large to compute', {
  argv: ['check', 'trace(inv(A))', '--wrt', 'A', '--let', 'A: 5000 x 5000'],
  message: /floating-point operations/,
});
for (const cmd of ['grad', 'check', 'eval', 'jacobian'] as const) {
  for (const size of ['1e21', '1e23', '9007199254740993']) {
    const argv =
      cmd === 'eval'
        ? ['eval', 'sum(x)', '--let', `x: ${size}`, '--at', '-']
        : [cmd, cmd === 'jacobian' ? 'x' : 'sum(x)', '--wrt', 'x', '--let', `x: ${size}`];
    add(`${cmd} with x: ${size}`, {
      argv,
      stdin: '{"x": [1, 2, 3]}',
      message: /is too large: a fixed size must be below 2\^53/,
    });
  }
}
add('kron of sizes whose product passes 2^53', {
  argv: [
    'grad',
    'sum(kron(A, B))',
    '--wrt',
    'A',
    '--let',
    'A: 100000000 x 100000000; B: 100000000 x 100000000',
  ],
  message: /is too large: sizes must be below 2\^53/,
});
add('eval of ones(n) with n bound by no value', {
  argv: ['eval', 'sum(ones(n))', '--let', 'x: n', '--at', '-'],
  stdin: '{}',
  message:
    /^dimension n is not fixed by any value|^the size of dimension n is not known|^no value given for x/,
});

// ---- long names: bounded suggestion search, messages cut
for (const cmd of ['grad', 'check', 'jacobian', 'hessian', 'verify'] as const) {
  const rest =
    cmd === 'verify'
      ? ['--wrt', 'x', '--claim', 'ones(n, 1)', '--let', 'x: n']
      : ['--wrt', 'x', '--let', 'x: n'];
  add(`${cmd} of an undeclared 40k-character name`, {
    argv: [cmd, cmd === 'jacobian' ? `x + ${LONG}` : `sum(${LONG})`, ...rest],
    message: /^undeclared symbol `a{20,60}…a{10,40}`/,
  });
}
add('a 40k-character typo of a 40k-character declared name', {
  argv: ['grad', `sum(${LONG_TYPO})`, '--wrt', LONG, '--let', `${LONG}: n`],
  message: /^undeclared symbol `a{20,60}…a{10,40}b`/,
});
add('a 40k-character --wrt', {
  argv: ['grad', 'sum(x)', '--wrt', LONG, '--let', 'x: n'],
  message: /^--wrt a{20,60}…a+ is not a declared variable$/,
});
add('a 40k-character unknown function', {
  argv: ['grad', `${LONG}(x)`, '--wrt', 'x', '--let', 'x: n'],
  message: /^unknown function `a{20,60}…a+`/,
});
add('a 40k-character unknown qualifier', {
  argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', `x: n ${LONG}`],
  message: /^unknown qualifier `a{20,60}…a+`/,
});
add('a 40k-character eval value name missing', {
  argv: ['eval', `sum(${LONG})`, '--let', `${LONG}: n`, '--at', '-'],
  stdin: '{}',
  message: /^no value given for a{20,60}…a+$/,
});

// ---- control characters and option abuse: one line, whatever the input holds
for (const [label, wrt] of [
  ['a newline', 'x\ny'],
  ['a tab', 'x\ty'],
  ['a carriage return', 'x\r\ny'],
  ['an escape sequence', 'x\u001b[31mred'],
  ['a NUL', 'x\u0000'],
  ['a line separator', 'x\u2028y'],
] as const) {
  add(`--wrt with ${label}`, {
    argv: ['grad', 'sum(x)', '--wrt', wrt, '--let', 'x: n'],
    message: /^--wrt \S* is not a declared variable/,
  });
  add(`--let name with ${label}`, {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', `x: n; ${wrt}: n`],
    message: /\S/,
  });
}
for (const cmd of ['grad', 'check', 'hessian', 'jacobian'] as const) {
  add(`${cmd} --wrt x,x`, {
    argv: [cmd, cmd === 'jacobian' ? 'x' : 'sum(x)', '--wrt', 'x,x', '--let', 'x: n'],
    message: /^--wrt names x twice$|takes one variable/,
  });
}
add('--wrt with an empty name', {
  argv: ['grad', 'sum(x)', '--wrt', 'x,', '--let', 'x: n'],
  message: /^--wrt has an empty name/,
});
add('--wrt of commas', {
  argv: ['grad', 'sum(x)', '--wrt', ',,', '--let', 'x: n'],
  message: /^--wrt has an empty name/,
});
for (const opt of ['--claim', '--wrt', '--let']) {
  const argv = ['verify', 'sum(x)', '--wrt', 'x', '--claim', 'ones(n, 1)', '--let', 'x: n'];
  const at = argv.indexOf(opt) + 1;
  add(`${opt} followed by --x`, {
    argv: [...argv.slice(0, at), '--x', ...argv.slice(at + 1)],
    message: new RegExp(
      `^${opt} needs a value, and the next argument starts with a dash; write ${opt}=VALUE`,
    ),
  });
}

// ---- glued dimensions
for (const [decl, hint] of [
  ['x: nxn', 'n x n'],
  ['X: mxn', 'm x n'],
  ['X: 3xn', '3 x n'],
  ['X: nx3', 'n x 3'],
  ['A: n x d; B: dxn', 'd x n'],
] as const) {
  add(`glued dims ${decl}`, {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', `x: k; ${decl.replace(/^x: /, 'z: ')}`],
    message: new RegExp(`did you mean \`${hint}\`\\?|invalid dimension`),
  });
}

// ---- files export must not write
const source = file(
  'loss.md',
  '# loss\n\n```matcalc\nlet X: n x d; w: d; y: n\nL = sum((X*w - y).^2)\ngrad L wrt w\n```\n',
);
const foreign = file('notes.txt', 'my notes\n');
const aDir = join(dir, 'a-dir');
mkdirSync(aDir);
add('export --out the input file', {
  argv: ['export', source, '--to', 'ts', '--out', source],
  message: /is the input file/,
});
add('export --out a file matcalc did not write', {
  argv: ['export', source, '--to', 'numpy', '--out', foreign],
  message: /already exists and was not written by matcalc/,
});
add('export --out a directory', {
  argv: ['export', source, '--to', 'ts', '--out', aDir],
  message: /already exists|is a directory/,
});
add('export --out into a missing directory', {
  argv: ['export', source, '--to', 'ts', '--out', join(dir, 'missing', 'm.ts')],
  message: /^cannot write .*: no such file$/,
});
add('export --out under a file', {
  argv: ['export', source, '--to', 'ts', '--out', join(foreign, 'm.ts')],
  message: /^cannot write .*: a part of the path is not a directory$/,
});

const stackTrace = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at \S+:\d+:\d+/;
const durations: [string, number][] = [];
afterAll(() => {
  const [slowest] = [...durations].sort((a, b) => b[1] - a[1]);
  if (slowest) console.log(`hostile: ${durations.length} cases, slowest ${slowest[0]} in ${slowest[1]} ms`);
});

describe('hostile input corpus', () => {
  it('has at least 60 cases', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(60);
  });

  it.each(Object.entries(CASES))(
    '%s',
    async (name, h) => {
      const io = capture(h.stdin);
      const t0 = Date.now();
      const code = await main(h.argv, io);
      durations.push([name, Date.now() - t0]);
      expect(io.stdout).toBe('');
      expect(io.stderr).not.toMatch(stackTrace);
      expect(io.stderr).not.toMatch(/internal error/);
      const lines = io.stderr.replace(/\n$/, '').split('\n');
      expect(lines[0]).toMatch(/^matcalc: error: \S/);
      expect(lines[0].slice('matcalc: error: '.length)).toMatch(h.message);
      // One line, or one line plus the source line and its caret.
      expect(lines.length === 1 || (lines.length === 3 && /^\s*\^+$/.test(lines[2]))).toBe(true);
      for (const l of lines) expect(l.length).toBeLessThan(700);
      expect(code).toBe(2);
    },
    // a guard against a hang, not a timing: the first case also pays for loading the command's modules
    30_000,
  );

  it('wrote nothing over the files it refused', () => {
    expect(readFileSync(foreign, 'utf8')).toBe('my notes\n');
    expect(readFileSync(source, 'utf8')).toMatch(/^# loss/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('writes a fresh module and replaces its own', async () => {
    const out = join(dir, 'model.ts');
    for (let i = 0; i < 2; i++) {
      const io = capture();
      expect(await main(['export', source, '--to', 'ts', '--out', out], io)).toBe(0);
      expect(io.stderr).toMatch(/^wrote /);
    }
    // The header names the file as its base name, not the absolute path it was given.
    expect(readFileSync(out, 'utf8')).toMatch(/^\/\/ Generated by matcalc: loss\.md: /);
    expect(readFileSync(out, 'utf8')).not.toContain(dir);
  });
});

describe('output streams, through a real process (dist/cli/main.js)', () => {
  const cliPath = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
  const sh = (script: string, args: readonly string[] = []) =>
    spawnSync('bash', ['-c', script, 'bash', process.execPath, cliPath, ...args], { encoding: 'utf8' });
  // A large result (the 300×300 matrix x xᵀ of ones, about half a megabyte), so a closed pipe is hit for sure.
  const values = file('v.json', JSON.stringify({ x: Array.from({ length: 300 }, () => 1) }));
  const big = ['eval', "x*x'", '--let', 'x: n', '--at', values];

  it('a reader that goes away (| head -c1): silence on stderr, exit 141', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
    const r = sh('"$1" "$2" "${@:3}" | head -c1 >/dev/null; echo "status=${PIPESTATUS[0]}" >&2', big);
    expect(r.stderr).toBe('status=141\n');
  });

  it('a reader that never reads (| true): silence, exit 141 or 0 when all was written first', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion
    const r = sh('"$1" "$2" "${@:3}" | true; echo "status=${PIPESTATUS[0]}" >&2', big);
    expect(r.stderr).toMatch(/^status=(141|0)\n$/);
  });

  it('a full disk (> /dev/full): one line, exit 2', () => {
    const full = openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [cliPath, 'grad', 'sum(x)', '--wrt', 'x', '--let', 'x: n'], {
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('matcalc: error: cannot write standard output: no space left on device\n');
    expect(r.status).toBe(2);
  });

  it('a closed standard output (>&-): one line, exit 2, never a false success', () => {
    const r = sh('"$1" "$2" grad "sum(x)" --wrt x --let "x: n" >&-; echo "status=$?" >&2');
    expect(r.stderr).toBe('matcalc: error: cannot write the result: standard output is closed\nstatus=2\n');
  });

  it('> /dev/null is not a closed output: exit 0', () => {
    const r = sh('"$1" "$2" grad "sum(x)" --wrt x --let "x: n" >/dev/null; echo "status=$?" >&2');
    expect(r.stderr).toBe('status=0\n');
  });

  it('standard input a directory (< DIR): one line, exit 2', () => {
    const r = sh('"$1" "$2" grad - --wrt x --let "x: n" < "$3"', [aDir]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('matcalc: error: cannot read standard input: is a directory\n');
    expect(r.status).toBe(2);
  });

  it('the matrix power refusal exits 2 from a real process too', () => {
    const r = sh('"$1" "$2" grad "sum(A^99999999)" --wrt A --let "A: n x n"');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^matcalc: error: cannot differentiate the matrix power \^99999999: .*\n$/);
  });
});
