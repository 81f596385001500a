// `matcalc derive` end to end: a derivation with a dimension error is refused with the file, the line and
// the mismatched shapes; options are validated; a failing claim makes the exit status 1.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './helpers.js';

function derivation(text: string): { file: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-derive-'));
  const file = join(dir, 'case.md');
  writeFileSync(file, text);
  return { file, out: join(dir, 'out') };
}

describe('matcalc derive', () => {
  it('refuses a dimension error with file, line and shapes', async () => {
    const { file, out } = derivation(
      '# Broken\n\nThe second layer is transposed.\n\n```matcalc\nlet X: n x d; W1: d x h; W2: k x h\nH = tanh(X*W1)\nZ = H*W2\nL = sum(Z)\ngrad L wrt W1\n```\n',
    );
    const io = capture();
    expect(await main(['derive', file, '--out', out], io)).toBe(2);
    // The path is printed relative to the working directory, so compare its last two components.
    expect(io.stderr).toContain(`${basename(dirname(file))}/case.md:8:`);
    expect(io.stderr).toMatch(/n×h/);
    expect(io.stderr).toMatch(/k×h/);
    expect(io.stderr).not.toMatch(/at .*\.ts:/);
    expect(existsSync(join(out, 'case.html'))).toBe(false);
  });

  it('writes the pages and prints the summary table', async () => {
    const { file, out } = derivation(
      "# Ridge\n\n```matcalc\nlet X: n x d; y: n; w: d\nL = sum((X*w - y).^2)/2\ngrad L wrt w\nclaim grad(L, w) = X'*(X*w - y)\n```\n",
    );
    const io = capture();
    expect(await main(['derive', file, '--out', out, '--style', 'differential'], io)).toBe(0);
    expect(io.stdout).toMatch(/^derivation\s+steps\s+checks passed\s+worst relative error/);
    expect(io.stdout).toMatch(/case\s+\d+\s+2\/2\s+< 1e-\d+\s+ok/);
    expect(io.stderr).not.toContain('deriving');
    for (const f of [
      'case.md',
      'case.html',
      'case.graph.svg',
      'index.md',
      'index.html',
      'style.css',
      'katex/katex.min.css',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(readFileSync(join(out, 'case.md'), 'utf8')).toContain('**Style: differentials.**');
  });

  it('exits 1 when a claim fails, and still writes the page showing it', async () => {
    const { file, out } = derivation(
      "# Wrong\n\n```matcalc\nlet X: n x d; y: n; w: d\nL = sum((X*w - y).^2)/2\ngrad L wrt w\nclaim grad(L, w) = X'*(X*w - y)/2\n```\n",
    );
    const io = capture();
    expect(await main(['derive', file, '--out', out], io)).toBe(1);
    expect(io.stdout).toMatch(/case\s+\d+\s+1\/2\s+.*FAIL/);
    expect(readFileSync(join(out, 'case.md'), 'utf8')).toMatch(/✗ \*\*claim\*\* .*\\neq.* does not hold/);
  });

  it('rejects unknown options and values', async () => {
    const io = capture();
    expect(await main(['derive', 'derivations', '--layout', 'sideways'], io)).toBe(2);
    expect(io.stderr).toContain('--layout must be one of denominator, numerator');
    expect(await main(['derive'], io)).toBe(2);
    expect(await main(['derive', 'no/such/folder', '--out', tmpdir()], io)).toBe(2);
    expect(io.stderr).toContain('no/such/folder');
  });
});
