// An intern table that does not keep its values alive: entries hold WeakRefs and a FinalizationRegistry
// drops an entry once its value is collected. A key may map to several values (hash buckets); `find`
// picks the live one that matches. Interning stays exact (`===` for equal structure) for every value
// anyone can still reach, while values nobody holds are freed.

export class WeakInternTable<K, V extends object> {
  private readonly buckets = new Map<K, WeakRef<V> | WeakRef<V>[]>();
  private readonly registry = new FinalizationRegistry<K>((key) => this.prune(key));
  private liveCount = 0;

  /** The live value under `key` for which `matches` holds, else undefined. */
  find(key: K, matches: (v: V) => boolean): V | undefined {
    const b = this.buckets.get(key);
    if (b === undefined) return undefined;
    if (!Array.isArray(b)) {
      const v = b.deref();
      return v !== undefined && matches(v) ? v : undefined;
    }
    for (const r of b) {
      const v = r.deref();
      if (v !== undefined && matches(v)) return v;
    }
    return undefined;
  }

  add(key: K, value: V): V {
    const ref = new WeakRef(value);
    const b = this.buckets.get(key);
    if (b === undefined) this.buckets.set(key, ref);
    else if (Array.isArray(b)) b.push(ref);
    else this.buckets.set(key, [b, ref]);
    this.registry.register(value, key);
    this.liveCount++;
    return value;
  }

  /** Values added and not yet collected. */
  get size(): number {
    return this.liveCount;
  }

  private prune(key: K): void {
    this.liveCount--;
    const b = this.buckets.get(key);
    if (b === undefined) return;
    if (!Array.isArray(b)) {
      if (b.deref() === undefined) this.buckets.delete(key);
      return;
    }
    const live = b.filter((r) => r.deref() !== undefined);
    if (live.length === 0) this.buckets.delete(key);
    else this.buckets.set(key, live.length === 1 ? live[0] : live);
  }
}
