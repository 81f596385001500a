// Lowering for compiled closures: the Expr DAG becomes a plan graph of elementwise maps, reductions, gemm
// calls with transpose flags and kernel calls; `lowerAll` also rewrites diag(v)·A, A·diag(v) and outer
// products into broadcasting maps, and folds a scalar factor or divisor of a product used once into the
// gemm's α (no pass over the result); naive forms are first rewritten by the stable table (numeric/stable.ts).
import { type Dim, ONE } from '../ir/dim.js';
import type { Expr, OpExpr, VarExpr } from '../ir/expr.js';
import { topoOrder } from '../ir/expr.js';
import { isScalar, type Shape, sameShape, shape } from '../ir/shape.js';
import { stabilize } from '../numeric/stable.js';
import { specOf } from '../ops/index.js';

interface Base {
  readonly id: number;
  readonly shape: Shape;
  readonly args: readonly PNode[];
  /** The op this node came from, for comments in the generated source. */
  readonly label: string;
}

/** A node of the plan graph. Every node's args precede it in `Lowered.nodes`. */
export type PNode =
  | (Base & { readonly kind: 'input'; readonly index: number })
  /** A constant, a size `n`, or ones/zeros: one value broadcast over `shape`. */
  | (Base & { readonly kind: 'literal'; readonly value: number | Dim })
  | (Base & { readonly kind: 'map'; readonly scalar: (xs: readonly string[]) => string })
  | (Base & { readonly kind: 'reduce'; readonly mean: boolean; readonly axis: 0 | 1 | 2 })
  /** op(A)·op(B) of args [A, B], times args[2] (a 1×1 node) when present, or divided by it with `divide`. */
  | (Base & {
      readonly kind: 'gemm';
      readonly transA: boolean;
      readonly transB: boolean;
      readonly divide: boolean;
    })
  | (Base & {
      readonly kind: 'kernel';
      readonly name: string;
      readonly extra: readonly (string | number | Dim)[];
    })
  | (Base & { readonly kind: 'transpose' });

export interface Lowered {
  readonly nodes: readonly PNode[];
  readonly roots: readonly PNode[];
}

type Build = { [K in PNode['kind']]: Omit<Extract<PNode, { kind: K }>, 'id'> }[PNode['kind']];

const isOp = (e: Expr, op: string): e is OpExpr => e.kind === 'op' && e.op === op;

class Builder {
  readonly nodes: PNode[] = [];
  private readonly byKey = new Map<string, PNode>();

  /** The node described by `b`, shared with an identical one built before (CSE of rewritten nodes). */
  make(b: Build): PNode {
    const extra =
      b.kind === 'input'
        ? b.index
        : b.kind === 'literal'
          ? typeof b.value === 'number'
            ? String(b.value)
            : `dim ${b.value.key}`
          : b.kind === 'reduce'
            ? `${b.mean}${b.axis}`
            : b.kind === 'gemm'
              ? `${b.transA}${b.transB}${b.divide}`
              : b.kind === 'kernel'
                ? `${b.name}(${b.extra.map((x) => (typeof x === 'object' ? `dim ${x.key}` : String(x))).join()})`
                : '';
    const key = `${b.kind}|${b.label}|${extra}|${b.shape.rows.key}x${b.shape.cols.key}|${b.args.map((a) => a.id).join()}`;
    let n = this.byKey.get(key);
    if (!n) {
      n = { ...b, id: this.nodes.length } as PNode;
      this.nodes.push(n);
      this.byKey.set(key, n);
    }
    return n;
  }

  transpose(a: PNode): PNode {
    const s = shape(a.shape.cols, a.shape.rows);
    if (a.kind === 'transpose') return a.args[0];
    if (a.kind === 'literal')
      return this.make({ kind: 'literal', label: a.label, shape: s, args: [], value: a.value });
    return this.make({ kind: 'transpose', label: 'transpose', shape: s, args: [a] });
  }

  /** A d×1 or 1×d vector as a d×1 column (a view when it is a row). */
  column(v: PNode): PNode {
    return v.shape.cols === ONE ? v : this.transpose(v);
  }

  row(v: PNode): PNode {
    return v.shape.rows === ONE ? v : this.transpose(v);
  }

  emul(a: PNode, b: PNode, s: Shape): PNode {
    const js = specOf('emul').js;
    if (js.kind !== 'map') throw new Error('internal: emul is elementwise');
    return this.make({ kind: 'map', label: 'emul', shape: s, args: [a, b], scalar: js.scalar });
  }
}

