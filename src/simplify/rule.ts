// A rewrite rule: a name, the identity it implements, the ops it applies to, and a function that returns
// the rewritten node or null when it does not apply. Rules see a node whose arguments are already simplified.
import type { Expr, OpExpr } from '../ir/expr.js';
import { fromNumber, neg, type Rational } from '../ir/rational.js';

export interface Rule {
  readonly name: string;
  /** The identity, e.g. "(Aᵀ)ᵀ → A". Shown in provenance and writeups. */
  readonly identity: string;
  /** The ops whose nodes it can rewrite (the engine tries it on nothing else); absent: any op. */
  readonly ops?: readonly string[];
  /**
   * For rules that look at a whole region (a product chain, an algebra region) and would otherwise redo it
   * at every level: `inside(parent, k)` says when argument k of `parent` lies inside the region. A node of
   * the input whose every use is inside is skipped; the rule runs once at the region's root.
   */
  readonly inside?: (parent: OpExpr, k: number) => boolean;
  /**
   * Bits of mentions.ts: the rule rewrites only nodes under which one of those ops occurs (it returns null
   * everywhere else), so the engine skips it where none does without calling it.
   */
  readonly mentions?: number;
  /**
   * Bits of heads.ts: the rule rewrites only nodes with an argument of one of those heads (it returns null
   * everywhere else), so the engine skips it, without calling it, at every other node.
   */
  readonly heads?: number;
  apply(e: OpExpr): Expr | null;
}

/** The rule r, tried only on nodes that mention one of the ops in `bits` (mentions.ts). */
export function needing(bits: number, r: Rule): Rule {
  return { ...r, mentions: bits };
}

/** The rule r, tried only on nodes with an argument of one of the heads in `bits` (heads.ts). */
export function withHeads(bits: number, r: Rule): Rule {
  return { ...r, heads: bits };
}

type Apply = (e: OpExpr) => Expr | null;

/** A rule, optionally for the listed ops only: `rule(['transpose'], name, identity, apply)`. */
export function rule(name: string, identity: string, apply: Apply): Rule;
export function rule(ops: readonly string[], name: string, identity: string, apply: Apply): Rule;
export function rule(...a: [string, string, Apply] | [readonly string[], string, string, Apply]): Rule {
  if (a.length === 3) return { name: a[0], identity: a[1], apply: a[2] };
  return { ops: a[0], name: a[1], identity: a[2], apply: a[3] };
}

/** True when e is the 1×1 constant v. */
export function isConst(e: Expr, v?: number): boolean {
  return e.kind === 'const' && (v === undefined || e.value === v);
}

/** The numeric value of a constant or the negation of one, else null. */
export function constValue(e: Expr): number | null {
  if (e.kind === 'const') return e.value;
  if (e.kind === 'op' && e.op === 'neg' && e.args[0].kind === 'const') return -e.args[0].value;
  return null;
}

/** The exact value of a constant or the negation of one, else null. */
export function exactValue(e: Expr): Rational | null {
  if (e.kind === 'const') return fromNumber(e.value);
  if (e.kind === 'op' && e.op === 'neg' && e.args[0].kind === 'const')
    return neg(fromNumber(e.args[0].value));
  return null;
}

/** e is an op node of one of the named ops (up to four; fixed parameters, so no array per call). */
export function isOp<K extends string>(e: Expr, a: K, b?: K, c?: K, d?: K): e is OpExpr & { readonly op: K } {
  if (e.kind !== 'op') return false;
  const op = e.op;
  return op === a || (b !== undefined && (op === b || op === c || op === d));
}

/** A zero of any shape: 0, zeros(m, n), or -0. */
export function isZero(e: Expr): boolean {
  return constValue(e) === 0 || isOp(e, 'zeros') || (isOp(e, 'neg') && isZero(e.args[0]));
}

/** An all-ones value of any shape: 1 or ones(m, n). */
export function isOnes(e: Expr): boolean {
  return isConst(e, 1) || isOp(e, 'ones');
}
