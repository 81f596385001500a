// An intern table that does not keep its values alive: buckets of WeakRefs under a key (a hash or a name).
// Dead refs are swept lazily — a whole pass once the table has taken as many new entries as it held live
// after the last pass — so a finalizer per entry (FinalizationRegistry, ~0.5 µs each) is not needed.
// Callers scan `bucket(key)` themselves (no per-lookup closure) and `add` on a miss.

export type Bucket<V extends object> = WeakRef<V> | WeakRef<V>[];

const FIRST_SWEEP = 4096;

export class WeakInternTable<K, V extends object> {
  private readonly buckets = new Map<K, Bucket<V>>();
  private addsSinceSweep = 0;
  private sweepAt = FIRST_SWEEP;

  /** The refs under `key`: one, several, or undefined. */
  bucket(key: K): Bucket<V> | undefined {
    return this.buckets.get(key);
  }

  /** The live value under a key that holds at most one kind of value (a name, a canonical key). */
  only(key: K): V | undefined {
    const b = this.buckets.get(key);
    if (b === undefined) return undefined;
    if (!Array.isArray(b)) return b.deref();
    for (const r of b) {
      const v = r.deref();
      if (v !== undefined) return v;
    }
    return undefined;
  }

  add(key: K, value: V): V {
    const ref = new WeakRef(value);
    const b = this.buckets.get(key);
    if (b === undefined) this.buckets.set(key, ref);
    else if (Array.isArray(b)) b.push(ref);
    else if (b.deref() === undefined) this.buckets.set(key, ref);
    else this.buckets.set(key, [b, ref]);
    if (++this.addsSinceSweep >= this.sweepAt) this.sweep();
    return value;
  }

  /** Every live value (for counting and for walking what is interned). */
  *values(): IterableIterator<V> {
    for (const b of this.buckets.values()) {
      if (!Array.isArray(b)) {
        const v = b.deref();
        if (v !== undefined) yield v;
      } else {
        for (const r of b) {
          const v = r.deref();
          if (v !== undefined) yield v;
        }
      }
    }
  }

  /** Drop dead refs and empty buckets; the next sweep comes after as many adds as there are live entries. */
  private sweep(): void {
    let live = 0;
    for (const [key, b] of this.buckets) {
      if (!Array.isArray(b)) {
        if (b.deref() === undefined) this.buckets.delete(key);
        else live++;
        continue;
      }
      const kept = b.filter((r) => r.deref() !== undefined);
      live += kept.length;
      if (kept.length === 0) this.buckets.delete(key);
      else if (kept.length === 1) this.buckets.set(key, kept[0]);
      else if (kept.length < b.length) this.buckets.set(key, kept);
    }
    this.addsSinceSweep = 0;
    this.sweepAt = Math.max(FIRST_SWEEP, live);
  }
}

/** The live value of a bucket for which `same(v, a, b)` holds; `same` is a plain function, not a closure. */
export function findIn<V extends object, A, B>(
  b: Bucket<V> | undefined,
  same: (v: V, a: A, b: B) => boolean,
  a: A,
  c: B,
): V | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) {
    const v = b.deref();
    return v !== undefined && same(v, a, c) ? v : undefined;
  }
  for (const r of b) {
    const v = r.deref();
    if (v !== undefined && same(v, a, c)) return v;
  }
  return undefined;
}
