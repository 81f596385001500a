// verify FILE.md|FILE.tex from the command line: unread math listed with line, column and fragment (and
// failing under --strict), JSON entries, no vacuous passes, mistyped fences, --let, and derivatives with
// respect to named intermediates (checked against finite differences of the loss with H as an input).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradAt } from '../../src/api.js';
import { main } from '../../src/cli/main.js';
import { evaluate } from '../../src/index.js';
import { matrix } from '../../src/kernels/matrix.js';
import { extendScope, parseDecls } from '../../src/parse/decls.js';
import { parseExpr } from '../../src/parse/expr.js';
import { verifyDocument } from '../../src/verify/claims.js';
import { capture } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'matcalc-latex-'));
let n = 0;
function file(text: string, ext = 'md'): string {
  const p = join(dir, `post${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

async function verify(...argv: string[]) {
  const io = capture();
  const code = await main(['verify', ...argv], io);
  return { code, out: io.stdout, err: io.stderr };
}

const BACKPROP = `# Two layers
\`\`\`matcalc
let X: n x d; Y: n x k
let W1: d x h; b1: h; W2: h x k; b2: k
Z1 = X*W1 + b1'
H = tanh(Z1)
Z2 = H*W2 + b2'
L = sum((Z2 - Y).^2)/(2*n)
delta2 = (Z2 - Y)/n
claim grad(L, H) = delta2*W2'
claim grad(L, Z1) = (delta2*W2') .* (1 - H.^2)
grad L wrt H, Z1, W1
claim grad(L, H) = delta2*W2
claim grad(L, H) = 2*delta2*W2'
\`\`\`
`;

describe('derivatives with respect to named intermediates', () => {
  it("claim grad(L, H) = delta2*W2' verifies; a wrong one is diagnosed and the file still checked", () => {
    const r = verifyDocument(BACKPROP, 'b.md');
    const c = r.checks.flatMap((x) => (x.kind === 'chain' ? x.steps : [x]));
    expect(c.map((x) => x.verdict.equal)).toEqual([true, true, false, false]);
    expect(c[2].diagnosis?.kind).toBe('shape-conflict');
    expect(c[2].diagnosis?.message).toMatch(/a missing transpose on `W2`/);
    expect(c[3].diagnosis?.kind).toBe('factor');
  });

  it('the API: gradAt(L, "H") equals finite differences of L with H an input', () => {
    // The reference: the same loss written over a declared H, differentiated by central differences.
    let scope = parseDecls('X: n x d; W1: d x h; W2: h x k; Y: n x k');
    scope = extendScope(scope, 'H', parseExpr('tanh(X*W1)', scope));
    const L = parseExpr('sum((H*W2 - Y).^2)', scope);
    const g = gradAt(L, 'H', { scope });
    const free = parseDecls('Hin: n x h; W2: h x k; Y: n x k');
    const Lh = parseExpr('sum((Hin*W2 - Y).^2)', free);
    const [nn, d, h, k] = [3, 2, 4, 2];
    const rnd = (r: number, c: number, s: number) =>
      matrix(
        r,
        c,
        Float64Array.from({ length: r * c }, (_, i) => Math.sin(s * 7.1 + i * 1.3)),
      );
    const values = { X: rnd(nn, d, 1), W1: rnd(d, h, 2), W2: rnd(h, k, 3), Y: rnd(nn, k, 4) };
    const sizes = { n: nn, d, h, k };
    const Hval = evaluate(parseExpr('tanh(X*W1)', scope), { ...values, ...sizes } as never);
    const got = evaluate(g, { ...values, ...sizes } as never);
    const eps = 1e-6;
    for (let i = 0; i < Hval.data.length; i++) {
      const at = (delta: number) => {
        const Hin = matrix(nn, h, Float64Array.from(Hval.data));
        Hin.data[i] += delta;
        return evaluate(Lh, { Hin, W2: values.W2, Y: values.Y, ...sizes } as never).data[0];
      };
      expect(got.data[i]).toBeCloseTo((at(eps) - at(-eps)) / (2 * eps), 6);
    }
  });
});

describe('display math that cannot be read', () => {
  const unread = `<!-- matcalc let x: n; A: n x n -->

$$
\\nabla_x (x^\\top A x) = (A + A^\\top) x
$$

$$
\\int_0^1 x \\, dt = \\mathbb{E}[x]
$$

$$
\\begin{align}
y &\\le x \\\\
\\nabla_x (x^\\top x) &= 2 \\unknowncommand x
\\end{align}
$$
`;
  it('is listed with line, column and fragment, and does not fail the file unless --strict', async () => {
    const p = file(unread);
    const r = await verify(p);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\?\? +.*:8:1 +not understood: `\\int_0\^1 x \\, dt`/m);
    expect(r.out).toMatch(/:13:1 +not understood: `y &\\le x`.*the relation `\\le` is not checked/);
    expect(r.out).toMatch(/:14:.*not understood: .*\\unknowncommand/);
    expect(r.out).toMatch(/the one check holds; 4 piece\(s\) of math not understood/);
    const strict = await verify(p, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/could not be read \(--strict\)/);
  });

  it('--format json keeps files[].checks[] with line and verdict.equal, plus kind "not understood" entries', async () => {
    const r = await verify(file(unread), '--format', 'json');
    const j = JSON.parse(r.out);
    const checks = j.files[0].checks;
    expect(checks.map((c: { line: number }) => c.line)).toEqual(
      [...checks.map((c: { line: number }) => c.line)].sort((a, b) => a - b),
    );
    const claim = checks.find((c: { kind: string }) => c.kind === 'claim');
    expect(claim).toMatchObject({ line: 4, verdict: { equal: true } });
    const unreadEntries = checks.filter((c: { kind: string }) => c.kind === 'not understood');
    expect(unreadEntries.length).toBe(4);
    for (const u of unreadEntries)
      expect(u).toEqual(
        expect.objectContaining({
          line: expect.any(Number),
          column: expect.any(Number),
          fragment: expect.any(String),
          reason: expect.any(String),
        }),
      );
  });

  it('never crashes on arbitrary TeX', () => {
    const atoms = [
      'x',
      'A',
      '^\\top',
      '_1',
      '\\frac{',
      '}',
      '{',
      '(',
      ')',
      '\\left(',
      '\\right)',
      '+',
      '-',
      '=',
      '&',
      '\\\\',
      '\\odot',
      '\\nabla_x',
      '\\partial',
      '/',
      '\\|',
      '^2',
      '\\mathbf{1}',
      'I',
      '\\log',
      '\\sum_x',
      '\\text{ok}',
      '2',
      '\\sigma',
      ',',
      "'",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { maxLength: 14 }), (parts) => {
        const r = verifyDocument(`<!-- matcalc let x: n; A: n x n -->\n$$\n${parts.join(' ')}\n$$\n`, 'f.md');
        expect(r.count + r.unread.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('no vacuous passes', () => {
  it('a file with no checks exits 1 saying none were found', async () => {
    const r = await verify(
      file('# Notes\n\nJust prose, and math without declarations:\n\n$$\n\\nabla_w L = X^\\top r\n$$\n'),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no checks were found.*declares its symbols/);
  });

  it('a mistyped fence is reported and fails the file', async () => {
    const typo = await verify(
      file('```Matcalc\nlet x: n\nclaim x = x\n```\n\n```matcalc\nlet y: n\nclaim y = y\n```\n'),
    );
    expect(typo.code).toBe(1);
    expect(typo.out).toMatch(/line 1: a ```Matcalc block/);
    const math = await verify(file('```math\nlet x: n\nclaim grad(sum(x), x) = ones(n, 1)\n```\n'));
    expect(math.code).toBe(1);
    expect(math.out).toMatch(/```math block that looks like matcalc statements/);
    // A ```math block of TeX is fine.
    const tex = await verify(file('```math\n\\nabla_x f\n```\n\n```matcalc\nlet y: n\nclaim y = y\n```\n'));
    expect(tex.code).toBe(0);
  });
});

describe('declarations', () => {
  it('--let declares the symbols of a post that has no comment', async () => {
    const p = file('$$\n\\nabla_w \\|X w - y\\|^2 = 2 X^\\top (X w - y)\n$$\n');
    expect((await verify(p)).code).toBe(1);
    expect((await verify(p, '--let', 'X: n x d; w: d; y: n')).code).toBe(0);
  });

  it('a .tex file declares in a % comment; display math in \\[ \\] and equation', async () => {
    const tex =
      '% matcalc let X: n x d; w: d\n\\[ \\nabla_w \\|X w\\|^2 = 2 X^\\top X w \\]\n\\begin{equation}\n\\nabla_w \\|X w\\|^2 = X^\\top X w\n\\end{equation}\n';
    const r = await verify(file(tex, 'tex'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ok +.*:2:.*claim/);
    expect(r.out).toMatch(/FAIL +.*:4:.*claim[\s\S]*factor/);
  });

  it('a bad declaration comment is bad input, pointing into the file', async () => {
    const r = await verify(file('<!-- matcalc let x: n; y: q x -->\n$$\nx = y\n$$\n'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing dimension after `x` .* at .*:1:30/);
  });
});
