// The playground (docs/playground/index.html, built by `npm run build`) in Debian's chromium: opened from
// file:// and from `matcalc playground --port 0`, its results compared with what the CLI prints for the
// same input (dist/cli/main.js as a child process), errors with the caret, claims, copying, offline-ness
// (no failed or outside request), KaTeX without errors, a 390 px wide screen. Skipped when chromium is absent.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../playground/examples.js';
import { writeHash } from '../../playground/hash.js';

const CHROMIUM = '/usr/bin/chromium';
const CLI = resolve('dist/cli/main.js');
const PAGE = resolve('docs/playground/index.html');
const ready = existsSync(CHROMIUM) && existsSync(PAGE) && existsSync(CLI);
if (!ready) console.warn(`skipping the playground tests: need ${CHROMIUM}, ${PAGE} and ${CLI}`);

type Mode = 'grad' | 'jacobian' | 'hessian';
interface Case {
  readonly let: string;
  readonly expr: string;
  readonly wrt: string;
  readonly mode: Mode;
}

/** Expressions across the ops, several variables, and all three modes. */
const CORPUS: readonly Case[] = [
  ['A: m x n; X: n x p; B: p x m', 'trace(A*X*B)', 'X'],
  ['x: n; A: n x n', "x'*A*x", 'x'],
  ['S: n x n spd; A: n x n', 'logdet(S) - trace(S*A)', 'S'],
  ['X: n x n; A: n x n', 'trace(inv(X)*A)', 'X'],
  ['a: m; X: m x n; b: n', "a'*X*b", 'X'],
  ['X: m x n; A: m x m', "trace(X'*A*X)", 'X'],
  ['A: n x n; X: n x m; B: m x m', "trace(A*X*B*X')", 'X'],
  ['z: k', 'logsumexp(z)', 'z'],
  ['x: n', 'norm(x)', 'x'],
  ['X: m x n', 'norm(X)^2', 'X'],
  ['x: n', 'sum(sigmoid(x))', 'x'],
  ['X: n x n', 'det(X)', 'X'],
  ['x: n; y: n', 'sum(exp(x) .* y)', 'x, y'],
  ['W: d x k; x: d', "sum(tanh(W'*x))", 'W'],
  ['x: n', 'sum(sqrt(x .^ 2 + 1))', 'x'],
  ['X: n x d; w: d; y: n; lambda: scalar', 'sum((X*w - y).^2) + lambda*sum(w.^2)', 'w, lambda'],
  ['X: n x d; W: d x k; b: k; Y: n x k onehot', "-sum(Y .* logsoftmax(X*W + b', 2))/n", 'W, b'],
  ['X: n x d; w: d', 'sum(relu(X*w))', 'w'],
  ['a: n; x: n', "softplus(a'*x)", 'x'],
  ['x: n', 'sigmoid(x)', 'x', 'jacobian'],
  ['A: m x n; x: n', 'A*x', 'x', 'jacobian'],
  ['x: n; A: n x n', "x'*A*x", 'x', 'hessian'],
  ['x: n', 'sum(exp(x))', 'x', 'hessian'],
].map(([l, expr, wrt, mode]) => ({ let: l, expr, wrt, mode: (mode ?? 'grad') as Mode }));

function cli(args: readonly string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout.replace(/\n$/, ''), err: r.stderr.replace(/\n$/, '') };
}

const cliDerivative = (c: Case) => cli([c.mode, c.expr, '--wrt', c.wrt, '--let', c.let]);

interface Opened {
  readonly page: Page;
  /** Console errors, page errors, failed requests and requests leaving the page's own origin. */
  readonly problems: string[];
}

