// A corpus of bad inputs across every command: each exits 2 with one line `matcalc: error: …` (plus the
// source line and a caret where input text is at fault), no stack trace, nothing on stdout, within a
// second. Most run in-process through main(argv, io); a few through a real child process, for exit codes.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processIo } from '../../src/cli/io.js';
import { type Io, main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'matcalc-bad-'));
const file = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
// Permissions do not stop root; a file whose read fails with EIO does.
const asRoot = process.getuid?.() === 0 && existsSync('/proc/self/mem');
const unreadable = asRoot ? '/proc/self/mem' : file('unreadable.json', '{"x": 1}');
if (!asRoot) chmodSync(unreadable, 0o000);
const aDirectory = join(dir, 'a-directory.json');
mkdirSync(aDirectory);
afterAll(() => {
  if (!asRoot) chmodSync(unreadable, 0o600);
});

function capture(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : `${t}\n`;
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : `${t}\n`;
    },
    stdin: () => stdin,
    readFile: processIo.readFile,
  };
  return io;
}

interface Bad {
  readonly argv: readonly string[];
  /** The message (first line, after `matcalc: error: `) must match. */
  readonly message: RegExp;
  /** Where input text is at fault: `at FILE:line:col` ends the line, then the source and caret lines. */
  readonly caret?: { readonly at: string; readonly line: string; readonly carets: string };
  readonly stdin?: string;
}

const X = 'X: n x d; w: d; y: n';
const json = (name: string, v: unknown) => file(name, typeof v === 'string' ? v : JSON.stringify(v));

