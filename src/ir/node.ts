// The one class every node of the DAG is (ir/intern.ts makes them; the types are ir/expr.ts's), and the
// makers of each kind. One class with one field layout keeps V8's property reads monomorphic; what only some
// kinds hold sits in one field behind getters, so that a node stays small.
import type { Attrs, ConstExpr, DerivExpr, Expr, OpExpr, Qualifier, VarExpr } from './expr.js';
import { Owner } from './owned.js';
import { SCALAR, type Shape } from './shape.js';

/** What a variable holds besides its name: its qualifiers, and the variables declared with it. */
class VarPayload {
  /** The variables declared with this one, kept alive while any of them is (ir/intern.ts `vars`); unseen. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written to hold the group, never read
  #group: VarNode[] | null = null;
  constructor(readonly qualifiers: readonly Qualifier[]) {}

  static join(p: VarPayload, group: VarNode[]): void {
    p.#group = group;
  }
}

interface DerivPayload {
  readonly mode: DerivExpr['mode'];
  readonly f: Expr;
  readonly wrt: VarExpr;
  readonly at: Expr | undefined;
}

/**
 * Every node, of whichever kind, is one class with one field layout: code that walks the DAG reads kind, id,
 * shape, op and args from objects of a single hidden class, so V8's property reads stay monomorphic instead
 * of checking four layouts at every read. What only some kinds have (a constant's value, a variable's
 * qualifiers, a derivative's parts) is one field, `p`, read through getters, so that a node stays small:
 * interned nodes outlive the scavenges of their job (WeakRefs hold them), so each byte is copied there.
 */
export class Node extends Owner<OpExpr> {
  constructor(
    readonly kind: Expr['kind'],
    readonly id: number,
    readonly shape: Shape,
    readonly op: string | undefined,
    readonly args: readonly Expr[] | undefined,
    readonly attrs: Attrs | undefined,
    readonly derivs: boolean,
    readonly name: string | undefined,
    /** const: its value; var: a VarPayload; deriv: a DerivPayload; op: undefined */
    private readonly p: number | VarPayload | DerivPayload | undefined,
  ) {
    super();
  }

  get value(): number | undefined {
    return this.kind === 'const' ? (this.p as number) : undefined;
  }

  get qualifiers(): readonly Qualifier[] | undefined {
    return this.kind === 'var' ? (this.p as VarPayload).qualifiers : undefined;
  }

  get mode(): DerivExpr['mode'] | undefined {
    return this.kind === 'deriv' ? (this.p as DerivPayload).mode : undefined;
  }

  get f(): Expr | undefined {
    return this.kind === 'deriv' ? (this.p as DerivPayload).f : undefined;
  }

  get wrt(): VarExpr | undefined {
    return this.kind === 'deriv' ? (this.p as DerivPayload).wrt : undefined;
  }

  /** undefined for a derivative with respect to a declared variable */
  get at(): Expr | undefined {
    return this.kind === 'deriv' ? (this.p as DerivPayload).at : undefined;
  }

  static join(v: VarNode, group: VarNode[]): void {
    VarPayload.join((v as unknown as Node).p as VarPayload, group);
  }
}

export type VarNode = VarExpr & Owner<OpExpr>;
export type ConstNode = ConstExpr & Owner<OpExpr>;
export type OpNode = OpExpr & Owner<OpExpr>;
export type DerivNode = DerivExpr & Owner<OpExpr>;

export function varNode(id: number, shape: Shape, name: string, qualifiers: readonly Qualifier[]): VarNode {
  return new Node(
    'var',
    id,
    shape,
    undefined,
    undefined,
    undefined,
    false,
    name,
    new VarPayload(qualifiers),
  ) as unknown as VarNode;
}

export function constNode(id: number, value: number): ConstNode {
  return new Node(
    'const',
    id,
    SCALAR,
    undefined,
    undefined,
    undefined,
    false,
    undefined,
    value,
  ) as unknown as ConstNode;
}

export function opNodeOf(
  id: number,
  shape: Shape,
  op: string,
  args: readonly Expr[],
  attrs: Attrs,
  derivs: boolean,
): OpNode {
  return new Node('op', id, shape, op, args, attrs, derivs, undefined, undefined) as unknown as OpNode;
}

export function derivNodeOf(
  id: number,
  shape: Shape,
  mode: DerivExpr['mode'],
  f: Expr,
  wrt: VarExpr,
  at: Expr | undefined,
): DerivNode {
  const p: DerivPayload = { mode, f, wrt, at };
  return new Node(
    'deriv',
    id,
    shape,
    undefined,
    undefined,
    undefined,
    false,
    undefined,
    p,
  ) as unknown as DerivNode;
}
