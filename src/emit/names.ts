// Identifiers for generated modules: declared names mapped to safe locals (a keyword or a helper's name
// gets a trailing `_`), fresh temporaries, and which DAG nodes deserve a temporary of their own.
import { children, type Expr, topoOrder } from '../ir/expr.js';

/** What a declared name must look like before it reaches generated code (the parser's rule). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const PYTHON_RESERVED: ReadonlySet<string> = new Set([
  // keywords and soft keywords
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type'.split(
    ' ',
  ),
  // names the generated module itself uses
  'np',
  'jnp',
  'jax',
  'values',
  'float',
]);

export const TS_RESERVED: ReadonlySet<string> = new Set([
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with implements interface let package private protected public static yield await arguments eval undefined NaN Infinity'.split(
    ' ',
  ),
  ...'Math Number Object Error Float64Array Map Array String JSON Matrix Values Gradients K values dims i j k'.split(
    ' ',
  ),
]);

/** Throws unless `name` is a plain identifier: generated code never embeds anything else as a name. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`internal: ${JSON.stringify(name)} is not an identifier`);
  return name;
}

/** Allocates distinct local identifiers, steering clear of reserved words and of each other. */
export class Namer {
  private readonly taken = new Set<string>();

  constructor(private readonly reserved: ReadonlySet<string>) {}

  /** `want` itself when free, else `want_`, `want__`, … */
  name(want: string): string {
    let n = assertIdentifier(want);
    while (this.reserved.has(n) || this.taken.has(n) || n.startsWith('_'))
      n = n.startsWith('_') ? `v${n}` : `${n}_`;
    this.taken.add(n);
    return n;
  }

  private counter = 0;

  /** A fresh temporary: t1, t2, … (skipping taken names). */
  temp(): string {
    let n: string;
    do n = `t${++this.counter}`;
    while (this.reserved.has(n) || this.taken.has(n));
    this.taken.add(n);
    return n;
  }
}

/** How many parents each node has in the DAG spanned by `roots` (a root counts one extra use). */
export function useCounts(roots: readonly Expr[]): Map<number, number> {
  const uses = new Map<number, number>();
  for (const node of topoOrder(roots))
    for (const c of children(node)) uses.set(c.id, (uses.get(c.id) ?? 0) + 1);
  for (const r of roots) uses.set(r.id, (uses.get(r.id) ?? 0) + 1);
  return uses;
}

/**
 * True when code text needs no parentheses as an operand: at depth 0 it has only identifier characters
 * and dots (`X`, `np.exp(t1)`, `a.T`, `x.data[k]`), so any operator binds it as one unit.
 */
export function isAtomicCode(code: string): boolean {
  let depth = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && !/[\w.$]/.test(ch)) return false;
  }
  return code.length > 0;
}

export const parenthesize = (code: string): string => (isAtomicCode(code) ? code : `(${code})`);

/**
 * Fill a code template (a function of operand strings) with operand code, parenthesizing an operand only
 * where the template does not already place it alone as a call argument (`f(a)`, `f(a, axis=0)`).
 */
export function fillTemplate(
  template: (args: readonly string[]) => string,
  args: readonly string[],
  needsParens: (k: number) => boolean = (k) => !isAtomicCode(args[k]),
): string {
  const marks = args.map((_, k) => `\uE000${k}\uE001`);
  const text = template(marks);
  return text.replace(/\uE000(\d+)\uE001/g, (_m, k: string, at: number) => {
    const before = text.slice(Math.max(0, at - 2), at);
    const after = text.slice(at + _m.length, at + _m.length + 1);
    const alone = (before.endsWith('(') || before === ', ') && (after === ')' || after === ',');
    return alone || !needsParens(Number(k)) ? args[Number(k)] : `(${args[Number(k)]})`;
  });
}

/** Text safe inside a Python docstring or a TS doc comment: one line, no comment or string terminators. */
export function commentText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replaceAll('\\', '\\\\')
    .replaceAll('"""', '\\"\\"\\"')
    .replaceAll('*/', '* /');
}
