// The matrix reading of TeX: KaTeX parse nodes → a small expression tree (Tx). Products are juxtaposition,
// `\cdot`, `\times`; `\odot`/`\circ`/`\oslash` bind looser than products; `^\top`, `^{-1}`, `^{\circ 2}`,
// `\frac`, `\sqrt`, functions with or without parentheses; norms, derivatives and sums over outcomes are
// read in forms.ts. Anything else is a NotUnderstood error with the offsets of the fragment.
import { isAbsBar, isNormBar, loc, type Tx } from './cursor.js';
import { TexForms } from './forms.js';
import {
  body,
  FUNCTION_NAMES,
  HADAMARD,
  PRODUCT,
  plainText,
  sizesOf,
  symbolNames,
  TRANSPOSE,
} from './names.js';
import type { TexNode } from './rows.js';

export { NotUnderstood, type Tx } from './cursor.js';

/** Recursive descent over one row's nodes. */
export class TexReader extends TexForms {
  static read(nodes: readonly TexNode[], at = 0): Tx {
    const r = new TexReader(nodes, at);
    const e = r.sum();
    if (r.i < nodes.length) throw r.fail(nodes[r.i], 'unexpected');
    return e;
  }

  sum(): Tx {
    this.skipSpace();
    let e: Tx;
    if (this.isAtom(this.peek(), '-')) {
      this.i++;
      e = { k: 'neg', a: this.hadamard() };
    } else {
      if (this.isAtom(this.peek(), '+')) this.i++;
      e = this.hadamard();
    }
    for (;;) {
      this.skipSpace();
      const n = this.peek();
      if (this.isAtom(n, '+', '-')) {
        this.i++;
        e = { k: 'bin', op: n!.text as '+' | '-', a: e, b: this.hadamard() };
      } else return e;
    }
  }

  private hadamard(): Tx {
    let e = this.product();
    for (;;) {
      this.skipSpace();
      const op = HADAMARD[this.peek()?.text ?? ''];
      if (!op) return e;
      this.i++;
      e = { k: 'bin', op, a: e, b: this.product() };
    }
  }

  /** Does n begin a factor (so that juxtaposition continues the product)? */
  private startsFactor(n: TexNode | undefined): boolean {
    if (!n) return false;
    if (n.type === 'atom') return n.family === 'open';
    if (n.type === 'textord' && (n.text === '|' || n.text === '.' || n.text === '/')) return false;
    if (n.type === 'textord' && n.text === '\\|') return !this.inNorm;
    return !['kern', 'spacing', 'text', 'cr'].includes(n.type) || this.isFunctionText(n);
  }

  /** The function a name node spells (`\operatorname{softmax}`, `\mathrm{sum}`), if any. */
  private functionOf(n: TexNode): string | undefined {
    if (!['operatorname', 'text', 'font'].includes(n.type)) return undefined;
    if (n.type === 'font' && !['mathrm', 'textrm', 'text'].includes(String(n.font))) return undefined;
    const text = plainText(n);
    return text === null ? undefined : FUNCTION_NAMES.get(text);
  }

  private isFunctionText(n: TexNode): boolean {
    return n.type === 'text' && FUNCTION_NAMES.has(plainText(n) ?? '');
  }

  private pendingSup: TexNode | null = null;

  /** A call, with the superscript its closing parenthesis carried. */
  private call(fn: string, fnNode: TexNode, dim?: 1 | 2): Tx {
    this.pendingSup = null;
    const args = this.argument(fnNode);
    const sup = this.pendingSup as TexNode | null;
    this.pendingSup = null;
    const e: Tx = dim ? { k: 'call', fn, args, dim } : { k: 'call', fn, args };
    return sup ? this.superscript(e, sup) : e;
  }

  protected product(): Tx {
    let e = this.unary();
    for (;;) {
      this.skipSpace();
      const n = this.peek();
      if (n && PRODUCT.has(n.text ?? '') && n.type === 'atom') {
        this.i++;
        e = { k: 'bin', op: '*', a: e, b: this.unary() };
      } else if (this.isAtom(n, '/')) {
        this.i++;
        e = { k: 'bin', op: '/', a: e, b: this.unary() };
      } else if (this.startsFactor(n)) {
        e = { k: 'bin', op: '*', a: e, b: this.unary() };
      } else return e;
    }
  }

