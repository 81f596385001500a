// The fuzz loop: case i of a run with seed S is the first value fast-check draws with seed hash(S, i), so
// any case replays alone (`--case i`); a failing case is shrunk by fast-check, keeping to the same kind
// of problem, to a minimal expression printed as a ready-to-paste command.
import fc from 'fast-check';
import { caseArb, type FuzzCase } from './arbitraries.js';
import { type Outcome, type Problem, type ProblemKind, runCase } from './property.js';

export interface Finding {
  readonly index: number;
  readonly caseSeed: number;
  /** The problem as first seen, and after shrinking. */
  readonly original: Problem;
  readonly shrunk: Problem;
  readonly shrinks: number;
}

export interface Summary {
  readonly expressions: number;
  /** Cases with a wrong derivative, a failed round trip, LaTeX KaTeX refuses, or a simplification that changes a value. */
  readonly failures: number;
  /** Cases where the engine threw. */
  readonly crashes: number;
  /** Cases whose values were too large or not finite for numeric checks (symbolic checks still ran). */
  readonly skipped: number;
  /** Cases whose finite-difference check failed where finite differences cannot settle (listed). */
  readonly inconclusive: readonly string[];
  readonly jacobians: number;
  readonly hessians: number;
  readonly findings: readonly Finding[];
  readonly ms: number;
  readonly slowest: { readonly index: number; readonly ms: number };
}

export interface RunOptions {
  readonly runs: number;
  readonly seed: number;
  /** Run only this case index. */
  readonly only?: number;
  readonly maxDepth?: number;
  /** Shrink failures (on by default). */
  readonly shrink?: boolean;
  /** Stop shrinking after this many steps. */
  readonly maxShrinks?: number;
  readonly onProgress?: (done: number, s: Summary) => void;
  readonly onFinding?: (f: Finding) => void;
}

/** A 31-bit seed for case i of a run (splitmix-style mixing). */
export function caseSeed(seed: number, i: number): number {
  let z = (Math.imul(seed, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) & 0x7fffffff;
}

const isCrash = (p: Problem) => p.kind === 'crash';
const sameProblem = (a: Problem, kind: ProblemKind, stage: string) => a.kind === kind && a.stage === stage;

export function runFuzz(opts: RunOptions): Summary {
  const cases = fc.noBias(caseArb(opts.maxDepth ?? 5));
  const arb = opts.maxShrinks === undefined ? cases : fc.limitShrink(cases, opts.maxShrinks);
  const start = Date.now();
  let expressions = 0;
  let failures = 0;
  let crashes = 0;
  let skipped = 0;
  const inconclusive: string[] = [];
  let jacobians = 0;
  let hessians = 0;
  let slowest = { index: -1, ms: 0 };
  const findings: Finding[] = [];
  const summary = (): Summary => ({
    expressions,
    failures,
    crashes,
    skipped,
    inconclusive,
    jacobians,
    hessians,
    findings,
    ms: Date.now() - start,
    slowest,
  });
  const indices = opts.only !== undefined ? [opts.only] : Array.from({ length: opts.runs }, (_, i) => i);
  for (const index of indices) {
    const seed = caseSeed(opts.seed, index);
    let first: Outcome | null = null;
    let target: Problem | null = null;
    let shrinks = 0;
    const t0 = Date.now();
    const property = fc.property(arb, (c: FuzzCase) => {
      const out = runCase(c);
      if (first === null) {
        first = out;
        target = out.problems.find(isCrash) ?? out.problems[0] ?? null;
        return target === null;
      }
      shrinks++;
      const t = target!;
      return !out.problems.some((p) => sameProblem(p, t.kind, t.stage));
    });
    const details = fc.check(property, { seed, numRuns: 1, endOnFailure: opts.shrink === false });
    const ms = Date.now() - t0;
    const out = first as Outcome | null;
    if (!out) continue;
    expressions++;
    if (out.skipped) skipped++;
    for (const line of out.inconclusive) inconclusive.push(`case ${index}: ${line}`);
    if (out.jacobian) jacobians++;
    if (out.hessian) hessians++;
    if (target) {
      const original = target as Problem;
      if (isCrash(original)) crashes++;
      else failures++;
      const ce = details.counterexample?.[0] as FuzzCase | undefined;
      const again = ce
        ? runCase(ce).problems.find((p) => sameProblem(p, original.kind, original.stage))
        : undefined;
      const finding: Finding = { index, caseSeed: seed, original, shrunk: again ?? original, shrinks };
      findings.push(finding);
      opts.onFinding?.(finding);
    } else if (ms > slowest.ms) {
      slowest = { index, ms };
    }
    opts.onProgress?.(expressions, summary());
  }
  return summary();
}

/** The one-line summary: `fuzz: N expressions, F failures, C crashes (…)`. */
export function summaryLine(s: Summary, seed: number): string {
  const secs = (s.ms / 1000).toFixed(1);
  return (
    `fuzz: ${s.expressions} expressions, ${s.failures} failures, ${s.crashes} crashes ` +
    `(seed ${seed}; ${s.jacobians} Jacobians, ${s.hessians} Hessians checked; ${s.skipped} with values too large ` +
    `for finite differences, ${s.inconclusive.length} where they could not settle; ${secs} s; ` +
    `slowest case ${s.slowest.index} took ${s.slowest.ms} ms)`
  );
}

export function findingText(f: Finding): string {
  const lines = [
    `${f.shrunk.kind} in ${f.shrunk.stage} (case ${f.index}, shrunk in ${f.shrinks} steps): ${f.shrunk.message}`,
    `  ${f.shrunk.command}`,
  ];
  if (f.shrunk.command !== f.original.command) lines.push(`  as first found: ${f.original.command}`);
  return lines.join('\n');
}
