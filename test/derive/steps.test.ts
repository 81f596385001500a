// The steps of the writeups: a dimension check under every equation, the rules named by the op records,
// the file's names used in place of re-expanded expressions, and the layout and style options.
import { describe, expect, it } from 'vitest';
import type { Equation, Step } from '../../src/derive/steps.js';
import type { Writeup } from '../../src/derive/writeup.js';
import { FILES, writeup } from './helpers.js';

function equations(w: Writeup): Equation[] {
  return w.sections.flatMap((s) =>
    s.kind === 'forward' || s.kind === 'grad' ? s.steps.flatMap((st) => st.equations) : [],
  );
}

function steps(w: Writeup): Step[] {
  return w.sections.flatMap((s) => (s.kind === 'grad' ? s.steps : []));
}

const batch = 'derivations/2-layer-batch.md';

describe('every derivation', () => {
  it('covers the seed cases and the classic models', () => {
    const names = FILES.map((f) => f.replace(/^.*\//, ''));
    for (const n of [
      '1-layer-batch.md',
      '2-layer-single.md',
      '2-layer-batch.md',
      'logistic-regression.md',
      'softmax-regression.md',
      'least-squares.md',
    ]) {
      expect(names).toContain(n);
    }
  });

  for (const file of FILES) {
    it(`${file}: each equation carries a passing dimension check`, async () => {
      for (const opts of [
        { style: 'steps', layout: 'denominator' },
        { style: 'differential', layout: 'numerator' },
      ] as const) {
        const w = await writeup(file, opts);
        const eqs = equations(w);
        expect(eqs.length).toBeGreaterThan(0);
        for (const eq of eqs) {
          expect(eq.dims.ok, `${eq.lhs} = ${eq.forms.join(' = ')}`).toBe(true);
          expect(eq.dims.text).toMatch(/^\S.* = [\w·]+×[\w·]+ ✓$/);
        }
        const claims = w.sections.flatMap((s) =>
          s.kind === 'claim' ? [s.claim] : s.kind === 'chain' ? s.steps : [],
        );
        for (const c of claims) expect(c.dims.text).toMatch(/✓$/);
      }
    });

    it(`${file}: every numeric check and claim passes`, async () => {
      const w = await writeup(file);
      expect(w.checksPassed).toBe(w.checksTotal);
      expect(w.checksTotal).toBeGreaterThan(0);
      expect(w.worstError).toBeLessThan(1e-6);
    });
  }
});

describe('the two-layer batch writeup', () => {
  it('states the forward pass with the broadcast written out and shapes checked', async () => {
    const w = await writeup(batch);
    const z1 = equations(w).find((e) => e.lhs === 'Z_{1}')!;
    expect(z1.forms[0]).toBe('X W_{1} + \\mathbf{1}_{n} b_{1}^{\\top}');
    expect(z1.dims.text).toBe('[n×d][d×h] + [n×1][1×h] = n×h ✓');
    expect(z1.shape).toBe('n×h');
  });

  it('goes backward node by node, naming each rule from the op records', async () => {
    const rules = steps(await writeup(batch)).map((s) => s.rule);
    expect(rules).toContain('chain rule through tanh');
    expect(rules).toContain('product rule for matmul');
    expect(rules.filter((r) => r === 'product rule for matmul')).toHaveLength(2);
    const notes = steps(await writeup(batch)).flatMap((s) => s.equations.map((e) => e.note ?? ''));
    expect(notes.filter((n) => n.includes('broadcast: sum over the batch'))).toHaveLength(2);
  });

  it('uses the named intermediates instead of re-expanding them', async () => {
    const all = steps(await writeup(batch));
    const w2 = all
      .flatMap((s) => s.equations)
      .find((e) => e.lhs === '\\frac{\\partial L}{\\partial W_{2}}' && e.forms.length > 1)!;
    expect(w2.forms).toEqual([
      'H^{\\top} \\frac{\\partial L}{\\partial \\left(H W_{2}\\right)}',
      'H^{\\top} \\delta_{2}',
    ]);
    expect(w2.dims.text).toBe('[h×n][n×k] = h×k ✓');
    const tex = all.flatMap((s) => s.equations.flatMap((e) => e.forms)).join(' ');
    expect(tex).not.toContain('\\tanh');
    const grad = (await writeup(batch)).sections.find((s) => s.kind === 'grad');
    expect(grad?.kind === 'grad' && grad.texts).toEqual([
      { variable: 'W2', text: "H'*delta2" },
      { variable: 'b2', text: "sum(delta2, 1)'" },
      { variable: 'W1', text: "X'*delta1" },
      { variable: 'b1', text: "sum(delta1, 1)'" },
    ]);
  });

  it('writes derivatives transposed in numerator layout', async () => {
    const all = steps(await writeup(batch, { style: 'steps', layout: 'numerator' }));
    const w2 = all.find((s) => s.kind === 'result' && s.rule.endsWith('W2'))!.equations[0];
    expect(w2.shape).toBe('k×h');
    expect(w2.forms).toEqual(['\\delta_{2}^{\\top} H']);
    expect(w2.dims.text).toBe('[k×n][n×h] = k×h ✓');
  });

  it('writes the differential and the trace identity in the differential style', async () => {
    const all = steps(await writeup(batch, { style: 'differential', layout: 'denominator' }));
    const matmul = all.find((s) => s.rule === 'product rule for matmul')!;
    expect(matmul.equations[0]).toMatchObject({
      lhs: 'd\\left(H W_{2}\\right)',
      forms: ['dH W_{2} + H dW_{2}'],
      dims: { text: '[n×h][h×k] + [n×h][h×k] = n×k ✓', ok: true },
    });
    expect(matmul.equations[1].lhs).toBe('dL');
    expect(matmul.equations[1].forms.at(-1)).toContain('\\operatorname{tr}');
  });
});

describe('a variable used twice', () => {
  it('adds the contributions of its paths in a sum step', async () => {
    const w = await writeup('derivations/least-squares.md');
    const sums = steps(w).filter((s) => s.kind === 'sum');
    expect(sums).toHaveLength(1);
    expect(sums[0].rule).toMatch(/^sum over paths: 2 uses/);
    expect(sums[0].equations[0].forms.at(-1)).toBe('\\lambda w + X^{\\top} r');
  });
});
