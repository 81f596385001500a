// The Tx tree of a TeX expression → text of the matcalc language in a scope: names resolved to the
// declared ones (`W_1` → W1), `\mathbf{1}`, `I`, `\mathbf{0}` without a size sized from the operand they
// meet, `/` or `./` and grad or jacobian chosen by shape. The text is then parsed like any claim.
import { dimText, isOne, ONE } from '../../ir/dim.js';
import { ShapeError } from '../../ir/errors.js';
import { isScalar, isSquare, type Shape } from '../../ir/shape.js';
import type { Scope } from '../decls.js';
import { parseExpr } from '../expr.js';
import { NotUnderstood, type Tx } from './tree.js';

interface Out {
  readonly text: string;
  /** 4 atom, 3 postfix, 2 product, 1 sum or negation. */
  readonly prec: number;
}

const wrap = (o: Out, need: number) => (o.prec >= need ? o.text : `(${o.text})`);

/** Does the value of tx need a size from its context (an unsized 1, 0 or I somewhere it decides the shape)? */
function unsized(tx: Tx): boolean {
  switch (tx.k) {
    case 'const':
      return tx.size === undefined;
    case 'sym':
      return tx.base === 'I' && tx.sub === undefined && tx.names.length === 1;
    case 'post':
      return tx.op === 't' && unsized(tx.a);
    case 'neg':
      return unsized(tx.a);
    case 'bin':
      return tx.op === '*' ? unsized(tx.a) || unsized(tx.b) : unsized(tx.a) && unsized(tx.b);
    default:
      return false;
  }
}

export class TexEmitter {
  private readonly shapes = new Map<string, Shape>();
  constructor(
    private readonly scope: Scope,
    private readonly fallbackAt: number,
  ) {}

  /** The shape of an emitted text; a ShapeError propagates (the claim's own shapes do not fit). */
  shapeOf(text: string): Shape {
    let s = this.shapes.get(text);
    if (!s) {
      s = parseExpr(text, this.scope).shape;
      this.shapes.set(text, s);
    }
    return s;
  }

  /** The name a symbol resolves to in scope, or undefined. */
  resolve(tx: Tx & { k: 'sym' }): string | undefined {
    const { vars, defs, dims } = this.scope;
    return tx.names.find((n) => vars.has(n) || defs.has(n) || dims.has(n));
  }

  text(tx: Tx, want?: Shape): string {
    return this.emit(tx, want).text;
  }

  private fail(tx: Tx, why: string): NotUnderstood {
    const at = tx.k === 'sym' ? tx.at : this.fallbackAt;
    return new NotUnderstood(why, at, at + (tx.k === 'sym' ? tx.tex.length : 1));
  }

  private sized(which: 'ones' | 'eye' | 'zeros', tx: Tx, want?: Shape): Out {
    if (!want)
      throw this.fail(
        tx,
        `cannot tell the size of ${which === 'eye' ? 'I' : which === 'ones' ? '\\mathbf{1}' : '\\mathbf{0}'} here; give it a subscript`,
      );
    const [r, c] = [dimText(want.rows).replaceAll('·', '*'), dimText(want.cols).replaceAll('·', '*')];
    if (which === 'eye') {
      if (!isSquare(want) && !isScalar(want))
        throw this.fail(tx, `an identity where a ${r}×${c} matrix is needed`);
      return { text: `eye(${r})`, prec: 4 };
    }
    return { text: `${which}(${r}, ${c})`, prec: 4 };
  }

