// Numeric edge cases: evaluation at |z| = 1000, log of 0, compositions computed in their stable forms,
// singular matrices refused clearly, and finite-difference checks that neither pass vacuously (NaN) nor
// fail falsely (a kink within the step), while still catching a wrong gradient.
import { describe, expect, it } from 'vitest';
import { evaluate, grad } from '../../src/api.js';
import { type Io, main } from '../../src/cli/main.js';
import { compile } from '../../src/emit/js.js';
import type { Expr, VarExpr } from '../../src/ir/expr.js';
import { SingularMatrixError } from '../../src/kernels/linalg.js';
import { checkGradients } from '../../src/numeric/gradcheck.js';
import { randomDims, randomValues, seededRandom } from '../../src/numeric/random.js';
import { abs, mul, num, sign, sub, sum } from '../../src/ops/build.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';

const scope = parseDecls('z: n; S: m x n; A: n x n; x: n');
const p = (text: string) => parseExpr(text, scope);
const values = (e: Expr, v: Record<string, unknown>) => [...evaluate(e, v as never).data];
const compiled = (e: Expr, v: Record<string, unknown>) => [...compile(e)(v as never).data];
const Z = [1000, -1000, 0];

function capture(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : `${t}\n`;
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : `${t}\n`;
    },
    stdin: () => stdin,
    readFile: () => '',
  };
  return io;
}

describe('evaluation at |z| = 1000', () => {
  const cases: [string, number[]][] = [
    ['sigmoid(z)', [1, 0, 0.5]],
    ['softplus(z)', [1000, 0, Math.LN2]],
    ['logsumexp(z)', [1000]],
    ['logsoftmax(z)', [0, -2000, -1000]],
    ['softmax(z)', [1, 0, 0]],
    ['tanh(z)', [1, -1, 0]],
  ];
  it.each(cases)('%s is exact, with no NaN or Infinity, interpreted and compiled', (text, want) => {
    const e = p(text);
    expect(values(e, { z: Z })).toEqual(want);
    expect(compiled(e, { z: Z })).toEqual(want);
  });

  it('logsumexp of equal large entries, and along rows', () => {
    // log(2·e¹⁰⁰⁰) = 1000 + log 2
    expect(values(p('logsumexp(z)'), { z: [1000, 1000] })).toEqual([1000 + Math.LN2]);
    expect(values(p('logsumexp(z)'), { z: [-1000, -1000] })).toEqual([-1000 + Math.LN2]);
    const S = [
      [1000, 999],
      [-1000, -1001],
    ];
    const lse = values(p('logsumexp(S, 2)'), { S });
    expect(lse[0]).toBeCloseTo(1000 + Math.log1p(Math.exp(-1)), 12);
    expect(lse[1]).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
    expect(values(p('logsoftmax(S, 1)'), { S })).toEqual([0, 0, -2000, -2000]);
  });

  it('gradients there are finite and right: softplus′ = σ, ∇ logsumexp = softmax', () => {
    const s = parseDecls('z: n');
    const at = (text: string) => values(grad(parseExpr(text, s), ['z'], { scope: s })[0], { z: Z });
    expect(at('sum(softplus(z))')).toEqual([1, 0, 0.5]);
    expect(at('logsumexp(z)')).toEqual([1, 0, 0]);
    expect(at('sum(sigmoid(z))')).toEqual([0, 0, 0.25]);
    expect(at('sum(log(sigmoid(z)))')).toEqual([0, 1, 0.5]);
    expect(at('sum(logsoftmax(z))')).toEqual([-2, 1, 1]);
  });
});

