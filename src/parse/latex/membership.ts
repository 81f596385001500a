// Declarations written the way posts state shapes: `X \in \mathbb{R}^{n \times d}`, `w, b \in \mathbb{R}^d`,
// `\lambda \in \mathbb{R}`, `S \in \mathbb{S}^n_{++}` (spd), `\Sigma \in \mathbb{S}^n` (symmetric),
// `x \in \mathbb{R}^n_{+}` (positive), `y \in \{0, 1\}^n` or `\{-1, +1\}^n` (the shape only). Each names
// a declaration of the language (`X: n x d`); anything else after `\in` is not understood.
import { NotUnderstood } from './cursor.js';
import { body, plainText, sizesOf } from './names.js';
import { spanOf, type TexNode } from './rows.js';
import { TexReader } from './tree.js';

export interface Membership {
  /** Declared names, as the language spells them (`W_1` → W1, `\lambda` → lambda). */
  readonly names: readonly string[];
  /** The declaration's DIMS and qualifiers: `n x d`, `d`, `scalar`, `n x n spd`. */
  readonly spec: string;
}

const isIn = (n: TexNode): boolean => n.type === 'atom' && n.family === 'rel' && n.text === '\\in';
const isComma = (n: TexNode): boolean => n.type === 'atom' && n.family === 'punct' && n.text === ',';

function fail(n: unknown, why: string): NotUnderstood {
  const [s, e] = spanOf(n) ?? [0, 1];
  return new NotUnderstood(why, s, e);
}

/**
 * Every `names \in SPACE` of a row, split at commas: `w, b \in \mathbb{R}^d, y \in \mathbb{R}^n` is two,
 * and `A \in \mathbb{R}^{n \times n}, A \succ 0` one (what follows states no shape).
 */
export function membershipsOf(nodes: readonly TexNode[]): (Membership | NotUnderstood)[] {
  const out: (Membership | NotUnderstood)[] = [];
  let start = 0;
  let seenIn = false;
  const flush = (end: number) => {
    const m = seenIn ? membershipOf(nodes.slice(start, end)) : null;
    if (m) out.push(m);
    start = end + 1;
    seenIn = false;
  };
  // commas inside brackets (`\{-1, +1\}^n`) do not separate
  let depth = 0;
  nodes.forEach((n, i) => {
    const d = n.type === 'supsub' ? (n.base as TexNode | undefined) : n;
    if (d?.type === 'atom' && d.family === 'open') depth++;
    else if (d?.type === 'atom' && d.family === 'close') depth--;
    else if (isComma(n) && seenIn && depth === 0) flush(i);
    else if (isIn(n)) seenIn = true;
  });
  flush(nodes.length);
  return out;
}

/** `A \in SPACE` read as a declaration; null when the nodes hold no top-level `\in`. */
export function membershipOf(nodes: readonly TexNode[]): Membership | NotUnderstood | null {
  const at = nodes.findIndex(isIn);
  if (at < 0) return null;
  let space = nodes.slice(at + 1).filter((n) => n.type !== 'spacing' && n.type !== 'kern');
  while (space.length > 0 && (isComma(space[space.length - 1]) || space[space.length - 1].text === '.'))
    space = space.slice(0, -1);
  try {
    const spec = spaceSpec(space);
    return spec === null ? null : { names: namesOf(nodes.slice(0, at)), spec };
  } catch (e) {
    if (e instanceof NotUnderstood) return e;
    throw e;
  }
}

/** The names of `X`, `W_1, W_2`, `\mathbf{x}`: plain symbols separated by commas. */
function namesOf(nodes: readonly TexNode[]): string[] {
  const groups: TexNode[][] = [[]];
  for (const n of nodes) {
    if (isComma(n)) groups.push([]);
    else if (n.type !== 'spacing' && n.type !== 'kern') groups[groups.length - 1].push(n);
  }
  return groups.map((g) => {
    if (g.length === 0) throw fail(nodes, 'a declaration `X \\in \\mathbb{R}^{n \\times d}` without a name');
    const tx = TexReader.read(g);
    if (tx.k !== 'sym') throw fail(g, 'the left of `\\in` is not a name');
    return tx.names[0];
  });
}

/** `n \\times d` → [n, d]: sizes that are one symbol or a whole number each. */
function dimsOf(sup: TexNode | undefined, whole: readonly TexNode[]): string[] {
  if (!sup) return [];
  const dims = sizesOf(sup);
  if (!dims)
    throw fail(
      whole,
      'a space whose sizes are not one or two symbols or numbers (`\\mathbb{R}^{n \\times d}`)',
    );
  return dims;
}

/** The subscript of ℝ or 𝕊 as a qualifier: `_{+}`, `_{>0}`, `_{++}`. */
function positivity(sub: TexNode | undefined): '+' | '++' | null {
  if (!sub) return null;
  const t = (
    plainText(sub) ??
    body(sub)
      .map((n) => n.text ?? '')
      .join('')
  ).replace(/\s/g, '');
  if (t === '+' || t === '>0' || t === '\\geq0' || t === '\\ge0') return t === '>0' ? '++' : '+';
  if (t === '++') return '++';
  throw fail(sub, `a space with the subscript \`${t}\``);
}

/** The declaration's DIMS and qualifiers, or null when the space is not a shape (ℝ, 𝕊, a set to a power). */
function spaceSpec(space: readonly TexNode[]): string | null {
  if (space.length === 0) return null;
  const last = space[space.length - 1];
  const sup = last.type === 'supsub' ? (last.sup as TexNode | undefined) : undefined;
  const sub = last.type === 'supsub' ? (last.sub as TexNode | undefined) : undefined;
  const base = last.type === 'supsub' ? (last.base as TexNode | undefined) : last;
  // a set of values to a power: {0, 1}^n, {-1, +1}^{n × k}: the shape alone (`i \in \{1, …, n\}` is no declaration)
  if (space[0].type === 'atom' && space[0].text === '\\{' && base?.text === '\\}')
    return sup ? dimsOf(sup, space).join(' x ') : null;
  const field =
    space.length === 1 && base?.type === 'font' && base.font === 'mathbb' ? plainText(base) : null;
  // `x \in \mathcal{X}`, `i \in [n]`: membership, not a shape
  if (field !== 'R' && field !== 'S') return null;
  const dims = dimsOf(sup, space);
  const sign = positivity(sub);
  if (field === 'S') {
    if (dims.length !== 1) throw fail(space, '\\mathbb{S}^n without its one size n');
    return `${dims[0]} x ${dims[0]} ${sign === '++' ? 'spd' : 'symmetric'}`;
  }
  const shape = dims.length === 0 ? 'scalar' : dims.join(' x ');
  return sign ? `${shape} positive` : shape;
}