const CORPUS: Readonly<Record<string, Bad>> = {
  // ---- usage
  'no command': { argv: ['frobnicate'], message: /^unknown command "frobnicate"; commands: grad, jacobian/ },
  'missing EXPR': { argv: ['grad', '--wrt', 'w', '--let', X], message: /^missing EXPR$/ },
  'missing --wrt': { argv: ['grad', 'sum(w)', '--let', X], message: /^missing --wrt/ },
  'missing --at': { argv: ['eval', 'sum(w)', '--let', X], message: /^missing --at VALUES\.json/ },
  'unknown option': {
    argv: ['grad', 'sum(w)', '--wrt', 'w', '--let', X, '--fromat', 'json'],
    message: /--fromat/,
  },
  'bad --format': {
    argv: ['grad', 'sum(w)', '--wrt', 'w', '--let', X, '--format', 'yaml'],
    message: /--format must be one of text, latex, json.*not yaml/,
  },
  'bad --trials': {
    argv: ['check', 'sum(w)', '--wrt', 'w', '--let', X, '--trials', '-3'],
    message: /--trials must be a positive integer, not -3/,
  },
  'huge --trials': {
    argv: ['check', 'sum(w)', '--wrt', 'w', '--let', X, '--trials', '1e99'],
    message: /--trials must be a positive integer/,
  },
  'two EXPRs': {
    argv: ['grad', 'sum(w)', 'sum(y)', '--wrt', 'w', '--let', X],
    message: /grad takes one EXPR; got 2/,
  },
  'bad --layout': {
    argv: ['jacobian', 'X*w', '--wrt', 'w', '--let', X, '--layout', 'sideways'],
    message: /--layout must be one of numerator, denominator, not sideways/,
  },
  'undeclared --wrt of a jacobian': {
    argv: ['jacobian', 'X*w', '--wrt', 'v', '--let', X],
    message: /--wrt v is not a declared variable/,
  },
  'two wrt for a hessian': {
    argv: ['hessian', 'sum(w)', '--wrt', 'w,y', '--let', X],
    message: /hessian takes one variable in --wrt/,
  },
  'duplicate --wrt': {
    argv: ['grad', 'sum(w)', '--wrt', 'w,w', '--let', X],
    message: /^--wrt names w twice$/,
  },
  'newline in --wrt': {
    argv: ['grad', 'sum(w)', '--wrt', 'w\nX', '--let', X],
    message: /^--wrt w\\nX is not a declared variable/,
  },
  'option as the value of --claim': {
    argv: ['verify', 'sum(w)', '--wrt', 'w', '--claim', '--x', '--let', X],
    message: /^--claim needs a value, and the next argument starts with a dash; write --claim=VALUE/,
  },
  // ---- bounded work
  'matrix power too high to differentiate': {
    argv: ['grad', 'sum(A^99999999)', '--wrt', 'A', '--let', 'A: n x n'],
    message: /^cannot differentiate the matrix power \^99999999: its derivative has 99999999 terms/,
  },
  'a size too large to evaluate': {
    argv: ['check', 'sum(x)', '--wrt', 'x', '--let', 'x: 100000000'],
    message: /^100000000 entries is too large to evaluate/,
  },
  'a size beyond 2^53': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: 1e21'],
    message: /^the dimension 1e21 is too large: a fixed size must be below 2\^53/,
    caret: { at: '--let:1:4', line: 'x: 1e21', carets: '   ^^^^' },
  },
  'glued dims': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: nxn'],
    message: /^`nxn` reads as one dimension name \(did you mean `n x n`\?\)/,
    caret: { at: '--let:1:4', line: 'x: nxn', carets: '   ^^^' },
  },
  'a dim no value binds': {
    argv: ['eval', 'sum(ones(n))', '--let', 'x: n', '--at', '-'],
    stdin: '{}',
    message:
      /^dimension n is not fixed by any value|^the size of dimension n is not known|^no value given for x/,
  },
  // ---- empty and binary input
  'empty EXPR': { argv: ['grad', '', '--wrt', 'w', '--let', X], message: /^EXPR is empty$/ },
  'blank EXPR': { argv: ['eval', '   \n\t ', '--let', X, '--at', '-'], message: /^EXPR is empty$/ },
  'empty stdin': { argv: ['grad', '-', '--wrt', 'w', '--let', X], stdin: '', message: /^EXPR is empty$/ },
  'binary garbage on stdin': {
    argv: ['grad', '-', '--wrt', 'w', '--let', X],
    stdin: '\u0000\u0001\u00ff\u0007binary\u0002',
    message: /^EXPR contains binary data$/,
  },
  // ---- syntax
  'unbalanced parenthesis': {
    argv: ['grad', 'sum((X*w - y)', '--wrt', 'w', '--let', X],
    message: /missing `\)`/,
    caret: { at: 'EXPR:1:14', line: 'sum((X*w - y)', carets: '             ^' },
  },
  'dangling operator': {
    argv: ['grad', 'sum(w) +', '--wrt', 'w', '--let', X],
    message: /unexpected end of input/,
    caret: { at: 'EXPR:1:9', line: 'sum(w) +', carets: '        ^' },
  },
  'two expressions': {
    argv: ['grad', 'sum(w)\nsum(y)', '--wrt', 'w', '--let', X],
    message: /single expression; a second one starts here/,
    caret: { at: 'EXPR:2:1', line: 'sum(y)', carets: '^^^' },
  },
  assignment: { argv: ['grad', 'w = 3', '--wrt', 'w', '--let', X], message: /assignment `=` is not part of/ },
  'matrix literal': {
    argv: ['eval', '[1, 2; 3, 4]', '--let', X, '--at', '-'],
    message: /not part of the language/,
  },
  'string literal': {
    argv: ['grad', 'sum("w")', '--wrt', 'w', '--let', X],
    message: /strings are not part of the language/,
  },
  // ---- names
  'unknown function': {
    argv: ['grad', 'sum(frob(w))', '--wrt', 'w', '--let', X],
    message: /unknown function `frob`/,
    caret: { at: 'EXPR:1:5', line: 'sum(frob(w))', carets: '    ^^^^' },
  },
  'misspelled function': {
    argv: ['grad', 'sum(sigmod(X*w))', '--wrt', 'w', '--let', X],
    message: /unknown function `sigmod`.*did you mean `sigmoid`/,
  },
  'ln for log': { argv: ['grad', 'sum(ln(w))', '--wrt', 'w', '--let', X], message: /did you mean `log`/ },
  'undeclared name': {
    argv: ['grad', 'sum(z)', '--wrt', 'w', '--let', X],
    message: /undeclared symbol `z`/,
    caret: { at: 'EXPR:1:5', line: 'sum(z)', carets: '    ^' },
  },
  'misspelled name': {
    argv: ['grad', 'sum((X*ww - y).^2)', '--wrt', 'w', '--let', X],
    message: /undeclared symbol `ww`.*did you mean `w`/,
  },
  'misspelled --wrt': {
    argv: ['grad', 'sum(w)', '--wrt', 'ww', '--let', X],
    message: /--wrt ww is not a declared variable.*did you mean `w`/,
  },
  'function used as a name': {
    argv: ['grad', 'sum(exp)', '--wrt', 'w', '--let', X],
    message: /`exp` is a function: call it as exp\(…\)/,
  },
  'variable called as a function': {
    argv: ['grad', 'sum(w(1))', '--wrt', 'w', '--let', X],
    message: /w is a variable, not a function/,
  },
  pi: { argv: ['grad', 'sum(w)*pi', '--wrt', 'w', '--let', X], message: /`pi` is not part of the language/ },
  'wrong argument count': {
    argv: ['grad', 'trace(X, X)', '--wrt', 'X', '--let', X],
    message: /trace takes 1 argument, got 2/,
  },
  'bad reduction dim': {
    argv: ['grad', 'sum(sum(X, 3))', '--wrt', 'X', '--let', X],
    message: /must be the literal 1 \(down columns\) or 2/,
  },
  // ---- shapes
  'inner dimensions differ': {
    argv: ['grad', 'sum(w*X)', '--wrt', 'w', '--let', X],
    message: /cannot multiply d×1 by n×d: inner dimensions 1 and n differ/,
    caret: { at: 'EXPR:1:6', line: 'sum(w*X)', carets: '     ^' },
  },
  'add without broadcast': {
    argv: ['grad', 'sum(w + y)', '--wrt', 'w', '--let', X],
    message: /cannot add d×1 and n×1/,
  },
  'grad of a vector': {
    argv: ['grad', 'X*w', '--wrt', 'w', '--let', X],
    message: /grad needs a scalar \(1×1\) expression.*use jacobian/,
  },
  'trace of a non-square': {
    argv: ['grad', 'trace(X)', '--wrt', 'X', '--let', X],
    message: /trace needs a square matrix, got n×d/,
  },
  'divide by a matrix': {
    argv: ['grad', 'sum(y/X)', '--wrt', 'y', '--let', X],
    message: /cannot divide by the n×d matrix `X`/,
  },
  'matrix power of a non-square': {
    argv: ['grad', 'sum(X^2)', '--wrt', 'X', '--let', X],
    message: /needs a square matrix, got n×d/,
  },
  // ---- declarations
  'declaration missing a dim': {
    argv: ['grad', 'sum(X)', '--wrt', 'X', '--let', 'X: n x'],
    message: /missing dimension after `x`/,
    caret: { at: '--let:1:7', line: 'X: n x', carets: '      ^' },
  },
  'negative dim': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: -3'],
    message: /a dimension must be a positive integer or a name, got -3/,
  },
  'fractional dim': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: 2.5'],
    message: /positive integer or a name, got 2\.5/,
  },
  'duplicate name': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: n; x: d'],
    message: /`x` is declared twice/,
  },
  'reserved name': {
    argv: ['grad', 'sum(exp)', '--wrt', 'exp', '--let', 'exp: n'],
    message: /`exp` is reserved/,
  },
  'name and dim clash': {
    argv: ['grad', 'sum(n)', '--wrt', 'n', '--let', 'x: n; n: d'],
    message: /used both as a dimension and as a variable/,
  },
  'unknown qualifier': {
    argv: ['grad', 'logdet(S)', '--wrt', 'S', '--let', 'S: n x n spdd'],
    message: /unknown qualifier `spdd`.*did you mean `spd`/,
  },
  'spd of a non-square': {
    argv: ['grad', 'sum(S)', '--wrt', 'S', '--let', 'S: n x d spd'],
    message: /`spd` needs a square shape, got n×d/,
  },
  'no colon': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x n'],
    message: /a declaration reads `name: dims`/,
  },
  'invalid name': { argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', '2x: n'], message: /invalid name `2x`/ },
  'three dims': {
    argv: ['grad', 'sum(x)', '--wrt', 'x', '--let', 'x: n x d x k'],
    message: /at most two dimensions/,
  },
  // ---- injection attempts
  'statement injection': {
    argv: ['eval', 'sum(x); process.exit(7)', '--let', 'x: n', '--at', '-'],
    stdin: '{"x": [1]}',
    message: /`;` is not allowed: the input must be a single expression/,
    caret: { at: 'EXPR:1:7', line: 'sum(x); process.exit(7)', carets: '      ^' },
  },
  'function injection': {
    argv: ['grad', 'sum(x) + require("child_process")', '--wrt', 'x', '--let', 'x: n'],
    message: /strings are not part of the language/,
  },
  'constructor as a name': {
    argv: ['grad', 'sum(constructor)', '--wrt', 'x', '--let', 'x: n'],
    message: /undeclared symbol `constructor`/,
  },
  'constructor as a function': {
    argv: ['grad', 'constructor(x)', '--wrt', 'x', '--let', 'x: n'],
    message: /unknown function `constructor`/,
  },
  '__proto__ as a function': {
    argv: ['grad', '__proto__(x)', '--wrt', 'x', '--let', 'x: n'],
    message: /unknown function `__proto__`/,
  },
  'toString as a command': { argv: ['toString'], message: /unknown command "toString"/ },
  'mathjs import': {
    argv: ['eval', 'import({a: 1})', '--let', 'x: n', '--at', '-'],
    message: /objects \(`\{`\) are not part of the language/,
  },
  'property access': {
    argv: ['grad', 'x.constructor', '--wrt', 'x', '--let', 'x: n'],
    message: /`\.` is not an operator/,
  },
  // ---- numbers
  'huge number': {
    argv: ['grad', 'sum(x)*1e999', '--wrt', 'x', '--let', 'x: n'],
    message: /the number `1e999` is too large/,
  },
  'complex number': {
    argv: ['grad', 'sum(x)*2i', '--wrt', 'x', '--let', 'x: n'],
    message: /complex numbers are not part of the language/,
  },
  // ---- VALUES.json
  'unreadable file': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', unreadable],
    message: /^cannot read \S+: (EACCES|EIO)$/,
  },
  'missing file': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', join(dir, 'nope.json')],
    message: /cannot read .*nope\.json: no such file/,
  },
  'directory as a file': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', aDirectory],
    message: /cannot read .*: is a directory/,
  },
  'invalid JSON': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('trunc.json', '{"x": [1, 2')],
    message: /is not valid JSON/,
  },
  'empty JSON file': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('empty.json', '')],
    message: /is not valid JSON/,
  },
  'NaN in JSON': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('nan.json', '{"x": [1, NaN]}')],
    message: /is not valid JSON/,
  },
  'JSON array': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('arr.json', [1, 2])],
    message: /must hold a JSON object/,
  },
  'missing variable': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('missing.json', {})],
    message: /no value given for x/,
  },
  'string value': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('str.json', { x: [1, 'a', 3] })],
    message: /value of x: expected a number at index 1, got the string "a"/,
  },
  'boolean value': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('bool.json', { x: true })],
    message: /value of x: expected a number/,
  },
  'null value': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('null.json', { x: null })],
    message: /value of x: .*null/,
  },
  'empty array': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('emptyarr.json', { x: [] })],
    message: /value of x: empty array/,
  },
  'ragged rows': {
    argv: ['eval', 'sum(X)', '--let', 'X: n x d', '--at', json('ragged.json', { X: [[1, 2], [3]] })],
    message: /row 2 has 1 entries, row 1 has 2/,
  },
  'huge value': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('huge.json', '{"x": [1, 1e999]}')],
    message: /Infinity .*is not a finite number/,
  },
  'wrong size': {
    argv: [
      'eval',
      'X*w',
      '--let',
      'X: n x d; w: d',
      '--at',
      json('wrongsize.json', {
        X: [
          [1, 2],
          [3, 4],
        ],
        w: [1, 2, 3],
      }),
    ],
    message: /d is 2 in X but 3 in w/,
  },
  'fixed size mismatch': {
    argv: ['eval', 'sum(x)', '--let', 'x: 3', '--at', json('fixed.json', { x: [1, 2] })],
    message: /x is declared with 3 rows but its value has 2/,
  },
  'object value': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('obj.json', { x: { rows: 3 } })],
    message: /value of x: expected a number, an array or an array of rows/,
  },
  '__proto__ in JSON': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', json('proto.json', '{"__proto__": {"x": [1]}}')],
    message: /no value given for x/,
  },
  'VALUES from binary stdin': {
    argv: ['eval', 'sum(x)', '--let', 'x: n', '--at', '-'],
    stdin: '\u0000\u0001garbage',
    message: /is not valid JSON/,
  },
  // ---- numeric
  'singular inverse': {
    argv: [
      'eval',
      'inv(A)',
      '--let',
      'A: n x n',
      '--at',
      json('sing.json', {
        A: [
          [1, 2],
          [2, 4],
        ],
      }),
    ],
    message: /singular/,
  },
  'singular logdet': {
    argv: [
      'eval',
      'logdet(A)',
      '--let',
      'A: n x n',
      '--at',
      json('zero.json', {
        A: [
          [0, 0],
          [0, 0],
        ],
      }),
    ],
    message: /singular/,
  },
};

