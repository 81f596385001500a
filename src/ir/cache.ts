// Caches of facts about nodes (chain statistics, region sizes, normal forms), keyed by node id, that keep
// neither nodes nor their own size: every cache is emptied when a simplification ends (forgetNodeFacts),
// and one that has grown past LIMIT when a simplifier starts (renewNodeCaches). Keyed by the integer id
// rather than held in a WeakMap: ids are never reused, and an integer-keyed Map costs a fraction of a
// WeakMap's insertion and of its ephemeron work in every garbage collection. The facts are pure functions
// of their node, so emptying a cache at any time loses work, never correctness.
import type { Expr } from './expr.js';
import { Owner } from './owned.js';

const LIMIT = 1 << 13;

const caches: NodeCache<unknown>[] = [];

export class NodeCache<V> {
  private readonly map = new Map<number, V>();

  constructor() {
    caches.push(this);
  }

  get(e: Expr): V | undefined {
    return this.map.get(e.id);
  }

  has(e: Expr): boolean {
    return this.map.has(e.id);
  }

  set(e: Expr, v: V): void {
    this.map.set(e.id, v);
  }

  /** Empty the table; with `limit`, only when it holds more entries than that. */
  renew(limit = 0): void {
    if (this.map.size > limit) this.map.clear();
  }
}

/** Renew every grown cache; called where no computation holds on to cached facts (a simplification's start). */
export function renewNodeCaches(): void {
  for (const c of caches) c.renew(LIMIT);
}

/** Empty every cache (the values may be nodes, which must not outlive the simplification that made them). */
export function forgetNodeFacts(): void {
  for (const c of caches) c.renew();
}

/** Slots of the NodeFacts made so far. */
let slots = 0;
/** A node's first fact array: a copy of this (packed, so slots past its end only grow it). */
const NO_FACTS: readonly unknown[] = new Array(16).fill(undefined);

/**
 * A fact that is a pure function of its node and holds no node (a count, a bit set, a flag, a record of
 * them), kept on the node itself: computed once in the node's life, freed with it, found without a table
 * lookup, and never stale, since nodes are immutable. Values that are nodes go in a NodeCache, which every
 * simplification empties, so that a fact never keeps another node alive.
 */
export class NodeFact<V> {
  private readonly slot = slots++;

  get(e: Expr): V | undefined {
    const facts = Owner.facts(e as unknown as Owner<unknown>);
    return facts === null || this.slot >= facts.length ? undefined : (facts[this.slot] as V | undefined);
  }

  has(e: Expr): boolean {
    return this.get(e) !== undefined;
  }

  set(e: Expr, v: V): void {
    const n = e as unknown as Owner<unknown>;
    let facts = Owner.facts(n);
    if (facts === null) {
      facts = NO_FACTS.slice();
      Owner.setFacts(n, facts);
    }
    facts[this.slot] = v;
  }
}

/** Stamp of the NodeMemo that holds the nodes' memo fields; 0: none does. */
let activeMemo = 0;
let memoStamps = 0;

/**
 * A table from nodes to values for one computation (a simplification's memo), without hashing: each node
 * holds its slot in the table, under the table's stamp, so a lookup is two field reads. The nodes hold only
 * numbers, so no value outlives the table. Only one table uses the nodes' fields at a time; one made while
 * another is active (a nested computation) keeps its slots in a Map. Slots number the nodes in the order they
 * were first set or `slot`ted, so a caller may keep more facts per node in arrays by slot. `release` when done.
 */
export class NodeMemo<V> {
  private readonly stamp = ++memoStamps;
  private values: (V | undefined)[] = [];
  /** id → slot, for a table made while another was active */
  private readonly slots: Map<number, number> | null;

  constructor() {
    if (activeMemo === 0) {
      activeMemo = this.stamp;
      this.slots = null;
    } else this.slots = new Map();
  }

  /** e's slot, or −1 when it has none. */
  indexOf(e: Expr): number {
    if (this.slots) return this.slots.get(e.id) ?? -1;
    return Owner.memoIndex(e as unknown as Owner<unknown>, this.stamp);
  }

  /** e's slot, given one (the next number) when it has none. */
  slot(e: Expr): number {
    const i = this.indexOf(e);
    if (i >= 0) return i;
    const k = this.values.length;
    this.values.push(undefined);
    if (this.slots) this.slots.set(e.id, k);
    else Owner.setMemoIndex(e as unknown as Owner<unknown>, this.stamp, k);
    return k;
  }

  get(e: Expr): V | undefined {
    const i = this.indexOf(e);
    return i < 0 ? undefined : this.values[i];
  }

  has(e: Expr): boolean {
    return this.get(e) !== undefined;
  }

  set(e: Expr, v: V): void {
    this.values[this.slot(e)] = v;
  }

  /** Give the nodes' memo fields back (the next table takes a new stamp, so no field need be cleared). */
  release(): void {
    if (activeMemo === this.stamp) activeMemo = 0;
    // a new array rather than length = 0, which costs a runtime call to shrink the old one
    this.values = [];
  }
}
