// The error classes of matcalc. Each carries what went wrong and, where input text is at fault, where;
// only cli/ turns them into messages and exit codes.

/** A position in some input text: 1-based line and column, plus the source it refers to. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
  readonly source?: string;
  readonly file?: string;
  /** Number of characters the caret should cover (default 1). */
  readonly length?: number;
}

export class MatcalcError extends Error {
  constructor(
    message: string,
    public pos?: SourcePos,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Two shapes that an op cannot combine, or an op applied to a shape it does not accept. */
export class ShapeError extends MatcalcError {}
/** Text that does not parse, an unknown function or symbol, a wrong argument count. */
export class ParseError extends MatcalcError {}
/** A malformed declaration (`X: n x`), a duplicate or reserved name. */
export class DeclarationError extends MatcalcError {}
/** Values that do not fit the declarations: wrong sizes, inconsistent dims, non-numbers. */
export class ValueError extends MatcalcError {}
/** A size or depth limit the engine refuses to exceed. */
export class LimitError extends MatcalcError {}
/** A numeric problem: a singular matrix where an inverse is needed. */
export class NumericError extends MatcalcError {}
/** Bad command-line usage. */
export class UsageError extends MatcalcError {}
