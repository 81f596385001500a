// bench/playground.ts — the playground as a user feels it, in Debian's chromium: the page's weight, the time
// from opening it to the first gradient, and from a keystroke in the expression to the updated gradient
// (#result-text and its KaTeX) for the 2-layer batch net, measured in the page from the keydown event.
// Goal: keystroke to updated gradient under 100 ms (median). Needs `npm run build` (docs/playground).
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { EXAMPLES } from '../playground/examples.js';
import { writeHash } from '../playground/hash.js';

const CHROMIUM = '/usr/bin/chromium';
const PAGE = resolve('docs/playground/index.html');
const KEYSTROKES = 30;
const GOAL_MS = 100;

if (!existsSync(CHROMIUM) || !existsSync(PAGE)) {
  console.log(`bench/playground: needs ${CHROMIUM} and ${PAGE} (npm run build)`);
  process.exit(0);
}

const net = EXAMPLES.find((e) => e.title === '2-layer batch net');
if (!net) throw new Error('no 2-layer batch net example');
console.log(
  `page weight: docs/playground/index.html ${(statSync(PAGE).size / 1024).toFixed(0)} KB uncompressed`,
);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const t0 = Date.now();
await page.goto(`${pathToFileURL(PAGE).href}${writeHash(net)}`);
await page.waitForFunction(() => (document.getElementById('result-text')?.textContent ?? '') !== '');
console.log(`open to first gradient (2-layer batch net): ${Date.now() - t0} ms`);
await page.waitForFunction(() => document.body.dataset.details !== undefined, null, { timeout: 60_000 });

// Each keystroke replaces the 2 or 3 in `/(2*n)` by the other digit, which changes every gradient. Once
// with the page idle before each keystroke (the details finished), once typing a key every 150 ms.
async function keystrokes(idle: boolean): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    if (idle) {
      await page.waitForFunction(
        () => {
          const d = document.body.dataset;
          return d.details !== undefined && d.details === d.detailsPosted && d.detailsPending === undefined;
        },
        null,
        { timeout: 60_000 },
      );
    }
    const digit = i % 2 === 0 ? '3' : '2';
    await page.evaluate(() => {
      const expr = document.getElementById('expr') as HTMLTextAreaElement;
      const at = expr.value.lastIndexOf('*n)') - 1;
      expr.focus();
      expr.setSelectionRange(at, at + 1);
      const w = window as unknown as { keystroke: Promise<number> };
      w.keystroke = new Promise((done) => {
        let start = 0;
        expr.addEventListener(
          'keydown',
          () => {
            start = performance.now();
          },
          { once: true },
        );
        const before = document.getElementById('result-text')?.textContent;
        const observer = new MutationObserver(() => {
          if (document.getElementById('result-text')?.textContent === before) return;
          observer.disconnect();
          // The KaTeX of the same stage is written in the same task; wait for the frame that shows both.
          requestAnimationFrame(() => done(performance.now() - start));
        });
        observer.observe(document.getElementById('result-text')!, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    });
    await page.keyboard.type(digit);
    latencies.push(
      await page.evaluate(() => (window as unknown as { keystroke: Promise<number> }).keystroke),
    );
    engine.push(Number(/(\d+)/.exec((await page.textContent('#status')) ?? '')?.[1] ?? Number.NaN));
    if (!idle) await page.waitForTimeout(150);
  }
  return latencies.sort((a, b) => a - b);
}

const engine: number[] = [];
const idle = await keystrokes(true);
const idleEngine = engine.splice(0).sort((a, b) => a - b);
const typing = await keystrokes(false);
await browser.close();

const q = (xs: readonly number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const summary = (xs: readonly number[]) =>
  `median ${q(xs, 0.5).toFixed(0)} ms, p90 ${q(xs, 0.9).toFixed(0)} ms, min ${xs[0].toFixed(0)} ms, max ${xs.at(-1)!.toFixed(0)} ms`;
console.log(`machine load average (1 min): ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(`keystroke to updated gradient, page idle (${KEYSTROKES} keystrokes): ${summary(idle)}`);
console.log(`  of which in the worker (parse, grad, simplify, print): ${summary(idleEngine)}`);
console.log(
  `keystroke to updated gradient, typing every 150 ms (${KEYSTROKES} keystrokes): ${summary(typing)}`,
);
console.log(
  `goal: keystroke to updated gradient (2-layer batch net) under ${GOAL_MS} ms (median, page idle): ${q(idle, 0.5).toFixed(0)} ms — ${q(idle, 0.5) < GOAL_MS ? 'MET' : 'NOT MET'}`,
);
