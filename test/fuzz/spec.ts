// What the fuzzer generates: a fuzz case's expression as plain data (a Spec tree, which fast-check can
// shrink), over a fixed palette of declared variables, and `build`, which makes it an Expr exactly as the
// parser would read its text.
import { type Dim, dimMul, dimSym, ONE } from '../../src/ir/dim.js';
import { derivNode, type Expr } from '../../src/ir/expr.js';
import { isVector, shape } from '../../src/ir/shape.js';
import * as B from '../../src/ops/build.js';
import { parseDecls, type Scope } from '../../src/parse/index.js';

/** Every variable a generated expression may use; a case declares only those it mentions. */
export const PALETTE =
  's: scalar; t: scalar positive; x: n; y: n; p: n positive; u: d; r: 1 x n; A: n x n; B: n x n; ' +
  'S: n x n spd; T: n x n symmetric; X: n x d; P: n x d positive; Q: n x d onehot; W: d x n; C: d x d; V: d x d spd';

export const SCOPE: Scope = parseDecls(PALETTE);

/** Dims of generated shapes: `nd` is the product n·d, reached through vec, kron, ones and eye. */
export type DimKey = '1' | 'n' | 'd' | 'nd';
export const DIMS: Record<DimKey, Dim> = {
  '1': ONE,
  n: dimSym('n'),
  d: dimSym('d'),
  nd: dimMul(dimSym('n'), dimSym('d')),
};
const DIM_OF_KEY = new Map<string, DimKey>(Object.entries(DIMS).map(([k, v]) => [v.key, k as DimKey]));

/**
 * `pos`: every entry positive (log, sqrt, ./, norm and real powers take these); `spd`: symmetric positive
 * definite; `full`: square and invertible for almost every value of its variables (det, logdet, inv). The
 * op records say which op needs which (src/numeric/domains.ts reads them for sampling too).
 */
export type { Domain } from '../../src/numeric/domains.js';

export type Unary =
  | 'neg'
  | 'transpose'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'softplus'
  | 'sin'
  | 'cos'
  | 'sign'
  | 'step'
  | 'trace'
  | 'det'
  | 'logdet'
  | 'inv'
  | 'diag'
  | 'norm'
  | 'vec'
  | 'atan'
  | 'erf'
  | 'expm1'
  | 'normcdf'
  | 'normpdf'
  | 'gelu_erf'
  | 'gelu_tanh'
  | 'log1p'
  | 'tril';
export type Binary = 'add' | 'sub' | 'emul' | 'ediv' | 'epow' | 'times' | 'kron' | 'max' | 'min';
export type Reduce = 'sum' | 'mean' | 'softmax' | 'logsoftmax' | 'logsumexp';

/** A generated expression as data; `build` turns it into an Expr exactly as the parser would. */
export type Spec =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'dim'; readonly name: 'n' | 'd' }
  | { readonly k: 'eye' | 'ones' | 'zeros'; readonly r: DimKey; readonly c: DimKey }
  | { readonly k: Unary; readonly a: Spec }
  | { readonly k: Binary; readonly a: Spec; readonly b: Spec }
  | { readonly k: Reduce; readonly a: Spec; readonly dim: 0 | 1 | 2 }
  | { readonly k: 'matpow'; readonly a: Spec; readonly power: number }
  /** M*M' + eye(m) (`side` 'left') or M'*M + eye(m): symmetric positive definite. */
  | { readonly k: 'gram'; readonly a: Spec; readonly side: 'left' | 'right' }
  /** grad(f, x), jacobian(f, x), hessian(f, x) written in the language. */
  | { readonly k: 'grad' | 'jacobian' | 'hessian'; readonly a: Spec; readonly x: string };

export function build(s: Spec): Expr {
  switch (s.k) {
    case 'var':
      return SCOPE.vars.get(s.name)!;
    case 'num':
      return B.num(s.v);
    case 'dim':
      return B.dimExpr(DIMS[s.name]);
    case 'eye':
      return B.eye(DIMS[s.r]);
    case 'ones':
      return B.ones(DIMS[s.r], DIMS[s.c]);
    case 'zeros':
      return B.zeros(DIMS[s.r], DIMS[s.c]);
    case 'times':
      return B.times(build(s.a), build(s.b));
    case 'add':
    case 'sub':
    case 'emul':
    case 'ediv':
    case 'epow':
    case 'kron':
    case 'max':
    case 'min':
      return B.apply(s.k, [build(s.a), build(s.b)]);
    case 'diag': {
      const a = build(s.a);
      return isVector(a.shape) ? B.diagm(a) : B.diagv(a);
    }
    case 'sum':
    case 'mean':
    case 'softmax':
    case 'logsoftmax':
    case 'logsumexp':
      return B.apply(s.k, [build(s.a)], { dim: s.dim });
    case 'matpow': {
      // As the parser reads A^k: A^-1 is inv(A), A^-k is inv(A)^k.
      const a = build(s.a);
      if (s.power === -1) return B.inv(a);
      return s.power < 0 ? B.matpow(B.inv(a), -s.power) : B.matpow(a, s.power);
    }
    case 'gram': {
      const m = build(s.a);
      const g = s.side === 'left' ? B.matmul(m, B.transpose(m)) : B.matmul(B.transpose(m), m);
      return B.add(g, B.eye(g.shape.rows));
    }
    case 'grad':
    case 'jacobian':
    case 'hessian': {
      // As the parser builds them (parse/calls.ts): grad has x's shape, the others numel × numel.
      const f = build(s.a);
      const x = SCOPE.vars.get(s.x)!;
      const numel = (e: Expr) => dimMul(e.shape.rows, e.shape.cols);
      const sh =
        s.k === 'grad' ? x.shape : s.k === 'jacobian' ? shape(numel(f), numel(x)) : shape(numel(x), numel(x));
      return derivNode(s.k, f, x, sh);
    }
    default:
      return B.apply(s.k, [build(s.a)]);
  }
}

/** The DimKey of a built dim (for the shapes of generated expressions). */
export function dimKeyOf(d: Dim): DimKey {
  const k = DIM_OF_KEY.get(d.key);
  if (!k) throw new Error(`fuzz: unexpected dim ${d.key}`);
  return k;
}
