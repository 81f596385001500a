// One row of display math → the parts of its relation: `A = B = C` split at top-level `=` (also `:=`),
// whether the row continues the relation above (it starts with `=` or `&=`), and the trailing annotation
// (`\text{…}`, `\quad …`, a final `,` or `.`) kept as the step's reason.

import { plainText } from './names.js';
import { type Row, spanOf, type TexNode } from './rows.js';

export interface Part {
  readonly nodes: readonly TexNode[];
  /** Offset (in the block) of the `=` before this part, or of the part itself for the first. */
  readonly at: number;
}

export interface Relation {
  readonly parts: readonly Part[];
  /** The row starts with `=`: its parts continue the relation of the row above. */
  readonly continues: boolean;
  readonly reason?: string;
  /** A relation other than `=` (`\le`, `\approx`): not checked. */
  readonly other?: { readonly text: string; readonly at: number };
}

const FUNCTION_TEXT =
  /^(softmax|logsoftmax|logsumexp|relu|ReLU|softplus|sigmoid|diag|tr|trace|sum|mean|vec|log|exp|tanh)$/;

const isEquals = (n: TexNode) => n.type === 'atom' && n.family === 'rel' && n.text === '=';
const locOf = (n: TexNode, fallback: number) => n.loc?.start ?? fallback;

/** Where the annotation starts: the first top-level text that is not a function name, or a wide space. */
function annotationStart(nodes: readonly TexNode[]): number {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.type === 'text' && !FUNCTION_TEXT.test(plainText(n) ?? '')) return i;
    if (n.type === 'kern' || (n.type === 'spacing' && /quad/.test(String(n.text)))) {
      const dim = n.dimension as { number?: number; unit?: string } | undefined;
      if (!dim || (dim.unit === 'em' && (dim.number ?? 0) >= 1)) return i;
    }
  }
  return nodes.length;
}

function reasonText(nodes: readonly TexNode[]): string | undefined {
  const words = nodes
    .map((n) => (n.type === 'text' ? textOf(n) : n.type === 'kern' ? ' ' : (n.text ?? ' ')))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return words === '' ? undefined : words;
}

/** The words of a `\text{…}` node, spaces kept. */
function textOf(n: TexNode): string {
  if (n.type === 'spacing') return ' ';
  if (Array.isArray(n.body)) return (n.body as TexNode[]).map(textOf).join('');
  return n.text ?? plainText(n) ?? '';
}

/** The annotation as written, `\text{…}` unwrapped: `use the fact that \nabla \log z = \nabla z / z`. */
function annotationText(nodes: readonly TexNode[], block: string): string | undefined {
  const span = spanOf(nodes);
  if (!span) return reasonText(nodes);
  const start = block.lastIndexOf('\\text', span[0]);
  const from = start >= 0 && start >= span[0] - 6 ? start : span[0];
  const text = block
    .slice(from, span[1])
    .replace(/\\(text|textrm|mathrm)\{([^}]*)(\}|$)/g, '$2')
    .replace(/\\q?quad\b/g, ' ')
    .replace(/^[\s&]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? reasonText(nodes) : text;
}

const SEPARATING_WORDS = /^(and|where|with|,)$/;

/** A wide space, or a `\\text{and}`, that may separate two relations written on one row. */
function isSeparator(n: TexNode): boolean {
  if (n.type === 'text') return SEPARATING_WORDS.test((plainText(n) ?? textOf(n)).trim());
  if (n.type === 'spacing' && /quad/.test(String(n.text))) return true;
  const dim = n.dimension as { number?: number; unit?: string } | undefined;
  return n.type === 'kern' && dim?.unit === 'em' && (dim.number ?? 0) >= 1;
}

/**
 * `H = \\tanh(XW), \\quad P = \\operatorname{softmax}(HV)`: several relations on one row, split where a
 * separator (a wide space, `\\text{and}`, after an optional comma) is followed by another `=`. A separator
 * followed by words only stays the reason of the relation before it.
 */
export function splitRelations(row: Row): Row[] {
  const out: Row[] = [];
  let from = 0;
  const nodes = row.nodes;
  const limit = row.annotationFrom ?? nodes.length;
  for (let i = 1; i < limit; i++) {
    if (!isSeparator(nodes[i])) continue;
    let j = i;
    while (j < limit && (isSeparator(nodes[j]) || nodes[j].type === 'spacing')) j++;
    const rest = nodes.slice(j, limit);
    const next = rest.findIndex(isEquals);
    // a relation follows when an `=` comes before any further separator
    const stop = rest.findIndex(isSeparator);
    const before = nodes.slice(from, i).some(isEquals);
    if (next <= 0 || (stop >= 0 && stop < next) || !before) continue;
    let end = i;
    while (
      end > from &&
      ((nodes[end - 1].type === 'atom' && nodes[end - 1].family === 'punct') ||
        nodes[end - 1].type === 'spacing')
    )
      end--;
    out.push(subRow(nodes.slice(from, end), row));
    from = j;
    i = j;
  }
  if (out.length === 0) return [row];
  const last = subRow(
    nodes.slice(from),
    row,
    row.annotationFrom === undefined ? undefined : row.annotationFrom - from,
  );
  return [...out, last];
}

function subRow(nodes: TexNode[], row: Row, annotationFrom?: number): Row {
  const span = spanOf(nodes) ?? [row.start, row.end];
  return { nodes, start: span[0], end: span[1], annotationFrom };
}

export function relationOf(row: Row, block = ''): Relation {
  const cut = Math.min(annotationStart(row.nodes), row.annotationFrom ?? row.nodes.length);
  let nodes = row.nodes.slice(0, cut);
  const reason = block ? annotationText(row.nodes.slice(cut), block) : reasonText(row.nodes.slice(cut));
  while (nodes.length > 0) {
    const last = nodes[nodes.length - 1];
    const punct =
      (last.type === 'atom' && last.family === 'punct') || (last.type === 'textord' && last.text === '.');
    if (!punct && last.type !== 'kern' && last.type !== 'spacing') break;
    nodes = nodes.slice(0, -1);
  }
  const parts: Part[] = [];
  let current: TexNode[] = [];
  let at = row.start;
  let other: Relation['other'];
  nodes.forEach((n, i) => {
    const colonEquals =
      n.type === 'atom' && n.family === 'rel' && n.text === ':' && nodes[i + 1] && isEquals(nodes[i + 1]);
    if (colonEquals) return;
    if (
      isEquals(n) ||
      (n.type === 'atom' &&
        n.family === 'rel' &&
        ['\\coloneqq', '\\triangleq', '\\eqqcolon'].includes(n.text ?? ''))
    ) {
      parts.push({ nodes: current, at });
      current = [];
      at = locOf(n, at);
    } else if (n.type === 'atom' && n.family === 'rel') {
      other ??= { text: n.text ?? '', at: locOf(n, at) };
      current.push(n);
    } else current.push(n);
  });
  parts.push({ nodes: current, at });
  const continues = parts.length > 1 && parts[0].nodes.length === 0;
  return { parts: continues ? parts.slice(1) : parts, continues, reason, other };
}
