// Scheduling a lowered plan: which map nodes are inlined into their consumer's loop, which nodes get a
// buffer, which run once per size signature (input-free) and which every call, and buffer lifetimes, so
// that a buffer whose last reader has run is reused by a later step (in place for elementwise maps).
import { isOne } from '../ir/dim.js';
import { type Shape, sameShape } from '../ir/shape.js';
import type { Lowered, PNode } from './js-plan.js';

export type StepKind = 'region' | 'gemm' | 'kernel' | 'view' | 'fill' | 'copy';

export interface Step {
  readonly kind: StepKind;
  /** The node computed; for 'copy', the root node copied into `slot`. */
  readonly node: PNode;
  /** The slot written. */
  readonly slot: number;
}

/** Buffers: `pool` ones are shared between steps by lifetime, `pinned` ones live as long as the signature, `view` ones share another's data. */
export interface Slot {
  readonly shape: Shape;
  readonly kind: 'pool' | 'pinned' | 'view';
}

/** What the buffer pool does around run step s: release slots read for the last time, before (in place) or after the step writes. */
export interface Lifetimes {
  readonly before: readonly (readonly number[])[];
  readonly after: readonly (readonly number[])[];
}

export interface Schedule {
  readonly nodes: readonly PNode[];
  /** Map nodes computed inside their single consumer's loop. */
  readonly inlined: ReadonlySet<number>;
  readonly slots: readonly Slot[];
  /** Node id → slot, for every node with a matrix except inputs. */
  readonly slotOf: ReadonlyMap<number, number>;
  readonly setup: readonly Step[];
  readonly run: readonly Step[];
  readonly lifetimes: Lifetimes;
  /** The slot returned for each root. */
  readonly outputs: readonly number[];
}

/** Most maps inlined into one loop expression, counted along a chain. */
const MAX_INLINE = 32;

const isVectorShape = (s: Shape): boolean => isOne(s.rows) || isOne(s.cols);

export function schedule({ nodes, roots }: Lowered): Schedule {
  const reachable = new Set<number>(roots.map((r) => r.id));
  const uses = new Map<number, number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!reachable.has(n.id)) continue;
    for (const a of n.args) {
      reachable.add(a.id);
      uses.set(a.id, (uses.get(a.id) ?? 0) + 1);
    }
  }
  const live = nodes.filter((n) => reachable.has(n.id));
  const isRoot = new Set(roots.map((r) => r.id));
  const single = (a: PNode) => a.kind === 'map' && uses.get(a.id) === 1 && !isRoot.has(a.id);
  const fusable = (r: PNode) => {
    const a = r.args[0];
    return a.kind === 'literal' || a.kind === 'transpose' || single(a);
  };

  // Consumers decide how they read their arguments, so walk from the roots down.
  const needs = new Set<number>(roots.map((r) => r.id));
  const inlined = new Set<number>();
  const readInLoop = (a: PNode, loop: Shape) => {
    if (a.kind === 'literal') return;
    if (a.kind === 'transpose') needs.add(a.args[0].id);
    else if (single(a) && sameShape(a.shape, loop)) inlined.add(a.id);
    else needs.add(a.id);
  };
  for (let i = live.length - 1; i >= 0; i--) {
    const n = live[i];
    if (!needs.has(n.id) && !inlined.has(n.id)) continue;
    if (n.kind === 'map') for (const a of n.args) readInLoop(a, n.shape);
    else if (n.kind === 'reduce' && fusable(n)) readInLoop(n.args[0], n.args[0].shape);
    else for (const a of n.args) needs.add(a.id);
  }

  // A long chain of inlined maps nests one parenthesis per op; cut it every MAX_INLINE levels.
  const depth = new Map<number, number>();
  for (const n of live) {
    if (n.kind !== 'map') continue;
    let d = 1;
    for (const a of n.args) if (inlined.has(a.id)) d = Math.max(d, depth.get(a.id)! + 1);
    if (inlined.has(n.id) && d > MAX_INLINE) {
      inlined.delete(n.id);
      needs.add(n.id);
      d = 0;
    }
    depth.set(n.id, d);
  }

  const dependsOnInput = new Set<number>();
  for (const n of live) {
    if (n.kind === 'input' || n.args.some((a) => dependsOnInput.has(a.id))) dependsOnInput.add(n.id);
  }

  const slots: Slot[] = [];
  const slotOf = new Map<number, number>();
  const newSlot = (s: Shape, kind: Slot['kind']) => slots.push({ shape: s, kind }) - 1;
  const setup: Step[] = [];
  const run: Step[] = [];
  for (const n of live) {
    if (!needs.has(n.id) || n.kind === 'input') continue;
    const view = n.kind === 'transpose' && isVectorShape(n.shape);
    const kind: StepKind =
      n.kind === 'literal'
        ? 'fill'
        : n.kind === 'map' || (n.kind === 'reduce' && fusable(n))
          ? 'region'
          : n.kind === 'gemm'
            ? 'gemm'
            : view
              ? 'view'
              : 'kernel';
    const inRun = dependsOnInput.has(n.id);
    const slot = newSlot(n.shape, view ? 'view' : inRun && !isRoot.has(n.id) ? 'pool' : 'pinned');
    slotOf.set(n.id, slot);
    (inRun ? run : setup).push({ kind, node: n, slot });
  }

  // A root gets its own buffer: the one it is computed into, or a copy made every call.
  const copies = new Map<number, number>();
  const outputs = roots.map((r) => {
    const slot = slotOf.get(r.id);
    if (slot !== undefined && slots[slot].kind === 'pinned' && dependsOnInput.has(r.id)) return slot;
    let copy = copies.get(r.id);
    if (copy === undefined) {
      copy = newSlot(r.shape, 'pinned');
      copies.set(r.id, copy);
      run.push({ kind: 'copy', node: r, slot: copy });
    }
    return copy;
  });

  return {
    nodes: live,
    inlined,
    slots,
    slotOf,
    setup,
    run,
    lifetimes: lifetimes(run, slots, slotOf, inlined),
    outputs,
  };
}