describe('log of 0, and compositions in their stable forms', () => {
  it('log(0) is -Infinity, not NaN; log of a negative number is NaN', () => {
    expect(values(p('log(z)'), { z: [0, 1, -1] })).toEqual([Number.NEGATIVE_INFINITY, 0, Number.NaN]);
    expect(values(p('log(z - z)'), { z: Z })).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(values(p('sqrt(z - z)'), { z: Z })).toEqual([0, 0, 0]);
  });

  it.each([
    // σ(-1000) underflows to 0: evaluated literally, log σ(-1000) would be -Infinity rather than -1000.
    ['log(sigmoid(z))', [0, -1000, -Math.LN2]],
    ['log(1 - sigmoid(z))', [-1000, 0, -Math.LN2]],
    ['log(softmax(z))', [0, -2000, -1000]],
    ['log(sum(exp(z)))', [1000]],
    ['log(1 + exp(z))', [1000, 0, Math.LN2]],
  ])('%s is evaluated stably', (text, want) => {
    // (+ 0 turns the −0 of −softplus(−1000) into 0)
    expect(values(p(text), { z: Z }).map((v) => v + 0)).toEqual(want);
  });

  it('the logistic loss at a margin of 1000 is 1000 per example, not NaN', () => {
    const s = parseDecls('X: n x d; w: d; y: n');
    const loss = parseExpr('sum(-y .* log(sigmoid(X*w)) - (1 - y) .* log(1 - sigmoid(X*w)))', s);
    const v = {
      X: [
        [1000, 0],
        [-1000, 1],
      ],
      w: [1, 0],
      y: [0, 1],
    };
    expect(values(loss, v)).toEqual([2000]);
  });

  it('the CLI prints -Infinity, as text and as a JSON string', async () => {
    const io = capture('{"z": [0, 1]}');
    expect(await main(['eval', 'log(z)', '--let', 'z: n', '--at', '-', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toEqual({ shape: [2, 1], value: [['-Infinity'], [0]] });
    const t = capture('{"z": [0, 1]}');
    expect(await main(['eval', 'log(z)', '--let', 'z: n', '--at', '-'], t)).toBe(0);
    expect(t.stdout).toMatch(/^-Infinity\n\s*0\n\(2×1\)\n$/);
  });
});

describe('singular matrices', () => {
  const singular = {
    A: [
      [1, 2],
      [2, 4],
    ],
  };
  it('inv and logdet throw a SingularMatrixError naming the pivot; det is 0', () => {
    expect(() => evaluate(p('inv(A)'), singular as never)).toThrow(SingularMatrixError);
    expect(() => evaluate(p('inv(A)'), singular as never)).toThrow(
      /matrix is singular \(pivot 0 at column 2\)/,
    );
    expect(() =>
      evaluate(p('logdet(A)'), {
        A: [
          [0, 0],
          [0, 0],
        ],
      } as never),
    ).toThrow(/singular \(pivot 0 at column 1\)/);
    expect(values(p('det(A)'), singular)).toEqual([0]);
  });

  it.each(['inv(A)', 'logdet(A)', 'sum(inv(A)*x)', 'trace(A^-2)'])(
    '`eval %s` exits 2 with one clear line',
    async (text) => {
      const io = capture(JSON.stringify({ ...singular, x: [1, 2] }));
      expect(await main(['eval', text, '--let', 'A: n x n; x: n', '--at', '-'], io)).toBe(2);
      expect(io.stdout).toBe('');
      expect(io.stderr).toMatch(/^matcalc: error: matrix is singular \(pivot 0 at column 2\)\n$/);
    },
  );
});

describe('finite-difference checks', () => {
  const s = parseDecls('x: n');
  const x = s.vars.get('x')! as VarExpr;
  const dims = new Map([['n', 3]]);

  /** The first point checkGradients samples with this seed (trials = 1, n fixed). */
  function firstPoint(seed: number): Float64Array {
    const rand = seededRandom(seed);
    const d = randomDims(['n'], rand, dims);
    return randomValues([x], d, rand).get('x')!.data;
  }

  it('sample inside the domain, and never pass where no point is in it (sqrt of a negative number)', () => {
    const f = parseExpr('sum(sqrt(x - 10))', s);
    const [g] = grad(f, ['x'], { scope: s });
    // x > 10 is reached by re-drawing at larger magnitudes; the gradient is then checked there.
    const inside = checkGradients(f, [x], [g], { dims, seed: 3, trials: 1 });
    expect(inside.verdict).toBe('pass');
    expect(inside.perVariable[0].relError).toBeLessThan(1e-8);
    const empty = parseExpr('sum(sqrt(-1 - x.^2))', s);
    const [h] = grad(empty, ['x'], { scope: s });
    const r = checkGradients(empty, [x], [h], { dims, seed: 3, trials: 1 });
    expect(r.ok).toBe(false);
    expect(r.verdict).toBe('cannot check');
    expect(r.reason).toMatch(/^sqrt needs .* > 0; no sampled point satisfies it$/);
    expect(Number.isNaN(r.perVariable[0].relError)).toBe(true);
  });

  it('do not fail when a kink of abs lies within the step, and still catch a wrong gradient there', () => {
    const seed = 5;
    const at = firstPoint(seed);
    // The kink of |x₁ − c| sits 3·10⁻⁴ from x₁: inside the first step (10⁻³), outside the refined ones.
    const c = at[0] + 3e-4;
    const f = sum(abs(sub(x, num(c))));
    const [g] = grad(f, [x]);
    const r = checkGradients(f, [x], [g], { dims, seed, trials: 1 });
    expect(r.ok).toBe(true);
    expect(r.perVariable[0].relError).toBeLessThan(1e-8);
    const wrong = mul(num(2), sign(sub(x, num(c))));
    expect(checkGradients(f, [x], [wrong], { dims, seed, trials: 1 }).ok).toBe(false);
  });

  it('use steps relative to the values, so large entries are checked as well as small ones', () => {
    const f = parseExpr('sum((1000000*x).^2) + sum(exp(x/1000000))', s);
    const [g] = grad(f, ['x'], { scope: s });
    expect(checkGradients(f, [x], [g], { dims, trials: 3 }).ok).toBe(true);
  });
});
