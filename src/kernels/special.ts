// Special scalar functions JavaScript's Math lacks: the error function and its complement, accurate to a
// few ulps, and the exact (erf-form) GELU x·Φ(x). erfc keeps its relative accuracy for large x, so
// gelu_erf of a very negative argument is a tiny number, not 0.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erf(x) = 2/√π e^{−x²} Σ_{k≥0} 2^k x^{2k+1} / (2k+1)!!, a series of positive terms (no cancellation). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let total = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x2) / (2 * k + 1);
    total += term;
    if (Math.abs(term) < Math.abs(total) * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * total;
}

/**
 * erfc(x) for x ≥ 2 by its continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated with the modified Lentz method.
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The complementary error function 1 − erf(x), with full relative accuracy in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  if (x > 27.3) return 0;
  return erfcFraction(x);
}

/** The error function 2/√π ∫₀ˣ e^{−t²} dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 2) return erfSeries(x);
  const r = 1 - erfcFraction(Math.min(ax, 27.3));
  return x < 0 ? -r : r;
}

/** The standard normal distribution function Φ(x) = erfc(−x/√2)/2. */
export function normcdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** The standard normal density φ(x) = e^{−x²/2}/√(2π). */
export function normpdf(x: number): number {
  return 0.3989422804014327 * Math.exp(-0.5 * x * x);
}

/** GELU in its exact form x·Φ(x) = x·erfc(−x/√2)/2. */
export function geluErf(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

/** GELU in its tanh form x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) (Hendrycks & Gimpel). */
export function geluTanh(x: number): number {
  const u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  // 1 + tanh(u) = 2σ(2u), which keeps its relative accuracy for very negative u
  const s = u >= 0 ? 1 / (1 + Math.exp(-2 * u)) : Math.exp(2 * u) / (1 + Math.exp(2 * u));
  return x * s;
}
