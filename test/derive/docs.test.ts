// The committed docs/derivations/ are what `npm start` generates now: regenerate into a temporary folder
// and compare every file byte for byte (run `npm start` after changing a derivation or the engine).
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveSite } from '../../src/derive/site.js';

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir)
    .flatMap((f) =>
      statSync(join(dir, f)).isDirectory() ? walk(join(dir, f), root) : [relative(root, join(dir, f))],
    )
    .sort();
}

describe('docs/derivations', () => {
  it('is up to date with derivations/ (regenerate with `npm start`)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'matcalc-docs-'));
    const { rows, failures } = await deriveSite('derivations', out, {
      style: 'compact',
      layout: 'denominator',
    });
    expect(failures).toEqual([]);
    expect(rows.every((r) => r.ok)).toBe(true);
    const generated = walk(out);
    const committed = walk('docs/derivations').filter((f) => f !== 'screenshot.png');
    expect(committed).toEqual(generated);
    for (const f of generated) {
      const same = readFileSync(join(out, f)).equals(readFileSync(join('docs/derivations', f)));
      expect(same, `docs/derivations/${f} differs from what npm start generates`).toBe(true);
    }
  });

  it('regenerates identically (no timestamps, stable order)', async () => {
    const a = mkdtempSync(join(tmpdir(), 'matcalc-a-'));
    const b = mkdtempSync(join(tmpdir(), 'matcalc-b-'));
    await deriveSite('derivations/least-squares.md', a, { style: 'differential', layout: 'numerator' });
    await deriveSite('derivations/least-squares.md', b, { style: 'differential', layout: 'numerator' });
    for (const f of walk(a)) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });
});
