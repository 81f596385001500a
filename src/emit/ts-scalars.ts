// The TypeScript source of the stable scalar functions the ops' JS templates call as `K.name(x)` (σ,
// softplus, erf/erfc, GELU, …) and which of them call which, so a generated TS module inlines only what it
// uses. The matrix helpers are in ts-runtime.ts.

/** Stable scalar functions that the ops' JS templates call as `K.name(x)`. */
export const TS_SCALARS: Readonly<Record<string, string>> = {
  sigmoid: `sigmoid(x: number): number {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  }`,
  softplus: `softplus(x: number): number {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }`,
  relu: `relu(x: number): number {
    return x > 0 || Number.isNaN(x) ? x : 0;
  }`,
  step: `step(x: number): number {
    return x > 0 ? 1 : Number.isNaN(x) ? x : 0;
  }`,
  sign: `sign(x: number): number {
    return x > 0 ? 1 : x < 0 ? -1 : Number.isNaN(x) ? x : 0;
  }`,
  // erf/erfc as in src/kernels/special.ts: a positive series below 2, a continued fraction (Lentz) above.
  erfSeries: `erfSeries(x: number): number {
    const x2 = x * x;
    let term = x;
    let total = x;
    for (let k = 1; k < 200; k++) {
      term *= (2 * x2) / (2 * k + 1);
      total += term;
      if (Math.abs(term) < Math.abs(total) * 1e-17) break;
    }
    return 1.1283791670955126 * Math.exp(-x2) * total;
  }`,
  erfcFraction: `erfcFraction(x: number): number {
    let f = x;
    let c = x;
    let d = 0;
    for (let k = 1; k < 500; k++) {
      d = x + (k / 2) * d;
      d = Math.abs(d) < 1e-300 ? 1e-300 : d;
      c = x + k / 2 / c;
      c = Math.abs(c) < 1e-300 ? 1e-300 : c;
      d = 1 / d;
      f *= c * d;
      if (Math.abs(c * d - 1) < 1e-16) break;
    }
    return (0.5641895835477563 * Math.exp(-x * x)) / f;
  }`,
  erfc: `erfc(x: number): number {
    if (Number.isNaN(x)) return x;
    if (x < 0) return 2 - K.erfc(-x);
    if (x < 2) return 1 - K.erfSeries(x);
    return x > 27.3 ? 0 : K.erfcFraction(x);
  }`,
  erf: `erf(x: number): number {
    if (Number.isNaN(x)) return x;
    if (Math.abs(x) < 2) return K.erfSeries(x);
    const r = 1 - K.erfcFraction(Math.min(Math.abs(x), 27.3));
    return x < 0 ? -r : r;
  }`,
  normcdf: `normcdf(x: number): number {
    return 0.5 * K.erfc(-x * Math.SQRT1_2);
  }`,
  normpdf: `normpdf(x: number): number {
    return 0.3989422804014327 * Math.exp(-0.5 * x * x);
  }`,
  geluErf: `geluErf(x: number): number {
    return 0.5 * x * K.erfc(-x * Math.SQRT1_2);
  }`,
  geluTanh: `geluTanh(x: number): number {
    const u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    return x * K.sigmoid(2 * u);
  }`,
};

/** The scalar helpers each scalar helper calls (as `K.name`), so a module inlines them too. */
export const TS_SCALAR_DEPS: Readonly<Record<string, readonly string[]>> = {
  erfc: ['erfSeries', 'erfcFraction'],
  erf: ['erfSeries', 'erfcFraction'],
  geluErf: ['erfc'],
  normcdf: ['erfc'],
  geluTanh: ['sigmoid'],
};

/** `names` with every scalar helper they call, transitively. */
export function withScalarDeps(names: Iterable<string>): string[] {
  const out = new Set<string>();
  const visit = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const d of TS_SCALAR_DEPS[n] ?? []) visit(d);
  };
  for (const n of names) visit(n);
  return [...out].sort();
}
