// Rebuilding an op node over new arguments, shared by the passes that map over the DAG.
import type { Expr, OpExpr } from '../ir/expr.js';
import { apply } from '../ops/build.js';
import type { OpName } from '../ops/index.js';

/** The same op and attrs over `args`; the very same node when no argument changed. */
export function rebuildOp(e: OpExpr, args: readonly Expr[]): Expr {
  let same = true;
  for (let i = 0; i < args.length; i++) if (args[i] !== e.args[i]) same = false;
  if (same) return e;
  return apply(e.op as OpName, args, e.attrs);
}
