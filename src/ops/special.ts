// More elementwise functions of one argument: log1p expm1 tan atan asin acos erf, and GELU in its exact
// (erf) and tanh forms. Each keeps its argument's shape; its VJP is ct ⊙ f'(x), written in the language.

import type { Expr } from '../ir/expr.js';
import * as S from '../kernels/special.js';
import { add, apply, div, exp, mul, neg, num, pow, sqrt, sub, tanh, vecOf } from './build.js';
import { mapEval, sameShape } from './shared.js';
import type { OpSpec } from './spec.js';

/** An elementwise op from its derivative f'(x, out) and its forms; the VJP and JVP follow from f'. */
function unary(
  name: string,
  f: (x: number) => number,
  derivative: (x: Expr, out: Expr) => Expr,
  forms: { latex: string; js: string; numpy: string },
): OpSpec {
  return {
    arity: 1,
    shape: sameShape,
    vjp: (ct, out, [a]) => [mul(ct, derivative(a, out))],
    jvp: (out, [a], _attrs, [t]) => t && mul(vecOf(derivative(a, out)), t),
    eval: mapEval(f),
    text: () => ({ form: 'call', name }),
    latex: () => ({ form: 'call', name: forms.latex }),
    js: { kind: 'map', scalar: ([x]) => `${forms.js}(${x})` },
    numpy: ([x]) => `${forms.numpy}(${x})`,
    rule: `chain rule through ${name}`,
  };
}

// d log(1 + A) = dA ⊘ (1 + A)
export const log1p = unary('log1p', Math.log1p, (a) => div(num(1), add(num(1), a)), {
  latex: '\\operatorname{log1p}',
  js: 'Math.log1p',
  numpy: 'np.log1p',
});

// d (e^A − 1) = e^A ⊙ dA
export const expm1 = unary('expm1', Math.expm1, (a) => exp(a), {
  latex: '\\operatorname{expm1}',
  js: 'Math.expm1',
  numpy: 'np.expm1',
});

// d tan(A) = (1 + tan²A) ⊙ dA
export const tan = unary('tan', Math.tan, (_a, out) => add(num(1), pow(out, num(2))), {
  latex: '\\tan',
  js: 'Math.tan',
  numpy: 'np.tan',
});

// d atan(A) = dA ⊘ (1 + A²)
export const atan = unary('atan', Math.atan, (a) => div(num(1), add(num(1), pow(a, num(2)))), {
  latex: '\\arctan',
  js: 'Math.atan',
  numpy: 'np.arctan',
});

// d asin(A) = dA ⊘ √(1 − A²)
export const asin = unary('asin', Math.asin, (a) => div(num(1), sqrt(sub(num(1), pow(a, num(2))))), {
  latex: '\\arcsin',
  js: 'Math.asin',
  numpy: 'np.arcsin',
});

// d acos(A) = −dA ⊘ √(1 − A²)
export const acos = unary('acos', Math.acos, (a) => neg(div(num(1), sqrt(sub(num(1), pow(a, num(2)))))), {
  latex: '\\arccos',
  js: 'Math.acos',
  numpy: 'np.arccos',
});

/** 2/√π */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** √(2/π), the tanh-GELU's scale. */
const SQRT_2_OVER_PI = 0.7978845608028654;
/** The cubic coefficient of the tanh-GELU (Hendrycks & Gimpel). */
const GELU_CUBIC = 0.044715;

// d erf(A) = 2/√π e^{−A²} ⊙ dA
export const erf = unary('erf', S.erf, (a) => mul(num(TWO_OVER_SQRT_PI), exp(neg(pow(a, num(2))))), {
  latex: '\\operatorname{erf}',
  js: 'K.erf',
  numpy: '_erf',
});

// d Φ(A) = φ(A) ⊙ dA: the normal density is the distribution function's derivative
export const normcdf = unary('normcdf', S.normcdf, (a) => apply('normpdf', [a]), {
  latex: '\\Phi',
  js: 'K.normcdf',
  numpy: '_normcdf',
});

// d φ(A) = −A ⊙ φ(A) ⊙ dA, φ(x) = e^{−x²/2}/√(2π)
export const normpdf = unary('normpdf', S.normpdf, (a, out) => neg(mul(a, out)), {
  latex: '\\varphi',
  js: 'K.normpdf',
  numpy: '_normpdf',
});

// gelu_erf(x) = x Φ(x), so d gelu_erf = (Φ(x) + x φ(x)) dx
export const gelu_erf = unary(
  'gelu_erf',
  S.geluErf,
  (a) => add(apply('normcdf', [a]), mul(a, apply('normpdf', [a]))),
  { latex: '\\operatorname{GELU}', js: 'K.geluErf', numpy: '_gelu_erf' },
);

// gelu_tanh(x) = x/2 (1 + tanh u), u = √(2/π)(x + c x³):
// d gelu_tanh = [(1 + tanh u)/2 + x/2 (1 − tanh²u) √(2/π)(1 + 3c x²)] dx
export const gelu_tanh = unary(
  'gelu_tanh',
  S.geluTanh,
  (a) => {
    const u = mul(num(SQRT_2_OVER_PI), add(a, mul(num(GELU_CUBIC), pow(a, num(3)))));
    const t = tanh(u);
    const du = mul(num(SQRT_2_OVER_PI), add(num(1), mul(num(3 * GELU_CUBIC), pow(a, num(2)))));
    return add(mul(num(0.5), add(num(1), t)), mul(mul(mul(num(0.5), a), sub(num(1), pow(t, num(2)))), du));
  },
  { latex: '\\operatorname{GELU}_{\\tanh}', js: 'K.geluTanh', numpy: '_gelu_tanh' },
);
