// "Did you mean …?": the nearest candidate by edit distance (Levenshtein, case differences cost less).
// Bounded work: names longer than MAX_SUGGESTED characters get no suggestion (the distance is quadratic).

/** The longest name (and candidate) compared; a typo in a longer name is not worth a quadratic search. */
export const MAX_SUGGESTED = 64;

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0.5 : 1;
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo (fewer edits than the name
 * has characters, about one per three); ties go to the first.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGESTED) return undefined;
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    // The distance is at least the difference in length.
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const d = distance(name, c);
    if (d <= limit && d < name.length && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean `x`?)`, or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = nearest(name, candidates);
  return n === undefined ? '' : ` (did you mean \`${n}\`?)`;
}
