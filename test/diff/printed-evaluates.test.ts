// Property: whatever `matcalc grad`, `jacobian` or `hessian` prints evaluates with `matcalc eval` given
// values for the declared variables — every symbolic size is fixed by some declared value, even when the
// expression mentions no variable carrying it (zeros(m, 1), kron(eye(p), A'*A)). Over the fuzzer's
// expressions (test/fuzz/arbitraries.ts), with the variable differentiated sometimes one f does not use.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { toText } from '../../src/emit/text.js';
import { freeVars } from '../../src/ir/expr.js';
import { randomValues, seededRandom } from '../../src/numeric/random.js';
import { build, caseArb, PALETTE, SCOPE } from '../fuzz/arbitraries.js';
import { capture } from '../helpers/io.js';

const DECLARED = [...SCOPE.vars.values()];
const valuesFile = join(mkdtempSync(join(tmpdir(), 'matcalc-printed-')), 'values.json');

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = capture(stdin);
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('printed derivatives evaluate', () => {
  it('grad, jacobian and hessian output through matcalc eval, over fuzzed expressions', async () => {
    let evaluated = 0;
    await fc.assert(
      fc.asyncProperty(caseArb(3), fc.nat(DECLARED.length - 1), async (c, other) => {
        const f = build(c.f);
        const own = freeVars(f);
        const requests: [string, string, string][] = [];
        // A variable of f, and any declared one (often one f does not depend on: a zero gradient).
        const wrt = [
          ...new Set([...(own.length > 0 ? [own[c.seed % own.length].name] : []), DECLARED[other].name]),
        ];
        requests.push(['grad', toText(f), wrt.join(',')]);
        if (c.jac) {
          const g = build(c.jac.g);
          const gv = freeVars(g);
          const x = gv.length > 0 ? gv[c.jac.pick % gv.length] : DECLARED[other];
          requests.push(['jacobian', toText(g), x.name]);
        }
        if (c.hess && own.length > 0)
          requests.push(['hessian', toText(f), own[c.hess.pick % own.length].name]);

        const dims = new Map([
          ['n', c.dims[0]],
          ['d', c.dims[1]],
        ]);
        const values = randomValues(DECLARED, dims, seededRandom(c.seed));
        writeFileSync(
          valuesFile,
          JSON.stringify(
            Object.fromEntries(
              [...values].map(([k, m]) => [
                k,
                Array.from({ length: m.rows }, (_, i) =>
                  Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
                ),
              ]),
            ),
          ),
        );
        for (const [mode, text, x] of requests) {
          // Texts go through standard input (`-`): a leading minus would read as an option.
          const printed = await run([mode, '-', '--wrt', x, '--let', PALETTE, '--format', 'json'], text);
          expect(printed.code, `${mode} ${text} --wrt ${x}: ${printed.err}`).toBe(0);
          const { gradients } = JSON.parse(printed.out) as {
            gradients: { wrt: string; expr: string; shape: [string, string] }[];
          };
          for (const g of gradients) {
            const r = await run(
              ['eval', '-', '--let', PALETTE, '--at', valuesFile, '--format', 'json'],
              g.expr,
            );
            expect(r.code, `eval of ${g.expr} (${mode} of ${text} wrt ${g.wrt}): ${r.err}`).toBe(0);
            const shape = (JSON.parse(r.out) as { shape: [number, number] }).shape;
            const want = g.shape.map((s) => sizeOf(s, dims));
            expect(shape).toEqual(want);
            evaluated++;
          }
        }
      }),
      { numRuns: 300, seed: 20261201 },
    );
    expect(evaluated).toBeGreaterThan(300);
  }, 600_000);
});

/** The size of a printed dim key ("n", "3", "d*n", "n^2") at the given sizes. */
function sizeOf(key: string, dims: ReadonlyMap<string, number>): number {
  return key.split('*').reduce((acc, factor) => {
    const [base, power] = factor.split('^');
    const v = /^\d+$/.test(base) ? Number(base) : dims.get(base)!;
    return acc * v ** Number(power ?? 1);
  }, 1);
}
