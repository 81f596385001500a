// compile(): every op's template against the interpreter (plain, fused and transposed arguments, two size
// instantiations per closure), compiled gradients against finite differences, buffer reuse, hostile names,
// CSE and the rewrites (transpose flags, diag scalings, outer products, stable log forms).
import { describe, expect, it } from 'vitest';
import { evaluateAll, grad } from '../../src/api.js';
import { compile } from '../../src/emit/js.js';
import { type Dim, dimConst, dimSym } from '../../src/ir/dim.js';
import { ValueError } from '../../src/ir/errors.js';
import { type Attrs, type Expr, freeVars, variable } from '../../src/ir/expr.js';
import { shape } from '../../src/ir/shape.js';
import * as K from '../../src/kernels/index.js';
import { type Matrix, maxRelDiff, transposeM } from '../../src/kernels/matrix.js';
import { evaluateMany } from '../../src/numeric/evaluate.js';
import { finiteDifference } from '../../src/numeric/gradcheck.js';
import { randomDims, randomValues, seededRandom } from '../../src/numeric/random.js';
import { apply, neg, transpose } from '../../src/ops/build.js';
import { OPS, type OpName } from '../../src/ops/index.js';
import { parseDecls, parseExpr } from '../../src/parse/index.js';
import { compile as publicCompile } from '../../src/public.js';
import { type ArgKind, randomMatrix, rng } from '../helpers/vjpcheck.js';

const N = dimSym('n');
const KD = dimSym('k');
const dimOf = (s: string): Dim => (s === 'n' ? N : s === 'k' ? KD : dimConst(Number(s)));
const INSTANCES = [
  { n: 3, k: 4 },
  { n: 5, k: 2 },
] as const;
const dimsOf = (o: Readonly<Record<string, number>>) => new Map(Object.entries(o));
/** A 2×2 matrix as rows. */
const ROWS: number[][] = [
  [1, 2],
  [3, 4],
];
const sizeOf = (s: string, at: { n: number; k: number }) => (s === 'n' ? at.n : s === 'k' ? at.k : Number(s));

/** A shape as two characters, rows then columns: 'nk' is n×k, '1k' a row, 'nn' square. */
type Spec = string;
interface Case {
  readonly shapes: readonly Spec[];
  readonly attrs?: Attrs;
  readonly kinds?: readonly ArgKind[];
}
type Variant = 'plain' | 'fused' | 'transposed';

/**
 * Max relative difference between the compiled op and the interpreter over both instantiations of one
 * closure. `fused` passes each argument as −(−a) (an inlined map chain); `transposed` passes aᵀ of a
 * variable declared with the swapped shape (gemm flags, strided reads, views).
 */
function opError(op: OpName, { shapes, attrs = {}, kinds = [] }: Case, variant: Variant): number {
  const vars = shapes.map(([r, c], i) =>
    variant === 'transposed'
      ? variable(`a${i}`, shape(dimOf(c), dimOf(r)))
      : variable(`a${i}`, shape(dimOf(r), dimOf(c))),
  );
  const args = vars.map((v) =>
    variant === 'transposed' ? transpose(v) : variant === 'fused' ? neg(neg(v)) : v,
  );
  const out = apply(op, args, attrs);
  const fn = compile(out);
  let worst = 0;
  INSTANCES.forEach((at, t) => {
    const rand = rng(11 + t);
    const values = new Map<string, Matrix>();
    shapes.forEach(([r, c], i) => {
      const m = randomMatrix(sizeOf(r, at), sizeOf(c, at), kinds[i] ?? 'any', rand);
      values.set(`a${i}`, variant === 'transposed' ? transposeM(m) : m);
    });
    const [want] = evaluateMany([out], values, new Map(Object.entries(at)));
    worst = Math.max(worst, maxRelDiff(fn({ ...Object.fromEntries(values), ...at }), want));
  });
  return worst;
}

/** Cases from space-separated argument shapes: cases('nk 1k', 'n1 nk'). */
const cases = (...list: string[]): Case[] => list.map((shapes) => ({ shapes: shapes.split(' ') }));
const withKinds = (list: readonly Case[], kinds: readonly ArgKind[]): Case[] =>
  list.map((c) => ({ ...c, kinds }));
