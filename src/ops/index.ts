// The op registry: every record exported by the op files of this folder (they export nothing else).
// `OpName` is its key set; `satisfies` makes a record missing a field a compile error.
import * as adjugate from './adjugate.js';
import * as commutation from './commutation.js';
import * as compare from './compare.js';
import * as elementwise from './elementwise.js';
import * as functions from './functions.js';
import * as linalg from './linalg.js';
import * as nn from './nn.js';
import * as reduce from './reduce.js';
import * as sequence from './sequence.js';
import type { OpSpec } from './spec.js';
import * as special from './special.js';
import * as structural from './structural.js';

export const OPS = {
  ...elementwise,
  ...functions,
  ...special,
  ...linalg,
  ...structural,
  ...reduce,
  ...nn,
  ...compare,
  ...adjugate,
  ...sequence,
  ...commutation,
} satisfies Record<string, OpSpec>;

export type OpName = keyof typeof OPS;

/** The records by name in a Map: a lookup by a name not known in advance costs a third of OPS[name]'s. */
const SPECS: ReadonlyMap<string, OpSpec> = new Map(Object.entries(OPS));

export function isOpName(name: string): name is OpName {
  return SPECS.has(name);
}

export function specOf(op: string): OpSpec {
  const spec = SPECS.get(op);
  if (spec === undefined) throw new RangeError(`unknown op ${op}`);
  return spec;
}
