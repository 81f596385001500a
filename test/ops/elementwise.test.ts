// Elementwise arithmetic records: broadcasting shape rules, eval against NumPy, syntax forms, JS templates,
// and every VJP against finite differences (test/helpers/vjpcheck.ts).
import { describe, expect, it } from 'vitest';
import { dimConst, dimSym, ONE } from '../../src/ir/dim.js';
import { ShapeError } from '../../src/ir/errors.js';
import { variable } from '../../src/ir/expr.js';
import { SCALAR, shape } from '../../src/ir/shape.js';
import * as K from '../../src/kernels/index.js';
import { fromRows, type Matrix, toRows } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply, num } from '../../src/ops/build.js';
import { OPS } from '../../src/ops/index.js';
import { vjpError } from '../helpers/vjpcheck.js';

const n = dimSym('n');
const d = dimSym('d');
const nd = shape(n, d);
const row = shape(ONE, d);
const col = shape(n, ONE);
const ctx = { dim: () => 1 };
const BINARY = ['add', 'sub', 'emul', 'ediv', 'epow'] as const;

function close(m: Matrix, expected: number[][]): void {
  const got = toRows(m);
  expect(got.length).toBe(expected.length);
  got.forEach((r, i) => {
    r.forEach((v, j) => {
      expect(v).toBeCloseTo(expected[i][j], 12);
    });
  });
}

describe('broadcasting shape rules', () => {
  it.each(BINARY)('%s broadcasts rows, columns and scalars over symbolic dims', (op) => {
    const s = OPS[op].shape;
    expect(s([nd, nd], {})).toEqual(nd);
    expect(s([nd, row], {})).toEqual(nd);
    expect(s([col, nd], {})).toEqual(nd);
    expect(s([col, row], {})).toEqual(nd);
    expect(s([SCALAR, nd], {})).toEqual(nd);
    expect(s([SCALAR, SCALAR], {})).toBe(SCALAR);
  });

  it.each([
    ['sub', 'subtract'],
    ['emul', 'multiply elementwise'],
    ['ediv', 'divide elementwise'],
    ['epow', 'take elementwise powers of'],
  ] as const)('%s names the op and both shapes when they do not broadcast', (op, verb) => {
    const dn = shape(d, n);
    expect(() => OPS[op].shape([nd, dn], {})).toThrow(ShapeError);
    expect(() => OPS[op].shape([nd, dn], {})).toThrow(`cannot ${verb} n×d and d×n`);
    expect(() => OPS[op].shape([shape(n, dimConst(3)), shape(n, dimConst(2))], {})).toThrow('n×3 and n×2');
  });

  it('smart constructors infer the broadcast shape', () => {
    const X = variable('X', nd);
    const b = variable('b', row);
    expect(apply('sub', [X, b]).shape).toEqual(nd);
    expect(apply('emul', [num(2), X]).shape).toEqual(nd);
    expect(() => apply('ediv', [X, variable('y', shape(d, ONE))])).toThrow(ShapeError);
  });
});

