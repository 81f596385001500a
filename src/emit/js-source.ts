// JS source of a scheduled plan: `setup(D, B)` computes the input-free buffers of a size signature once,
// `run(I, D, B)` everything else per call. Only generated names (v0 inputs, d0 dims, m0 buffers, alpha0 gemm
// scale cells), number literals and the op records' templates reach the source; user-chosen names never do.
import type { Dim } from '../ir/dim.js';
import { isOne } from '../ir/dim.js';
import type { Shape } from '../ir/shape.js';
import { specOf } from '../ops/index.js';
import type { PNode } from './js-plan.js';
import type { Schedule, Step } from './js-schedule.js';

export type Kernels = Readonly<Record<string, unknown>>;

const IDENT = /^[A-Za-z_$][\w$]*$/;
/** Literal trailing kernel arguments a template may give as strings. */
const JS_LITERAL = /^(true|false|null|\d+(\.\d+)?([eE][-+]?\d+)?)$/;

/** A JS number literal for a finite or non-finite number; parenthesized when negative. */
export function numberLiteral(v: number): string {
  if (typeof v !== 'number') throw new TypeError(`internal: not a number: ${String(v)}`);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '(-Infinity)';
  return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
}

/** A leaf's index expression in a loop over R×C: i is the row, j the column, p = i·C + j. */
type Pattern = 'scalar' | 'full' | 'row' | 'col' | 'strided';

class Emitter {
  constructor(
    private readonly plan: Schedule,
    private readonly symbols: readonly string[],
    private readonly kernels: Kernels,
  ) {}

  /** A symbolic dim as a product of the d0, d1 … locals. */
  dim(d: Dim): string {
    const parts: string[] = d.coef !== 1 || d.factors.length === 0 ? [String(d.coef)] : [];
    for (const [s, e] of d.factors) {
      const k = this.symbols.indexOf(s);
      if (k < 0) throw new Error(`internal: dim symbol without a slot`);
      for (let i = 0; i < e; i++) parts.push(`d${k}`);
    }
    return parts.join(' * ');
  }

  matrixName(n: PNode): string {
    if (n.kind === 'input') return `v${n.index}`;
    const s = this.plan.slotOf.get(n.id);
    if (s === undefined) throw new Error(`internal: node ${n.id} (${n.kind}) has no buffer`);
    return `m${s}`;
  }

  kernel(name: string): string {
    if (!IDENT.test(name) || !Object.hasOwn(this.kernels, name) || typeof this.kernels[name] !== 'function') {
      throw new Error(`internal: no kernel named ${JSON.stringify(name)}`);
    }
    return `K.${name}`;
  }

  literal(value: number | Dim): string {
    return typeof value === 'number' ? numberLiteral(value) : `(${this.dim(value)})`;
  }

  extra(x: string | number | Dim): string {
    if (typeof x === 'number') return numberLiteral(x);
    if (typeof x === 'string') {
      if (!JS_LITERAL.test(x))
        throw new Error(`internal: kernel argument ${JSON.stringify(x)} is not a literal`);
      return x;
    }
    return this.dim(x);
  }

  step(step: Step): string {
    const n = step.node;
    const out = `m${step.slot}`;
    const label = IDENT.test(n.label) && n.kind !== 'input' ? ` ${n.label}` : '';
    const head = `// ${out} =${label} [${step.kind}]`;
    switch (step.kind) {
      case 'fill':
        return `${head}\n${out}.data.fill(${n.kind === 'literal' ? this.literal(n.value) : '0'});`;
      case 'copy':
        return `${head}\n${out}.data.set(${this.matrixName(n)}.data);`;
      case 'view':
        return `${head}\n${out}.data = ${this.matrixName(n.args[0])}.data;`;
      case 'gemm': {
        if (n.kind !== 'gemm') throw new Error('internal: gemm step');
        const [a, b, scale] = n.args.map((x) => this.matrixName(x));
        const call = (alpha: string) =>
          `${this.kernel('gemm')}(${out}, ${a}, ${b}, ${n.transA}, ${n.transB}${alpha});`;
        if (scale === undefined) return `${head}\n${call('')}`;
        // α goes to gemm in a Float64Array of its own: a double passed as an argument would be boxed on every call.
        const cell = `alpha${this.scales.length}`;
        this.scales.push(`const ${cell} = new Float64Array(1);`);
        const alpha = n.divide ? `1 / ${scale}.data[0]` : `${scale}.data[0]`;
        return `${head}\n${cell}[0] = ${alpha};\n${call(`, ${cell}`)}`;
      }
      case 'kernel': {
        const args = n.args.map((x) => this.matrixName(x));
        let name: string;
        let extra: readonly (string | number | Dim)[] = [];
        if (n.kind === 'kernel') {
          name = n.name;
          extra = n.extra;
        } else {
          const js = specOf(n.kind === 'reduce' ? n.label : 'transpose').js;
          if (js.kind !== 'kernel') throw new Error(`internal: ${n.label} has no kernel`);
          name = js.name;
          extra = js.extra?.(n.kind === 'reduce' ? { dim: n.axis } : {}) ?? [];
        }
        const all = [out, ...args, ...extra.map((x) => this.extra(x))];
        return `${head}\n${this.kernel(name)}(${all.join(', ')});`;
      }
      case 'region':
        return `${head}\n${this.region(n, out)}`;
      default: {
        const never: never = step.kind;
        throw new Error(`internal: step ${String(never)}`);
      }
    }
  }

  /** Functions holding the fused loops, one each, so that V8 optimizes every loop on its own. */
  readonly loops: string[] = [];
  /** Declarations of the gemm scale cells. */
  readonly scales: string[] = [];

