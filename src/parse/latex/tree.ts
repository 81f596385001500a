// The matrix reading of TeX: KaTeX parse nodes → a small expression tree (Tx). Products are juxtaposition,
// `\cdot`, `\times`; `\odot`/`\circ`/`\oslash` bind looser than products; `^\top`, `^{-1}`, `^{\circ 2}`,
// `\frac`, `\sqrt`, norms, functions with or without parentheses, and derivative forms. Anything else is
// a NotUnderstood error with the offsets of the fragment.
import { asVectors, sumOverOutcomes } from './indexed.js';
import { body, FUNCTION_NAMES, HADAMARD, PRODUCT, plainText, symbolNames, TRANSPOSE } from './names.js';
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
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Tx[] }
  | { readonly k: 'post'; readonly op: 't' | 'inv' | 'pow' | 'epow'; readonly a: Tx; readonly p?: string }
  | { readonly k: 'norm'; readonly a: Tx }
  | { readonly k: 'const'; readonly which: 'ones' | 'eye' | 'zeros'; readonly size?: string }
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

function loc(n: unknown, fallback: number): [number, number] {
  return spanOf(n) ?? [fallback, fallback + 1];
}

/** Recursive descent over one row's nodes. */
/** A norm's delimiter as `\\left…\\right` takes it: `\\|`, `\\Vert`, `\\lVert`, `\\rVert`. */
/** An absolute value's delimiter as `\\left…\\right` takes it: `|`, `\\lvert`, `\\rvert`, `\\vert`. */
const isAbsBar = (d: unknown): boolean => d === '|' || d === '\\vert' || d === '\\lvert' || d === '\\rvert';

const isNormBar = (d: unknown): boolean =>
  d === '\\|' || d === '\\Vert' || d === '\\lVert' || d === '\\rVert';

export class TexReader {
  private i = 0;
  constructor(
    private readonly nodes: readonly TexNode[],
    private readonly at: number,
  ) {}

  static read(nodes: readonly TexNode[], at = 0): Tx {
    const r = new TexReader(nodes, at);
    const e = r.sum();
    if (r.i < nodes.length) throw r.fail(nodes[r.i], 'unexpected');
    return e;
  }

  private fail(n: TexNode | undefined, why: string): NotUnderstood {
    const [s, e] = loc(n ?? this.nodes[this.nodes.length - 1], this.at);
    return new NotUnderstood(why, s, e);
  }

  private peek(): TexNode | undefined {
    return this.nodes[this.i];
  }

  private isAtom(n: TexNode | undefined, ...texts: string[]): boolean {
    return (
      !!n &&
      (n.type === 'atom' || n.type === 'textord' || n.type === 'mathord') &&
      texts.includes(n.text ?? '')
    );
  }