describe('eval', () => {
  const A = fromRows([
    [1.5, -2, 0.25],
    [3, 0.5, -1],
  ]);
  const b = fromRows([[2, -4, 0.5]]);
  const c = fromRows([[2], [-0.5]]);

  // Expected values computed with numpy: A - b, A * c, A / b, B ** P, A ** 2.0.
  it('sub, emul, ediv broadcast like NumPy', () => {
    close(OPS.sub.eval([A, b], {}, ctx), [
      [-0.5, 2.0, -0.25],
      [1.0, 4.5, -1.5],
    ]);
    close(OPS.emul.eval([A, c], {}, ctx), [
      [3.0, -4.0, 0.5],
      [-1.5, -0.25, 0.5],
    ]);
    close(OPS.ediv.eval([A, b], {}, ctx), [
      [0.75, 0.5, 0.5],
      [1.5, -0.125, -2.0],
    ]);
  });

  it('epow with a matrix and with a scalar exponent', () => {
    const B = fromRows([
      [1.5, 2, 0.25],
      [3, 0.5, 4],
    ]);
    const P = fromRows([
      [2, 1.5, 0.5],
      [-1, 3, 2],
    ]);
    close(OPS.epow.eval([B, P], {}, ctx), [
      [2.25, 2.8284271247461903, 0.5],
      [0.3333333333333333, 0.125, 16.0],
    ]);
    close(OPS.epow.eval([A, fromRows([[2]])], {}, ctx), [
      [2.25, 4.0, 0.0625],
      [9.0, 0.25, 1.0],
    ]);
  });

  it('division by zero follows IEEE', () => {
    const r = OPS.ediv.eval([fromRows([[1, -1, 0]]), fromRows([[0]])], {}, ctx);
    expect(r.data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(r.data[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(r.data[2]).toBeNaN();
  });
});

describe('syntax forms', () => {
  it('text: * and / for scalar operands, dotted operators otherwise', () => {
    expect(OPS.sub.text([nd, row], {})).toEqual({ form: 'infix', symbol: '-' });
    expect(OPS.emul.text([SCALAR, nd], {})).toEqual({ form: 'infix', symbol: '*' });
    expect(OPS.emul.text([nd, SCALAR], {})).toEqual({ form: 'infix', symbol: '*' });
    expect(OPS.emul.text([nd, row], {})).toEqual({ form: 'infix', symbol: '.*' });
    expect(OPS.ediv.text([nd, SCALAR], {})).toEqual({ form: 'infix', symbol: '/' });
    expect(OPS.ediv.text([SCALAR, nd], {})).toEqual({ form: 'infix', symbol: './' });
    expect(OPS.epow.text([SCALAR, SCALAR], {})).toEqual({ form: 'infix', symbol: '^' });
    expect(OPS.epow.text([nd, SCALAR], {})).toEqual({ form: 'infix', symbol: '.^' });
  });

  it('latex: juxtaposition, ⊙, fraction, ⊘, superscript (a Hadamard power for a matrix base)', () => {
    expect(OPS.emul.latex([SCALAR, nd], {})).toEqual({ form: 'infix', symbol: '' });
    expect(OPS.emul.latex([nd, nd], {})).toEqual({ form: 'infix', symbol: '\\odot' });
    expect(OPS.ediv.latex([nd, SCALAR], {})).toEqual({ form: 'frac' });
    expect(OPS.ediv.latex([nd, nd], {})).toEqual({ form: 'infix', symbol: '\\oslash' });
    expect(OPS.epow.latex([SCALAR, SCALAR], {})).toEqual({ form: 'infix', symbol: '^' });
    expect(OPS.epow.latex([nd, SCALAR], {})).toEqual({ form: 'infix', symbol: '^\\circ' });
    expect(OPS.sub.latex([nd, nd], {})).toEqual({ form: 'infix', symbol: '-' });
  });

  it('numpy templates', () => {
    expect(OPS.sub.numpy(['(a)', '(b)'], {})).toBe('(a) - (b)');
    expect(OPS.emul.numpy(['a', 'b'], {})).toBe('a * b');
    expect(OPS.ediv.numpy(['a', 'b'], {})).toBe('a / b');
    expect(OPS.epow.numpy(['a', 'b'], {})).toBe('a ** b');
  });

  it('JS map templates agree with eval, even over compound operand expressions', () => {
    for (const op of BINARY) {
      const js = OPS[op].js;
      if (js.kind !== 'map') throw new Error(`${op} should be a map`);
      const f = new Function('K', 'x', 'y', `return ${js.scalar(['x + 1', 'y * 2'])};`) as (
        k: typeof K,
        x: number,
        y: number,
      ) => number;
      for (const [x, y] of [
        [0.5, 1.5],
        [2, -0.25],
        [1.25, 3],
      ]) {
        const want = OPS[op].eval([fromRows([[x + 1]]), fromRows([[y * 2]])], {}, ctx).data[0];
        expect(f(K, x, y)).toBeCloseTo(want, 14);
      }
    }
  });
});

describe('VJPs against finite differences', () => {
  const cases = [
    [
      'add',
      [
        [3, 4],
        [1, 4],
      ],
      [],
    ],
    [
      'sub',
      [
        [3, 4],
        [3, 4],
      ],
      [],
    ],
    [
      'sub',
      [
        [3, 1],
        [1, 5],
      ],
      [],
    ],
    [
      'sub',
      [
        [1, 1],
        [2, 3],
      ],
      [],
    ],
    [
      'emul',
      [
        [3, 4],
        [3, 4],
      ],
      [],
    ],
    [
      'emul',
      [
        [1, 1],
        [4, 2],
      ],
      [],
    ],
    [
      'emul',
      [
        [2, 5],
        [2, 1],
      ],
      [],
    ],
    [
      'ediv',
      [
        [3, 4],
        [3, 4],
      ],
      ['any', 'awayFromZero'],
    ],
    [
      'ediv',
      [
        [4, 3],
        [1, 1],
      ],
      ['any', 'awayFromZero'],
    ],
    [
      'ediv',
      [
        [1, 3],
        [2, 3],
      ],
      ['any', 'awayFromZero'],
    ],
    [
      'epow',
      [
        [3, 4],
        [3, 4],
      ],
      ['positive', 'any'],
    ],
    [
      'epow',
      [
        [4, 2],
        [1, 1],
      ],
      ['positive', 'any'],
    ],
    [
      'epow',
      [
        [1, 1],
        [2, 3],
      ],
      ['positive', 'any'],
    ],
    [
      'epow',
      [
        [2, 3],
        [1, 3],
      ],
      ['positive', 'any'],
    ],
  ] as const;
  it.each(cases)('%s at sizes %j', (op, sizes, kinds) => {
    expect(vjpError(op, sizes, {}, kinds, 7)).toBeLessThan(1e-6);
  });
});

describe('epow with a literal exponent', () => {
  const x = variable('x', shape(dimConst(3), ONE));
  const ct = variable('ct', shape(dimConst(3), ONE));
  const values = new Map([
    ['x', fromRows([[-1.5], [0.5], [2]])],
    ['ct', fromRows([[1], [2], [-1]])],
  ]);

  it.each([
    [2, [[-3], [2], [-4]]],
    [-2, [[0.5925925925925926], [-32], [0.25]]],
  ])('x.^%d sends no cotangent to the exponent and a finite one to a negative base', (p, want) => {
    const P = num(p);
    const out = apply('epow', [x, P]);
    const [dx, dp] = OPS.epow.vjp(ct, out, [x, P], {});
    expect(dp).toBeNull();
    // ct ⊙ p x^(p-1), computed with numpy at x = (-1.5, 0.5, 2), ct = (1, 2, -1).
    close(evaluateMany([dx!], values, new Map())[0], want);
  });

  it('an exponent free of variables gets no cotangent; a variable exponent does', () => {
    const half = apply('ediv', [num(1), num(2)]);
    expect(OPS.epow.vjp(ct, apply('epow', [x, half]), [x, half], {})[1]).toBeNull();
    const p = variable('p', SCALAR);
    expect(OPS.epow.vjp(ct, apply('epow', [x, p]), [x, p], {})[1]).not.toBeNull();
  });
});
