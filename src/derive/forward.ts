// The forward half of a writeup: each definition as an equation with its shape and dimension check, a
// broadcast operand written out with a column of ones (𝟏 bᵀ), and the symbols that name the file's
// definitions in the backward half.
import { isOne } from '../ir/dim.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { isScalar, sameShape, shapeText } from '../ir/shape.js';
import { matmul, ones, transpose } from '../ops/build.js';
import { specOf } from '../ops/index.js';
import { rebuild } from '../simplify/engine.js';
import { dimCheck } from './dims.js';
import type { Definition, Step } from './steps.js';
import { type Layout, Symbols } from './symbols.js';

/** Symbols for a writeup of `loss`, knowing every definition of the file by name. */
export function symbolsFor(defs: readonly Definition[], loss: string, layout: Layout): Symbols {
  const sym = new Symbols(loss, layout);
  for (const d of defs) if (!hasDerivative(d.expr)) sym.name(d.name, d.expr);
  return sym;
}

export function hasDerivative(e: Expr): boolean {
  return topoOrder([e]).some((n) => n.kind === 'deriv');
}

/** A broadcast operand of an elementwise op written out: 𝟏 bᵀ for a row, b 𝟏ᵀ for a column. */
function explicitBroadcast(e: Expr): { readonly expr: Expr; readonly note?: string } {
  const memo = new Map<number, Expr>();
  const notes = new Set<string>();
  for (const n of topoOrder([e])) {
    if (n.kind !== 'op') {
      memo.set(n.id, n);
      continue;
    }
    const elementwise = specOf(n.op).js.kind === 'map' && n.args.length === 2;
    const args = n.args.map((a0) => {
      const a = memo.get(a0.id)!;
      if (!elementwise || isScalar(a.shape) || sameShape(a.shape, n.shape)) return a;
      if (isOne(a.shape.rows)) {
        notes.add('𝟏 vᵀ repeats a row vᵀ down all the rows (the batch)');
        return matmul(ones(n.shape.rows), a);
      }
      if (isOne(a.shape.cols)) {
        notes.add('v 𝟏ᵀ repeats a column v across all the columns');
        return matmul(a, transpose(ones(n.shape.cols)));
      }
      return a;
    });
    memo.set(n.id, rebuild(n, args));
  }
  const note =
    notes.size > 0 ? `broadcast, written out with a column of ones 𝟏: ${[...notes].join('; ')}` : undefined;
  return { expr: memo.get(e.id)!, note };
}

/** `Z_1 = X W_1 + \mathbf{1} b_1^\top` with its shape, for each definition in order. */
export function forwardSteps(defs: readonly Definition[], sym: Symbols): Step[] {
  return defs.map((d) => {
    const { expr: body, note } = explicitBroadcast(sym.abstract(d.expr, d.expr));
    return {
      kind: 'forward',
      rule: 'definition',
      equations: [
        {
          lhs: sym.nodeLatex(d.expr),
          forms: [sym.latex(body)],
          dims: dimCheck(body, d.expr.shape),
          shape: shapeText(d.expr.shape),
          note,
        },
      ],
    };
  });
}
