// Big inputs finish or refuse: `check` of a 5,000-factor product and `grad` of a 100,000-term sum end with
// a result (exit 0 or 1) or a clear refusal (exit 2), never an internal error or a crash. How long they
// take is the simplifier's (bench/simplify.ts measures it); the timeout only guards against a hang.
// (`check` of the 100,000-term sum finishes too — about 16 s of finite differences — and is not run here.)
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/io.js';

const BIG = {
  '5,000-factor product': ['check', `sum(${Array.from({ length: 5_000 }, () => 'x').join(' .* ')})`],
  '100,000-term sum': [
    'grad',
    `sum(${Array.from({ length: 100_000 }, (_, i) => `${(i % 7) + 1}*x`).join(' + ')})`,
  ],
} as const;

describe('big inputs finish or refuse', () => {
  it.each(Object.entries(BIG))(
    '%s',
    async (_name, [command, expr]) => {
      const io = capture();
      const code = await main([command, expr, '--wrt', 'x', '--let', 'x: n'], io);
      expect([0, 1, 2]).toContain(code);
      expect(io.stderr).not.toMatch(/internal error|\n\s+at /);
      if (code === 2) expect(io.stderr).toMatch(/^matcalc: error: [^\n]+\n$/);
      else if (command === 'check') expect(io.stdout).toMatch(/^(ok|FAIL|cannot)/m);
      else expect(io.stdout).toBe('399995*ones(n, 1)\n');
    },
    600_000,
  );
});
