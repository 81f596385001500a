import { chromium } from 'playwright-core';
const [,, url, prefix, count] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
await page.goto(url);
await page.evaluate(() => document.fonts.ready);
const h = await page.evaluate(() => document.body.scrollHeight);
console.log('height', h);
const n = Number(count ?? 20);
for (let i = 0, y = 0; y < h && i < n; i++, y += 1300) {
  await page.screenshot({ path: `${prefix}-${i}.png`, clip: { x: 0, y, width: 1000, height: Math.min(1300, h - y) }, fullPage: true });
}
await browser.close();
