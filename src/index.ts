// The public API (README "Library", contract). Every function checks its arguments (src/public.ts) and
// throws only the error classes below, with the messages the CLI prints.

export type { DerivOptions, EvalOptions, Layout, VarRef } from './api.js';
export type { Compiled, CompileOptions } from './emit/js.js';
export type { LatexOptions } from './emit/latex.js';
export * from './ir/errors.js';
export type { Expr, VarExpr } from './ir/expr.js';
export type { Shape } from './ir/shape.js';
export type { Matrix } from './kernels/matrix.js';
export type { Value, Values } from './numeric/evaluate.js';
export type { CheckResult } from './numeric/gradcheck.js';
export type { Scope } from './parse/index.js';
export {
  check,
  compile,
  declare,
  define,
  equal,
  evaluate,
  evaluateAll,
  grad,
  gradAt,
  hessian,
  hvp,
  jacobian,
  parse,
  simplify,
  toLatex,
  toText,
  verify,
  verifyDocument,
} from './public.js';
export type { Rewrite } from './simplify/engine.js';
export type { Diagnosis, Verdict } from './verify/claims.js';
