// The simplifier: named rewrite rules (rules/*.ts) applied bottom-up to a fixpoint, memoized by node id,
// iterative over the DAG so depth is not limited. Every rewrite is checked to preserve shape and recorded
// in a provenance log, which derive/ reads.

import { expandDerivatives, expandDerivativesMany } from '../diff/expand.js';
import { rebuildOp } from '../diff/rebuild.js';
import { forgetNodeFacts, renewNodeCaches } from '../ir/cache.js';
import { ShapeError } from '../ir/errors.js';
import { type Expr, type OpExpr, topoOrder } from '../ir/expr.js';
import { sameShape, shapeText } from '../ir/shape.js';
import { mentions } from './mentions.js';
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

const INDEXES = new WeakMap<readonly Rule[], Map<string, readonly Rule[]>>();

/** Most rewrites a single node may go through; a safety net against rule cycles. */
const MAX_REWRITES_PER_NODE = 64;

export class Simplifier {
  private readonly memo = new Map<number, Expr>();
  /** The catalogue indexed by op, in catalogue order: a node is tried only on rules for its op. */
  private readonly byOp: Map<string, readonly Rule[]>;
  constructor(
    private readonly rules: readonly Rule[] = RULES,
    readonly log: Rewrite[] = [],
  ) {
    renewNodeCaches();
    let index = INDEXES.get(rules);
    if (!index) {
      index = new Map();
      INDEXES.set(rules, index);
    }
    this.byOp = index;
  }

  /** Per rule with a region (Rule.inside): the input nodes that lie inside one, where it is skipped. */
  private readonly interior = new Map<Rule, Set<number>>();

  /** Simplify `input`, first giving any grad/jacobian/hessian nodes in it their meaning. */
  simplify(input: Expr): Expr {
    return this.simplifyOrdered(expandDerivatives(input));
  }

  /**
   * Note, for each region rule, the nodes of the inputs that every use places inside a region. `order`:
   * topoOrder(roots), when the caller has it.
   */
  markRegions(roots: readonly Expr[], order: readonly Expr[] = topoOrder(roots)): void {
    const regional = this.rules.filter((r) => r.inside);
    if (regional.length === 0) return;
    const rootIds = new Set(roots.map((r) => r.id));
    for (const r of regional) {
      const inside = r.inside!;
      // node id → every use seen so far is inside (once false, it stays false)
      const insideOnly = new Map<number, boolean>();
      for (const node of order) {
        if (node.kind !== 'op') continue;
        const args = node.args;
        for (let k = 0; k < args.length; k++) {
          const a = args[k];
          if (a.kind !== 'op' || insideOnly.get(a.id) === false) continue;
          insideOnly.set(a.id, inside(node, k));
        }
      }
      const set = new Set<number>();
      for (const [id, only] of insideOnly) if (only && !rootIds.has(id)) set.add(id);
      this.interior.set(r, set);
    }
  }

  /** Simplify an expression known to hold no derivative nodes. */
  simplifyExpanded(root: Expr): Expr {
    return this.run(root);
  }

  /** Mark the regions of root (no derivative nodes) and simplify it, with one walk over its DAG for both. */
  simplifyOrdered(root: Expr): Expr {
    const order = topoOrder([root]);
    this.markRegions([root], order);
    return this.runOrder(root, order);
  }

  private run(root: Expr): Expr {
    return this.runOrder(root, this.pending(root));
  }

  /** Simplify the nodes of `order` (children first: pending(root), or all of root's DAG before any work). */
  private runOrder(root: Expr, order: readonly Expr[]): Expr {
    for (const node of order) {
      this.memo.set(
        node.id,
        this.fixpoint(node.kind === 'op' ? this.withSimplifiedArgs(node) : node, node.id),
      );
    }
    return this.memo.get(root.id)!;
  }

  /** e over its arguments' simplified forms (e itself when none changed). */
  private withSimplifiedArgs(e: OpExpr): Expr {
    const args = e.args;
    for (let i = 0; i < args.length; i++) {
      const done = this.memo.get(args[i].id);
      if (done !== undefined && done !== args[i])
        return rebuildOp(
          e,
          args.map((a) => this.memo.get(a.id) ?? a),
        );
    }
    return e;
  }

  /** Nodes under root not yet simplified, children first; memoized subtrees are not walked again. */
  private pending(root: Expr): Expr[] {
    const order: Expr[] = [];
    if (this.memo.has(root.id)) return order;
    const seen = new Set<number>([root.id]);
    // the path from root, and for each node on it the index of the next argument to visit
    const path: Expr[] = [root];
    const next: number[] = [0];
    while (path.length > 0) {
      const top = path.length - 1;
      const e = path[top];
      const i = next[top];
      if (e.kind === 'op' && i < e.args.length) {
        next[top] = i + 1;
        const k = e.args[i];
        if (!seen.has(k.id) && !this.memo.has(k.id)) {
          seen.add(k.id);
          path.push(k);
          next.push(0);
        }
      } else {
        order.push(e);
        path.pop();
        next.pop();
      }
    }
    return order;
  }

  /** `origin`: the input node this started from (region rules are skipped inside regions), or −1. */
  private fixpoint(start: Expr, origin = -1): Expr {
    let e = start;
    for (let n = 0; n < MAX_REWRITES_PER_NODE; n++) {
      const known = this.memo.get(e.id);
      if (known && known !== e) return known;
      if (e.kind !== 'op') break;
      const next = this.step(e, origin);
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

  private rulesFor(op: string): readonly Rule[] {
    let rs = this.byOp.get(op);
    if (!rs) {
      rs = this.rules.filter((r) => !r.ops || r.ops.includes(op));
      this.byOp.set(op, rs);
    }
    return rs;
  }

  private step(e: OpExpr, origin: number): Expr | null {
    let mentioned = -1;
    for (const r of this.rulesFor(e.op)) {
      if (r.inside && this.interior.get(r)?.has(origin)) continue;
      if (r.mentions !== undefined) {
        if (mentioned < 0) mentioned = mentions(e);
        if ((mentioned & r.mentions) === 0) continue;
      }
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
  try {
    return present(new Simplifier(RULES, log).simplify(e));
  } finally {
    forgetNodeFacts();
  }
}

/** Simplify several expressions with one shared memo (shared subterms are simplified once). */
export function simplifyMany(es: readonly Expr[], log?: Rewrite[]): Expr[] {
  try {
    const s = new Simplifier(RULES, log);
    const expanded = expandDerivativesMany(es);
    if (expanded.length === 1) return presentMany([s.simplifyOrdered(expanded[0])]);
    s.markRegions(expanded);
    return presentMany(expanded.map((e) => s.simplifyExpanded(e)));
  } finally {
    forgetNodeFacts();
  }
}