  /** One fused loop, an elementwise map or a reduction of an elementwise expression, as a call of its function. */
  region(root: PNode, out: string): string {
    const reduce = root.kind === 'reduce' ? root : null;
    if (!reduce && root.kind !== 'map') throw new Error('internal: region of a non-elementwise node');
    const loop: Shape = reduce ? root.args[0].shape : root.shape;
    const params: string[] = [];
    const args: string[] = [];
    const before: string[] = [];
    const perRow: string[] = [];
    const seen = new Set<string>();
    let nested = reduce !== null && reduce.axis !== 0;

    const pattern = (n: PNode, transposed: boolean): Pattern => {
      const [r, c] = transposed ? [n.shape.cols, n.shape.rows] : [n.shape.rows, n.shape.cols];
      if (isOne(r) && isOne(c)) return 'scalar';
      // A vector and its transpose have the same entries in the same order.
      const vector = isOne(n.shape.rows) || isOne(n.shape.cols);
      if ((!transposed || vector) && r === loop.rows && c === loop.cols) return 'full';
      if (isOne(r)) return 'row';
      if (isOne(c)) return 'col';
      return 'strided';
    };
    const once = (key: string, add: () => void) => {
      if (!seen.has(key)) add();
      seen.add(key);
    };
    const leaf = (n: PNode, transposed: boolean): string => {
      const p = pattern(n, transposed);
      const a = `a${n.id}`;
      once(a, () => {
        params.push(a);
        args.push(`${this.matrixName(n)}.data`);
      });
      if (p === 'scalar') {
        once(`s${n.id}`, () => before.push(`const s${n.id} = ${a}[0];`));
        return `s${n.id}`;
      }
      if (p !== 'full') nested = true;
      if (p === 'col') {
        once(`c${n.id}`, () => perRow.push(`const c${n.id} = ${a}[i];`));
        return `c${n.id}`;
      }
      return p === 'full' ? `${a}[p]` : p === 'row' ? `${a}[j]` : `${a}[j * R + i]`;
    };
    const operand = (n: PNode): string => {
      if (n.kind === 'literal') return this.literal(n.value);
      if (n.kind === 'transpose') return leaf(n.args[0], true);
      if (n.kind === 'map' && this.plan.inlined.has(n.id)) return `(${n.scalar(n.args.map(operand))})`;
      return leaf(n, false);
    };
    const expr = root.kind === 'map' ? root.scalar(root.args.map(operand)) : operand(root.args[0]);

    const lines = [...before, `const R = ${this.dim(loop.rows)}, C = ${this.dim(loop.cols)}, N = R * C;`];
    const body = !reduce ? `o[p] = ${expr};` : reduce.axis === 1 ? `o[j] += ${expr};` : `s += ${expr};`;
    if (reduce?.axis === 0) lines.push('let s = 0;');
    if (reduce?.axis === 1) lines.push('o.fill(0);');
    if (!nested) lines.push(`for (let p = 0; p < N; p++) ${body}`);
    else {
      const rowStart = [...perRow, ...(reduce?.axis === 2 ? ['let s = 0;'] : [])];
      const rowEnd = reduce?.axis === 2 ? [`o[i] = ${reduce.mean ? 's / C' : 's'};`] : [];
      lines.push(
        'for (let i = 0, p = 0; i < R; i++) {',
        ...rowStart.map((l) => `  ${l}`),
        `  for (let j = 0; j < C; j++, p++) ${body}`,
        ...rowEnd.map((l) => `  ${l}`),
        '}',
      );
    }
    if (reduce?.axis === 0) lines.push(`o[0] = ${reduce.mean ? 's / N' : 's'};`);
    if (reduce?.axis === 1 && reduce.mean) lines.push('for (let j = 0; j < C; j++) o[j] /= R;');
    const code = lines.join('\n');
    const dims = [...new Set(code.match(/\bd\d+\b/g) ?? [])].map((d) => `${d} = D[${d.slice(1)}]`);
    const name = `loop${this.loops.length}`;
    const decl = dims.length > 0 ? [`const ${dims.join(', ')};`] : [];
    this.loops.push(
      [
        `function ${name}(D, o${params.map((x) => `, ${x}`).join('')}) {`,
        ...[...decl, ...lines].map((l) => `  ${l}`),
        '}',
      ].join('\n'),
    );
    return `${name}(D, ${[`${out}.data`, ...args].join(', ')});`;
  }
}

/** Source of `{ setup, run }`, to be called as `new Function('K', source)(kernels)`. */
export function generate(
  plan: Schedule,
  symbols: readonly string[],
  inputs: number,
  kernels: Kernels,
): string {
  const e = new Emitter(plan, symbols, kernels);
  const dims = symbols.map((_, k) => `d${k} = D[${k}]`);
  const bufs = plan.slots.map((_, k) => `m${k} = B[${k}]`);
  const ins = Array.from({ length: inputs }, (_, k) => `v${k} = I[${k}]`);
  const decl = (names: readonly string[]) => (names.length > 0 ? [`const ${names.join(', ')};`] : []);
  const body = (steps: readonly Step[]) => steps.map((s) => e.step(s)).join('\n');
  const setup = body(plan.setup);
  const run = body(plan.run);
  return [
    "'use strict';",
    ...e.scales,
    ...e.loops,
    'function setup(D, B) {',
    ...decl([...dims, ...bufs]),
    setup,
    '}',
    'function run(I, D, B) {',
    ...decl([...ins, ...dims, ...bufs]),
    run,
    '}',
    'return { setup, run };',
  ].join('\n');
}