const unary = (kind: ArgKind = 'any') => withKinds(cases('nk', 'n1', '11'), [kind]);
/** Same shapes, then each broadcasting pattern. */
const binary = (kinds: readonly ArgKind[] = []) =>
  withKinds(cases('nk nk', 'nk 1k', 'n1 nk', '11 nk', 'nk 11', 'n1 1k', '11 11'), kinds);
const alongDims = (...list: string[]): Case[] =>
  cases(...list).flatMap((c) => ([0, 1, 2] as const).map((dim) => ({ ...c, attrs: { dim } })));
const square = (kind: ArgKind = 'any', attrs: Attrs = {}): Case => ({ shapes: ['nn'], kinds: [kind], attrs });

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
  matmul: cases('nk kn', '1n n1', 'n1 1k', 'nn nk', '11 1k'),
  transpose: cases('nk', 'n1', '1k'),
  trace: [square()],
  det: [square('spd'), square('any')],
  logdet: [square('spd')],
  inv: [square('spd')],
  matpow: [0, 1, 2, 3].map((power) => square('spd', { power })),
  kron: cases('nk k2', 'n1 1k', '22 11'),
  vec: cases('nk', '1k', 'n1'),
  diagm: cases('n1', '1k', '11'),
  diagv: [square()],
  sum: alongDims('nk', '1k', 'n1'),
  mean: alongDims('nk', 'n1'),
  norm: cases('n1', 'nk'),
  softmax: alongDims('nk', 'n1'),
  logsoftmax: alongDims('nk', 'n1'),
  logsumexp: alongDims('nk', 'n1'),
  eye: [{ shapes: [], attrs: { rows: N, cols: N } }],
  ones: [{ shapes: [], attrs: { rows: N, cols: KD } }],
  zeros: [{ shapes: [], attrs: { rows: KD, cols: N } }],
  size: [{ shapes: [], attrs: { rows: N } }],
  commutation: [{ shapes: [], attrs: { rows: N, cols: KD } }],
  tril: [square(), ...cases('nk')],
  shift: [-2, 0, 1].map((offset) => ({ shapes: [], attrs: { rows: N, offset } })),
  masked_softmax: [
    { shapes: ['nk', 'nk'], kinds: ['any', 'positive'] },
    { shapes: ['nn', 'nn'], kinds: ['any', 'any'] },
  ],
  norm1: cases('n1', '1k'),
  adj: [square('spd'), square('any')],
};

describe('every op compiled against the interpreter', () => {
  it('the table covers every op in the registry', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(OPS).sort());
  });
  const rows = Object.entries(CASES).flatMap(([op, cases]) =>
    cases.flatMap((c) =>
      (['plain', 'fused', 'transposed'] as const).map(
        (variant) => [op as OpName, JSON.stringify(c.shapes), c.attrs ?? {}, variant, c] as const,
      ),
    ),
  );
  it.each(rows)('%s at %s %j, %s arguments', (op, _shapes, _attrs, variant, c) => {
    expect(opError(op, c, variant)).toBeLessThan(1e-10);
  });
});

/** Max relative error of compiled gradients against finite differences of the compiled loss. */
function gradError(decls: string, text: string, wrt: readonly string[], seed: number): number {
  const scope = parseDecls(decls);
  const f = parseExpr(text, scope);
  const gs = grad(f, wrt, { scope });
  const vars = [...new Map([f, ...gs].flatMap(freeVars).map((v) => [v.name, v])).values()];
  const rand = seededRandom(seed);
  const symbols = [
    ...new Set(vars.flatMap((v) => [v.shape.rows, v.shape.cols]).flatMap((d) => d.factors.map(([s]) => s))),
  ];
  const values = randomValues(vars, randomDims(symbols, rand), rand);
  const v = Object.fromEntries(values);
  const loss = compile(f);
  const got = compile(gs)(v);
  let worst = 0;
  wrt.forEach((name, i) => {
    const x = values.get(name)!.data;
    for (let j = 0; j < x.length; j++) {
      const fd = finiteDifference(() => loss(v).data[0], x, j);
      worst = Math.max(worst, Math.abs(fd - got[i].data[j]) / Math.max(1, Math.abs(fd)));
    }
  });
  return worst;
}