/** The pool slots each run step reads, and whether every read is at the step's own index (in place). */
function lifetimes(
  run: readonly Step[],
  slots: readonly Slot[],
  slotOf: ReadonlyMap<number, number>,
  inlined: ReadonlySet<number>,
): Lifetimes {
  // Storage behind a node: a view's is its argument's; inputs and pinned slots are never pooled.
  const owner = (n: PNode): number | null => {
    if (n.kind === 'input') return null;
    const s = slotOf.get(n.id);
    if (s === undefined) return null;
    if (slots[s].kind === 'view') return owner(n.args[0]);
    return slots[s].kind === 'pool' ? s : null;
  };
  const reads = run.map((step) => {
    const found = new Map<number, boolean>();
    const read = (n: PNode, inPlace: boolean) => {
      const s = owner(n);
      if (s !== null) found.set(s, (found.get(s) ?? true) && inPlace);
    };
    const n = step.node;
    if (step.kind === 'region') {
      const loop = n.kind === 'map' ? n.shape : n.args[0].shape;
      const walk = (x: PNode) => {
        if (x.kind === 'literal') return;
        if (inlined.has(x.id)) x.args.forEach(walk);
        else if (x.kind === 'transpose') read(x.args[0], false);
        else read(x, n.kind === 'map' && sameShape(x.shape, loop));
      };
      n.args.forEach(walk);
    } else if (step.kind === 'copy') read(n, false);
    else if (step.kind !== 'fill') for (const a of n.args) read(a, false);
    return found;
  });
  const last = new Map<number, number>();
  reads.forEach((found, s) => {
    for (const slot of found.keys()) last.set(slot, s);
  });
  const before = reads.map((found, s) =>
    [...found].filter(([slot, inPlace]) => inPlace && last.get(slot) === s).map(([slot]) => slot),
  );
  const after = reads.map((found, s) =>
    [...found].filter(([slot, inPlace]) => !inPlace && last.get(slot) === s).map(([slot]) => slot),
  );
  return { before, after };
}
