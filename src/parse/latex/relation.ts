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
