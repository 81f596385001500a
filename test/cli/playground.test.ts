// matcalc playground: the server answers only the page's own files (no path leaves docs/playground), and
// bad options are usage errors.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playgroundServer } from '../../src/cli/commands/playground.js';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/io.js';

describe('matcalc playground', () => {
  const root = mkdtempSync(join(tmpdir(), 'matcalc-playground-'));
  const page = join(root, 'docs', 'playground');
  const server = playgroundServer(page);
  let base = '';

  beforeAll(async () => {
    mkdirSync(page, { recursive: true });
    writeFileSync(join(page, 'index.html'), '<!doctype html><title>p</title>');
    writeFileSync(join(page, 'viz.js'), 'var Viz = {};');
    writeFileSync(join(root, 'docs', 'secret.txt'), 'outside');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves index.html at / and the page files with their types', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>p</title>');
    const viz = await fetch(`${base}/viz.js`);
    expect(viz.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers 404 for missing files and for every way out of the folder', async () => {
    for (const path of [
      '/missing.html',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/docs',
    ]) {
      expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('refuses a bad port and stray arguments with usage errors', async () => {
    for (const argv of [
      ['playground', '--port', 'abc'],
      ['playground', '--port', '70000'],
      ['playground', 'extra'],
    ]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr).toMatch(/^matcalc: error: (--port must be|playground takes no arguments)/);
    }
  });
});