  private unary(): Tx {
    this.skipSpace();
    const n = this.peek();
    if (this.isAtom(n, '-')) {
      this.i++;
      return { k: 'neg', a: this.unary() };
    }
    return this.postfix();
  }

  protected postfix(): Tx {
    const n = this.peek();
    if (!n) throw this.fail(undefined, 'an expression is missing');
    this.i++;
    if (n.type === 'supsub') return this.supsub(n);
    let e = this.primary(n);
    // A prime written as a separate node: `X'`.
    while (this.isAtom(this.peek(), "'", '\\prime')) {
      this.i++;
      e = { k: 'post', op: 't', a: e };
    }
    return e;
  }

  private supsub(n: TexNode): Tx {
    const base = n.base as TexNode | undefined;
    const sub = n.sub as TexNode | undefined;
    const sup = n.sup as TexNode | undefined;
    const baseText = base?.text;
    if (baseText === '\\nabla') return this.nabla(n, sub, sup);
    if (base?.type === 'op' && base.name === '\\sum' && sub && !sup) return this.indexSum(n, sub);
    if (sub && !sup && plainText(base) === 'E' && this.opensBracket()) return this.expectation(n, sub);
    if (baseText === '\\|' && this.inNorm) throw this.fail(n, 'a norm with a subscript');
    // `\operatorname{softmax}_{2}(Z)`: along a dim, as matcalc prints it (1 down each column, 2 along each row)
    const fn = base && sub && !sup ? this.functionOf(base) : undefined;
    if (fn) {
      const d = plainText(sub);
      if (d !== '1' && d !== '2')
        throw this.fail(n, `${fn} with the subscript ${d}: 1 (down each column) or 2 (along each row)`);
      return this.call(fn, base!, d === '1' ? 1 : 2);
    }
    const layer = base && sup && !sub ? this.layerIndexed(base, sup, n) : null;
    if (layer) return layer;
    let e: Tx;
    if (base && sub) e = this.subscripted(base, sub, n);
    else if (base) e = this.primary(base);
    else throw this.fail(n, 'a superscript without a base');
    return sup ? this.superscript(e, sup) : e;
  }

  /**
   * `W^{(1)}`, `a^{[2]}`: a layer index in a superscript is part of the name (W1, or W_1), as `W_1` is;
   * the rest of the superscript (`W^{(1)\top}`) applies to it. Null when the superscript is no index.
   */
  private layerIndexed(base: TexNode, sup: TexNode, whole: TexNode): Tx | null {
    const names = symbolNames(base);
    const inner = sup.type === 'ordgroup' ? body(sup) : [sup];
    if (!names || inner.length < 3) return null;
    const [open, index, close] = inner;
    const k = plainText(index);
    const pair = `${open.text ?? ''}${close.text ?? ''}`;
    if ((pair !== '()' && pair !== '[]') || !k || !/^[A-Za-z0-9]+$/.test(k)) return null;
    const nm = names.base;
    const e: Tx = {
      k: 'sym',
      names: [`${nm}${k}`, `${nm}_${k}`],
      tex: `${nm}^{(${k})}`,
      at: loc(whole, this.at)[0],
      base: nm,
      sub: k,
    };
    const rest = inner.slice(3);
    return rest.length > 0 ? this.superscript(e, { type: 'ordgroup', body: rest }) : e;
  }

  /** `W_1`, `\delta_{2}`, `\mathbf{1}_n`, `I_n`, `\|X\|_F` (handled by the norm reader). */
  private subscripted(base: TexNode, sub: TexNode, whole: TexNode): Tx {
    const size = plainText(sub);
    // \left\lVert X \right\rVert_F (as matcalc prints a matrix norm) or _2 (a vector's length)
    if (base.type === 'leftright' && isNormBar(base.left) && isNormBar(base.right)) {
      if (size !== 'F' && size !== '2') throw this.fail(whole, `the norm \\|·\\|_${size}`);
      return this.primary(base);
    }
    const names = symbolNames(base);
    const b = plainText(base);
    if (b === '1' || b === '0') {
      const sizes = sizesOf(sub);
      if (!sizes) throw this.fail(whole, 'a size of 1 or 0 that is not `n` or `m \\times n`');
      return { k: 'const', which: b === '1' ? 'ones' : 'zeros', size: sizes[0], cols: sizes[1] };
    }
    if (names && size !== null && /^[A-Za-z0-9]+$/.test(size)) {
      const { base: nm, accent } = names;
      const cands = [`${nm}${size}`, `${nm}_${size}`];
      if (accent) cands.unshift(`${nm}${accent}${size}`, `${nm}_${accent}${size}`);
      return {
        k: 'sym',
        names: cands,
        tex: `${nm}_${size}`,
        at: loc(whole, this.at)[0],
        base: nm,
        sub: size,
      };
    }
    throw this.fail(whole, 'a subscript that is not part of a name');
  }