const stackTrace = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at \S+:\d+:\d+/;

describe('bad input corpus', () => {
  // The commands' modules load on first use; `--help` loads them all, outside the timed runs.
  // (a guard, not a timing: on a loaded machine loading every command takes well over vitest's 10 s default)
  beforeAll(async () => {
    await main(['--help'], capture());
  }, 120_000);

  it('has at least 50 cases across every command', () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(50);
    const commands = new Set(Object.values(CORPUS).map((c) => c.argv[0]));
    for (const c of ['grad', 'jacobian', 'hessian', 'eval', 'check']) expect(commands).toContain(c);
  });

  it.each(Object.entries(CORPUS))('%s', async (_name, bad) => {
    const io = capture(bad.stdin);
    const t0 = Date.now();
    const code = await main(bad.argv, io);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(code).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).not.toMatch(stackTrace);
    expect(io.stderr).not.toMatch(/internal error/);
    const lines = io.stderr.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^matcalc: error: \S/);
    const message = lines[0].slice('matcalc: error: '.length);
    expect(message).toMatch(bad.message);
    if (bad.caret) {
      expect(lines).toEqual([lines[0], bad.caret.line, bad.caret.carets]);
      expect(lines[0].endsWith(` at ${bad.caret.at}`)).toBe(true);
    } else {
      // A position, when there is one, comes with exactly the source line and the caret line.
      expect(
        lines.length === 1 ||
          (lines.length === 3 && / at \S+:\d+:\d+$/.test(lines[0]) && /^\s*\^+$/.test(lines[2])),
      ).toBe(true);
    }
  });

  it('the same through jacobian and check as through grad', async () => {
    for (const cmd of ['jacobian', 'check', 'hessian']) {
      const io = capture();
      expect(await main([cmd, 'X*ww', '--wrt', 'w', '--let', X], io)).toBe(2);
      expect(io.stderr).toMatch(
        /^matcalc: error: undeclared symbol `ww`.*did you mean `w`.* at EXPR:1:3\nX\*ww\n {2}\^\^\n$/,
      );
    }
  });
});

