// The simplifier: named rewrite rules (rules/*.ts) applied bottom-up to a fixpoint, memoized per node (NodeMemo),
// iterative over the DAG so depth is not limited. Every rewrite is checked to preserve shape and recorded
// in a provenance log, which derive/ reads.

import { expandDerivatives, expandDerivativesMany } from '../diff/expand.js';
import { rebuildOp } from '../diff/rebuild.js';
import { forgetNodeFacts, NodeFact, NodeMemo, renewNodeCaches } from '../ir/cache.js';
import { ShapeError } from '../ir/errors.js';
import { type Expr, firstVisit, newWalk, type OpExpr, topoOrder } from '../ir/expr.js';
import { sameShape, shapeText } from '../ir/shape.js';
import { argHeads } from './heads.js';
import { mentions } from './mentions.js';
import { arrangeable, presentMany } from './present.js';
import { refineBit, refinedMisses } from './refine.js';
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

/** A rule as the engine tries it: its region bit (0: none) and the ops it needs (0: none). */
interface Entry {
  readonly rule: Rule;
  readonly region: number;
  readonly mentions: number;
  readonly heads: number;
  /** Its bit among the rules the sweep already tried (refine.ts), or 0. */
  readonly refined: number;
}

interface Index {
  /** op → the rules for it, in catalogue order */
  readonly byOp: Map<string, readonly Entry[]>;
  /** op → by argHeads of a node: the rules for it whose heads the node's arguments have (Rule.heads). */
  readonly byHeads: Map<string, (readonly Entry[] | undefined)[]>;
  /** The rules with a region (Rule.inside); rule → its bit in the interior masks. */
  readonly regional: readonly Rule[];
  readonly regionBit: Map<Rule, number>;
}

const INDEXES = new WeakMap<readonly Rule[], Index>();

function indexOf(rules: readonly Rule[]): Index {
  let index = INDEXES.get(rules);
  if (!index) {
    const regional = rules.filter((r) => r.inside).slice(0, 30);
    index = {
      byOp: new Map(),
      byHeads: new Map(),
      regional,
      regionBit: new Map(regional.map((r, i) => [r, 1 << i])),
    };
    INDEXES.set(rules, index);
  }
  return index;
}

/**
 * Nodes no rule of the catalogue rewrites: a rule is a pure function of its node, so a node found a fixpoint
 * once is one in every later simplification, which takes it as it is without trying a rule (an editor or
 * the playground deriving again over the same variables finds most of its nodes here).
 */
const normal = new NodeFact<boolean>();

/** Expressions of more nodes than this have their regions marked (Simplifier.markRegions) before the run. */
const MARKED_FROM = 32;

/** Most rewrites a single node may go through; a safety net against rule cycles. */
const MAX_REWRITES_PER_NODE = 64;

export class Simplifier {
  private readonly memo = new NodeMemo<Expr>();
  /** The catalogue indexed by op, in catalogue order: a node is tried only on rules for its op. */
  private readonly byOp: Map<string, readonly Entry[]>;
  private readonly index: Index;
  constructor(
    private readonly rules: readonly Rule[] = RULES,
    /** Receives every rewrite, in order; none are recorded without it. */
    readonly log?: Rewrite[],
  ) {
    renewNodeCaches();
    this.catalogue = rules === RULES;
    this.index = indexOf(rules);
    this.byOp = this.index.byOp;
  }

  /**
   * By memo slot of an input node: the bits (Index.regionBit) of the region rules for which every use of the
   * node lies inside a region, so that the rule is skipped there.
   */
  private readonly interior: number[] = [];

  /**
   * Some node this simplifier gave out as simplified is one present.ts arranges (`arrangeable`), so the
   * present pass is needed. Every op node of a result passes through fixpoint, where this is set.
   */
  arrange = false;

  /** The rules are the catalogue (RULES), whose fixpoints are marked on the nodes (`normal`). */
  private readonly catalogue: boolean;

