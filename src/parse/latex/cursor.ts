// The token cursor under the LaTeX reader (tree.ts): the row of KaTeX parse nodes, the position in it, and
// the small moves every reading form shares (peek, skip spacing, find the matching bracket, fail with the
// fragment's offsets). Also the reader's tree type Tx and its NotUnderstood error.
import { spanOf, type TexNode } from './rows.js';

export type Tx =
  /** A name: the candidates it may be declared as (`W_1` → W1, W_1), its base letter and subscript. */
  | {
      readonly k: 'sym';
      readonly names: readonly string[];
      readonly tex: string;
      readonly at: number;
      readonly base?: string;
      readonly sub?: string;
    }
  | { readonly k: 'num'; readonly value: string }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '.*' | './' | '/'; readonly a: Tx; readonly b: Tx }
  | { readonly k: 'neg'; readonly a: Tx }
  /** dim: along which dim (1 down columns, 2 along rows), as `\\operatorname{softmax}_{2}` writes it. */
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Tx[]; readonly dim?: 1 | 2 }
  | { readonly k: 'post'; readonly op: 't' | 'inv' | 'pow' | 'epow'; readonly a: Tx; readonly p?: string }
  | { readonly k: 'norm'; readonly a: Tx }
  /** size: the rows (`\\mathbf{1}_n`), and cols when both are given (`\\mathbf{1}_{1 \\times d}`). */
  | {
      readonly k: 'const';
      readonly which: 'ones' | 'eye' | 'zeros';
      readonly size?: string;
      readonly cols?: string;
    }
  | { readonly k: 'deriv'; readonly order: 1 | 2; readonly f: Tx; readonly wrt: Tx; readonly nabla: boolean }
  | { readonly k: 'frac'; readonly a: Tx; readonly b: Tx };

export class NotUnderstood extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export function loc(n: unknown, fallback: number): [number, number] {
  return spanOf(n) ?? [fallback, fallback + 1];
}

/** A norm's delimiter as `\\left…\\right` takes it: `\\|`, `\\Vert`, `\\lVert`, `\\rVert`. */
/** An absolute value's delimiter as `\\left…\\right` takes it: `|`, `\\lvert`, `\\rvert`, `\\vert`. */
export const isAbsBar = (d: unknown): boolean =>
  d === '|' || d === '\\vert' || d === '\\lvert' || d === '\\rvert';

export const isNormBar = (d: unknown): boolean =>
  d === '\\|' || d === '\\Vert' || d === '\\lVert' || d === '\\rVert';

/** A position in one row of nodes. */
export class TexCursor {
  protected i = 0;
  constructor(
    protected readonly nodes: readonly TexNode[],
    protected readonly at: number,
  ) {}

  protected fail(n: TexNode | undefined, why: string): NotUnderstood {
    const [s, e] = loc(n ?? this.nodes[this.nodes.length - 1], this.at);
    return new NotUnderstood(why, s, e);
  }

  protected peek(): TexNode | undefined {
    return this.nodes[this.i];
  }

  protected isAtom(n: TexNode | undefined, ...texts: string[]): boolean {
    return (
      !!n &&
      (n.type === 'atom' || n.type === 'textord' || n.type === 'mathord') &&
      texts.includes(n.text ?? '')
    );
  }

  protected skipSpace(): void {
    while (this.peek() && ['kern', 'spacing'].includes(this.peek()!.type)) this.i++;
  }

  protected opensBracket(): boolean {
    const n = this.peek();
    return (
      (n?.type === 'atom' && n.family === 'open' && n.text === '[') ||
      (n?.type === 'leftright' && n.left === '[')
    );
  }

  /** Nodes up to the matching close delimiter, and the closing node (a supsub when it carries `^\top`). */
  protected until(close: string, open: TexNode): { inner: TexNode[]; closer: TexNode } {
    const start = this.i;
    let depth = 0;
    for (; this.i < this.nodes.length; this.i++) {
      const n = this.nodes[this.i];
      const d = n.type === 'supsub' ? (n.base as TexNode | undefined) : n;
      if (d?.type === 'atom' && d.family === 'open') depth++;
      if (d?.type === 'atom' && d.family === 'close') {
        if (depth === 0 && d.text === close) {
          const inner = this.nodes.slice(start, this.i);
          this.i++;
          return { inner, closer: n };
        }
        depth--;
      }
    }
    throw this.fail(open, `an unclosed \`${open.text}\``);
  }

  protected startsGroup(): boolean {
    const n = this.peek();
    return (n?.type === 'atom' && n.family === 'open') || n?.type === 'leftright';
  }
}
