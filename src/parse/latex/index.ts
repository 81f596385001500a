// The LaTeX side of a derivation file (README "Check your blog post"): its declaration comments and its display
// relations in file order, each part read into a Tx tree (or the reason it could not be read) with its
// line, column and TeX. Meaning in a scope (names, sizes, checks) is given later, by verify/.

import { membershipsOf } from './membership.js';
import { type Relation, relationOf, splitRelations } from './relation.js';
import { type Row, rowsOf, spanOf } from './rows.js';
import { findMath, lineColumn } from './source.js';
import { NotUnderstood, TexReader, type Tx } from './tree.js';

export interface TexPart {
  /** The TeX of the part as written, and where it is. */
  readonly tex: string;
  readonly line: number;
  readonly column: number;
  readonly tx: Tx | NotUnderstood;
  /** Offset of the part in the file, for positions inside it. */
  readonly offset: number;
}

export interface TexStep {
  readonly part: TexPart;
  /** The annotation of the row the step's `=` is on. */
  readonly reason?: string;
}

export type MathItem =
  | { readonly kind: 'let'; readonly line: number; readonly column: number; readonly text: string }
  /** `X \in \mathbb{R}^{n \times d}` in display or inline math: names and their DIMS and qualifiers. */
  | {
      readonly kind: 'member';
      readonly line: number;
      readonly column: number;
      readonly tex: string;
      readonly names: readonly string[];
      readonly spec: string;
    }
  /** A relation: parts[0] = parts[1] = …, rows that start with `=` included. */
  | { readonly kind: 'relation'; readonly line: number; readonly steps: readonly TexStep[] }
  | {
      readonly kind: 'unread';
      readonly line: number;
      readonly column: number;
      readonly tex: string;
      readonly reason: string;
    };

export interface LatexDoc {
  readonly items: readonly MathItem[];
  readonly declared: boolean;
  readonly commented: readonly number[];
  readonly suspectFences: readonly { readonly line: number; readonly info: string }[];
}

const MAX_TEX = 80;
const clip = (s: string) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_TEX ? `${t.slice(0, MAX_TEX - 1)}…` : t;
};

/** Read the declarations and display math of a Markdown post (`tex` false) or a .tex file. */
export function readLatex(source: string, tex: boolean): LatexDoc {
  const found = findMath(source, tex);
  const where = (offset: number) => lineColumn(source, offset);
  const items: (MathItem & { offset: number })[] = [];
  for (const d of found.decls)
    items.push({ kind: 'let', ...where(d.offset), text: d.text, offset: d.offset });
  for (const block of found.blocks) {
    const { rows, failures } = rowsOf(block.text);
    for (const f of failures) {
      const lead =
        block.text.slice(f.start, f.end).length - block.text.slice(f.start, f.end).trimStart().length;
      const offset = block.offset + f.start + lead;
      items.push({
        kind: 'unread',
        ...where(offset),
        tex: clip(block.text.slice(f.start, f.end)),
        reason: f.message,
        offset,
      });
    }
    let open: { steps: TexStep[]; line: number; offset: number } | null = null;
    const close = () => {
      if (open && open.steps.length > 0)
        items.push({ kind: 'relation', line: open.line, steps: open.steps, offset: open.offset });
      open = null;
    };
    for (const row of rows.flatMap(splitRelations)) {
      const members = memberItems(row, block.text, block.offset);
      if (members.length > 0) {
        close();
        for (const m of members) items.push({ ...m, ...where(m.offset) });
        continue;
      }
      const rel: Relation = relationOf(row, block.text);
      if (rel.other) {
        close();
        const offset = block.offset + row.start;
        items.push({
          kind: 'unread',
          ...where(offset),
          tex: clip(block.text.slice(row.start, row.end)),
          reason: `the relation \`${rel.other.text}\` is not checked (only \`=\` is)`,
          offset,
        });
        continue;
      }
      if (!rel.continues) close();
      const steps = rel.parts.map((p, i): TexStep => {
        const [from, to] = widen(block.text, spanOf(p.nodes) ?? [p.at, p.at]);
        const offset = block.offset + from;
        let tx: Tx | NotUnderstood;
        try {
          tx = TexReader.read(p.nodes, 0);
        } catch (e) {
          if (!(e instanceof NotUnderstood)) throw e;
          tx = e;
        }
        return {
          part: { tex: block.text.slice(from, to).trim(), ...where(offset), tx, offset },
          reason: i === rel.parts.length - 1 ? rel.reason : undefined,
        };
      });
      if (!open)
        open = { steps: [], line: where(block.offset + row.start).line, offset: block.offset + row.start };
      const o: { steps: TexStep[] } = open;
      o.steps.push(...steps);
    }
    close();
  }
  for (const m of found.inline) {
    for (const row of rowsOf(m.text).rows)
      for (const member of memberItems(row, m.text, m.offset))
        items.push({ ...member, ...where(member.offset) });
  }
  items.sort((a, b) => a.offset - b.offset);
  return {
    items: items.map(({ offset: _, ...item }) => item as MathItem),
    declared: items.some((i) => i.kind === 'let' || i.kind === 'member'),
    commented: found.commented.map((o) => where(o).line),
    suspectFences: found.suspectFences.map((f) => ({ line: where(f.offset).line, info: f.info })),
  };
}

type Positioned<T> = T extends MathItem ? Omit<T, 'line' | 'column'> & { offset: number } : never;

/** The declarations a row states as `names \in SPACE` (or why one cannot be read); empty for any other row. */
function memberItems(row: Row, text: string, offset: number): Positioned<MathItem>[] {
  const at = offset + row.start;
  const tex = clip(text.slice(row.start, row.end));
  return membershipsOf(row.nodes).map((m) =>
    m instanceof NotUnderstood
      ? { kind: 'unread', tex, reason: m.message, offset: at }
      : { kind: 'member', tex, names: m.names, spec: m.spec, offset: at },
  );
}

/** Where a part starts and ends in the block (node locs miss `\\frac`, `\\left`, `\\right)`): up to the delimiters. */
function widen(text: string, [from, to]: [number, number]): [number, number] {
  const before = text.slice(0, from);
  const stops = [...before.matchAll(/=|&|\\\\|\\begin\{[^}]*\}(\{[^}]*\})?|^/g)];
  const last = stops[stops.length - 1];
  let start = (last.index ?? 0) + last[0].length;
  while (start < from && /\s/.test(text[start])) start++;
  const after = /=|&|\\\\|\\end\{|\\text\b|\\quad|\\qquad|\\label|\\tag|$/.exec(text.slice(to));
  let end = to + (after?.index ?? 0);
  while (end > to && /[\s,.]/.test(text[end - 1])) end--;
  return [Math.min(start, from), Math.max(end, to)];
}

export { NotUnderstood } from './tree.js';