  /** Done with this simplifier: its memo gives the nodes' memo fields back (ir/cache.ts NodeMemo). */
  release(): void {
    this.memo.release();
  }

  /** Simplify `input`, first giving any grad/jacobian/hessian nodes in it their meaning. */
  simplify(input: Expr): Expr {
    return this.simplifyOrdered(expandDerivatives(input));
  }

  /**
   * Note, for each region rule, the nodes of the inputs that every use places inside a region. `order`:
   * topoOrder(roots), when the caller has it.
   */
  markRegions(roots: readonly Expr[], order: readonly Expr[] = topoOrder(roots)): void {
    const regional = this.index.regional;
    if (regional.length === 0) return;
    const all = (1 << regional.length) - 1;
    // by memo slot: the bits of the rules for which some use seen so far lies outside a region
    const outside: number[] = [];
    const memo = this.memo;
    for (const node of order) {
      if (node.kind !== 'op') continue;
      const args = node.args;
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (a.kind !== 'op') continue;
        const slot = memo.slot(a);
        let out = outside[slot] ?? 0;
        if (out === all) continue;
        for (let i = 0; i < regional.length; i++) {
          const bit = 1 << i;
          if (!(out & bit) && !regional[i].inside!(node, k)) out |= bit;
        }
        outside[slot] = out;
      }
    }
    for (const r of roots) outside[memo.slot(r)] = all;
    for (let slot = 0; slot < outside.length; slot++) {
      const out = outside[slot];
      if (out !== undefined && out !== all) this.interior[slot] = all & ~out;
    }
  }

  /** Simplify an expression known to hold no derivative nodes. */
  simplifyExpanded(root: Expr): Expr {
    return this.run(root);
  }

  /** Mark the regions of root (no derivative nodes) and simplify it, with one walk over its DAG for both. */
  simplifyOrdered(root: Expr): Expr {
    const order = topoOrder([root]);
    // The marks save a region rule from redoing its region's work at every level inside it; below a few dozen
    // nodes that saves less than the walk that marks them costs.
    if (order.length > MARKED_FROM) this.markRegions([root], order);
    return this.runOrder(root, order);
  }

  private run(root: Expr): Expr {
    const done = this.memo.get(root);
    if (done !== undefined) return done;
    // the common case of a node a rule built over simplified arguments: nothing below it to walk
    if (root.kind !== 'op' || this.argsDone(root)) return this.simplifyNode(root);
    return this.runOrder(root, this.pending(root));
  }

  /** Every argument of e already simplified. */
  private argsDone(e: OpExpr): boolean {
    for (const a of e.args) if (!this.memo.has(a)) return false;
    return true;
  }

  /** Simplify one node whose arguments are done, and memoize it. */
  private simplifyNode(node: Expr): Expr {
    const out = this.fixpoint(
      node.kind === 'op' ? this.withSimplifiedArgs(node) : node,
      this.memo.indexOf(node),
    );
    this.memo.set(node, out);
    return out;
  }

  /** Simplify the nodes of `order` (children first: pending(root), or all of root's DAG before any work). */
  private runOrder(root: Expr, order: readonly Expr[]): Expr {
    for (const node of order) this.simplifyNode(node);
    return this.memo.get(root)!;
  }

  /** e over its arguments' simplified forms (e itself when none changed). */
  private withSimplifiedArgs(e: OpExpr): Expr {
    const args = e.args;
    for (let i = 0; i < args.length; i++) {
      const done = this.memo.get(args[i]);
      if (done !== undefined && done !== args[i])
        return rebuildOp(
          e,
          args.map((a) => this.memo.get(a) ?? a),
        );
    }
    return e;
  }

  /** Nodes under root not yet simplified, children first; memoized subtrees are not walked again. */
  private pending(root: Expr): Expr[] {
    const order: Expr[] = [];
    if (this.memo.has(root)) return order;
    const walk = newWalk();
    firstVisit(root, walk);
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
        if (!this.memo.has(k) && firstVisit(k, walk)) {
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

  /** `origin`: the memo slot of the input node this started from (region rules are skipped inside regions), or −1. */
  private fixpoint(start: Expr, origin = -1): Expr {
    let e = start;
    for (let n = 0; n < MAX_REWRITES_PER_NODE; n++) {
      const known = this.memo.get(e);
      if (known && known !== e) return known;
      if (e.kind !== 'op' || (this.catalogue && normal.get(e))) break;
      const next = this.step(e, origin);
      if (!next) {
        // every rule was tried (none skipped inside a region): e is the catalogue's fixpoint for good
        if (this.catalogue && (origin < 0 || !this.interior[origin])) normal.set(e, true);
        break;
      }
      // The rule may have built new, unsimplified subterms.
      e =
        next.kind === 'op'
          ? rebuild(
              next,
              next.args.map((a) => this.simplifyChild(a)),
            )
          : next;
    }
    this.memo.set(e, e);
    if (!this.arrange && e.kind === 'op' && arrangeable(e)) this.arrange = true;
    return e;
  }

  private simplifyChild(a: Expr): Expr {
    return this.memo.get(a) ?? this.run(a);
  }

  private rulesFor(op: string): readonly Entry[] {
    let rs = this.byOp.get(op);
    if (!rs) {
      rs = this.rules
        .filter((r) => !r.ops || r.ops.includes(op))
        .map((rule) => ({
          rule,
          region: this.index.regionBit.get(rule) ?? 0,
          mentions: rule.mentions ?? 0,
          heads: rule.heads ?? 0,
          refined: refineBit(rule),
        }));
      this.byOp.set(op, rs);
    }
    return rs;
  }

  /** The rules for op that a node whose arguments have the head bits `heads` may need, in catalogue order. */
  private rulesWithHeads(op: string, heads: number): readonly Entry[] {
    let table = this.index.byHeads.get(op);
    if (!table) {
      table = [];
      this.index.byHeads.set(op, table);
    }
    let rs = table[heads];
    if (!rs) {
      rs = this.rulesFor(op).filter((r) => r.heads === 0 || (heads & r.heads) !== 0);
      table[heads] = rs;
    }
    return rs;
  }

  private step(e: OpExpr, origin: number): Expr | null {
    const inner = origin < 0 ? 0 : (this.interior[origin] ?? 0);
    let mentioned = -1;
    let misses = -1;
    const candidates = this.rulesWithHeads(e.op, argHeads(e));
    for (let i = 0; i < candidates.length; i++) {
      const { rule: r, region, mentions: needs, refined } = candidates[i];
      if (inner & region) continue;
      if (refined !== 0) {
        if (misses < 0) misses = refinedMisses(e);
        if (misses & refined) continue;
      }
      if (needs !== 0) {
        if (mentioned < 0) mentioned = mentions(e);
        if ((mentioned & needs) === 0) continue;
      }
      const out = r.apply(e);
      if (!out || out === e) continue;
      if (!sameShape(out.shape, e.shape)) {
        throw new ShapeError(
          `internal: rule ${r.name} changed the shape ${shapeText(e.shape)} to ${shapeText(out.shape)}`,
        );
      }
      this.log?.push({ rule: r.name, identity: r.identity, before: e, after: out });
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
  return simplifyMany([e], log)[0];
}

/** Simplify several expressions with one shared memo (shared subterms are simplified once). */
export function simplifyMany(es: readonly Expr[], log?: Rewrite[]): Expr[] {
  try {
    const s = new Simplifier(RULES, log);
    let done: Expr[];
    try {
      const expanded = expandDerivativesMany(es);
      if (expanded.length === 1) done = [s.simplifyOrdered(expanded[0])];
      else {
        s.markRegions(expanded);
        done = expanded.map((e) => s.simplifyExpanded(e));
      }
    } finally {
      // the memo's node fields are free again before present's own memo takes them
      s.release();
    }
    return s.arrange ? presentMany(done) : done;
  } finally {
    forgetNodeFacts();
  }
}
