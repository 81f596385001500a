// An intern table that does not keep its values alive: buckets of WeakRefs under a key (a hash or a name).
// Dead refs are swept in whole passes instead of by a finalizer per entry (FinalizationRegistry, ~0.5 µs
// each): when the table has taken as many new entries as it held live after the last pass, and after a
// full garbage collection (one finalizer on a throwaway object tells when one happened) once it has taken an
// eighth as many, and twice after a pass made within a run (which keeps its own WeakRefs' values alive) — so
// a table's size follows what is alive, and what a long synchronous run left dead is let go after it.
// A pass is put off until a full collection has been seen since the last one (the only kind that frees a
// WeakRef's value) and while at most a quarter of the refs could be dead (a WeakRef keeps its value until the
// job that made it ends, so the refs made in the current job are all alive).
// Callers scan `bucket(key)` themselves (no per-lookup closure) and `add` on a miss.

export type Bucket<V extends object> = WeakRef<V> | WeakRef<V>[];

const FIRST_SWEEP = 4096;

const tables: WeakInternTable<unknown, object>[] = [];

/**
 * Fires after a collection has freed the throwaway object registered last; then registers another. The
 * registry holds a WeakRef to that object: V8 frees a WeakRef's value only in a full collection (a minor one
 * keeps it, as it keeps every table's values), so the finalizer fires only after a collection that can have
 * freed table entries.
 */
/** Full collections seen (finalizers run): a pass before the next one could free nothing. */
let fullCollections = 0;

const collections = new FinalizationRegistry<WeakRef<object>>(() => {
  fullCollections++;
  for (const t of tables) t.sweepAfterCollection();
  watch();
});

function watch(): void {
  const token = {};
  collections.register(token, new WeakRef(token));
}
watch();

/** Counts jobs: advanced by a microtask queued at the first add of a job, so it changes when the job ends. */
let job = 0;
let jobEndQueued = false;
const endJob = (): void => {
  jobEndQueued = false;
  job++;
};

export class WeakInternTable<K, V extends object> {
  private buckets = new Map<K, Bucket<V>>();
  private addsSinceSweep = 0;
  private sweepAt = FIRST_SWEEP;
  private liveAtSweep = 0;
  /**
   * Sweeps owed after collections: a sweep within a run finds the run's values alive (a WeakRef keeps its
   * value until the job that made it ends), and so may the first collection after it, made in that job.
   */
  private sweepsOwed = 0;
  /** fullCollections at the last pass. */
  private collectionsAtSweep = 0;
  /** The job of the last add, and how many refs the table held when that job made its first add. */
  private addJob = -1;
  private refsBeforeJob = 0;

  constructor() {
    tables.push(this as WeakInternTable<unknown, object>);
  }

  /** The refs under `key`: one, several, or undefined. */
  bucket(key: K): Bucket<V> | undefined {
    return this.buckets.get(key);
  }

  /** Add a value under `key`, whose bucket the caller has just looked up (one Map lookup fewer). */
  add(key: K, value: V, b: Bucket<V> | undefined = this.buckets.get(key)): V {
    this.addRef(key, new WeakRef(value), b);
    return value;
  }

  /** Add a ref under `key`; one ref may stand under several keys (values that live and die together). */
  addRef(key: K, ref: WeakRef<V>, b: Bucket<V> | undefined = this.buckets.get(key)): void {
    if (b === undefined) this.buckets.set(key, ref);
    else if (Array.isArray(b)) b.push(ref);
    else if (b.deref() === undefined) this.buckets.set(key, ref);
    else this.buckets.set(key, [b, ref]);
    if (this.addJob !== job) {
      this.addJob = job;
      this.refsBeforeJob = this.liveAtSweep + this.addsSinceSweep;
      if (!jobEndQueued) {
        jobEndQueued = true;
        queueMicrotask(endJob);
      }
    }
    if (++this.addsSinceSweep >= this.sweepAt) {
      // a value dies only in a full collection, and only if its ref was made before this job
      if (
        this.collectionsAtSweep === fullCollections ||
        this.refsBeforeJob * 4 < this.liveAtSweep + this.addsSinceSweep
      )
        this.sweepAt *= 2;
      else this.sweep();
      this.sweepsOwed = 2;
    }
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

  /** A collection happened: sweep when enough was added since the last sweep for refs to have died. */
  sweepAfterCollection(): void {
    const owed = this.sweepsOwed;
    if (owed > 0 || (this.addsSinceSweep > 0 && this.addsSinceSweep * 8 >= this.liveAtSweep)) {
      this.sweep();
      this.sweepsOwed = owed > 0 ? owed - 1 : 0;
    }
  }

  /** Drop dead refs and empty buckets; the next sweep comes after as many adds as there are live entries. */
  private sweep(): void {
    // the live entries go to a new Map: deleting most of a Map's entries leaves its table as large and as
    // slow to probe as before
    const kept = new Map<K, Bucket<V>>();
    let live = 0;
    for (const [key, b] of this.buckets) {
      if (!Array.isArray(b)) {
        if (b.deref() !== undefined) {
          kept.set(key, b);
          live++;
        }
        continue;
      }
      const refs = b.filter((r) => r.deref() !== undefined);
      live += refs.length;
      if (refs.length > 0) kept.set(key, refs.length === 1 ? refs[0] : refs);
    }
    this.buckets = kept;
    this.addsSinceSweep = 0;
    this.liveAtSweep = live;
    this.collectionsAtSweep = fullCollections;
    this.sweepAt = Math.max(FIRST_SWEEP, live);
  }
}

/** The first live value of a bucket (for keys that name one value: a number, a name, a canonical text). */
export function firstLive<V extends object>(b: Bucket<V> | undefined): V | undefined {
  if (b === undefined) return undefined;
  if (!Array.isArray(b)) return b.deref();
  for (const r of b) {
    const v = r.deref();
    if (v !== undefined) return v;
  }
  return undefined;
}