/** The scalar side of s·P, P·s or P/s when P is a product read only there (its gemm then scales). */
function scaledProduct(
  e: OpExpr,
  usedOnce: (x: Expr) => boolean,
): { product: 0 | 1; divide: boolean } | null {
  if (e.op !== 'emul' && e.op !== 'ediv') return null;
  const [x, y] = e.args;
  const fits = (p: Expr, s: Expr) =>
    isOp(p, 'matmul') && sameShape(p.shape, e.shape) && isScalar(s.shape) && usedOnce(p);
  if (fits(x, y)) return { product: 0, divide: e.op === 'ediv' };
  if (e.op === 'emul' && fits(y, x)) return { product: 1, divide: false };
  return null;
}

/** Lower one op node whose arguments are lowered already. */
function lowerOp(
  e: OpExpr,
  args: readonly PNode[],
  b: Builder,
  lowerArg: (x: Expr) => PNode,
  usedOnce: (x: Expr) => boolean,
): PNode {
  const s = e.shape;
  const scaled = scaledProduct(e, usedOnce);
  if (scaled) {
    const g = args[scaled.product];
    if (g.kind === 'gemm' && g.args.length === 2) {
      return b.make({ ...g, args: [...g.args, args[1 - scaled.product]], divide: scaled.divide });
    }
  }
  switch (e.op) {
    case 'transpose':
      return b.transpose(args[0]);
    case 'matmul': {
      const [x, y] = e.args;
      // diag(v)·A scales row i by vᵢ; A·diag(v) scales column j by vⱼ.
      if (isOp(x, 'diagm')) return b.emul(b.column(lowerArg(x.args[0])), args[1], s);
      if (isOp(y, 'diagm')) return b.emul(args[0], b.row(lowerArg(y.args[0])), s);
      // An inner dimension of 1 is an outer product: (a bᵀ)ᵢⱼ = aᵢ bⱼ, a broadcast.
      if (x.shape.cols === ONE) return b.emul(args[0], args[1], s);
      const [l, r] = args;
      return b.make({
        kind: 'gemm',
        label: 'matmul',
        shape: s,
        args: [l.kind === 'transpose' ? l.args[0] : l, r.kind === 'transpose' ? r.args[0] : r],
        transA: l.kind === 'transpose',
        transB: r.kind === 'transpose',
        divide: false,
      });
    }
    case 'size':
      return b.make({ kind: 'literal', label: 'size', shape: s, args: [], value: e.attrs.rows! });
    case 'ones':
    case 'zeros':
      return b.make({ kind: 'literal', label: e.op, shape: s, args: [], value: e.op === 'ones' ? 1 : 0 });
    case 'sum':
    case 'mean':
      return b.make({
        kind: 'reduce',
        label: e.op,
        shape: s,
        args,
        mean: e.op === 'mean',
        axis: e.attrs.dim ?? 0,
      });
    default: {
      const js = specOf(e.op).js;
      if (js.kind === 'map') return b.make({ kind: 'map', label: e.op, shape: s, args, scalar: js.scalar });
      return b.make({
        kind: 'kernel',
        label: e.op,
        shape: s,
        args,
        name: js.name,
        extra: js.extra?.(e.attrs) ?? [],
      });
    }
  }
}

/** Lower expanded (derivative-free) roots; `inputOf` numbers each variable. */
export function lowerAll(written: readonly Expr[], inputOf: (v: VarExpr) => number): Lowered {
  const roots = stabilize(written);
  const order = topoOrder(roots);
  // Readers of each node; a root counts as one more, so a root product keeps its own value.
  const readers = new Map<number, number>();
  for (const e of order)
    if (e.kind === 'op') for (const a of e.args) readers.set(a.id, (readers.get(a.id) ?? 0) + 1);
  for (const r of roots) readers.set(r.id, (readers.get(r.id) ?? 0) + 1);
  const usedOnce = (x: Expr) => readers.get(x.id) === 1;
  const b = new Builder();
  const memo = new Map<number, PNode>();
  // Rewritten subterms (diag scalings) are lowered on demand; their children are mostly lowered already.
  const lowerExpr = (e: Expr): PNode => {
    const done = memo.get(e.id);
    if (done) return done;
    let n: PNode;
    switch (e.kind) {
      case 'var':
        n = b.make({ kind: 'input', label: e.name, shape: e.shape, args: [], index: inputOf(e) });
        break;
      case 'const':
        n = b.make({ kind: 'literal', label: 'const', shape: e.shape, args: [], value: e.value });
        break;
      case 'op':
        n = lowerOp(e, e.args.map(lowerExpr), b, lowerExpr, usedOnce);
        break;
      case 'deriv':
        throw new Error('internal: expand derivatives before compiling');
      default: {
        const never: never = e;
        throw never;
      }
    }
    memo.set(e.id, n);
    return n;
  };
  for (const e of order) lowerExpr(e);
  return { nodes: b.nodes, roots: roots.map(lowerExpr) };
}