describe('compiled gradients against finite differences', () => {
  const mlp = "sum(logsumexp(relu(X*W1 + b1')*W2 + b2', 2) - sum(Y .* (relu(X*W1 + b1')*W2 + b2'), 2))/n";
  it.each([
    ['least squares', 'X: n x d; w: d; y: n', 'sum((X*w - y).^2)', ['w']],
    ['logistic + ridge', 'X: n x d; w: d; y: n', 'sum(softplus(-y .* (X*w))) + 0.1*norm(w)^2', ['w']],
    [
      '2-layer MLP',
      'X: n x d; Y: n x k onehot; W1: d x h; b1: h; W2: h x k; b2: k',
      mlp,
      ['W1', 'b1', 'W2', 'b2'],
    ],
    ['Gaussian log-likelihood', 'S: n x n spd; A: n x n', 'logdet(S) + trace(inv(S)*A)', ['S']],
    ['softmax regression', 'X: n x d; W: d x k; Y: n x k', 'sum(logsoftmax(X*W, 2) .* Y)', ['W']],
    ['diagonal scalings', 'v: n; A: n x n', 'sum(sin(diag(v)*A*diag(v)))', ['v', 'A']],
    ['Frobenius residual', 'X: n x d; W: d x k; Y: n x k', 'norm(X*W - Y)', ['W']],
    ['broadcast row and tanh', 'A: n x d; x: d; c: n', "sum(tanh(A .* x' + c).^2)", ['x', 'c']],
  ] as const)('%s', (_name, decls, text, wrt) => {
    expect(gradError(decls, text, wrt, 1)).toBeLessThan(1e-6);
    expect(gradError(decls, text, wrt, 2)).toBeLessThan(1e-6);
  });
});

/** Counts Float64Array constructions while `body` runs (a Proxy over the global constructor). */
function countFloat64Arrays(body: () => void): number[] {
  const original = globalThis.Float64Array;
  const lengths: number[] = [];
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target, args, newTarget) as Float64Array;
      lengths.push(made.length);
      return made;
    },
  });
  try {
    body();
  } finally {
    globalThis.Float64Array = original;
  }
  return lengths;
}

const ls = () => {
  const scope = parseDecls('X: n x d; w: d; y: n; S: d x d spd');
  const f = parseExpr('sum((X*w - y).^2) + logdet(S) + sum(inv(S)*w) + sum(S^3*w) + det(S)', scope);
  return { scope, f, gs: grad(f, ['w', 'S'], { scope }) };
};
const lsValues = (n: number) => {
  const rand = seededRandom(n);
  const { f, gs } = ls();
  const vars = [...new Map([f, ...gs].flatMap(freeVars).map((v) => [v.name, v])).values()];
  return Object.fromEntries(randomValues(vars, dimsOf({ n, d: 3 }), rand));
};