describe('no silent zero', () => {
  it('a gradient that simplifies to exactly zero is said so on stderr', async () => {
    const io = capture();
    expect(await main(['grad', 'sum(x) - sum(x) + sum(y)', '--wrt', 'x,y', '--let', 'x: n; y: n'], io)).toBe(
      0,
    );
    expect(io.stderr).toBe('note: the grad with respect to x is exactly zero\n');
    expect(io.stdout).toMatch(/^∂f\/∂x = zeros\(n, 1\)\n∂f\/∂y = ones\(n, 1\)\n$/);
  });

  it('so is a variable the expression does not mention, and a zero Hessian', async () => {
    const io = capture();
    expect(await main(['grad', 'sum(x)', '--wrt', 'y', '--let', 'x: n; y: n'], io)).toBe(0);
    expect(io.stderr).toMatch(/note: the grad with respect to y is exactly zero/);
    const h = capture();
    expect(await main(['hessian', "w'*y", '--wrt', 'w', '--let', 'w: n; y: n'], h)).toBe(0);
    expect(h.stderr).toMatch(/note: the hessian with respect to w is exactly zero/);
  });

  it('and check confirms the zero numerically, or refutes a wrong one', async () => {
    const io = capture();
    expect(await main(['check', 'sum(x) - sum(x) + sum(y)', '--wrt', 'x,y', '--let', 'x: n; y: n'], io)).toBe(
      0,
    );
    expect(io.stdout).toMatch(/^ok {3}x \(n×1\): max relative error 0\.00e\+0/m);
    // step is flat almost everywhere: its gradient is zero, and finite differences agree.
    const s = capture();
    expect(await main(['check', 'sum(step(x))', '--wrt', 'x', '--let', 'x: n'], s)).toBe(0);
    expect(s.stdout).toMatch(/^ok {3}x/m);
  });
});

describe('through a real process', () => {
  const cli = (args: readonly string[], input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: join(__dirname, '..', '..'),
      input,
      encoding: 'utf8',
    });

  it.each([
    ['a syntax error', ['grad', 'sum((X*w - y)', '--wrt', 'w', '--let', X], undefined],
    ['an injection attempt', ['eval', 'sum(x); process.exit(7)', '--let', 'x: n', '--at', '-'], '{"x": [1]}'],
    [
      'binary garbage on stdin',
      ['grad', '-', '--wrt', 'w', '--let', X],
      readFileSync(process.execPath).subarray(0, 4096).toString('latin1'),
    ],
    ['a singular matrix', ['eval', 'inv(A)', '--let', 'A: n x n', '--at', '-'], '{"A": [[1, 2], [2, 4]]}'],
    ['an unknown command', ['constructor'], undefined],
  ])('%s: exit 2, one message on stderr, nothing on stdout', (_name, args, input) => {
    const r = cli(args, input);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^matcalc: error: /);
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.stderr.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(3);
  });

  it('a good command still exits 0 with its answer on stdout', () => {
    const r = cli(['grad', 'sum((X*w - y).^2)', '--wrt', 'w', '--let', X]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("2*X'*(X*w - y)\n");
  });
});