  protected superscript(e: Tx, sup: TexNode): Tx {
    const t = plainText(sup);
    const inner = sup.type === 'ordgroup' ? body(sup) : [sup];
    if (t !== null && TRANSPOSE.has(t)) return { k: 'post', op: 't', a: e };
    if (inner.length === 1 && TRANSPOSE.has(inner[0].text ?? '')) return { k: 'post', op: 't', a: e };
    if (inner.length === 1 && inner[0].type === 'font' && TRANSPOSE.has(plainText(inner[0]) ?? ''))
      return { k: 'post', op: 't', a: e };
    if (inner.every((x) => x.text === '\\prime')) {
      return inner.reduce<Tx>((acc) => ({ k: 'post', op: 't', a: acc }), e);
    }
    if (t === '-1') return { k: 'post', op: 'inv', a: e };
    // A^{-k} = (A⁻¹)ᵏ, as matcalc prints it
    if (t !== null && /^-\d+$/.test(t))
      return { k: 'post', op: 'pow', a: { k: 'post', op: 'inv', a: e }, p: t.slice(1) };
    if (inner.length === 2 && inner[0].text === '-' && TRANSPOSE.has(plainText(inner[1]) ?? '')) {
      return { k: 'post', op: 'inv', a: { k: 'post', op: 't', a: e } };
    }
    if (t !== null && /^\d+$/.test(t)) return { k: 'post', op: 'pow', a: e, p: t };
    if (inner.length === 2 && inner[0].text === '\\circ' && /^\d+$/.test(plainText(inner[1]) ?? '')) {
      return { k: 'post', op: 'epow', a: e, p: plainText(inner[1])! };
    }
    throw this.fail(sup, 'a superscript that is not a transpose, an inverse or a power');
  }

  protected group(nodes: readonly TexNode[]): Tx {
    return TexReader.read(nodes, this.at);
  }

  /** A parenthesized group, with the superscript its closing parenthesis carries. */
  private parenthesized(open: TexNode): Tx {
    const { inner, closer } = this.until(open.text === '(' ? ')' : ']', open);
    const e = this.group(inner);
    return closer.type === 'supsub' && closer.sup ? this.superscript(e, closer.sup as TexNode) : e;
  }

  /** A function's argument: a parenthesized group, or the next factor (`\log \sigma(z)`, `\tanh Z_1`). */
  private argument(fn: TexNode): Tx[] {
    this.skipSpace();
    const n = this.peek();
    if (n?.type === 'atom' && n.family === 'open' && n.text === '(') {
      this.i++;
      const { inner, closer } = this.until(')', n);
      // `\operatorname{softmax}(t)^\top`: the superscript of the closing parenthesis applies to the call.
      if (closer.type === 'supsub' && closer.sup) this.pendingSup = closer.sup as TexNode;
      return this.callArguments(inner);
    }
    // `\tanh\left(W x\right)^{2}` is (tanh(Wx))²: the superscript of the closing parenthesis, as above
    const sized = n?.type === 'supsub' && !n.sub ? (n.base as TexNode | undefined) : n;
    if (sized?.type === 'leftright' && sized.left === '(' && sized.right === ')') {
      this.i++;
      if (sized !== n) this.pendingSup = n!.sup as TexNode;
      return this.callArguments(body(sized));
    }
    if (n?.type === 'leftright') {
      this.i++;
      return [this.primary(n)];
    }
    if (!n) throw this.fail(fn, 'a function without an argument');
    return [this.unary()];
  }

  /** A call's arguments: the nodes between its parentheses, split at top-level commas. */
  private callArguments(nodes: readonly TexNode[]): Tx[] {
    const args: TexNode[][] = [[]];
    for (const x of nodes) {
      if (x.type === 'atom' && x.family === 'punct' && x.text === ',') args.push([]);
      else args[args.length - 1].push(x);
    }
    return args.map((a) => this.group(a));
  }