  private emit(tx: Tx, want?: Shape): Out {
    switch (tx.k) {
      case 'num':
        return { text: tx.value, prec: 4 };
      case 'sym': {
        const name = this.resolve(tx);
        if (name) return { text: name, prec: 4 };
        if (tx.base === 'I' && tx.names.length <= 2) {
          if (tx.sub === undefined) return this.sized('eye', tx, want);
          if (this.scope.dims.has(tx.sub) || /^\d+$/.test(tx.sub)) return { text: `eye(${tx.sub})`, prec: 4 };
        }
        throw this.fail(tx, `\`${tx.tex}\` is not declared (as ${tx.names.join(' or ')})`);
      }
      case 'const': {
        if (tx.size === undefined) return this.sized(tx.which, tx, want);
        for (const size of [tx.size, tx.cols ?? '1'])
          if (!this.scope.dims.has(size) && !/^\d+$/.test(size))
            throw this.fail(tx, `the size \`${size}\` is not a declared dimension`);
        if (tx.which === 'eye') return { text: `eye(${tx.size})`, prec: 4 };
        return { text: `${tx.which}(${tx.size}, ${tx.cols ?? 1})`, prec: 4 };
      }
      case 'neg': {
        const a = this.emit(tx.a, want);
        return { text: `-${wrap(a, 2)}`, prec: 1 };
      }
      case 'post': {
        if (tx.op === 't') {
          const a = this.emit(tx.a, want && { rows: want.cols, cols: want.rows });
          return { text: `${wrap(a, 4)}'`, prec: 3 };
        }
        const a = this.emit(tx.a);
        const s = this.shapeOf(a.text);
        if (tx.op === 'inv')
          return isScalar(s) ? { text: `1/${wrap(a, 4)}`, prec: 2 } : { text: `inv(${a.text})`, prec: 4 };
        if (tx.op === 'epow') return { text: `${wrap(a, 4)}.^${tx.p}`, prec: 3 };
        if (!isScalar(s) && !isSquare(s))
          throw this.fail(
            tx.a,
            `a power of a non-square matrix: write \\odot or ^{\\circ ${tx.p}} for an elementwise power`,
          );
        return { text: `${wrap(a, 4)}^${tx.p}`, prec: 3 };
      }
      case 'bin':
        return this.binary(tx, want);
      case 'frac': {
        const a = this.emit(tx.a);
        const b = this.emit(tx.b);
        const op = isScalar(this.shapeOf(b.text)) ? '/' : './';
        return { text: `${wrap(a, 2)}${op}${wrap(b, 3)}`, prec: 2 };
      }
      case 'call': {
        if (tx.fn === 'sigmoid?') {
          const arg = tx.args.map((a) => this.text(a)).join(', ');
          return this.scope.vars.has('sigma')
            ? { text: `sigma*(${arg})`, prec: 2 }
            : { text: `sigmoid(${arg})`, prec: 4 };
        }
        const args = tx.args.map((a) => this.text(a));
        if (tx.dim) return { text: `${tx.fn}(${args.join(', ')}, ${tx.dim})`, prec: 4 };
        if (['softmax', 'logsoftmax', 'logsumexp'].includes(tx.fn) && args.length === 1) {
          const s = this.shapeOf(args[0]);
          if (!isOne(s.rows) && !isOne(s.cols)) {
            throw this.fail(
              tx.args[0],
              `${tx.fn} of a matrix: over each row or over all entries? Write \\operatorname{${tx.fn}}_{2} for each row (as matcalc prints it), _{1} for each column`,
            );
          }
        }
        return { text: `${tx.fn}(${args.join(', ')})`, prec: 4 };
      }
      case 'norm':
        return { text: `norm(${this.text(tx.a)})`, prec: 4 };
      case 'deriv': {
        const f = this.text(tx.f);
        if (tx.wrt.k !== 'sym') throw this.fail(tx.wrt, 'a derivative with respect to an expression');
        const wrt = this.resolve(tx.wrt);
        if (!wrt) throw this.fail(tx.wrt, `\`${tx.wrt.tex}\` is not declared or defined`);
        const scalar = isScalar(this.shapeOf(f));
        if (tx.order === 2) return { text: `hessian(${f}, ${wrt})`, prec: 4 };
        if (scalar) return { text: `grad(${f}, ${wrt})`, prec: 4 };
        if (tx.nabla)
          throw this.fail(
            tx.wrt,
            '\\nabla of a non-scalar; write \\frac{\\partial f}{\\partial x} for a Jacobian',
          );
        return { text: `jacobian(${f}, ${wrt})`, prec: 4 };
      }
      default: {
        const never: never = tx;
        return never;
      }
    }
  }

  private binary(tx: Tx & { k: 'bin' }, want?: Shape): Out {
    const prec = tx.op === '+' || tx.op === '-' ? 1 : 2;
    const join = (a: Out, b: Out) => {
      const sep = prec === 1 || tx.op === '.*' || tx.op === './' ? ` ${tx.op} ` : tx.op;
      const right = prec === 1 ? (tx.op === '-' ? 2 : 1) : 3;
      return { text: `${wrap(a, prec)}${sep}${wrap(b, right)}`, prec };
    };
    if (tx.op !== '*') {
      // Elementwise: an unsized operand takes the other's shape.
      if (unsized(tx.a) && !unsized(tx.b)) {
        const b = this.emit(tx.b, want);
        return join(this.emit(tx.a, this.shapeOf(b.text)), b);
      }
      const a = this.emit(tx.a, want);
      const b = this.emit(tx.b, unsized(tx.b) ? this.shapeOf(a.text) : want);
      return join(a, b);
    }
    // A product: an unsized identity is square on the inner dimension; a vector of ones gets the inner
    // dimension and the product's outer one (a column when nothing else decides).
    const eyeLike = (t: Tx) => t.k === 'sym' || (t.k === 'const' && t.which === 'eye');
    if (unsized(tx.a) && !unsized(tx.b)) {
      const b = this.emit(tx.b);
      const sb = this.shapeOf(b.text);
      if (isScalar(sb)) return join(this.emit(tx.a, want), b);
      const rows = eyeLike(tx.a) ? sb.rows : want?.rows;
      return join(this.emit(tx.a, rows ? { rows, cols: sb.rows } : undefined), b);
    }
    const a = this.emit(tx.a);
    if (unsized(tx.b)) {
      const sa = this.shapeOf(a.text);
      if (isScalar(sa)) return join(a, this.emit(tx.b, want));
      const cols = eyeLike(tx.b) ? sa.cols : (want?.cols ?? ONE);
      return join(a, this.emit(tx.b, { rows: sa.cols, cols }));
    }
    return join(a, this.emit(tx.b));
  }
}

/** Text for tx, or the NotUnderstood/ShapeError that stops it. */
export function emitTex(tx: Tx, scope: Scope, at: number, want?: Shape): string {
  return new TexEmitter(scope, at).text(tx, want);
}

export { ShapeError };
