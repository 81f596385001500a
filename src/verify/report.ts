// What verifying a derivation file reports: each claim and chain step with its line, verdict and diagnosis;
// the math that could not be read; and the problems that make a file fail without a wrong check.
import type { Diagnosis } from './diagnose.js';
import type { Verdict } from './equal.js';

export interface CheckReport {
  readonly kind: 'claim' | 'step';
  /** The line of the claim, or of the step's `= EXPR`. */
  readonly line: number;
  /** The claimed expression as written, and the one it is checked against. */
  readonly claim: string;
  readonly truth: string;
  /** Steps: the `# reason`, the step number (1 = the first `=` line) and the line of the chain. */
  readonly reason?: string;
  readonly step?: number;
  readonly chainLine?: number;
  readonly verdict: Verdict;
  readonly diagnosis?: Diagnosis;
  /** Display math: the column, the matcalc reading of the claim, and for a wrong one the engine's value as LaTeX. */
  readonly column?: number;
  readonly reading?: string;
  readonly engine?: string;
}

export interface ChainReport {
  readonly kind: 'chain';
  readonly line: number;
  /** The expression the chain starts from, as written. */
  readonly start: string;
  readonly steps: readonly CheckReport[];
  readonly ok: boolean;
  /** The first step that does not equal the one before it. */
  readonly firstFailure?: CheckReport;
}

/** Display math that could not be read: listed, never dropped. */
export interface UnreadReport {
  readonly kind: 'not understood';
  readonly line: number;
  readonly column: number;
  /** The TeX fragment. */
  readonly fragment: string;
  readonly reason: string;
}

export interface DocumentReport {
  readonly file?: string;
  readonly ok: boolean;
  /** Claims and chains in file order (the CLI's JSON also lists the `unread` entries here, by line). */
  readonly checks: readonly (CheckReport | ChainReport)[];
  /** Failing claims, and the first failing step of each failing chain, in file order. */
  readonly failures: readonly CheckReport[];
  /** Number of equalities checked (claims plus chain steps). */
  readonly count: number;
  /** Display math that could not be read, in file order. */
  readonly unread: readonly UnreadReport[];
  /** Why the file fails although no check does: no checks at all, a mistyped fence, unread math under --strict. */
  readonly problems: readonly string[];
}
