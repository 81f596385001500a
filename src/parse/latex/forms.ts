// The reading forms that span more than one factor: derivatives (`\nabla_W f`, `\partial f / \partial x`,
// `\frac{\partial f}{\partial x}`), norms `\|x\|`, sums over outcomes `\sum_x` and expectations `E_x[…]`.
// They call back into the grammar (tree.ts) through the abstract methods below.

import { loc, TexCursor, type Tx } from './cursor.js';
import { asVectors, sumOverOutcomes } from './indexed.js';
import { body, plainText, TRANSPOSE } from './names.js';
import type { TexNode } from './rows.js';

export abstract class TexForms extends TexCursor {
  /** Reading the inside of a norm: a bare `\|` closes it rather than starting a factor. */
  protected inNorm = false;
  /** The whole of a row of nodes, as the grammar reads it. */
  protected abstract group(nodes: readonly TexNode[]): Tx;
  protected abstract product(): Tx;
  protected abstract postfix(): Tx;
  protected abstract superscript(e: Tx, sup: TexNode): Tx;

  /** `\nabla_W f`, `\nabla^2_w f`: applies to the rest of the product. */
  protected nabla(n: TexNode, sub: TexNode | undefined, sup: TexNode | undefined): Tx {
    if (!sub) throw this.fail(n, '\\nabla without the variable as a subscript');
    const order = sup ? plainText(sup) : '1';
    if (order !== '1' && order !== '2') throw this.fail(n, 'a derivative of order above 2');
    const wrt = this.group(sub.type === 'ordgroup' ? body(sub) : [sub]);
    const f = this.product();
    return { k: 'deriv', order: order === '2' ? 2 : 1, f, wrt, nabla: true };
  }

  /** `\sum_x BODY`: BODY is the rest of the product, read as vectors over the outcomes x (indexed.ts). */
  protected indexSum(n: TexNode, sub: TexNode): Tx {
    const index = plainText(sub);
    if (!index || !/^[A-Za-z]$/.test(index)) throw this.fail(n, 'a sum whose index is not one letter');
    const body = asVectors(this.product(), index);
    if (!body)
      throw this.fail(n, `a sum over ${index} where ${index} is not only an argument (\`v(${index})\`)`);
    return sumOverOutcomes(body);
  }

  /** `E_x[BODY]`, `\mathbb{E}_{x \sim q}[BODY]`: Σ_x q(x) BODY(x), with q = p unless named. */
  protected expectation(n: TexNode, sub: TexNode): Tx {
    const parts = sub.type === 'ordgroup' ? body(sub) : [sub];
    const index = plainText(parts[0]);
    const named =
      parts.length === 3 && parts[1].text === '\\sim' ? plainText(parts[2]) : parts.length === 1 ? 'p' : null;
    if (!index || !/^[A-Za-z]$/.test(index) || !named)
      throw this.fail(n, 'an expectation other than E_x[…] or E_{x \\sim p}[…]');
    const open = this.peek()!;
    this.i++;
    const inner = open.type === 'leftright' ? body(open) : this.until(']', open).inner;
    const dist: Tx = { k: 'sym', names: [named], tex: named, at: loc(n, this.at)[0], base: named };
    const read = asVectors({ k: 'bin', op: '*', a: dist, b: this.group(inner) }, index);
    if (!read) throw this.fail(n, `an expectation over ${index} where ${index} is not only an argument`);
    return sumOverOutcomes(read);
  }

  /** `\|x\|`, `\|X\|_F`, `\|x\|^2`: the norm, with the closing bar's subscript and power. */
  protected norm(open: TexNode): Tx {
    const start = this.i;
    for (let j = this.i; j < this.nodes.length; j++) {
      const n = this.nodes[j];
      const bar =
        n.text === '\\|' || (n.type === 'supsub' && (n.base as TexNode | undefined)?.text === '\\|');
      if (!bar) continue;
      this.inNorm = true;
      const inner = this.group(this.nodes.slice(start, j));
      this.inNorm = false;
      this.i = j + 1;
      let e: Tx = { k: 'norm', a: inner };
      if (n.type === 'supsub') {
        const sub = plainText(n.sub as TexNode | undefined);
        if (n.sub && sub !== 'F' && sub !== '2') throw this.fail(n, `the norm \\|·\\|_${sub}`);
        if (n.sup) e = this.superscript(e, n.sup as TexNode);
      }
      return e;
    }
    throw this.fail(open, 'an unclosed norm `\\|`');
  }

  /** `\partial f / \partial x`. */
  protected slashDerivative(n: TexNode): Tx {
    const f = this.postfix();
    this.skipSpace();
    if (!this.isAtom(this.peek(), '/')) throw this.fail(n, '\\partial outside a derivative');
    this.i++;
    this.skipSpace();
    if (this.peek()?.text !== '\\partial')
      throw this.fail(n, 'a derivative `\\partial f / \\partial x` needs `\\partial` below');
    this.i++;
    const wrt = this.postfix();
    return { k: 'deriv', order: 1, f, wrt, nabla: false };
  }

  /** `\frac{a}{b}`, or a derivative `\frac{\partial f}{\partial x}`, `\frac{\partial}{\partial x} f`, `\frac{\partial^2 f}{\partial x \partial x^\top}`. */
  protected fraction(n: TexNode): Tx {
    const numer = body(n.numer as TexNode).length ? body(n.numer as TexNode) : [n.numer as TexNode];
    const denom = body(n.denom as TexNode).length ? body(n.denom as TexNode) : [n.denom as TexNode];
    const isPartial = (x: TexNode | undefined) =>
      x?.text === '\\partial' || (x?.type === 'supsub' && (x.base as TexNode)?.text === '\\partial');
    if (isPartial(numer[0]) && isPartial(denom[0])) {
      const order = numer[0].type === 'supsub' ? plainText(numer[0].sup as TexNode) : '1';
      if (order !== '1' && order !== '2') throw this.fail(n, 'a derivative of order above 2');
      // `\frac{\partial}{\partial W} f`: the operator form, applied to the product that follows (as ∇_W f)
      const f = numer.length === 1 ? this.product() : this.group(numer.slice(1));
      const parts: TexNode[][] = [];
      for (const x of denom) {
        if (isPartial(x)) parts.push([]);
        else parts[parts.length - 1]?.push(x);
      }
      const strip = (ns: TexNode[]): TexNode[] => {
        const last = ns[ns.length - 1];
        if (
          last?.type === 'supsub' &&
          last.sup &&
          (TRANSPOSE.has(plainText(last.sup as TexNode) ?? '') || plainText(last.sup as TexNode) === '2')
        ) {
          return [...ns.slice(0, -1), last.base as TexNode];
        }
        return ns;
      };
      const wrts = parts.map((p) => this.group(strip(p)));
      if (order === '2' && wrts.length > 2) throw this.fail(n, 'a mixed second derivative');
      return { k: 'deriv', order: order === '2' ? 2 : 1, f, wrt: wrts[0], nabla: false };
    }
    return { k: 'frac', a: this.group(numer), b: this.group(denom) };
  }
}
