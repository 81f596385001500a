// What `matcalc derive` may write: never an input file or a file it did not write, a folder of files
// derived as far as each one allows, one index that gains rows, and clear one-line errors for bad --out.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './helpers.js';

const GOOD =
  "# Good\n\n```matcalc\nlet X: n x d; y: n; w: d\nL = sum((X*w - y).^2)/2\ngrad L wrt w\nclaim grad(L, w) = X'*(X*w - y)\n```\n";
const OTHER = '# Other\n\n```matcalc\nlet x: n\nf = sum(exp(x))\ngrad f wrt x\n```\n';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-files-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function derive(...args: string[]) {
  const io = capture();
  const code = await main(['derive', ...args], io);
  return { code, io };
}

describe('derive refuses to overwrite', () => {
  it('its own input: derive FILE --out . in the file’s folder', async () => {
    const dir = folder({});
    copyFileSync('derivations/least-squares.md', join(dir, 'least-squares.md'));
    const before = readFileSync(join(dir, 'least-squares.md'), 'utf8');
    const { code, io } = await derive(join(dir, 'least-squares.md'), '--out', dir);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(
      /^matcalc: error: refusing to overwrite .*least-squares\.md: it is an input file/,
    );
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'least-squares.md'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'least-squares.html'))).toBe(false);
  });

  it('the inputs of a folder derived into itself', async () => {
    const dir = folder({ 'a.md': GOOD, 'b.md': OTHER });
    const { code, io } = await derive(dir, '--out', dir);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/a\.md: it is an input file/);
    expect(io.stderr).toMatch(/b\.md: it is an input file/);
    expect(readFileSync(join(dir, 'a.md'), 'utf8')).toBe(GOOD);
    expect(readFileSync(join(dir, 'b.md'), 'utf8')).toBe(OTHER);
  });

  it('a file matcalc did not write, but regenerates its own files', async () => {
    const src = folder({ 'case.md': GOOD });
    const out = join(src, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'case.html'), '<p>my own page</p>');
    const first = await derive(join(src, 'case.md'), '--out', out);
    expect(first.code).toBe(2);
    expect(first.io.stderr).toMatch(/case\.html: it exists and was not written by matcalc derive/);
    expect(readFileSync(join(out, 'case.html'), 'utf8')).toBe('<p>my own page</p>');
    expect(existsSync(join(out, 'case.md'))).toBe(false);
    writeFileSync(join(out, 'case.html'), '');
    const again = await derive(join(src, 'case.md'), '--out', out);
    expect(again.code).toBe(2);
    const fresh = join(src, 'fresh');
    expect((await derive(join(src, 'case.md'), '--out', fresh)).code).toBe(0);
    expect((await derive(join(src, 'case.md'), '--out', fresh)).code).toBe(0);
  });

  it('a user index.md in the output folder, and a derivation named index.md', async () => {
    const src = folder({ 'index.md': GOOD, 'good.md': OTHER });
    const out = join(src, 'out');
    const { code, io } = await derive(src, '--out', out);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/cannot be named index\.md/);
    expect(readFileSync(join(src, 'index.md'), 'utf8')).toBe(GOOD);
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toContain('# Derivations');
    expect(existsSync(join(out, 'good.html'))).toBe(true);
    const mine = folder({ 'case.md': GOOD });
    const out2 = join(mine, 'site');
    mkdirSync(out2);
    writeFileSync(join(out2, 'index.md'), '# My blog\n');
    const second = await derive(join(mine, 'case.md'), '--out', out2);
    expect(second.code).toBe(2);
    expect(second.io.stderr).toMatch(/index\.md: it exists and was not written by matcalc derive/);
    expect(readFileSync(join(out2, 'index.md'), 'utf8')).toBe('# My blog\n');
  });
});

describe('bad --out folders', () => {
  it('an existing file, a path below a file, a folder that cannot be created: one line, exit 2', async () => {
    const src = folder({ 'case.md': GOOD, 'plain.txt': 'x' });
    for (const [out, why] of [
      [join(src, 'plain.txt'), /is a file, not a folder/],
      [join(src, 'plain.txt', 'sub'), /is a file, not a folder/],
      ['/proc/matcalc-no-such/x', /cannot create the folder .*: no such folder|permission denied/],
    ] as const) {
      const { code, io } = await derive(join(src, 'case.md'), '--out', out);
      expect(code, out).toBe(2);
      expect(io.stderr, out).toMatch(why);
      expect(io.stderr).not.toContain('internal error');
      expect(io.stderr.trim().split('\n'), out).toHaveLength(1);
    }
  });
});

