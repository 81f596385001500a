// Caches of facts about nodes (chain statistics, region sizes, normal forms) that neither keep nodes alive
// nor keep their own size: a WeakMap's table never shrinks once grown (and a long synchronous run keeps
// every node alive until it returns), so each cache is replaced by an empty one, between simplifications
// (renewNodeCaches), once it has taken more than LIMIT entries. Within one simplification nothing is lost.
import type { Expr } from './expr.js';

const LIMIT = 1 << 13;

const caches: NodeCache<unknown>[] = [];

export class NodeCache<V> {
  private map = new WeakMap<Expr, V>();
  private inserted = 0;

  constructor() {
    caches.push(this);
  }

  get(e: Expr): V | undefined {
    return this.map.get(e);
  }

  has(e: Expr): boolean {
    return this.map.has(e);
  }

  set(e: Expr, v: V): void {
    this.inserted++;
    this.map.set(e, v);
  }

  /** An empty table in place of one that has grown past LIMIT. */
  renew(): void {
    if (this.inserted <= LIMIT) return;
    this.map = new WeakMap();
    this.inserted = 0;
  }
}

/** Renew every grown cache; called where no computation holds on to cached facts (a simplification's start). */
export function renewNodeCaches(): void {
  for (const c of caches) c.renew();
}
