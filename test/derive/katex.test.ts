// Every LaTeX string the writeups emit renders under KaTeX's strict mode, in every style and layout, and
// the prose math renders too (renderMath and the Markdown renderer throw on anything strict rejects).
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/derive/html.js';
import { alignedTex } from '../../src/derive/markdown.js';
import { proseHtml } from '../../src/derive/prose.js';
import { DEFAULT_RENDER } from '../../src/derive/site.js';
import { conventions, equationTex } from '../../src/derive/wording.js';
import type { Writeup } from '../../src/derive/writeup.js';
import { FILES, writeup } from './helpers.js';

function latexOf(w: Writeup): string[] {
  const out: string[] = w.headline ? [w.headline] : [];
  for (const s of w.sections) {
    if (s.kind === 'let') out.push(...s.vars.map((v) => v.latex));
    if (s.kind === 'forward' || s.kind === 'grad') {
      for (const st of s.steps) {
        if (st.node) out.push(st.node);
        for (const eq of st.equations) out.push(eq.lhs, ...eq.forms, equationTex(eq, st.kind === 'forward'));
      }
    }
    if (s.kind === 'grad') out.push(s.loss);
    if (s.kind === 'grad' && s.compact) {
      out.push(alignedTex(s.compact, false));
      for (const eq of s.compact) out.push(eq.lhs, ...eq.forms, eq.dims.tex, ...(eq.rules ?? []));
    }
    if (s.kind === 'forward')
      out.push(
        alignedTex(
          s.steps.flatMap((x) => x.equations),
          true,
        ),
      );
    if (s.kind === 'claim') out.push(s.claim.lhs, s.claim.rhs);
    if (s.kind === 'chain') out.push(s.start, ...s.steps.flatMap((c) => [c.lhs, c.rhs]));
  }
  return out;
}

const strict = (tex: string, displayMode: boolean) =>
  katex.renderToString(tex, { strict: 'error', throwOnError: true, displayMode });

describe('KaTeX strict mode', () => {
  for (const file of FILES) {
    it(`renders every formula of ${file}`, async () => {
      for (const style of ['compact', 'steps', 'differential'] as const) {
        for (const layout of ['denominator', 'numerator'] as const) {
          const w = await writeup(file, { style, layout });
          const all = latexOf(w);
          expect(all.length).toBeGreaterThan(3);
          for (const tex of all) expect(() => strict(tex, true), tex).not.toThrow();
          const html = toHtml(w, DEFAULT_RENDER);
          expect(html).not.toContain('katex-error');
          expect(html).toContain('class="katex"');
        }
      }
    });
  }

  it('rejects what strict mode rejects, so the checks above can fail', () => {
    expect(() => strict('é', false)).toThrow();
    expect(() => proseHtml('Unknown $\\notacommand{x}$ here')).toThrow();
    expect(proseHtml('Price $5 and $6, but $x_1$ is math.')).toMatch(/\$5 and \$6.*class="katex"/s);
  });

  it('renders the conventions in every style and layout', () => {
    for (const style of ['compact', 'steps', 'differential'] as const) {
      for (const layout of ['denominator', 'numerator'] as const) {
        const html = proseHtml(conventions({ style, layout }, 'J').join('\n\n'));
        expect(html).toContain('class="katex"');
      }
    }
  });
});
