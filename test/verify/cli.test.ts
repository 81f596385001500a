import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture as captureIo } from '../helpers/io.js';

const capture = (stdin = '') => captureIo(stdin, new URL('../../', import.meta.url));

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(['verify', ...argv], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('matcalc verify EXPR --wrt X --claim CLAIM', () => {
  it("exits 1 and says the claim has the transposed shape of the gradient (A')", async () => {
    const r = await run('trace(X*A)', '--wrt', 'X', '--claim', 'A', '--let', 'X: m x n; A: n x m');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the claim has the transposed shape of the gradient/);
    expect(r.out).toContain("`A'`");
  });

  it('exits 0 for a right claim, saying how it was decided', async () => {
    const r = await run(
      'sum((X*w - y).^2)',
      '--wrt',
      'w',
      '--claim',
      "2*X'*X*w - 2*X'*y",
      '--let',
      'X: n x d; w: d; y: n',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^equal \(decided (symbolically|numerically)\)/);
  });

  it('--format json gives the verdict, the method, the diagnosis and the counterexample', async () => {
    const r = await run(
      'sum((X*w - y).^2)',
      '--wrt',
      'w',
      '--claim',
      "X'*(X*w - y)",
      '--let',
      'X: n x d; w: d; y: n',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      equal: false,
      method: 'numeric',
      gradient: "2*X'*(X*w - y)",
      diagnosis: { kind: 'factor', factor: '1/2' },
    });
    expect(Object.keys(j.counterexample).sort()).toEqual(['claimed', 'col', 'dims', 'expected', 'row']);
    expect(j.counterexample.expected).toBeCloseTo(2 * j.counterexample.claimed, 9);
  });

  it('a claim that does not parse is bad input (exit 2)', async () => {
    const decls = ['--let', 'X: n x d; w: d; y: n'];
    const bad = await run('sum((X*w - y).^2)', '--wrt', 'w', '--claim', "X'*(X*w - ", ...decls);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^matcalc: error: .* at --claim:1:\d+/);
  });

  it('a claim whose own shapes do not fit is a wrong claim (exit 1): the conflict and the missing transpose', async () => {
    // The acceptance case: the gradient of ‖XW − Y‖² is 2Xᵀ(XW − Y); the claim forgot the transpose.
    const r = await run(
      'sum((X*W - Y).^2)',
      '--wrt',
      'W',
      '--claim',
      '2*X*(X*W - Y)',
      '--let',
      'X: n x d; W: d x k; Y: n x k',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/shapes do not fit: `2\*X\*\(X\*W - Y\)` is \[n×d\]\[n×k\]/);
    expect(r.out).toMatch(/a missing transpose on `X` \(`2\*X'\*\(X\*W - Y\)` equals the gradient\)/);
    const json = await run(
      'sum((X*w - y).^2)',
      '--wrt',
      'w',
      '--claim',
      "(X*w - y)'*X*2",
      '--format',
      'json',
      '--let',
      'X: n x d; w: d; y: n',
    );
    expect(json.code).toBe(1);
    const j = JSON.parse(json.out);
    expect(j.equal).toBe(false);
    expect(j.diagnosis.kind).toMatch(/^shape-/);
    // An extra transpose is found too, and two edits at once.
    const extra = await run(
      'sum((X*W - Y).^2)',
      '--wrt',
      'W',
      '--claim',
      "2*X'*(X*W - Y)'",
      '--let',
      'X: n x d; W: d x k; Y: n x k',
    );
    expect(extra.out).toMatch(/an extra transpose in `\(X\*W - Y\)'`/);
    const two = await run(
      'trace(A*X*B)',
      '--wrt',
      'X',
      '--claim',
      'A*B',
      '--let',
      'A: p x m; X: m x n; B: n x p',
    );
    expect(two.code).toBe(1);
  });

  it('usage errors exit 2', async () => {
    expect((await run('sum(x)', '--wrt', 'x', '--let', 'x: n')).code).toBe(2);
    expect((await run('sum(x.*y)', '--wrt', 'x,y', '--claim', 'y', '--let', 'x: n; y: n')).code).toBe(2);
    expect((await run('f.md', '--let', 'x: n')).code).toBe(2);
  });
});

describe('matcalc verify FILE.md', () => {
  it('derivations/score-function.md exits 0', async () => {
    const r = await run('derivations/score-function.md');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/all \d+ checks hold/);
    expect(r.out).not.toMatch(/FAIL/);
  });

  it('the wrong variant exits 1 naming the failing step and line', async () => {
    const r = await run('test/fixtures/score-function-wrong.md');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /FAIL {2}test\/fixtures\/score-function-wrong\.md:16 {2}step 2 of the chain at line 13/,
    );
    expect(r.out).toMatch(/a missing factor `p`/);
    expect(r.out).toMatch(/the first at test\/fixtures\/score-function-wrong\.md:16/);
  });

  it('--format json lists each check with verdict, method and diagnosis', async () => {
    const r = await run('test/fixtures/score-function-wrong.md', '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    const [f] = j.files[0].failures;
    expect(f).toMatchObject({
      line: 16,
      verdict: { equal: false, method: 'numeric' },
      diagnosis: { kind: 'factor' },
    });
    expect(f.diagnosis.counterexample.dims).toHaveProperty('k');
  });

  it('a statement error in a file exits 2 with file:line:column and a caret', async () => {
    const io = capture();
    io.readFile = () => '# x\n```matcalc\nlet x: n\nclaim sum(x) = sum(y)\n```\n';
    const code = await main(['verify', 'bad.md'], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/undeclared symbol `y`.* at bad\.md:4:20\nclaim sum\(x\) = sum\(y\)\n {19}\^/);
  });
});
