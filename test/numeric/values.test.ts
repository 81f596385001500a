// Bad values are refused with the library's ValueError, never turned into silent garbage: a Matrix whose
// data does not fit its sizes, holes in sparse arrays, NaN/Infinity given to compiled closures, values
// breaking their qualifiers, names shared by two scopes, and a variable object of another scope.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compile, declare, evaluate, evaluateAll, grad, parse, ValueError } from '../../src/index.js';
import { mul } from '../../src/ops/build.js';
import { capture } from '../helpers/io.js';

const scope = declare('x: n; X: n x d; Y: n x k onehot; p: n positive; T: n x n symmetric; S: n x n spd');
const f = (t: string) => parse(t, scope);

/** `run` throws a ValueError whose message matches. */
function refuses(run: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValueError);
  expect((caught as Error).message).toMatch(message);
}

describe('evaluate() refuses malformed values', () => {
  it('a Matrix whose data length is not rows×cols, or with non-integer sizes', () => {
    const short = { rows: 2, cols: 2, data: new Float64Array(3) };
    refuses(() => evaluate(f('sum(X)'), { X: short }), /a 2×2 matrix needs 4 entries, its data has 3/);
    const odd = { rows: 1.5, cols: 2, data: new Float64Array(3) };
    refuses(() => evaluate(f('sum(X)'), { X: odd }), /positive integer rows and cols/);
  });

  it('holes in sparse arrays, flat or as rows', () => {
    const flat: number[] = [1];
    flat[2] = 3;
    refuses(() => evaluate(f('sum(x)'), { x: flat }), /expected a number at index 1, got undefined/);
    const rows = [[1, 2], []];
    rows[1].length = 2;
    refuses(() => evaluate(f('sum(X)'), { X: rows }), /at row 2, column 1, got undefined/);
  });

  it('NaN or Infinity in a Float64Array or a Matrix', () => {
    refuses(
      () => evaluate(f('sum(x)'), { x: Float64Array.of(1, Number.NaN) }),
      /NaN at index 1 is not a finite/,
    );
    const m = { rows: 1, cols: 2, data: Float64Array.of(1, Number.POSITIVE_INFINITY) };
    refuses(() => evaluate(f('sum(X)'), { X: m }), /Infinity at row 1, column 2 is not a finite number/);
  });

  it('two expressions from two scopes that both declare x, differently', () => {
    const other = declare('x: m');
    const a = parse('sum(x)', scope);
    const b = parse('sum(x)', other);
    refuses(
      () => evaluateAll([a, b], { x: [1, 2, 3] }),
      /different scopes: x is n×1 in one and m×1 in another/,
    );
    // The same declaration in two scopes is the same variable: no conflict.
    const same = declare('x: n');
    expect(evaluateAll([a, parse('sum(x.^2)', same)], { x: [1, 2] }).map((v) => v.data[0])).toEqual([3, 5]);
  });
});

describe('qualifiers of given values', () => {
  it.each([
    [
      'sum(Y)',
      {
        Y: [
          [1, 0],
          [0.5, 0.5],
        ],
      },
      /declared onehot, but row 2 is \[0.5, 0.5\]/,
    ],
    [
      'sum(Y)',
      {
        Y: [
          [1, 1],
          [0, 1],
        ],
      },
      /declared onehot, but row 1/,
    ],
    ['sum(p)', { p: [1, 0, 2] }, /declared positive, but entry \(2,1\) is 0/],
    [
      'trace(T)',
      {
        T: [
          [1, 2],
          [3, 1],
        ],
      },
      /declared symmetric, but entries \(2,1\) and \(1,2\) differ/,
    ],
    [
      'trace(S)',
      {
        S: [
          [1, 2],
          [2, 1],
        ],
      },
      /declared spd, but its value is not positive definite/,
    ],
  ])('%s with %j', (e, values, message) => {
    refuses(() => evaluate(f(e), values), message);
  });

  it('values that hold their qualifiers are accepted', () => {
    const v = evaluate(f('sum(Y) + sum(p) + trace(T) + trace(S)'), {
      Y: [
        [1, 0],
        [0, 1],
      ],
      p: [1, 2],
      T: [
        [1, 2],
        [2, 1],
      ],
      S: [
        [2, 1],
        [1, 2],
      ],
    });
    expect(v.data[0]).toBe(2 + 3 + 2 + 4);
  });

  it('the CLI: eval exits 2 with one line', async () => {
    const io = capture();
    const code = await main(
      ['eval', 'sum(Y)', '--let', 'Y: n x k onehot', '--at', 'v.json'],
      Object.assign(io, { readFile: () => '{"Y": [[1, 0], [1, 1]]}' }),
    );
    expect(code).toBe(2);
    expect(io.stderr).toBe(
      'matcalc: error: value of Y: declared onehot, but row 2 is [1, 1], not one 1 among 0s\n',
    );
  });
});

