// A display block → rows of KaTeX parse nodes. KaTeX (a dependency) tokenizes and parses the TeX; rows
// split at `\\`, alignment cells are joined in order, and a row KaTeX cannot parse is reported with its
// position while the other rows are still read.
import katex from 'katex';

/** A KaTeX parse node: the fields this reader uses (KaTeX's own types are not exported). */
export interface TexNode {
  readonly type: string;
  readonly loc?: { readonly start: number; readonly end: number };
  readonly text?: string;
  readonly name?: string;
  readonly body?: unknown;
  readonly [field: string]: unknown;
}

export interface Row {
  readonly nodes: readonly TexNode[];
  /** Where the third alignment cell starts (`A &= B & \text{reason}`): the rest of the row annotates it. */
  readonly annotationFrom?: number;
  /** Offsets (into the block text) of the row's first and last characters. */
  readonly start: number;
  readonly end: number;
}

export interface RowFailure {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** Commands that only number or label equations. */
const LABELS = /\\(label|tag\*?|eqref)\{[^}]*\}|\\(nonumber|notag)\b/g;

const parseTex = (tex: string): TexNode[] =>
  (katex as unknown as { __parse(s: string, o: object): TexNode[] }).__parse(tex, {
    displayMode: true,
    throwOnError: true,
    strict: 'ignore',
  });

/** Rows of the block, and the rows KaTeX could not parse. */
export function rowsOf(block: string): { rows: Row[]; failures: RowFailure[] } {
  let text = block.replace(LABELS, (m) => ' '.repeat(m.length));
  const failures: RowFailure[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      return { rows: splitRows(parseTex(text), text), failures };
    } catch (e) {
      const pos = (e as { position?: number }).position;
      const message = String((e as Error).message ?? e)
        .replace(/^KaTeX parse error: /, '')
        .replace(/ at position.*$/s, '');
      const [start, end] = rowAround(text, pos ?? 0);
      failures.push({ start, end, message });
      if (text.slice(start, end).trim() === '') return { rows: [], failures };
      text = text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
    }
  }
  return { rows: [], failures };
}

/** The extent of the `\\`-separated row (inside any environment) that holds `pos`. */
function rowAround(text: string, pos: number): [number, number] {
  const seps = [...text.matchAll(/\\\\|\\begin\{[^}]*\}|\\end\{[^}]*\}/g)].map((m) => [
    m.index ?? 0,
    (m.index ?? 0) + m[0].length,
  ]);
  let start = 0;
  let end = text.length;
  for (const [a, b] of seps) {
    if (b <= pos) start = b;
    else if (a >= pos) {
      end = a;
      break;
    }
  }
  return [start, end];
}

function cellNodes(cell: TexNode): TexNode[] {
  let n: TexNode = cell;
  while ((n.type === 'styling' || n.type === 'ordgroup') && Array.isArray(n.body)) {
    const body = n.body as TexNode[];
    if (n.type === 'styling' && body.length === 1) n = body[0];
    else if (n.type === 'ordgroup' && n === cell) return body.flatMap(flattenEmpty);
    else return body.flatMap(flattenEmpty);
  }
  return [n];
}

/** Empty groups `{}` (as in `{}&=`) carry nothing. */
const flattenEmpty = (n: TexNode): TexNode[] =>
  n.type === 'ordgroup' && Array.isArray(n.body) && n.body.length === 0 ? [] : [n];

/** The offsets a node covers: its own loc, or the span of its descendants'. */
export function spanOf(n: unknown): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = -1;
  const walk = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const node = x as TexNode;
    if (node.loc) {
      lo = Math.min(lo, node.loc.start);
      hi = Math.max(hi, node.loc.end);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') walk(v);
  };
  walk(n);
  return hi < 0 ? null : [lo, hi];
}

function splitRows(nodes: TexNode[], text: string): Row[] {
  const rows: Row[] = [];
  const push = (ns: TexNode[], annotationFrom?: number) => {
    const span = spanOf(ns);
    if (span && ns.length > 0) rows.push({ nodes: ns, start: span[0], end: span[1], annotationFrom });
  };
  let loose: TexNode[] = [];
  for (const n of nodes) {
    if (n.type === 'array' && Array.isArray(n.body)) {
      if (loose.length > 0) push(loose);
      loose = [];
      for (const row of n.body as TexNode[][]) {
        const cells = row.map(cellNodes);
        const third = cells.length > 2 ? cells.slice(0, 2).flat().length : undefined;
        push(cells.flat(), third);
      }
    } else if (n.type === 'cr') {
      push(loose);
      loose = [];
    } else loose.push(n);
  }
  push(loose);
  void text;
  return rows;
}
