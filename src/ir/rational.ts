// Exact rational numbers for constant arithmetic. A constant's float denotes the decimal that its shortest
// round-trip text spells (String(0.1) = "0.1" → 1/10, 1e200 → 10²⁰⁰), so folding is exact: 0.1 + 0.2 is
// 3/10 and 1e200·1e200 is 10⁴⁰⁰, never Infinity or 0. A rational is a constant again only when a float spells it.

/** n/d in lowest terms, d > 0. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function ratio(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('division by zero in an exact constant');
  if (d < 0n) [n, d] = [-n, -d];
  if (d === 1n) return { n, d };
  const g = gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export const ZERO: Rational = ratio(0n);
export const ONE: Rational = ratio(1n);

const fromCache = new Map<number, Rational>();
/** 0…64, the integers constants are usually made of. */
const SMALL: readonly Rational[] = Array.from({ length: 65 }, (_, k) => ratio(BigInt(k)));
const FROM_CACHE_LIMIT = 4096;

/** The decimal a finite float spells in its shortest round-trip form, exactly. */
export function fromNumber(v: number): Rational {
  if (!Number.isFinite(v)) throw new RangeError(`${v} is not a finite number`);
  if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) {
    return v >= 0 && v < SMALL.length ? SMALL[v] : ratio(BigInt(v));
  }
  const hit = fromCache.get(v);
  if (hit) return hit;
  const text = String(v);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  let exp10 = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  if (dot >= 0) exp10 -= mantissa.length - dot - 1;
  const digits = BigInt(mantissa.replace('.', ''));
  const r = exp10 >= 0 ? ratio(digits * 10n ** BigInt(exp10)) : ratio(digits, 10n ** BigInt(-exp10));
  if (fromCache.size >= FROM_CACHE_LIMIT) fromCache.clear();
  fromCache.set(v, r);
  return r;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

export function isInteger(a: Rational): boolean {
  return a.d === 1n;
}

export function sign(a: Rational): -1 | 0 | 1 {
  return a.n < 0n ? -1 : a.n > 0n ? 1 : 0;
}

export const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });
export const abs = (a: Rational): Rational => (a.n < 0n ? neg(a) : a);

export function add(a: Rational, b: Rational): Rational {
  return a.d === 1n && b.d === 1n ? { n: a.n + b.n, d: 1n } : ratio(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, neg(b));
}

export function mul(a: Rational, b: Rational): Rational {
  return a.d === 1n && b.d === 1n ? { n: a.n * b.n, d: 1n } : ratio(a.n * b.n, a.d * b.d);
}

export function div(a: Rational, b: Rational): Rational {
  return ratio(a.n * b.d, a.d * b.n);
}

/** Bits above which an exact power is not worth computing (the result could not be a float anyway). */
const MAX_POWER_BITS = 1 << 16;

function bits(x: bigint): number {
  return (x < 0n ? -x : x).toString(16).length * 4;
}

/** a^k for an integer k, or null when the result would be astronomically long. */
export function pow(a: Rational, k: number): Rational | null {
  if (!Number.isInteger(k)) return null;
  if (k === 0) return ONE;
  if (a.n === 0n) return k > 0 ? ZERO : null;
  const m = Math.abs(k);
  if ((bits(a.n) + bits(a.d)) * m > MAX_POWER_BITS) return null;
  const e = BigInt(m);
  const r = ratio(a.n ** e, a.d ** e);
  return k > 0 ? r : div(ONE, r);
}

/** The nearest float (for display decisions; exact values stay rational). */
export function approx(a: Rational): number {
  const n = Number(a.n);
  const d = Number(a.d);
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
  const shift = Math.max(bits(a.n), bits(a.d)) - 1000;
  const s = BigInt(Math.max(0, shift));
  return Number(a.n >> s) / Number(a.d >> s);
}

function onlyTwosAndFives(d: bigint): number | null {
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  return d === 1n ? Math.max(twos, fives) : null;
}

const toCache = new Map<string, number | null>();

/** The float whose decimal is exactly a, or null when no float spells it (1/3, 10⁴⁰⁰, 10²⁰⁰ + 1). */
export function toNumber(a: Rational): number | null {
  if (a.d === 1n && a.n >= -BigInt(Number.MAX_SAFE_INTEGER) && a.n <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(a.n);
  }
  const key = `${a.n}/${a.d}`;
  const hit = toCache.get(key);
  if (hit !== undefined) return hit;
  let out: number | null = null;
  const k = onlyTwosAndFives(a.d);
  if (k !== null) {
    const scaled = a.n * (10n ** BigInt(k) / a.d);
    const v = Number(k === 0 ? `${scaled}` : `${scaled}e-${k}`);
    if (Number.isFinite(v) && (v !== 0 || a.n === 0n) && equals(fromNumber(v), a)) out = v;
  }
  if (toCache.size >= FROM_CACHE_LIMIT) toCache.clear();
  toCache.set(key, out);
  return out;
}

export function ratText(a: Rational): string {
  return a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`;
}
