// A CI-sized fuzz run (test/fuzz/: random well-shaped expressions through print/parse, KaTeX, simplify and
// grad/jacobian/hessian against finite differences), and proof that the fuzzer finds and shrinks a wrong rule.
import { afterEach, describe, expect, it } from 'vitest';
import { mul, neg } from '../src/ops/build.js';
import { OPS } from '../src/ops/index.js';
import type { OpSpec } from '../src/ops/spec.js';
import { findingText, runFuzz, summaryLine } from './fuzz/runner.js';

const CI_RUNS = 3000;

describe('fuzz', () => {
  it(`${CI_RUNS} random expressions: no failures, no crashes`, () => {
    const s = runFuzz({ runs: CI_RUNS, seed: 20260101, maxDepth: 5 });
    const report = [summaryLine(s, 20260101), ...s.findings.map(findingText)].join('\n');
    expect(s.expressions, report).toBe(CI_RUNS);
    expect(s.failures + s.crashes, report).toBe(0);
    // The checks did run: most cases reach finite differences, and Jacobians and Hessians are exercised.
    expect(s.skipped + s.inconclusive.length).toBeLessThan(CI_RUNS / 20);
    expect(s.jacobians).toBeGreaterThan(CI_RUNS / 10);
    expect(s.hessians).toBeGreaterThan(CI_RUNS / 30);
    // ~40 s of work alone; the limit only guards against a hang on a shared, loaded machine
  }, 600_000);

  describe('finds a wrong rule and shrinks it to a minimal command', () => {
    type Mutable = { -readonly [K in keyof OpSpec]: OpSpec[K] };
    const tanh = OPS.tanh as Mutable;
    const sigmoid = OPS.sigmoid as Mutable;
    const original = tanh.vjp;
    const { text, latex, js } = sigmoid;
    afterEach(() => {
      tanh.vjp = original;
      Object.assign(sigmoid, { text, latex, js });
    });

    it('a text form that does not parse back', () => {
      sigmoid.text = () => ({ form: 'call', name: 'logistic' });
      const s = runFuzz({ runs: 150, seed: 3, maxDepth: 3 });
      expect(s.findings.some((f) => f.shrunk.kind === 'roundtrip')).toBe(true);
    });

    it('a LaTeX form KaTeX refuses', () => {
      sigmoid.latex = () => ({ form: 'call', name: '\\sigmoid' });
      const s = runFuzz({ runs: 150, seed: 3, maxDepth: 3 });
      expect(s.findings.some((f) => f.shrunk.kind === 'latex')).toBe(true);
    });

    it('compiled code that disagrees with the interpreter', () => {
      sigmoid.js = { kind: 'map', scalar: ([a]) => `K.sigmoid(1.001 * ${a})` };
      const s = runFuzz({ runs: 150, seed: 4, maxDepth: 3 });
      expect(s.findings.some((f) => f.shrunk.kind === 'compile' && /sigmoid/.test(f.shrunk.message))).toBe(
        true,
      );
    });

    it('tanh with the sign of its VJP flipped', () => {
      tanh.vjp = (ct, out, args, attrs) => original(neg(ct), out, args, attrs);
      const s = runFuzz({ runs: 200, seed: 7, maxDepth: 3 });
      expect(s.failures).toBeGreaterThan(0);
      const gradients = s.findings.filter((f) => f.shrunk.kind === 'gradient');
      expect(gradients.length).toBeGreaterThan(0);
      // Shrunk to a tanh of something small, written as a command to paste.
      const shortest = gradients.map((f) => f.shrunk.command).sort((a, b) => a.length - b.length)[0];
      expect(shortest).toMatch(/^matcalc check "[^"]*tanh\([^"]*" --wrt \S+ --let "[^"]*" --trials 5$/);
      expect(shortest.length).toBeLessThan(80);
    });

    it('tanh whose VJP is off by a factor only where the cotangent is not 1', () => {
      tanh.vjp = (ct, out, args, attrs) => original(mul(ct, ct), out, args, attrs);
      const s = runFuzz({ runs: 300, seed: 11, maxDepth: 3 });
      expect(s.findings.some((f) => f.shrunk.kind === 'gradient' || f.shrunk.kind === 'hessian')).toBe(true);
    });
  });
});
