// Names in LaTeX are one-to-one and valid under KaTeX strict mode: no two identifiers print alike
// (W1 / W_1, x / x_, a_b_c / a_bc), whatever the name (__proto__, constructor, long or underscored names).
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { latexName } from '../../src/emit/latex.js';

const render = (tex: string) => katex.renderToString(tex, { strict: 'error', throwOnError: true });

const HOSTILE = [
  'x',
  'x_',
  'x__',
  '_x',
  '__x',
  'x_1',
  'x1',
  'x_1_',
  'x1_',
  'W1',
  'W_1',
  'W1_i',
  'W_1_i',
  'W1_1',
  'W11',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'loss_a_b',
  'loss_ab',
  'loss_a__b',
  'a_b_c',
  'a_bc',
  'ab_c',
  '_',
  '__',
  '___',
  'alpha',
  'alpha_',
  'alpha1',
  'alpha_1',
  'Alpha',
  'mathrm',
  'frac',
  'left',
  'right',
  'begin',
  'end',
  'x_hat',
  'xhat',
  'x_h_a_t',
  'delta2',
  'delta_2',
  'h2o2',
  'h2o_2',
  'b12',
  'b1_2',
  'b_12',
  'N',
  'n_',
  'e',
  'E',
  'x_alpha',
  'x_Alpha',
  'a1b',
  'a_1b',
  'a1_b',
  'x'.repeat(200),
  `y_${'z_'.repeat(50)}w`,
];

describe('latexName', () => {
  it('prints every hostile name as valid KaTeX (strict), and no two alike', () => {
    const seen = new Map<string, string>();
    for (const name of HOSTILE) {
      const tex = latexName(name);
      expect(() => render(tex), `${name} → ${tex}`).not.toThrow();
      expect(seen.get(tex), `${name} and ${seen.get(tex)} both print ${tex}`).toBeUndefined();
      seen.set(tex, name);
    }
  });

  it('the reported collisions are gone', () => {
    expect(latexName('W1')).not.toBe(latexName('W_1'));
    expect(latexName('x')).not.toBe(latexName('x_'));
    expect(latexName('W1_i')).not.toBe(latexName('W_1_i'));
    expect(latexName('loss_a_b')).toBe('\\mathrm{loss}_{a,b}');
    expect(latexName('__proto__')).toBe('\\mathrm{\\_\\_proto\\_\\_}');
  });

  it('is one-to-one over generated identifiers', () => {
    // A small alphabet, so that near-collisions (W1 / W_1 / W_1_) come up often.
    const ident = fc.stringMatching(/^[Wa_][Wa1_]{0,5}$/);
    fc.assert(
      fc.property(fc.uniqueArray(ident, { minLength: 2, maxLength: 60 }), (names) => {
        const byTex = new Map<string, string>();
        for (const n of names) {
          const tex = latexName(n);
          expect(byTex.get(tex), `${n} and ${byTex.get(tex)} both print ${tex}`).toBeUndefined();
          byTex.set(tex, n);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('renders every generated identifier under KaTeX strict', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), (name) => {
        render(latexName(name));
      }),
      { numRuns: 500 },
    );
  });
});
