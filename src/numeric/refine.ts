// Re-checking a finite-difference disagreement with smaller steps. A kink of abs, relu, sign or step within
// the step makes a central difference straddle it; a smaller step that no longer straddles agrees with the
// derivative. A wrong derivative agrees at no step, so nothing wrong is let through.

/** Central difference at step h, Richardson-extrapolated with h/2: (4 D(h/2) − D(h)) / 3. */
export function richardson(f: () => number, x: Float64Array, i: number, h: number): number {
  const old = x[i];
  const central = (step: number) => {
    x[i] = old + step;
    const fp = f();
    x[i] = old - step;
    const fm = f();
    x[i] = old;
    return (fp - fm) / (2 * step);
  };
  return (4 * central(h / 2) - central(h)) / 3;
}

/** Steps tried after a disagreement, as fractions of the first step 1e-3·max(1, |x_i|). */
export const REFINE_STEPS: readonly number[] = [1e-1, 1e-2, 1e-3];

/**
 * The first estimate at a smaller step that agrees with `symbolic` (`agrees` judges), or null when none
 * does: then the disagreement stands.
 */
export function refineDifference(
  f: () => number,
  x: Float64Array,
  i: number,
  symbolic: number,
  agrees: (numeric: number, symbolic: number) => boolean,
): number | null {
  const h = 1e-3 * Math.max(1, Math.abs(x[i]));
  for (const k of REFINE_STEPS) {
    const d = richardson(f, x, i, h * k);
    if (agrees(d, symbolic)) return d;
  }
  return null;
}
