// Pieces shared by several op records: broadcasting and reduction shape rules, elementwise eval.
import { ONE } from '../ir/dim.js';
import { ShapeError } from '../ir/errors.js';
import type { Attrs } from '../ir/expr.js';
import { broadcast, SCALAR, type Shape, shape, shapeText } from '../ir/shape.js';
import { map1, mapNew2 } from '../kernels/elementwise.js';
import { type Matrix, matrix } from '../kernels/matrix.js';

/** Shape rule of every broadcasting binary op; `verb` names the op in the message. */
export function broadcastShape(verb: string) {
  return (args: readonly Shape[]): Shape => {
    const s = broadcast(args[0], args[1]);
    if (!s) {
      throw new ShapeError(
        `cannot ${verb} ${shapeText(args[0])} and ${shapeText(args[1])}: shapes differ and neither dimension is 1`,
      );
    }
    return s;
  };
}

/** Shape rule of ops that keep their single argument's shape. */
export const sameShape = ([a]: readonly Shape[]): Shape => a;

/** Shape of reducing along `dim`: 0 → 1×1, 1 → 1×n (down columns), 2 → m×1 (across rows). */
export function reducedShape([a]: readonly Shape[], attrs: Attrs): Shape {
  switch (attrs.dim ?? 0) {
    case 0:
      return SCALAR;
    case 1:
      return shape(ONE, a.cols);
    case 2:
      return shape(a.rows, ONE);
    default:
      throw new ShapeError(`dimension must be 1 or 2, not ${attrs.dim} (of ${shapeText(a)})`);
  }
}

/** The trailing `, 1` / `, 2` of reductions written as calls. */
export const dimExtra = (attrs: Attrs): string[] => (attrs.dim ? [String(attrs.dim)] : []);

/** Eval of an elementwise function of one argument. */
export const mapEval =
  (f: (x: number) => number) =>
  ([a]: readonly Matrix[]): Matrix =>
    map1(matrix(a.rows, a.cols), a, f);

/** Eval of a broadcasting elementwise function of two arguments. */
export const mapEval2 =
  (f: (x: number, y: number) => number) =>
  ([a, b]: readonly Matrix[]): Matrix =>
    mapNew2(a, b, f);

/** `reducedShape` whose error names the op: `mean needs dim 0, 1 or 2, got 3 (of m×n)`. */
export function reducedShapeOf(op: string) {
  return (args: readonly Shape[], attrs: Attrs): Shape => {
    checkDim(op, args[0], attrs);
    return reducedShape(args, attrs);
  };
}

/** Shape rule of ops that keep their argument's shape and read attrs.dim (softmax along a dim). */
export function sameShapeAlongDim(op: string) {
  return (args: readonly Shape[], attrs: Attrs): Shape => {
    checkDim(op, args[0], attrs);
    return args[0];
  };
}

function checkDim(op: string, a: Shape, attrs: Attrs): void {
  const d = attrs.dim ?? 0;
  if (d !== 0 && d !== 1 && d !== 2) {
    throw new ShapeError(`${op} needs dim 0, 1 or 2, got ${String(d)} (of ${shapeText(a)})`);
  }
}

/** The argument of a square-only op, checked symbolically: `trace needs a square matrix, got n×d`. */
export function requireSquare(op: string, a: Shape): Shape {
  if (a.rows !== a.cols) throw new ShapeError(`${op} needs a square matrix, got ${shapeText(a)}`);
  return a;
}
