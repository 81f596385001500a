// Structural ops: vec, diag (both directions), eye, ones, zeros, and a symbolic dim's size as a scalar.
import { SCALAR } from '../ir/shape.js';
import { scalar } from '../kernels/matrix.js';
import type { OpSpec } from './spec.js';

/** The value of a symbolic dim as a 1×1 expression (`/n` in a mean); attrs.rows holds the single-symbol dim. */
export const size: OpSpec = {
  arity: 0,
  shape: () => SCALAR,
  vjp: () => [],
  eval: (_args, attrs, ctx) => scalar(ctx.dim(attrs.rows!)),
  text: (_s, attrs) => ({ form: 'atom', text: attrs.rows!.key }),
  latex: (_s, attrs) => ({ form: 'atom', text: attrs.rows!.key }),
  js: { kind: 'kernel', name: 'fill', extra: (attrs) => [attrs.rows!] },
  numpy: (_a, attrs) => attrs.rows!.key,
  rule: 'constant',
};