describe('buffers are allocated once per size signature', () => {
  it('returns the same matrices and allocates nothing after the first call', () => {
    const fn = compile(ls().gs);
    const values = lsValues(4);
    const first = fn(values);
    const allocated = fn.allocations;
    const data = first.map((m) => m.data);
    const made = countFloat64Arrays(() => {
      for (let i = 0; i < 3; i++) fn(values);
    });
    const again = fn(values);
    expect(made).toEqual([]);
    expect(fn.allocations).toBe(allocated);
    expect(again).toBe(first);
    again.forEach((m, i) => {
      expect(m).toBe(first[i]);
      expect(m.data).toBe(data[i]);
    });
  });

  it('the public compile returns the same list and matrices too, with the values of a fresh call', () => {
    const { gs } = ls();
    const fn = publicCompile(gs);
    const values = lsValues(4);
    const first = fn(values);
    const kept = first.map((m) => Array.from(m.data));
    expect(fn(values)).toBe(first);
    const want = evaluateAll(gs, values);
    first.forEach((m, i) => {
      expect(maxRelDiff(m, want[i])).toBeLessThan(1e-12);
      expect(Array.from(m.data)).toEqual(kept[i]);
    });
  });

  it('keeps one set of buffers per signature and finds it again', () => {
    const fn = compile(ls().gs);
    const [a] = fn(lsValues(4));
    const after4 = fn.allocations;
    const [b] = fn(lsValues(6));
    expect(fn.allocations).toBeGreaterThan(after4);
    expect(b).not.toBe(a);
    const after6 = fn.allocations;
    expect(fn(lsValues(4))[0]).toBe(a);
    expect(fn.allocations).toBe(after6);
  });

  it('copyOutputs returns fresh matrices with the same values', () => {
    const fn = compile(ls().gs, { copyOutputs: true });
    const values = lsValues(4);
    const [a] = fn(values);
    const [b] = fn(values);
    expect(b).not.toBe(a);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('agrees with the interpreter at both signatures', () => {
    const { gs } = ls();
    const fn = compile(gs);
    for (const n of [4, 6]) {
      const values = lsValues(n);
      const want = evaluateAll(gs, values);
      fn(values).forEach((m, i) => {
        expect(maxRelDiff(m, want[i])).toBeLessThan(1e-10);
      });
    }
  });
});

describe('variable names never reach the generated source', () => {
  it('constructor, __proto__, toString, valueOf, hasOwnProperty work as variables', () => {
    const scope = parseDecls('constructor: n; __proto__: n; toString: n; valueOf: scalar; hasOwnProperty: n');
    const f = parseExpr('sum(constructor .* __proto__) + valueOf*sum(toString) + sum(hasOwnProperty)', scope);
    const values = JSON.parse(
      '{"constructor": [1, 2], "__proto__": [3, 4], "toString": [5, 6], "valueOf": 2, "hasOwnProperty": [1, 1]}',
    );
    expect(compile(f)(values).data[0]).toBe(1 * 3 + 2 * 4 + 2 * 11 + 2);
    // Inherited properties are not values, and `__proto__:` in a literal sets the prototype.
    expect(() =>
      compile(f)(JSON.parse('{"constructor": [1, 2], "__proto__": [3, 4], "valueOf": 2}')),
    ).toThrow(new ValueError('no value given for toString'));
    expect(() => compile(f)({ constructor: [1, 2], __proto__: [3, 4] } as never)).toThrow(
      new ValueError('no value given for __proto__'),
    );
  });

  it('names that look like code or like generated identifiers', () => {
    const d = dimSym('n');
    const evil = variable('"); throw new Error("pwned"); ("', shape(d, dimConst(1)));
    const k = variable('K', shape(d, dimConst(1)));
    const v0 = variable('v0', shape(d, dimConst(1)));
    const fn = compile(apply('add', [apply('emul', [evil, k]), v0]));
    expect(fn.source).not.toContain('pwned');
    const out = fn({ '"); throw new Error("pwned"); ("': [1, 2], K: [3, 4], v0: [10, 20] });
    expect(Array.from(out.data)).toEqual([13, 28]);
  });
});

/** K with every function wrapped to count its calls by name. */
function countingKernels() {
  const calls = new Map<string, number>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(K)) {
    wrapped[name] =
      typeof f === 'function'
        ? (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return (f as (...a: unknown[]) => unknown)(...args);
          }
        : f;
  }
  return { kernels: wrapped, calls };
}

describe('common subexpressions are computed once', () => {
  const scope = parseDecls('X: n x d; w: d; y: n');
  const values = {
    X: [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    w: [0.5, -1],
    y: [1, 2, 3],
  };
  it('across outputs: one gemm for X*w shared by two results', () => {
    const { kernels, calls } = countingKernels();
    const fn = compile([parseExpr('sum(exp(X*w))', scope), parseExpr('sum((X*w - y).^2)', scope)], {
      kernels,
    });
    fn(values);
    expect(calls.get('gemm')).toBe(1);
    expect(fn.source.match(/Math\.exp\(/g)).toHaveLength(1);
  });
  it('a shared elementwise node gets one buffer instead of being inlined twice', () => {
    const shared = compile([parseExpr('sum(exp(X*w))', scope), parseExpr('sum(exp(X*w) .* y)', scope)]);
    expect(shared.source.match(/Math\.exp\(/g)).toHaveLength(1);
    const [a, b] = shared(values);
    const [wantA, wantB] = evaluateAll(
      [parseExpr('sum(exp(X*w))', scope), parseExpr('sum(exp(X*w) .* y)', scope)],
      values,
    );
    expect([a.data[0], b.data[0]]).toEqual([wantA.data[0], wantB.data[0]]);
  });
  it('the MLP gradient: five gemms and no materialized transposes', () => {
    const s = parseDecls('X: n x d; Y: n x k; W1: d x h; b1: h; W2: h x k; b2: k');
    const f = parseExpr(
      "sum(logsumexp(relu(X*W1 + b1')*W2 + b2', 2) - sum(Y .* (relu(X*W1 + b1')*W2 + b2'), 2))/n",
      s,
    );
    const { kernels, calls } = countingKernels();
    const fn = compile(grad(f, ['W1', 'b1', 'W2', 'b2'], { scope: s }), { kernels });
    const rand = seededRandom(3);
    fn(Object.fromEntries(randomValues(freeVars(f), dimsOf({ n: 4, d: 3, h: 5, k: 2 }), rand)));
    expect(calls.get('gemm')).toBe(5);
    expect(calls.has('transpose')).toBe(false);
    expect(fn.source.match(/K\.relu\(/g)).toHaveLength(1);
  });
});

describe('rewrites', () => {
  const scope = parseDecls('X: n x d; G: n x k; A: n x k; B: d x k; v: n; u: k; x: n; y: d; z: n');
  const src = (text: string) => compile(parseExpr(text, scope)).source;
  it("X'*G and A*B' are single gemm calls with transpose flags", () => {
    expect(src("X'*G")).toMatch(/K\.gemm\(m\d+, v\d+, v\d+, true, false\)/);
    expect(src("A*B'")).toMatch(/K\.gemm\(m\d+, v\d+, v\d+, false, true\)/);
    expect(src("X'*G")).not.toContain('K.transpose');
  });
  it('diag(v)*A and A*diag(u) scale rows and columns without an n×n matrix', () => {
    for (const text of ['diag(v)*A', 'A*diag(u)', "diag(v)*A*diag(u')"]) {
      const f = parseExpr(text, scope);
      const fn = compile(f);
      expect(fn.source).not.toMatch(/K\.(diagm|gemm)/);
      const rand = seededRandom(5);
      const values = Object.fromEntries(randomValues(freeVars(f), dimsOf({ n: 7, k: 3 }), rand));
      const want = evaluateAll([f], values)[0];
      let got = want;
      expect(countFloat64Arrays(() => (got = fn(values)))).not.toContain(49);
      expect(maxRelDiff(got, want)).toBe(0);
    }
  });
  it("an outer product x*y' is a broadcast, not a gemm", () => {
    const f = parseExpr("x*y'", scope);
    expect(compile(f).source).not.toContain('K.gemm');
    const values = { x: [1, 2, 3], y: [4, 5] };
    expect(Array.from(compile(f)(values).data)).toEqual([4, 5, 8, 10, 12, 15]);
  });
  it('constants as operands: ones, eye, zeros and sizes in products, kernels and loops', () => {
    const s = parseDecls('X: n x d; x: n');
    const texts = [
      'ones(1, n)*X',
      'eye(n)*X + zeros(n, d)',
      'x + ones(n, 1)*2/n',
      "inv(eye(n) + x*x')",
      "ones(n, 1)' * x",
    ];
    for (const text of texts) {
      const f = parseExpr(text, s);
      const values = {
        X: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        x: [0.5, -1, 2],
      };
      expect(maxRelDiff(compile(f)(values), evaluateAll([f], values)[0])).toBeLessThan(1e-12);
    }
  });
  it('naive log forms compile to the stable kernels', () => {
    const s = parseDecls('x: n');
    const at = (text: string, x: number[]) => Array.from(compile(parseExpr(text, s))({ x }).data);
    expect(at('log(1 + exp(x))', [800, -800])).toEqual([800, K.softplus(-800)]);
    expect(at('log(sigmoid(x))', [-800])).toEqual([-800]);
    expect(at('log(sum(exp(x)))', [1000, 1000])).toEqual([1000 + Math.log(2)]);
    expect(at('log(softmax(x))', [1000, 0])).toEqual([0, -1000]);
  });
});

describe('values', () => {
  const scope = parseDecls('A: 2 x n; x: n; r: 1 x n; s: scalar');
  const f = parseExpr("A*x + s*A*r'", scope);
  const fn = compile(f);
  const want = [1 * 1 + 2 * 2 + 10 * (1 * 5 + 2 * 6), 3 * 1 + 4 * 2 + 10 * (3 * 5 + 4 * 6)];
  it('numbers, flat arrays, Float64Arrays, rows and matrices all work', () => {
    const A = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) };
    expect(
      Array.from(
        fn({
          A: ROWS,
          x: [1, 2],
          r: [5, 6],
          s: 10,
        }).data,
      ),
    ).toEqual(want);
    expect(Array.from(fn({ A, x: Float64Array.of(1, 2), r: Float64Array.of(5, 6), s: [10] }).data)).toEqual(
      want,
    );
    expect(Array.from(fn({ A, x: [1, 2], r: [[5, 6]], s: [[10]] }).data)).toEqual(want);
  });
  it.each([
    [{ x: [1, 2], r: [5, 6], s: 1 }, 'no value given for A'],
    [
      {
        A: [
          [1, 2, 3],
          [3, 4, 5],
        ] as number[][],
        x: [1, 2],
        r: [5, 6],
        s: 1,
      },
      'n is 3 in A but 2 in x',
    ],
    [{ A: [[1, 2]], x: [1, 2], r: [5, 6], s: 1 }, 'A is declared with 2 rows but its value has 1'],
    [{ A: [[1, 2], [3]], x: [1, 2], r: [5, 6], s: 1 }, 'value of A: row 2 has 1 entries, row 1 has 2'],
    [
      {
        A: ROWS,
        x: 'ab',
        r: [5, 6],
        s: 1,
      },
      'value of x: expected a number, an array, an array of rows or a matrix, got the string "ab"',
    ],
    [
      {
        A: ROWS,
        x: [1, '2'],
        r: [5, 6],
        s: 1,
      },
      'value of x: expected a number at index 1, got the string "2"',
    ],
    [
      {
        A: ROWS,
        x: [],
        r: [5, 6],
        s: 1,
      },
      'value of x: empty array',
    ],
  ])('%j → %s', (values, message) => {
    expect(() => fn(values as never)).toThrow(new ValueError(message));
  });
  it('a size no variable fixes is given by name', () => {
    const g = compile(apply('ones', [], { rows: N, cols: dimConst(2) }));
    expect(() => g({})).toThrow(/the size n is not fixed by any variable's value/);
    expect(g({ n: 3 }).rows).toBe(3);
  });
  it('an output fed back as an input is read before it is overwritten', () => {
    const s = parseDecls('M: n x n; x: n');
    const g = compile(parseExpr('M*x', s));
    const M = ROWS;
    const first = g({ M, x: [1, 1] });
    expect(Array.from(g({ M, x: first }).data)).toEqual([3 + 14, 9 + 28]);
  });
  it('a chain of 5000 elementwise ops compiles (inlining is cut into loops of bounded depth)', () => {
    const x = variable('x', shape(N, dimConst(1)));
    let e: Expr = x;
    for (let i = 0; i < 5000; i++) e = apply(i % 2 ? 'sin' : 'add', i % 2 ? [e] : [e, x]);
    const g = compile(e);
    const values = { x: [0.3, -0.7] };
    expect(maxRelDiff(g(values), evaluateAll([e], values)[0])).toBe(0);
    expect(g.source.length).toBeLessThan(1_000_000);
  });
  it('derivative nodes are expanded first', () => {
    const s = parseDecls('X: n x d; w: d');
    const g = compile(parseExpr('grad(sum(X*w), w)', s) as Expr);
    expect(
      Array.from(
        g({
          X: ROWS,
          w: [0, 0],
        }).data,
      ),
    ).toEqual([4, 6]);
  });
});
