// The public API (ARCHITECTURE.md §6, contract).

export type { Layout, VarRef } from './api.js';
export { check, evaluate, evaluateAll, grad, gradAt, hessian, jacobian, simplify } from './api.js';
export { type Compiled, type CompileOptions, compile } from './emit/js.js';
export { toLatex } from './emit/latex.js';
export { toText } from './emit/text.js';
export * from './ir/errors.js';
export type { Expr, VarExpr } from './ir/expr.js';
export type { Shape } from './ir/shape.js';
export type { Matrix } from './kernels/matrix.js';
export type { Value, Values } from './numeric/evaluate.js';
export type { CheckResult } from './numeric/gradcheck.js';
export {
  extendScope as define,
  parseDecls as declare,
  parseExpr as parse,
  type Scope,
} from './parse/index.js';
export { type Diagnosis, equal, type Verdict, verify, verifyDocument } from './verify/claims.js';
