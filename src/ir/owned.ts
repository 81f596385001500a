// The parents a node owns, a visit stamp for walks (which doubles as a slot a pass may number the nodes by),
// the facts computed about it (ir/cache.ts NodeFact) and its entry in the active memo (NodeMemo).
// An op node is kept by its youngest argument while that argument is young (ir/intern.ts), instead of by a
// weak table: owner → parent here, parent → owner through its args, so the two live and die together and no
// WeakRef is made. The fields are private, so they are invisible to reflection, printing and equality.

/** Nothing, one parent, a few in an array, or many by hash. */
export type Owned<P> = P | P[] | Map<number, P | P[]> | null;

export abstract class Owner<P> {
  #owned: Owned<P> = null;
  /** A walk's stamp (negative) or, after the walk, a pass's number for the node (≥ 0); see ir/expr.ts. */
  #stamp = 0;
  /** Facts about the node computed on demand (ir/cache.ts NodeFact), by slot. */
  #facts: unknown[] | null = null;
  /** The node's entry in the active NodeMemo (ir/cache.ts): that memo's stamp, and an index into its values. */
  #memoStamp = 0;
  #memoIndex = 0;

  static memoIndex<P>(n: Owner<P>, stamp: number): number {
    return n.#memoStamp === stamp ? n.#memoIndex : -1;
  }

  static setMemoIndex<P>(n: Owner<P>, stamp: number, index: number): void {
    n.#memoStamp = stamp;
    n.#memoIndex = index;
  }

  static facts<P>(n: Owner<P>): unknown[] | null {
    return n.#facts;
  }

  static setFacts<P>(n: Owner<P>, facts: unknown[]): void {
    n.#facts = facts;
  }

  /** The number a pass gave n (its place in the pass's order), valid within that pass only. */
  static slot<P>(n: Owner<P>): number {
    return n.#stamp;
  }

  /** Number n for a pass: walks stamp negative numbers, so a slot never passes for a walk's stamp. */
  static setSlot<P>(n: Owner<P>, slot: number): void {
    n.#stamp = slot;
  }

  static owned<P>(n: Owner<P>): Owned<P> {
    return n.#owned;
  }

  static setOwned<P>(n: Owner<P>, owned: Owned<P>): void {
    n.#owned = owned;
  }

  /** Mark n as seen by the walk `stamp`; false when it already was. */
  static visit<P>(n: Owner<P>, stamp: number): boolean {
    if (n.#stamp === stamp) return false;
    n.#stamp = stamp;
    return true;
  }
}
