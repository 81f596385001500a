// The parse layer: declarations → Scope, expression text → Expr, and the caret picture for messages.
export { EMPTY_SCOPE, extendScope, parseDecls, type Scope, scopeFromVars, scopeNames } from './decls.js';
export { parseExpr } from './expr.js';
export { formatCaret, posAt, relocate } from './position.js';
