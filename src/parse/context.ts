// What converting one expression needs at every node: the text, the scope, the node spans, and errors that
// point at a node (its operator, function name or symbol) and quote it.
import { MatcalcError, ParseError, ShapeError, type SourcePos } from '../ir/errors.js';
import type { Scope } from './decls.js';
import type { Spans } from './locate.js';
import type { MjNode, OperatorNode } from './mathjs.js';
import { posAt, quote } from './position.js';

export class Ctx {
  constructor(
    readonly text: string,
    readonly scope: Scope,
    readonly spans: Spans,
  ) {}

  /** Where a message about `node` points: its anchor token. */
  pos(node: MjNode): SourcePos {
    const span = this.spans.get(node);
    if (!span) return posAt(this.text, 0);
    return posAt(this.text, span.anchor.start, span.anchor.end - span.anchor.start);
  }

  /** The whole of `node`, for messages about an argument as a whole. */
  wholePos(node: MjNode): SourcePos {
    const span = this.spans.get(node);
    if (!span) return posAt(this.text, 0);
    return posAt(this.text, span.start, span.end - span.start);
  }

  /** The text of `node` as written. */
  said(node: MjNode): string {
    const span = this.spans.get(node);
    return span ? quote(this.text, span.start, span.end) : '';
  }

  parseError(node: MjNode, message: string): ParseError {
    return new ParseError(message, this.pos(node));
  }

  /** A ParseError covering the whole of `node` (an argument that is not what the call takes). */
  argError(node: MjNode, message: string): ParseError {
    return new ParseError(message, this.wholePos(node));
  }

  shapeError(node: MjNode, message: string): ShapeError {
    return new ShapeError(message, this.pos(node));
  }

  /**
   * Juxtaposition is a product only where it cannot be read otherwise: after a number (`2x`), a transpose
   * (`A'B`) or a closing parenthesis (`(A+B)x`), and not before a number (`(x)2`).
   */
  checkImplicit(node: OperatorNode): void {
    const [lhs, rhs] = node.args;
    const left = this.spans.get(lhs)?.last;
    const right = this.spans.get(rhs)?.first;
    const ok =
      left &&
      right &&
      (left.kind === 'num' || left.text === "'" || left.text === ')') &&
      right.kind !== 'num';
    if (!ok) {
      throw this.parseError(
        node,
        `ambiguous implicit multiplication \`${this.said(node)}\`: write \`${this.said(lhs)}*${this.said(rhs)}\``,
      );
    }
  }

  /** Run a smart constructor for `node`; a ShapeError it throws gets the node's position and quotes it. */
  guard<T>(node: MjNode, build: () => T, hint = ''): T {
    try {
      return build();
    } catch (e) {
      if (e instanceof ShapeError && !e.pos) {
        throw new ShapeError(`${e.message} in \`${this.said(node)}\`${hint}`, this.pos(node));
      }
      if (e instanceof MatcalcError && !e.pos) e.pos = this.pos(node);
      throw e;
    }
  }
}
