// Rebuilding an op node over new arguments, shared by the passes that map over the DAG.
import type { Expr, OpExpr } from '../ir/expr.js';
import { apply } from '../ops/build.js';
import type { OpName } from '../ops/index.js';

/** The same op and attrs over `args`; the very same node when no argument changed. */
export function rebuildOp(e: OpExpr, args: readonly Expr[]): Expr {
  if (args.every((a, i) => a === e.args[i])) return e;
  return apply(e.op as OpName, args, e.attrs);
}