/** Wait until the part (`result` or `details`) has finished the newest computation asked for, newer than `after`. */
async function settled(page: Page, part: 'result' | 'details', after?: string): Promise<string> {
  const handle = await page.waitForFunction(
    ([p, a]) => {
      const d = document.body.dataset;
      const done = d[p as string];
      const newest = done !== undefined && done === d[`${p}Posted`] && d[`${p}Pending`] === undefined;
      return newest && done !== a ? done : false;
    },
    [part, after ?? ''],
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as string;
}

const state = (page: Page) =>
  page.evaluate(() => ({
    result: document.body.dataset.result ?? '',
    details: document.body.dataset.details ?? '',
  }));

/** Change the inputs (by the hash, or by a function typing into fields) and wait for both parts. */
async function change(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await state(page);
  await act();
  await settled(page, 'result', before.result);
  await settled(page, 'details', before.details);
}

const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe.skipIf(!ready)('the playground in chromium', () => {
  let browser: Browser;
  let server: ChildProcess;
  let served = '';
  const fileUrl = pathToFileURL(PAGE).href;

  beforeAll(async () => {
    server = spawn(process.execPath, [CLI, 'playground', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    served = await new Promise<string>((ok, fail) => {
      let out = '';
      server.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) ok(m[0]);
      });
      server.on('exit', (code) => fail(new Error(`matcalc playground exited ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  async function open(base: string, hash = '', width = 1200): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (base.startsWith('http')) {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: base.replace(/\/$/, ''),
      });
    }
    const page = await context.newPage();
    const problems: string[] = [];
    const own = (url: string) =>
      url.startsWith(base) || url.startsWith('blob:') || url.startsWith('data:') || url.startsWith(fileUrl);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!own(r.url()) && !r.url().startsWith(base.replace(/index\.html$/, ''))) {
        problems.push(`outside request: ${r.url()}`);
      }
    });
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${base}${hash}`);
    await settled(page, 'result');
    await settled(page, 'details');
    return { page, problems };
  }

  for (const where of ['file', 'served'] as const) {
    const base = () => (where === 'file' ? fileUrl : served);

    it(`${where}: the acceptance URL shows 2*X'*(X*w - y), rendered by KaTeX, with no console error`, async () => {
      const hash = '#let=X%3A%20n%20x%20d%3B%20w%3A%20d%3B%20y%3A%20n&expr=sum((X*w%20-%20y).%5E2)&wrt=w';
      const { page, problems } = await open(base(), hash);
      expect(await text(page, '#result-text')).toBe("2*X'*(X*w - y)");
      const math = await page.evaluate(async () => {
        await document.fonts.ready;
        return {
          katex: document.querySelectorAll('#result-latex .katex').length,
          errors: document.querySelectorAll('.katex-error').length,
          font: document.fonts.check('1em KaTeX_Main'),
        };
      });
      expect(math).toEqual({ katex: 1, errors: 0, font: true });
      expect(await text(page, '#check')).toMatch(/^ok {3}w \(d×1\): max relative error/);
      expect(await page.locator('#steps li').count()).toBeGreaterThan(2);
      expect(problems).toEqual([]);
      await page.context().close();
    });

    it(`${where}: each example fills the fields; its gradient and verdict are the CLI's`, async () => {
      const { page, problems } = await open(base());
      for (const ex of EXAMPLES) {
        await change(page, () => page.getByRole('button', { name: ex.title, exact: true }).click());
        expect(await page.inputValue('#expr')).toBe(ex.expr);
        expect(await text(page, '#result-text')).toBe(cliDerivative(ex).out);
        if (ex.claim) {
          const v = cli(['verify', ex.expr, '--wrt', ex.wrt, '--let', ex.let, '--claim', ex.claim]);
          expect(await text(page, '#verdict')).toBe(v.out);
        }
        expect(await page.locator('.katex-error').count()).toBe(0);
        expect(await text(page, '#check')).not.toMatch(/FAIL/);
      }
      expect(problems).toEqual([]);
      await page.context().close();
    });

    it(`${where}: the graph is drawn when its panel opens`, async () => {
      const { page, problems } = await open(base());
      await page.click('#graph summary');
      await page.waitForSelector('#graph-svg svg g.node', { timeout: 30_000 });
      expect(await page.locator('#graph-svg svg g.node').count()).toBeGreaterThan(3);
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it(`#result-text is the CLI's output for ${CORPUS.length} expressions (loaded by hash)`, async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
    const { page, problems } = await open(fileUrl);
    for (const c of CORPUS) {
      const expected = cliDerivative(c);
      expect(expected.code).toBe(0);
      await change(page, () =>
        page.evaluate(
          (h) => {
            location.hash = h;
          },
          writeHash({ ...c, claim: '' }),
        ),
      );
      expect({ c, text: await text(page, '#result-text') }).toEqual({ c, text: expected.out });
      expect(await page.locator('#error').isHidden()).toBe(true);
    }
    expect(await page.locator('.katex-error').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 240_000); // 23 CLI child processes in a row: seconds each on a loaded machine (guards a hang only)

  it('typing updates the result and the hash; an error shows the CLI message and caret and keeps the result', async () => {
    const { page, problems } = await open(fileUrl);
    await change(page, async () => {
      await page.fill('#let', 'X: n x d; w: d; y: n');
      await page.fill('#wrt', 'w');
      await page.fill('#claim', '');
      await page.fill('#expr', 'sum((X*w - y).^2)');
      await page.locator('#expr').pressSequentially(' + sum(w.^2)');
    });
    const good = cliDerivative({
      let: 'X: n x d; w: d; y: n',
      expr: 'sum((X*w - y).^2) + sum(w.^2)',
      wrt: 'w',
      mode: 'grad',
    });
    expect(await text(page, '#result-text')).toBe(good.out);
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain(
      'expr=sum((X*w - y).^2) + sum(w.^2)',
    );

    const before = await state(page);
    await page.fill('#expr', 'sum((X*w - y).^2) + sum(w.^2');
    await settled(page, 'result', before.result);
    const bad = cli(['grad', 'sum((X*w - y).^2) + sum(w.^2', '--wrt', 'w', '--let', 'X: n x d; w: d; y: n']);
    expect(bad.code).toBe(2);
    const [message, ...caret] = bad.err.split('\n');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await text(page, '#error .message')).toBe(message);
    expect(await text(page, '#error .caret')).toBe(caret.join('\n'));
    expect(await text(page, '#result-text')).toBe(good.out);
    expect(await page.evaluate(() => document.body.classList.contains('stale'))).toBe(true);

    await change(page, () => page.fill('#let', 'X: n x d; w: d; y: n x'));
    const badLet = cli([
      'grad',
      'sum((X*w - y).^2) + sum(w.^2',
      '--wrt',
      'w',
      '--let',
      'X: n x d; w: d; y: n x',
    ]);
    expect(await text(page, '#error .message')).toBe(badLet.err.split('\n')[0]);
    expect(await text(page, '#error .caret')).toBe(badLet.err.split('\n').slice(1).join('\n'));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a wrong claim gets the verdict and diagnosis matcalc verify prints', async () => {
    const { page, problems } = await open(fileUrl);
    await change(page, () => page.getByRole('button', { name: 'least squares', exact: true }).click());
    await change(page, () => page.fill('#claim', "X'*(X*w - y)"));
    const v = cli([
      'verify',
      'sum((X*w - y).^2)',
      '--wrt',
      'w',
      '--let',
      'X: n x d; w: d; y: n',
      '--claim',
      "X'*(X*w - y)",
    ]);
    expect(v.code).toBe(1);
    expect(await text(page, '#verdict')).toBe(v.out);
    expect(await page.evaluate(() => location.hash)).toContain('claim=');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a claim whose shapes do not fit gets the CLI\'s repair ("a missing transpose"), not an error', async () => {
    const { page, problems } = await open(fileUrl);
    await change(page, () => page.getByRole('button', { name: 'least squares', exact: true }).click());
    await change(page, () => page.fill('#claim', '2*X*(X*w - y)'));
    const v = cli([
      'verify',
      'sum((X*w - y).^2)',
      '--wrt',
      'w',
      '--let',
      'X: n x d; w: d; y: n',
      '--claim',
      '2*X*(X*w - y)',
    ]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/missing transpose on `X`/);
    expect(await text(page, '#verdict')).toBe(v.out);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("the code panels are the CLI's modules, and copy puts them on the clipboard", async () => {
    const { page, problems } = await open(served);
    const ex = EXAMPLES[0];
    for (const [lang, format] of [
      ['ts', 'ts'],
      ['numpy', 'numpy'],
      ['jax', 'jax'],
      ['torch', 'torch'],
    ] as const) {
      await page.click(`#code [data-lang="${lang}"]`);
      const module = cli(['grad', ex.expr, '--wrt', ex.wrt, '--let', ex.let, '--format', format]);
      // A module ends with a newline, which cli() strips like the one the CLI adds to other output.
      expect((await text(page, '#code-text')).replace(/\n$/, '')).toBe(module.out);
      // the label says "copied" for 1.2 s: a mutation observer notes it, since on a loaded machine a poll can
      // come later than that (and then waited for a label already gone)
      await page.evaluate(() => {
        const button = document.getElementById('copy-code')!;
        const seen = window as unknown as { copiedSeen: boolean };
        seen.copiedSeen = false;
        new MutationObserver(() => {
          if (button.textContent === 'copied') seen.copiedSeen = true;
        }).observe(button, { childList: true, characterData: true, subtree: true });
      });
      await page.click('#copy-code');
      await page.waitForFunction(() => (window as unknown as { copiedSeen: boolean }).copiedSeen);
      expect((await page.evaluate(() => navigator.clipboard.readText())).replace(/\n$/, '')).toBe(module.out);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('is usable 390 px wide: no sideways scrolling, fields fill in, results shown', async () => {
    const { page, problems } = await open(fileUrl, '', 390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await change(page, () => page.getByRole('button', { name: 'logdet', exact: true }).click());
    await change(page, () => page.fill('#expr', 'logdet(S)'));
    expect(await text(page, '#result-text')).toBe('inv(S)');
    for (const id of ['let', 'expr', 'wrt', 'claim', 'result-text']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
