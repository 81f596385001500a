// Cotangents built in simplified form: the reverse sweep (diff/grad.ts) hands each cotangent it builds, and
// each sum of two, to `refineCotangent`, which applies a few of the catalogue's rules at its top node: the
// transposes a VJP makes ((xᵀA)ᵀ → Aᵀx, A'(C'X'B') → (BXCA)'), scalars out of products, common factors of
// an accumulated sum. The simplifier would make the same rewrites afterwards, but also over every
// intermediate cotangent, each of which it would visit and try all its rules on; refined as they are built,
// the intermediates never reach it. The rules are the catalogue's own records (one definition of each
// identity); grad's result is still simplified in full, and a gradient asked for raw is not refined.
import { NodeFact } from '../ir/cache.js';
import { ShapeError } from '../ir/errors.js';
import type { Expr, OpExpr } from '../ir/expr.js';
import { sameShape, shapeText } from '../ir/shape.js';
import { neg } from '../ops/build.js';
import type { Rewrite } from './engine.js';
import type { Rule } from './rule.js';
import { chainFactors, chainLength, transposedChain } from './rules/chains.js';
import { factorProducts, pullScalars } from './rules/matmul.js';
import { transposeProduct } from './rules/transpose.js';

const isOp = (e: Expr, op: string): e is OpExpr => e.kind === 'op' && e.op === op;

/**
 * The first (side 0) or last (side 1) factor of a product chain, e itself when it is not a product, or null
 * when it lies deeper than NEAR. The checks below stay O(1), so that the cotangents of a long chain, each one
 * factor longer than the last, are not walked or rebuilt over and over (quadratic in the chain); the
 * fixpoint, which sees a chain once at its root, takes those.
 */
function outerFactor(e: Expr, side: 0 | 1): Expr | null {
  for (let depth = 0; isOp(e, 'matmul'); depth++) {
    if (depth === NEAR) return null;
    e = e.args[side];
  }
  return e;
}

/** Products of more factors than this (on one side) are left to the fixpoint. */
const NEAR = 8;

const transposed = (e: Expr | null): boolean => e !== null && isOp(e, 'transpose');

/** −A, s ⊙ A or A ⊘ s: a factor pullScalars takes the scalar out of. */
const scaled = (e: Expr): boolean =>
  e.kind === 'op' && (e.op === 'neg' || e.op === 'emul' || e.op === 'ediv');

/**
 * A refining rule, with a cheap sign that it may rewrite a node, checked before calling it: most cotangents
 * are ones no rule rewrites, and a call that returns nothing costs as much as the simplifier's own try.
 * A case the sign misses costs only speed: the simplifier still tries every rule on what the sweep returns.
 */
interface Refining {
  readonly rule: Rule;
  readonly worth: (e: OpExpr) => boolean;
  /** Its bit in `missed`. */
  readonly bit: number;
}

const commonFactors: Refining = {
  rule: factorProducts,
  worth: ({ args: [l, r] }) => {
    const first = outerFactor(l, 0);
    const last = outerFactor(l, 1);
    return (first !== null && first === outerFactor(r, 0)) || (last !== null && last === outerFactor(r, 1));
  },
  bit: 1,
};

const transposeRules: readonly Refining[] = [
  {
    rule: transposeProduct,
    // pushing the transpose through pays when a factor is transposed already: (xᵀA)ᵀ → Aᵀx
    worth: ({ args: [a] }) =>
      isOp(a, 'matmul') && (isOp(a.args[0], 'transpose') || isOp(a.args[1], 'transpose')),
    bit: 2,
  },
];

const productRules: readonly Refining[] = [
  {
    rule: transposedChain,
    // every factor transposed: the first and the last, at least
    worth: (e) => {
      if (chainLength(e) > NEAR || !transposed(outerFactor(e, 0)) || !transposed(outerFactor(e, 1)))
        return false;
      // the chain it would build, at most NEAR factors: a long chain's cotangents grow by one factor a step
      let n = 0;
      for (const f of chainFactors(e)) n += isOp(f, 'transpose') ? chainLength(f.args[0]) : 1;
      return n <= NEAR;
    },
    bit: 4,
  },
  { rule: pullScalars, worth: ({ args: [a, b] }) => scaled(a) || scaled(b), bit: 8 },
];

const sumRules: readonly Refining[] = [commonFactors];

/** The refining rules for a node of op `op`, in catalogue order. */
function rulesFor(op: string): readonly Refining[] | undefined {
  switch (op) {
    case 'transpose':
      return transposeRules;
    case 'matmul':
      return productRules;
    case 'add':
    case 'sub':
      return sumRules;
    default:
      return undefined;
  }
}

const REFINING: readonly Refining[] = [...transposeRules, ...productRules, ...sumRules];

/**
 * By node: the bits of the refining rules that returned nothing there. A rule is a pure function of its node,
 * so the simplifier, which meets every final cotangent again, skips them there (engine.ts).
 */
const missed = new NodeFact<number>();

/** The bit of catalogue entry r (maybe a copy of a rule with heads added) among the refining rules; 0: none. */
export function refineBit(r: Rule): number {
  return REFINING.find((x) => x.rule.apply === r.apply)?.bit ?? 0;
}

/** The refining rules known to return nothing at e (bits of refineBit). */
export function refinedMisses(e: Expr): number {
  return missed.get(e) ?? 0;
}

/** Most rewrites at one node (a rule's result is tried again: a pushed transpose can make a transposed chain). */
const MAX_STEPS = 4;

/**
 * `node` rewritten by the refining rules at its top until none applies, or under one sign (the inverse's VJP
 * is −(A⁻ᵀGA⁻ᵀ)). `log` receives each rewrite, as the simplifier's log does.
 */
export function refineCotangent(node: Expr, log?: Rewrite[]): Expr {
  if (!isOp(node, 'neg')) return refineTop(node, log);
  const inner = refineTop(node.args[0], log);
  return inner === node.args[0] ? node : neg(inner);
}

function refineTop(node: Expr, log: Rewrite[] | undefined): Expr {
  let e: Expr = node;
  for (let n = 0; n < MAX_STEPS && e.kind === 'op'; n++) {
    const rules = rulesFor(e.op);
    if (rules === undefined) break;
    let next: Expr | null = null;
    let misses = 0;
    for (let i = 0; i < rules.length && next === null; i++) {
      const r: Refining = rules[i];
      if (!r.worth(e)) continue;
      const out: Expr | null = r.rule.apply(e);
      if (out && out !== e) {
        // as the simplifier asserts of every rewrite
        if (!sameShape(out.shape, e.shape))
          throw new ShapeError(`internal: rule ${r.rule.name} changed the shape ${shapeText(e.shape)}`);
        next = out;
        log?.push({ rule: r.rule.name, identity: r.rule.identity, before: e, after: out });
      } else misses |= r.bit;
    }
    if (next === null) {
      if (misses !== 0) missed.set(e, (missed.get(e) ?? 0) | misses);
      break;
    }
    e = next;
  }
  return e;
}