describe('script in derivation files', () => {
  const HOSTILE = [
    '# Hostile',
    '',
    'An image <img src=x onerror=alert(1)> and <script>alert(2)</script> inline.',
    '',
    '<div onmouseover="alert(3)">block</div>',
    '',
    '[one](javascript:alert(4)) [two](JaVaScRiPt:alert(5)) [three](&#106;avascript:alert(6)) [four]( javascript:alert(7))',
    '',
    '[ref]: javascript:alert(8)',
    '',
    'A safe [link](https://example.org) and `<code>` and $a < b$.',
    '',
    '```matcalc',
    'let x: n',
    'f = sum(exp(x))',
    'grad f wrt x',
    '```',
    '',
  ].join('\n');

  it('reaches neither the HTML page nor the Markdown as markup', async () => {
    const src = folder({ 'case.md': HOSTILE });
    const out = join(src, 'out');
    expect((await derive(join(src, 'case.md'), '--out', out)).code).toBe(0);
    for (const f of ['case.html', 'case.md']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toMatch(/<script/i);
      expect(text, f).not.toMatch(/<img/i);
      expect(text, f).not.toMatch(/<div onmouseover/i);
      expect(text, f).not.toMatch(/href="\s*javascript:/i);
    }
    const mdText = readFileSync(join(out, 'case.md'), 'utf8');
    expect(mdText).not.toMatch(/\]\(\s*(javascript|&#106;)/i);
    expect(mdText).not.toMatch(/^\[ref\]: javascript/im);
    const html = readFileSync(join(out, 'case.html'), 'utf8');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('<code>&lt;code&gt;</code>');
    const md = readFileSync(join(out, 'case.md'), 'utf8');
    expect(md).toContain('&lt;script>');
    expect(md).toContain('`<code>`');
    expect(md).toContain('(https://example.org)');
  });

  it('keeps raw HTML with --allow-html', async () => {
    const src = folder({ 'case.md': HOSTILE });
    const out = join(src, 'out');
    expect((await derive(join(src, 'case.md'), '--out', out, '--allow-html')).code).toBe(0);
    expect(readFileSync(join(out, 'case.html'), 'utf8')).toContain('<img src=x onerror=alert(1)>');
    expect(readFileSync(join(out, 'case.html'), 'utf8')).not.toMatch(/href="javascript:/i);
  });

  it('escapes file names in links and in comments', async () => {
    const src = folder({ 'javascript:alert(1).md': OTHER, 'a-->b<!--c.md': GOOD });
    const out = join(src, 'out');
    expect((await derive(src, '--out', out)).code).toBe(0);
    const indexHtml = readFileSync(join(out, 'index.html'), 'utf8');
    expect(indexHtml).not.toMatch(/href="javascript:/i);
    expect(indexHtml).toContain('href="./javascript%3Aalert%281%29.html"');
    const indexMd = readFileSync(join(out, 'index.md'), 'utf8');
    expect(indexMd).toContain('](./javascript%3Aalert%281%29.md)');
    const page = readFileSync(join(out, 'a-->b<!--c.md'), 'utf8');
    const header = page.split('\n')[0];
    expect(header.startsWith('<!--')).toBe(true);
    expect(header.indexOf('-->')).toBe(header.length - 3);
    expect(page.indexOf('-->')).toBe(header.length - 3);
  });
});

describe('errors in a derivation file', () => {
  it('a formula KaTeX rejects in the prose: file and line, no internal error, no U+0332', async () => {
    const src = folder({ 'case.md': '# Bad math\n\nFine $x$ here.\n\nThen $\\notacommand{x}$ here.\n' });
    const { code, io } = await derive(join(src, 'case.md'), '--out', join(src, 'out'));
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/case\.md:5:6/);
    expect(io.stderr).toMatch(/does not render: Undefined control sequence: \\notacommand/);
    expect(io.stderr).not.toContain('internal error');
    expect(io.stderr).not.toContain('\u0332');
  });

  it('names with underscores are LaTeX names, not raw text', async () => {
    const text = '# Names\n\n```matcalc\nlet x_a: n\nloss_a_b = sum(exp(x_a))\ngrad loss_a_b wrt x_a\n```\n';
    const src = folder({ 'case.md': text });
    const { code, io } = await derive(join(src, 'case.md'), '--out', join(src, 'out'));
    expect(io.stderr).not.toContain('internal error');
    expect(code).toBe(0);
    const md = readFileSync(join(src, 'out', 'case.md'), 'utf8');
    expect(md).not.toContain('loss_a_b}');
    expect(md).toContain('\\partial \\mathrm');
  });

  it('a folder with one broken file writes the others and lists the broken one', async () => {
    const broken = '# Broken\n\n```matcalc\nlet X: n x d; w: k\nL = sum(X*w)\ngrad L wrt w\n```\n';
    const src = folder({ 'a.md': GOOD, 'b.md': broken, 'c.md': OTHER });
    const out = join(src, 'out');
    const { code, io } = await derive(src, '--out', out);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^matcalc: error: .*b\.md:5:.*\(.*b\.md not written\)$/m);
    expect(io.stderr).not.toContain('deriving');
    expect(existsSync(join(out, 'a.html'))).toBe(true);
    expect(existsSync(join(out, 'c.html'))).toBe(true);
    expect(existsSync(join(out, 'b.html'))).toBe(false);
    expect(io.stdout).toMatch(/^a\s/m);
    expect(io.stdout).toMatch(/^c\s/m);
  });

  it('deriving one file into a folder with an index updates its row and keeps the others', async () => {
    const src = folder({ 'a.md': GOOD, 'c.md': OTHER });
    const out = join(src, 'out');
    expect((await derive(join(src, 'a.md'), '--out', out)).code).toBe(0);
    expect((await derive(join(src, 'c.md'), '--out', out)).code).toBe(0);
    expect((await derive(join(src, 'a.md'), '--out', out)).code).toBe(0);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index.match(/\]\(\.\/a\.md\)/g)).toHaveLength(1);
    expect(index.match(/\]\(\.\/c\.md\)/g)).toHaveLength(1);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="./c.html"');
  });
});
