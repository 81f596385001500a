// The compact style, as a reader checks a textbook derivation: the two-layer batch network in at most 12
// display equations (the textbook's δ₂, Hᵀδ₂, δ₂ᵀ𝟏, δ₁, Xᵀδ₁, δ₁ᵀ𝟏 among them), and in every writeup no
// E^{2−1}, no double transpose, no derivative with respect to a re-expanded expression, ≠ for a failed claim.
import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../src/derive/markdown.js';
import { DEFAULT_RENDER } from '../../src/derive/site.js';
import { buildWriteup } from '../../src/derive/writeup.js';
import { FILES, writeup } from './helpers.js';

const COMPACT = { style: 'compact', layout: 'denominator' } as const;
const md = (w: Awaited<ReturnType<typeof writeup>>) => toMarkdown(w, (k) => `g${k}.svg`, DEFAULT_RENDER);

/** Rows of display math in a Markdown page: each `$$` block, split at `\\`. */
function displayRows(text: string): number {
  const blocks = text.match(/^\$\$\n[\s\S]*?\n\$\$$/gm) ?? [];
  return blocks.reduce((n, b) => n + b.split('\\\\').length, 0);
}

describe('the compact two-layer batch writeup', () => {
  it('has at most 12 display equations, the textbook ones', async () => {
    const w = await writeup('derivations/2-layer-batch.md', COMPACT);
    const text = md(w);
    expect(displayRows(text)).toBeLessThanOrEqual(12);
    const grad = w.sections.find((s) => s.kind === 'grad');
    const rows = grad?.kind === 'grad' ? (grad.compact ?? []) : [];
    const line = (eq: (typeof rows)[number]) => `${eq.lhs} = ${eq.forms.join(' = ')}`;
    expect(rows.map(line)).toEqual([
      '\\delta_{2} = \\frac{\\partial L}{\\partial Z_{2}} = \\frac{E}{n}',
      '\\frac{\\partial L}{\\partial W_{2}} = H^{\\top} \\delta_{2}',
      '\\frac{\\partial L}{\\partial b_{2}} = \\delta_{2}^{\\top} \\mathbf{1}_{n}',
      '\\delta_{1} = \\frac{\\partial L}{\\partial Z_{1}} = \\left(\\delta_{2} W_{2}^{\\top}\\right) \\odot \\left(1 - H \\odot H\\right)',
      '\\frac{\\partial L}{\\partial W_{1}} = X^{\\top} \\delta_{1}',
      '\\frac{\\partial L}{\\partial b_{1}} = \\delta_{1}^{\\top} \\mathbf{1}_{n}',
    ]);
    for (const eq of rows) expect(eq.dims.ok).toBe(true);
    expect(rows[3].rules?.join(' ')).toContain("\\tanh'(u) = 1 - \\tanh(u)^{2}");
    expect(rows[2].rules?.join(' ')).toContain('broadcast rows: summed');
  });

  it('states the key simplification with the qualifier that makes it hold', async () => {
    const w = await writeup('derivations/softmax-regression.md', COMPACT);
    const grad = w.sections.find((s) => s.kind === 'grad');
    const first = grad?.kind === 'grad' ? grad.compact?.[0] : undefined;
    expect(first?.forms).toEqual(['\\frac{P - Y}{n}']);
    expect(first?.rules?.join(' ')).toMatch(/rows of .*Y.* sum to .*one-hot/);
    const logistic = await writeup('derivations/logistic-regression.md', COMPACT);
    const g = logistic.sections.find((s) => s.kind === 'grad');
    expect(g?.kind === 'grad' && g.compact?.[0].forms).toEqual(['\\frac{p - y}{n}']);
  });

  it('adds the paths of a variable used twice, without counting an inner path twice', async () => {
    const w = await writeup('derivations/least-squares.md', COMPACT);
    const grads = w.sections.filter((s) => s.kind === 'grad');
    const last = grads.at(-1);
    expect(last?.kind === 'grad' && last.compact?.at(-1)?.forms.at(-1)).toBe('X^{\\top} r + \\lambda w');
    const ln = await writeup('derivations/layernorm.md', COMPACT);
    const tex = md(ln);
    expect(tex).not.toMatch(/\\frac\{2 \\operatorname\{sum\}/);
  });
});

describe('artifacts the compact style never shows', () => {
  for (const layout of ['denominator', 'numerator'] as const) {
    for (const file of FILES) {
      it(`${file} (${layout})`, async () => {
        const text = md(await writeup(file, { style: 'compact', layout }));
        expect(text).not.toMatch(/\^\{\d+ - \d+\}/);
        expect(text).not.toMatch(/\^\{\\top\}\\right\)\^\{\\top\}/);
        expect(text).not.toMatch(/\\partial \\left\(/);
        expect(text).not.toMatch(/\\operatorname\{sum\}_\{1\}\\left\([^)]*\\right\)\^\{\\top\}/);
        expect(text).not.toContain('(line ');
      });
    }
  }

  for (const style of ['steps', 'differential'] as const) {
    for (const layout of ['denominator', 'numerator'] as const) {
      it(`node by node (${style}, ${layout}): no E^{2−1}, no double transpose, short denominators`, async () => {
        for (const file of FILES) {
          const text = md(await writeup(file, { style, layout }));
          expect(text, file).not.toMatch(/\^\{\d+ - \d+\}/);
          expect(text, file).not.toMatch(/\^\{\\top\}\\right\)\^\{\\top\}/);
          for (const m of text.matchAll(/\\partial \\left\((.*?)\\right\)\}/g))
            expect(m[1].length, `${file}: ${m[1]}`).toBeLessThanOrEqual(40);
          expect(text, file).not.toMatch(/quotient rule\*\* — at \$`L`\$/);
        }
      });
    }
  }

  it('a failed claim is typeset with ≠ and its diagnosis keeps its code spans', async () => {
    const source =
      "# Wrong\n\n```matcalc\nlet X: n x d; y: n; w: d\nL = sum((X*w - y).^2)/2\ngrad L wrt w\nclaim grad(L, w) = X'*(X*w - y)/2\n```\n";
    for (const style of ['compact', 'steps', 'differential'] as const) {
      const w = await buildWriteup(source, 'wrong.md', { style, layout: 'denominator' });
      const text = md(w);
      const claim = text.split('\n').find((l) => l.startsWith('✗'))!;
      expect(claim, style).toMatch(/\\neq/);
      expect(claim).not.toMatch(/\\\\`/);
      expect(claim).not.toMatch(/\\`/);
      const displays = text.match(/^\$\$\n[^$]*\\nabla[^$]*\n\$\$$/gm) ?? [];
      for (const d of displays) expect(d, style).not.toMatch(/\\nabla_\{w\} L = /);
    }
  });
});
