// Numerically stable scalar functions shared by evaluation and generated code. Each is finite wherever
// its mathematical value is representable, and NaN propagates (as in NumPy).

/** σ(x) = 1/(1+e^{-x}), evaluated without overflow for either sign. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function relu(x: number): number {
  return x > 0 || Number.isNaN(x) ? x : 0;
}

/** Heaviside step: 1 for x > 0, else 0 (the a.e. derivative of relu). */
export function step(x: number): number {
  return x > 0 ? 1 : Number.isNaN(x) ? x : 0;
}

/** sign(0) = 0 (never -0), the subgradient of |x| that abs's VJP uses at the kink. */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : Number.isNaN(x) ? x : 0;
}
