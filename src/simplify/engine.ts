// The simplifier: named rewrite rules (rules/*.ts) applied bottom-up to a fixpoint, memoized by node id,
// iterative over the DAG so depth is not limited. Every rewrite is checked to preserve shape and recorded
// in a provenance log, which derive/ reads.

import { expandDerivatives, expandDerivativesMany } from '../diff/expand.js';
import { rebuildOp } from '../diff/rebuild.js';
import { ShapeError } from '../ir/errors.js';
import type { Expr, OpExpr } from '../ir/expr.js';
import { sameShape, shapeText } from '../ir/shape.js';
import { present, presentMany } from './present.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';

export interface Rewrite {
  readonly rule: string;
  readonly identity: string;
  readonly before: Expr;
  readonly after: Expr;
}

/** Rebuild a node over new arguments (the same node when nothing changed). */
export function rebuild(e: Expr, args: readonly Expr[]): Expr {
  return e.kind === 'op' ? rebuildOp(e, args) : e;
}

/** Most rewrites a single node may go through; a safety net against rule cycles. */
const MAX_REWRITES_PER_NODE = 64;

export class Simplifier {
  private readonly memo = new Map<number, Expr>();
  constructor(
    private readonly rules: readonly Rule[] = RULES,
    readonly log: Rewrite[] = [],
  ) {}

  /** Simplify `input`, first giving any grad/jacobian/hessian nodes in it their meaning. */
  simplify(input: Expr): Expr {
    return this.run(expandDerivatives(input));
  }

  /** Simplify an expression known to hold no derivative nodes. */
  simplifyExpanded(root: Expr): Expr {
    return this.run(root);
  }

  private run(root: Expr): Expr {
    for (const node of this.pending(root)) {
      const args = node.kind === 'op' ? node.args.map((a) => this.memo.get(a.id) ?? a) : [];
      this.memo.set(node.id, this.fixpoint(rebuild(node, args)));
    }
    return this.memo.get(root.id)!;
  }

  /** Nodes under root not yet simplified, children first; memoized subtrees are not walked again. */
  private pending(root: Expr): Expr[] {
    const order: Expr[] = [];
    const seen = new Set<number>();
    const stack: { e: Expr; i: number }[] = [{ e: root, i: 0 }];
    seen.add(root.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const kids = top.e.kind === 'op' ? top.e.args : [];
      if (top.i < kids.length) {
        const k = kids[top.i++];
        if (!seen.has(k.id) && !this.memo.has(k.id)) {
          seen.add(k.id);
          stack.push({ e: k, i: 0 });
        }
      } else {
        if (!this.memo.has(top.e.id)) order.push(top.e);
        stack.pop();
      }
    }
    return order;
  }

  private fixpoint(start: Expr): Expr {
    let e = start;
    for (let n = 0; n < MAX_REWRITES_PER_NODE; n++) {
      const known = this.memo.get(e.id);
      if (known && known !== e) return known;
      if (e.kind !== 'op') break;
      const next = this.step(e);
      if (!next) break;
      // The rule may have built new, unsimplified subterms.
      e =
        next.kind === 'op'
          ? rebuild(
              next,
              next.args.map((a) => this.simplifyChild(a)),
            )
          : next;
    }
    this.memo.set(e.id, e);
    return e;
  }

  private simplifyChild(a: Expr): Expr {
    return this.memo.get(a.id) ?? this.run(a);
  }

  private step(e: OpExpr): Expr | null {
    for (const r of this.rules) {
      const out = r.apply(e);
      if (!out || out === e) continue;
      if (!sameShape(out.shape, e.shape)) {
        throw new ShapeError(
          `internal: rule ${r.name} changed the shape ${shapeText(e.shape)} to ${shapeText(out.shape)}`,
        );
      }
      this.log.push({ rule: r.name, identity: r.identity, before: e, after: out });
      return out;
    }
    return null;
  }
}

/**
 * Simplify one expression to textbook form: the rule fixpoint, then `present` (scalars written on the
 * leftmost factor). `log`, when given, receives every rewrite in order.
 */
export function simplify(e: Expr, log?: Rewrite[]): Expr {
  return present(new Simplifier(RULES, log).simplify(e));
}

/** Simplify several expressions with one shared memo (shared subterms are simplified once). */
export function simplifyMany(es: readonly Expr[], log?: Rewrite[]): Expr[] {
  const s = new Simplifier(RULES, log);
  const expanded = expandDerivativesMany(es);
  return presentMany(expanded.map((e) => s.simplifyExpanded(e)));
}
