// The generated pages in a real browser: Debian's chromium driven by playwright-core opens every HTML page
// of docs/derivations from a local server and checks that KaTeX rendered without errors, its fonts
// loaded, the computation graph is there, no request failed, and — at 1200 and 390 px — that nothing
// overflows the page and no equation is clipped (a formula wider than its box scrolls inside it).
// Skipped only when chromium is absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = process.env.MATCALC_PAGES ?? 'docs/derivations';
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`skipping the browser tests: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^[/\\]+/,
      '',
    );
    const file = join(root, path === '' ? 'index.html' : path);
    if (path.startsWith('..') || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const pages = readdirSync(ROOT)
  .filter((f) => f.endsWith('.html'))
  .sort();

describe.skipIf(!hasChromium)('the generated pages in chromium', () => {
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await serve(ROOT);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('has pages to open', () => {
    expect(pages).toContain('index.html');
    expect(pages.length).toBeGreaterThan(6);
  });

  for (const name of pages) {
    const what = name === 'index.html' ? '' : ', graph present';
    it(`${name}: math rendered, fonts loaded${what}, no failed request`, async () => {
      const page = await browser.newPage();
      const failed: string[] = [];
      const errors: string[] = [];
      page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${base}/${name}`, { waitUntil: 'load' });
      const state = await page.evaluate(async () => {
        await document.fonts.ready;
        return {
          katex: document.querySelectorAll('.katex').length,
          katexErrors: document.querySelectorAll('.katex-error').length,
          mainFont: document.fonts.check('1em KaTeX_Main'),
          loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
          graphs: document.querySelectorAll('figure.graph svg g.node').length,
          title: document.title,
        };
      });
      await page.close();
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
      expect(state.katex).toBeGreaterThan(0);
      expect(state.katexErrors).toBe(0);
      expect(state.mainFont).toBe(true);
      expect(state.loaded).toContain('KaTeX_Main');
      expect(state.title).toMatch(/matcalc/);
      if (name !== 'index.html') expect(state.graphs).toBeGreaterThan(0);
    });

    for (const width of [1200, 390]) {
      it(`${name} at ${width} px: no page overflow, no clipped equation`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`${base}/${name}`, { waitUntil: 'load' });
        const layout = await page.evaluate(async () => {
          await document.fonts.ready;
          const doc = document.documentElement;
          const clipped: string[] = [];
          for (const k of document.querySelectorAll('.katex')) {
            const r = k.getBoundingClientRect();
            if (r.width === 0) continue;
            // The nearest box that could cut the formula off: it must scroll, or hold the whole formula.
            let box = k.parentElement;
            while (box && box !== document.body) {
              const style = getComputedStyle(box);
              if (style.overflowX !== 'visible') break;
              box = box.parentElement;
            }
            const edge = box && box !== document.body ? box.getBoundingClientRect().right : doc.clientWidth;
            const scrolls =
              box && box !== document.body && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
            if (r.right > edge + 1 && !scrolls) clipped.push((k.textContent ?? '').slice(0, 40));
          }
          return { overflow: doc.scrollWidth - doc.clientWidth, clipped };
        });
        await page.close();
        expect(layout.overflow).toBeLessThanOrEqual(0);
        expect(layout.clipped).toEqual([]);
      });
    }
  }
});
