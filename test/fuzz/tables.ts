// Shapes, variables by shape and small helpers shared by the generators of arbitraries.ts and domains.ts.
import type fc from 'fast-check';
import { dimSym } from '../../src/ir/dim.js';
import { isScalar, shape } from '../../src/ir/shape.js';
import { opsNeeding } from '../../src/numeric/domains.js';
import { specOf } from '../../src/ops/index.js';
import { type Binary, type DimKey, dimKeyOf, SCOPE, type Spec, type Unary } from './spec.js';

export type Arb = fc.Arbitrary<Spec>;
export type ShapeKey = readonly [DimKey, DimKey];

export const VARS_BY_SHAPE = new Map<string, { name: string; pos: boolean; spd: boolean }[]>();
for (const v of SCOPE.vars.values()) {
  const key = `${dimKeyOf(v.shape.rows)}x${dimKeyOf(v.shape.cols)}`;
  const list = VARS_BY_SHAPE.get(key) ?? [];
  list.push({ name: v.name, pos: v.qualifiers.includes('positive'), spd: v.qualifiers.includes('spd') });
  VARS_BY_SHAPE.set(key, list);
}

export const SQUARE_DIMS: readonly DimKey[] = ['n', 'd'];

/** From the op records' domains: functions of positive arguments (log, sqrt), and of invertible matrices to 1×1 (det, logdet). */
export const POSITIVE_FUNCTIONS = opsNeeding('pos') as Unary[];
const square = shape(dimSym('n'), dimSym('n'));
export const INVERTIBLE_SCALARS = opsNeeding('full').filter((op) =>
  isScalar(specOf(op).shape([square], {})),
) as Unary[];
/** Variables by their number of entries, and the shapes with a given number of entries. */
export const NUMEL_VARS: Record<DimKey, string[]> = { '1': [], n: [], d: [], nd: [] };
for (const v of SCOPE.vars.values()) {
  const [r, c] = [dimKeyOf(v.shape.rows), dimKeyOf(v.shape.cols)];
  // n×n and d×d variables have n² and d² entries, a dim outside the table.
  const numel: DimKey | null = r === '1' ? c : c === '1' ? r : r !== c ? 'nd' : null;
  if (numel) NUMEL_VARS[numel].push(v.name);
}
export const NUMEL_SHAPES: Record<DimKey, ShapeKey[]> = {
  '1': [['1', '1']],
  n: [
    ['n', '1'],
    ['1', 'n'],
  ],
  d: [
    ['d', '1'],
    ['1', 'd'],
  ],
  nd: [
    ['n', 'd'],
    ['d', 'n'],
  ],
};
export const INNER: readonly DimKey[] = ['1', 'n', 'd'];
/** Source shapes of reductions to 1×1 and of norm. */
export const REDUCIBLE: readonly ShapeKey[] = [
  ['n', '1'],
  ['1', 'n'],
  ['n', 'd'],
  ['d', 'n'],
  ['n', 'n'],
  ['nd', '1'],
];

export const w = (weight: number, arbitrary: Arb) => ({ weight, arbitrary });
export const unary =
  (k: Unary) =>
  (a: Spec): Spec => ({ k, a });
export const binary =
  (k: Binary) =>
  ([a, b]: [Spec, Spec]): Spec => ({ k, a, b });
export const isSquare = ([r, c]: ShapeKey) => r === c;
export const key = ([r, c]: ShapeKey) => `${r}x${c}`;

/** Operand shapes of a broadcasting binary op with result shape s (equal, scalar, row, column, outer). */
export function broadcastPairs([r, c]: ShapeKey): [ShapeKey, ShapeKey][] {
  const pairs: [ShapeKey, ShapeKey][] = [
    [
      [r, c],
      [r, c],
    ],
  ];
  if (r !== '1' || c !== '1') {
    pairs.push(
      [
        [r, c],
        ['1', '1'],
      ],
      [
        ['1', '1'],
        [r, c],
      ],
    );
  }
  if (r !== '1' && c !== '1') {
    pairs.push(
      [
        [r, c],
        ['1', c],
      ],
      [
        ['1', c],
        [r, c],
      ],
      [
        [r, c],
        [r, '1'],
      ],
      [
        [r, '1'],
        ['1', c],
      ],
    );
  }
  return pairs;
}

/** Ways to write a dim as a product of two dims of the table (kron operands). */
export function factorPairs(d: DimKey): [DimKey, DimKey][] {
  switch (d) {
    case '1':
      return [['1', '1']];
    case 'n':
      return [
        ['n', '1'],
        ['1', 'n'],
      ];
    case 'd':
      return [
        ['d', '1'],
        ['1', 'd'],
      ];
    case 'nd':
      return [
        ['n', 'd'],
        ['d', 'n'],
        ['nd', '1'],
      ];
  }
}

export const SMALL = [0.5, 1, 2, 3] as const;
