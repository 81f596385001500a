// Elementwise maximum and minimum of two operands with NumPy broadcasting: `max(A, B)`, `max(A, 0)` for a
// hinge, `min(max(A, lo), hi)` for clipping. Piecewise linear: the cotangent goes to the larger (smaller)
// operand; at a tie it goes to the second operand, one subgradient of the kink.

import type { Expr } from '../ir/expr.js';
import { addTangents, apply, mul, num, sub, vecBroadcast } from './build.js';
import { broadcastShape, mapEval2 } from './shared.js';
import type { OpSpec } from './spec.js';

/** step(a − b): 1 where a wins strictly, else 0. */
const wins = (a: Expr, b: Expr): Expr => apply('step', [sub(a, b)]);

function extremum(name: 'max' | 'min', pick: (x: number, y: number) => number): OpSpec {
  // For max, A wins where A > B; for min, where A < B.
  const first = (a: Expr, b: Expr) => (name === 'max' ? wins(a, b) : wins(b, a));
  return {
    arity: 2,
    shape: broadcastShape(`take the ${name} of`),
    // d max(A, B) = m ⊙ dA + (1 − m) ⊙ dB, m = step(A − B) (for min, step(B − A))
    vjp: (ct, _out, [a, b]) => {
      const m = first(a, b);
      return [mul(ct, m), mul(ct, sub(num(1), m))];
    },
    // vec d max(A, B) = vec(m) ⊙ J_A + vec(1 − m) ⊙ J_B (the engine has expanded broadcast tangents)
    jvp: (out, [a, b], _attrs, [ta, tb]) => {
      const m = first(a, b);
      return addTangents(
        ta && mul(vecBroadcast(m, out.shape), ta),
        tb && mul(vecBroadcast(sub(num(1), m), out.shape), tb),
      );
    },
    eval: mapEval2(pick),
    text: () => ({ form: 'call', name }),
    latex: () => ({ form: 'call', name: `\\${name}` }),
    js: { kind: 'map', scalar: ([x, y]) => `Math.${name}(${x}, ${y})` },
    numpy: ([x, y]) => `np.${name === 'max' ? 'maximum' : 'minimum'}(${x}, ${y})`,
    rule: `the ${name} passes the cotangent to the ${name === 'max' ? 'larger' : 'smaller'} operand`,
  };
}

// NaN propagates like NumPy's maximum/minimum (Math.max/min do too).
export const max = extremum('max', Math.max);
export const min = extremum('min', Math.min);