  private primary(n: TexNode): Tx {
    const here = loc(n, this.at)[0];
    const names = symbolNames(n);
    const text = plainText(n);
    switch (n.type) {
      case 'textord':
      case 'mathord': {
        if (/^\d$/.test(n.text ?? '') || n.text === '.') {
          let digits = n.text ?? '';
          while (/^[\d.]$/.test(this.peek()?.text ?? '') && this.peek()?.type === 'textord')
            digits += this.nodes[this.i++].text;
          return { k: 'num', value: digits };
        }
        if (n.text === '\\|') return this.norm(n);
        if (n.text === '\\partial') return this.slashDerivative(n);
        if (n.text === '\\sigma' && this.startsGroup()) return this.call('sigmoid?', n);
        if (names) return { k: 'sym', names: [names.base], tex: n.text ?? '', at: here, base: names.base };
        break;
      }
      case 'op': {
        const name = String(n.name ?? '').replace('\\', '');
        // `\sum M`: the sum of all entries of the elementwise term that follows (up to a + or −)
        if (name === 'sum') return { k: 'call', fn: 'sum', args: [this.hadamard()] };
        if (name === 'log' && this.peek()?.type === 'op' && this.peek()?.name === '\\det') {
          this.i++;
          return this.call('logdet', n);
        }
        // \log\left\lvert\det\left(X\right)\right\rvert, as matcalc prints logdet: log|det X|
        const next = this.peek();
        const inner =
          next?.type === 'leftright' && isAbsBar(next.left) && isAbsBar(next.right) ? body(next) : [];
        if (name === 'log' && inner[0]?.type === 'op' && inner[0].name === '\\det') {
          this.i++;
          return { k: 'call', fn: 'logdet', args: [this.group(inner.slice(1))] };
        }
        const fn = FUNCTION_NAMES.get(name);
        if (fn && (!n.limits || fn === 'det')) return this.call(fn, n);
        break;
      }
      case 'operatorname':
      case 'text':
      case 'font': {
        const fn = this.functionOf(n);
        if (fn) return this.call(fn, n);
        if (text === '1' || text === '0') return { k: 'const', which: text === '1' ? 'ones' : 'zeros' };
        if (n.type === 'font' && names) return { k: 'sym', names: [names.base], tex: text ?? '', at: here };
        break;
      }
      case 'mclass':
      case 'accent':
        if (names) {
          const cands = names.accent
            ? [
                `${names.base}${names.accent}`,
                `${names.base}_${names.accent}`,
                `${names.accent}${names.base}`,
              ]
            : [names.base];
          return { k: 'sym', names: cands, tex: text ?? names.base, at: here };
        }
        if (text === '1' || text === '0') return { k: 'const', which: text === '1' ? 'ones' : 'zeros' };
        break;
      case 'ordgroup':
        return this.group(body(n));
      case 'atom':
        if (n.family === 'open' && (n.text === '(' || n.text === '[')) return this.parenthesized(n);
        if (n.family === 'open' && n.text === '\\lvert') {
          // \lvert x \rvert, as matcalc prints |x|
          const { inner, closer } = this.until('\\rvert', n);
          const e: Tx = { k: 'call', fn: 'abs', args: [this.group(inner)] };
          return closer.type === 'supsub' && closer.sup ? this.superscript(e, closer.sup as TexNode) : e;
        }
        break;
      case 'leftright': {
        const inner = body(n);
        if ((n.left === '(' || n.left === '[') && (n.right === ')' || n.right === ']'))
          return this.group(inner);
        if (isNormBar(n.left) && isNormBar(n.right)) return { k: 'norm', a: this.group(inner) };
        if (isAbsBar(n.left) && isAbsBar(n.right)) return { k: 'call', fn: 'abs', args: [this.group(inner)] };
        break;
      }
      case 'sizing':
      case 'styling':
        return this.group(body(n));
      case 'genfrac':
        return this.fraction(n);
      case 'sqrt':
        if (!n.index) return { k: 'call', fn: 'sqrt', args: [this.group(body(n))] };
        break;
      default:
        break;
    }
    throw this.fail(n, 'not a matrix expression this reader knows');
  }
}