describe('compiled closures and grad', () => {
  it('compile() refuses NaN and Infinity inputs, in every form they can be given', () => {
    const fn = compile(f('sum(x)'));
    refuses(() => fn({ x: [1, Number.NaN] }), /value of x: NaN at index 1 is not a finite number/);
    refuses(() => fn({ x: Float64Array.of(Number.NEGATIVE_INFINITY) }), /-Infinity at index 0/);
    refuses(() => fn({ x: { rows: 1, cols: 1, data: Float64Array.of(Number.NaN) } }), /NaN/);
    const g = compile(f('sum(X)'));
    refuses(
      () =>
        g({
          X: [
            [1, 2],
            [3, Number.POSITIVE_INFINITY],
          ],
        }),
      /Infinity at row 2, column 2/,
    );
    expect(fn({ x: [1, 2] }).data[0]).toBe(3);
  });

  it('grad with the variable object of another scope is refused, not zero', () => {
    const other = declare('x: m');
    refuses(() => grad(f('sum(x.^2)'), [other.vars.get('x')!]), /x \(m×1\) is a variable of another scope/);
    // Its own variable object works.
    expect(grad(f('sum(x.^2)'), [scope.vars.get('x')!]).length).toBe(1);
  });

  it('an expression over two variables of one name: each variable object is its own', () => {
    // a scalar s and a vector s from two declarations, in one expression: s·sum(s) = s_scalar · Σ s_vector
    const scalar = declare('s: scalar');
    const vector = declare('s: n');
    const s0 = scalar.vars.get('s')!;
    const s1 = vector.vars.get('s')!;
    const both = mul(parse('s', scalar), parse('sum(s)', vector));
    const at = { s: [1, 2, 3] };
    // ∂/∂s_scalar = Σ s_vector = 6; ∂/∂s_vector = s_scalar · 1, here with s_scalar = 2
    const [g0] = grad(both, [s0]);
    const [g1] = grad(both, [s1]);
    expect(evaluate(g0, at).data[0]).toBe(6);
    expect(Array.from(evaluate(g1, { s: 2 }, { dims: { n: 3 } }).data)).toEqual([2, 2, 2]);
  });

  it('many variables named at once (resolved by a table): each gradient is its own coefficient', () => {
    // f = Σ_k k·c_k over 40 scalars: ∂f/∂c_k = k, by names and by variable objects alike
    const n = 40;
    const decls = declare(Array.from({ length: n }, (_, k) => `c${k}: scalar`).join('; '));
    const f = parse(Array.from({ length: n }, (_, k) => `${k + 1}*c${k}`).join(' + '), decls);
    const names = Array.from({ length: n }, (_, k) => `c${k}`);
    const byName = grad(f, names, { scope: decls });
    const byObject = grad(
      f,
      names.map((c) => decls.vars.get(c)!),
    );
    const at = Object.fromEntries(names.map((c) => [c, 0.5]));
    for (const gs of [byName, byObject]) {
      expect(gs.map((g) => evaluate(g, at).data[0])).toEqual(names.map((_, k) => k + 1));
    }
    refuses(() => grad(f, [...names, 'c99'], { scope: decls }), /c99 is not a variable of this expression/);
  });
});
