// `matcalc eval` end to end, against NumPy (python3 + numpy run at test time as the independent reference).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/io.js';

function numpy(script: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
}

const values = {
  A: [
    [1, 2, 0],
    [0.5, -1, 3],
    [2, 1, 1],
  ],
  B: [
    [4, 1, 0],
    [1, 3, 1],
    [0, 1, 2],
  ],
  S: [
    [0.1, 2, -1],
    [3, 0, 0.5],
  ],
  v: [1, -2, 0.5],
};

describe('matcalc eval', () => {
  it('trace(A*inv(B)) + sum(softmax(S, 2), 1)*v matches numpy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-eval-'));
    const file = join(dir, 'v.json');
    writeFileSync(file, JSON.stringify(values));
    const io = capture();
    const code = await main(
      [
        'eval',
        'trace(A*inv(B)) + sum(softmax(S, 2), 1)*v',
        '--let',
        'A: n x n; B: n x n; S: m x n; v: n',
        '--at',
        file,
        '--format',
        'json',
      ],
      io,
    );
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const got = JSON.parse(io.stdout) as { shape: number[]; value: number[][] };
    const ref = numpy(`
import json, numpy as np
V = json.load(open(${JSON.stringify(file)}))
A, B, S = (np.array(V[k], float) for k in 'ABS')
v = np.array(V['v'], float).reshape(-1, 1)
P = np.exp(S - S.max(axis=1, keepdims=True)); P /= P.sum(axis=1, keepdims=True)
r = np.trace(A @ np.linalg.inv(B)) + (P.sum(axis=0, keepdims=True) @ v)
print(json.dumps(r.tolist()))`) as number[][];
    expect(got.shape).toEqual([1, 1]);
    expect(got.value[0][0]).toBeCloseTo(ref[0][0], 12);
  });

  it('refuses X*W with inner dims d and k, naming both shapes, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-eval-'));
    const file = join(dir, 'v.json');
    writeFileSync(file, '{}');
    const io = capture();
    const code = await main(['eval', 'X*W', '--let', 'X: n x d; W: k x h', '--at', file], io);
    expect(code).toBe(2);
    const first = io.stderr.split('\n')[0];
    expect(first).toMatch(/^matcalc: error: /);
    expect(first).toContain('n×d');
    expect(first).toContain('k×h');
    expect(io.stdout).toBe('');
  });

  it('binds dims from values and reports inconsistent ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-eval-'));
    const file = join(dir, 'v.json');
    writeFileSync(
      file,
      JSON.stringify({
        X: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        y: [1, 2, 3, 4],
      }),
    );
    const io = capture();
    const code = await main(['eval', "sum(X, 2)'*y", '--let', 'X: n x d; y: n', '--at', file], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain('n is 3 in X but 4 in y');
  });

  it('evaluates a sum of 10,000 terms without overflowing the stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'matcalc-eval-'));
    const file = join(dir, 'v.json');
    writeFileSync(file, JSON.stringify({ x: 0.5 }));
    const io = capture();
    const expr = Array.from({ length: 10_000 }, () => 'x').join(' + ');
    const code = await main(['eval', expr, '--let', 'x: scalar', '--at', file, '--format', 'json'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout).value[0][0]).toBeCloseTo(5000, 9);
  });
});
