// Every op's forward-mode (vec-form) rule, table-driven over the registry: jacobianRaw of the op applied to
// fresh variables, evaluated, against central finite differences of vec(out) for each argument.
import { describe, expect, it } from 'vitest';
import { jacobianRaw } from '../../src/diff/jacobian.js';
import { dimConst, dimSym, ONE } from '../../src/ir/dim.js';
import { type Attrs, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import { type Matrix, maxRelDiff } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { apply } from '../../src/ops/build.js';
import { OPS, type OpName } from '../../src/ops/index.js';
import { fdJacobian } from '../helpers/jvpcheck.js';
import { type ArgKind, randomMatrix, rng } from '../helpers/vjpcheck.js';

type Sizes = readonly (readonly [number, number])[];

/** One instantiation of an op: argument sizes, attrs, how to sample each argument. */
interface Case {
  readonly sizes: Sizes;
  readonly attrs?: Attrs;
  readonly kinds?: readonly ArgKind[];
}

/** Max relative error of jacobianRaw(op(args), args[k]) against central differences, over every k. */
function jvpError(op: OpName, { sizes, attrs = {}, kinds = [] }: Case, seed: number): number {
  const rand = rng(seed);
  const vars = sizes.map(([r, c], k) => variable(`a${k}`, shape(dimConst(r), dimConst(c))));
  const out = apply(op, vars, attrs);
  const values = new Map<string, Matrix>(
    sizes.map(([r, c], k) => [`a${k}`, randomMatrix(r, c, kinds[k] ?? 'any', rand)]),
  );
  let worst = 0;
  for (const v of vars) {
    const [jac] = evaluateMany([jacobianRaw(out, v)], values, new Map());
    worst = Math.max(worst, maxRelDiff(jac, fdJacobian(out, v.name, values)));
  }
  return worst;
}

const unary = (kind: ArgKind = 'any'): Case[] => [
  { sizes: [[3, 4]], kinds: [kind] },
  { sizes: [[2, 1]], kinds: [kind] },
  { sizes: [[1, 1]], kinds: [kind] },
];

/** Same shapes, then each broadcasting pattern: row, column, scalar on either side, row against column. */
const binary = (kinds: readonly ArgKind[] = []): Case[] =>
  (
    [
      [
        [3, 4],
        [3, 4],
      ],
      [
        [3, 4],
        [1, 4],
      ],
      [
        [3, 1],
        [3, 4],
      ],
      [
        [1, 1],
        [2, 3],
      ],
      [
        [2, 3],
        [1, 1],
      ],
      [
        [3, 1],
        [1, 4],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ] as const
  ).map((sizes) => ({ sizes, kinds }));

const alongDims = (sizes: Sizes): Case[] =>
  [0, 1, 2].map((dim) => ({ sizes, attrs: { dim: dim as 0 | 1 | 2 } }));

const CASES: Record<OpName, readonly Case[]> = {
  add: binary(),
  sub: binary(),
  neg: unary(),
  emul: binary(),
  ediv: binary(['any', 'awayFromZero']),
  epow: binary(['positive', 'any']),
  exp: unary(),
  log: unary('positive'),
  sqrt: unary('positive'),
  abs: unary('awayFromZero'),
  tanh: unary(),
  sigmoid: unary(),
  relu: unary('awayFromZero'),
  softplus: unary(),
  sin: unary(),
  cos: unary(),
  sign: unary('awayFromZero'),
  step: unary('awayFromZero'),
  log1p: unary('positive'),
  expm1: unary(),
  tan: unary('unit'),
  atan: unary(),
  asin: unary('unit'),
  acos: unary('unit'),
  erf: unary(),
  gelu_erf: unary(),
  max: binary(),
  min: binary(),
  normcdf: unary(),
  normpdf: unary(),
  gelu_tanh: unary(),
  matmul: [
    {
      sizes: [
        [3, 4],
        [4, 2],
      ],
    },
    {
      sizes: [
        [1, 3],
        [3, 1],
      ],
    },
    {
      sizes: [
        [2, 1],
        [1, 3],
      ],
    },
  ],
  transpose: [{ sizes: [[3, 4]] }, { sizes: [[2, 5]] }, { sizes: [[4, 1]] }, { sizes: [[1, 3]] }],
  trace: [{ sizes: [[3, 3]] }, { sizes: [[4, 4]] }],
  det: [
    { sizes: [[3, 3]], kinds: ['spd'] },
    { sizes: [[4, 4]], kinds: ['spd'] },
    { sizes: [[3, 3]], kinds: ['any'] },
  ],
  adj: [
    { sizes: [[3, 3]], kinds: ['spd'] },
    { sizes: [[2, 2]], kinds: ['any'] },
  ],
  norm1: [{ sizes: [[4, 1]], kinds: ['awayFromZero'] }],
  tril: [{ sizes: [[3, 3]] }, { sizes: [[3, 2]] }],
  shift: [],
  masked_softmax: [
    {
      sizes: [
        [3, 4],
        [3, 4],
      ],
      kinds: ['any', 'positive'],
    },
  ],
  logdet: [
    { sizes: [[3, 3]], kinds: ['spd'] },
    { sizes: [[4, 4]], kinds: ['spd'] },
  ],
  inv: [
    { sizes: [[3, 3]], kinds: ['spd'] },
    { sizes: [[4, 4]], kinds: ['spd'] },
  ],
  matpow: [0, 1, 2, 3].flatMap((power) => [
    { sizes: [[3, 3]], attrs: { power }, kinds: ['spd'] } as const,
    { sizes: [[2, 2]], attrs: { power }, kinds: ['any'] } as const,
  ]),
  kron: [
    {
      sizes: [
        [2, 3],
        [4, 2],
      ],
    },
    {
      sizes: [
        [3, 2],
        [2, 4],
      ],
    },
    {
      sizes: [
        [3, 1],
        [1, 2],
      ],
    },
    {
      sizes: [
        [1, 2],
        [3, 1],
      ],
    },
    {
      sizes: [
        [2, 2],
        [1, 1],
      ],
    },
  ],
  vec: [{ sizes: [[3, 2]] }, { sizes: [[1, 4]] }, { sizes: [[4, 1]] }],
  diagm: [{ sizes: [[4, 1]] }, { sizes: [[1, 3]] }, { sizes: [[1, 1]] }],
  diagv: [{ sizes: [[3, 3]] }, { sizes: [[4, 4]] }],
  sum: [...alongDims([[3, 4]]), ...alongDims([[1, 5]]), ...alongDims([[4, 1]])],
  mean: [...alongDims([[3, 4]]), ...alongDims([[5, 2]])],
  norm: [{ sizes: [[4, 1]] }, { sizes: [[3, 5]] }],
  softmax: [...alongDims([[3, 4]]), ...alongDims([[5, 2]]), { sizes: [[6, 1]] }],
  logsoftmax: [...alongDims([[3, 4]]), ...alongDims([[5, 2]]), { sizes: [[6, 1]] }],
  logsumexp: [...alongDims([[3, 4]]), ...alongDims([[5, 2]]), { sizes: [[6, 1]] }],
  // Constants: checked below, as they have no arguments.
  eye: [],
  ones: [],
  zeros: [],
  size: [],
};

describe('jvp rules against central differences', () => {
  it('the table covers every op in the registry', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(OPS).sort());
  });

  const rows = Object.entries(CASES).flatMap(([op, cases]) =>
    cases.map((c) => [op as OpName, JSON.stringify(c.sizes), c.attrs ?? {}, c] as const),
  );
  it.each(rows)('%s at %s %j', (op, _sizes, _attrs, c) => {
    expect(jvpError(op, c, 3)).toBeLessThan(1e-6);
    expect(jvpError(op, c, 17)).toBeLessThan(1e-6);
  });

  it('a broadcast row and column (X*W + b′ style) in one sum', () => {
    const X = variable('X', shape(dimConst(4), dimConst(2)));
    const W = variable('W', shape(dimConst(2), dimConst(3)));
    const b = variable('b', shape(dimConst(3), ONE));
    const c = variable('c', shape(dimConst(4), ONE));
    const out = apply('emul', [
      apply('add', [apply('matmul', [X, W]), apply('transpose', [b])]),
      apply('tanh', [c]),
    ]);
    const rand = rng(5);
    const values = new Map<string, Matrix>([
      ['X', randomMatrix(4, 2, 'any', rand)],
      ['W', randomMatrix(2, 3, 'any', rand)],
      ['b', randomMatrix(3, 1, 'any', rand)],
      ['c', randomMatrix(4, 1, 'any', rand)],
    ]);
    for (const v of [X, W, b, c]) {
      const [jac] = evaluateMany([jacobianRaw(out, v)], values, new Map());
      expect(maxRelDiff(jac, fdJacobian(out, v.name, values))).toBeLessThan(1e-6);
    }
  });
});

describe('jvp of constants', () => {
  const n = dimSym('n');
  const x = variable('x', shape(dimConst(2), ONE));
  // With n = 3: eye is 3×3, ones 3×2, zeros 3×3, size 1×1; x has 2 entries.
  it.each([
    ['eye', { rows: n, cols: n }, 9],
    ['ones', { rows: n, cols: dimConst(2) }, 6],
    ['zeros', { rows: dimConst(3), cols: n }, 9],
    ['size', { rows: n }, 1],
  ] as const)('%s has no tangent and a zero Jacobian', (op, attrs, entries) => {
    const out = apply(op, [], attrs);
    expect(OPS[op].jvp(out, [], attrs, [])).toBeNull();
    const [jac] = evaluateMany([jacobianRaw(out, x)], new Map(), new Map([['n', 3]]));
    expect([jac.rows, jac.cols]).toEqual([entries, 2]);
    expect(Array.from(jac.data).every((v) => v === 0)).toBe(true);
  });
});