  private skipSpace(): void {
    while (this.peek() && ['kern', 'spacing'].includes(this.peek()!.type)) this.i++;
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

  private isFunctionText(n: TexNode): boolean {
    return n.type === 'text' && FUNCTION_NAMES.has(plainText(n) ?? '');
  }

  private inNorm = false;
  private pendingSup: TexNode | null = null;

  /** A call, with the superscript its closing parenthesis carried. */
  private call(fn: string, fnNode: TexNode): Tx {
    this.pendingSup = null;
    const args = this.argument(fnNode);
    const sup = this.pendingSup as TexNode | null;
    this.pendingSup = null;
    const e: Tx = { k: 'call', fn, args };
    return sup ? this.superscript(e, sup) : e;
  }

  private product(): Tx {
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

  private postfix(): Tx {
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
    let e: Tx;
    if (base && sub) e = this.subscripted(base, sub, n);
    else if (base) e = this.primary(base);
    else throw this.fail(n, 'a superscript without a base');
    return sup ? this.superscript(e, sup) : e;
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
    if ((b === '1' || b === '0') && size) return { k: 'const', which: b === '1' ? 'ones' : 'zeros', size };
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

  private superscript(e: Tx, sup: TexNode): Tx {
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
    if (inner.length === 2 && inner[0].text === '-' && TRANSPOSE.has(plainText(inner[1]) ?? '')) {
      return { k: 'post', op: 'inv', a: { k: 'post', op: 't', a: e } };
    }
    if (t !== null && /^\d+$/.test(t)) return { k: 'post', op: 'pow', a: e, p: t };
    if (inner.length === 2 && inner[0].text === '\\circ' && /^\d+$/.test(plainText(inner[1]) ?? '')) {
      return { k: 'post', op: 'epow', a: e, p: plainText(inner[1])! };
    }
    throw this.fail(sup, 'a superscript that is not a transpose, an inverse or a power');
  }

  /** `\nabla_W f`, `\nabla^2_w f`: applies to the rest of the product. */
  private nabla(n: TexNode, sub: TexNode | undefined, sup: TexNode | undefined): Tx {
    if (!sub) throw this.fail(n, '\\nabla without the variable as a subscript');
    const order = sup ? plainText(sup) : '1';
    if (order !== '1' && order !== '2') throw this.fail(n, 'a derivative of order above 2');
    const wrt = TexReader.read(sub.type === 'ordgroup' ? body(sub) : [sub], this.at);
    const f = this.product();
    return { k: 'deriv', order: order === '2' ? 2 : 1, f, wrt, nabla: true };
  }

  /** `\sum_x BODY`: BODY is the rest of the product, read as vectors over the outcomes x (indexed.ts). */
  private indexSum(n: TexNode, sub: TexNode): Tx {
    const index = plainText(sub);
    if (!index || !/^[A-Za-z]$/.test(index)) throw this.fail(n, 'a sum whose index is not one letter');
    const body = asVectors(this.product(), index);
    if (!body)
      throw this.fail(n, `a sum over ${index} where ${index} is not only an argument (\`v(${index})\`)`);
    return sumOverOutcomes(body);
  }

  private opensBracket(): boolean {
    const n = this.peek();
    return (
      (n?.type === 'atom' && n.family === 'open' && n.text === '[') ||
      (n?.type === 'leftright' && n.left === '[')
    );
  }

  /** `E_x[BODY]`, `\mathbb{E}_{x \sim q}[BODY]`: Σ_x q(x) BODY(x), with q = p unless named. */
  private expectation(n: TexNode, sub: TexNode): Tx {
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

  private group(nodes: readonly TexNode[]): Tx {
    return TexReader.read(nodes, this.at);
  }

  /** Nodes up to the matching close delimiter, and the closing node (a supsub when it carries `^\top`). */
  private until(close: string, open: TexNode): { inner: TexNode[]; closer: TexNode } {
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
        const fn = text !== null ? FUNCTION_NAMES.get(text) : undefined;
        if (fn && (n.type !== 'font' || n.font === 'mathrm' || n.font === 'textrm' || n.font === 'text')) {
          return this.call(fn, n);
        }
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

  private startsGroup(): boolean {
    const n = this.peek();
    return (n?.type === 'atom' && n.family === 'open') || n?.type === 'leftright';
  }

  /** `\|x\|`, `\|X\|_F`, `\|x\|^2`: the norm, with the closing bar's subscript and power. */
  private norm(open: TexNode): Tx {
    const start = this.i;
    for (let j = this.i; j < this.nodes.length; j++) {
      const n = this.nodes[j];
      const bar =
        n.text === '\\|' || (n.type === 'supsub' && (n.base as TexNode | undefined)?.text === '\\|');
      if (!bar) continue;
      this.inNorm = true;
      const inner = TexReader.read(this.nodes.slice(start, j), this.at);
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
  private slashDerivative(n: TexNode): Tx {
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
  private fraction(n: TexNode): Tx {
    const numer = body(n.numer as TexNode).length ? body(n.numer as TexNode) : [n.numer as TexNode];
    const denom = body(n.denom as TexNode).length ? body(n.denom as TexNode) : [n.denom as TexNode];
    const isPartial = (x: TexNode | undefined) =>
      x?.text === '\\partial' || (x?.type === 'supsub' && (x.base as TexNode)?.text === '\\partial');
    if (isPartial(numer[0]) && isPartial(denom[0])) {
      const order = numer[0].type === 'supsub' ? plainText(numer[0].sup as TexNode) : '1';
      if (order !== '1' && order !== '2') throw this.fail(n, 'a derivative of order above 2');
      // `\frac{\partial}{\partial W} f`: the operator form, applied to the product that follows (as ∇_W f)
      const f = numer.length === 1 ? this.product() : TexReader.read(numer.slice(1), this.at);
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
      const wrts = parts.map((p) => TexReader.read(strip(p), this.at));
      if (order === '2' && wrts.length > 2) throw this.fail(n, 'a mixed second derivative');
      return { k: 'deriv', order: order === '2' ? 2 : 1, f, wrt: wrts[0], nabla: false };
    }
    return { k: 'frac', a: this.group(numer), b: this.group(denom) };
  }
}
