// The computation graph of a writeup as Graphviz DOT and SVG: forward nodes with their shapes, named
// intermediates labelled, the variables differentiated highlighted, constant subtrees folded into one
// node. Node ids are positions in topological order, so the output depends on the graph alone.
import { instance, type Viz } from '@viz-js/viz';
import { toText } from '../emit/text.js';
import { type Expr, topoOrder } from '../ir/expr.js';
import { shapeText } from '../ir/shape.js';
import { specOf } from '../ops/index.js';

export interface GraphInput {
  readonly roots: readonly Expr[];
  /** Node id → the name the file gives it. */
  readonly names: ReadonlyMap<number, string>;
  /** Ids of the variables differentiated. */
  readonly wrt: ReadonlySet<number>;
}

const SYMBOL: Readonly<Record<string, string>> = {
  matmul: 'A·B',
  add: '+',
  sub: '−',
  neg: '−x',
  emul: '⊙',
  ediv: '⊘',
  epow: 'x^p',
  transpose: 'xᵀ',
  sigmoid: 'σ',
  trace: 'tr',
};

const GREEK: Readonly<Record<string, string>> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  eta: 'η',
  theta: 'θ',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Delta: 'Δ',
  Sigma: 'Σ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Phi: 'Φ',
  Omega: 'Ω',
};
const SUBSCRIPT: Readonly<Record<string, string>> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  a: 'ₐ',
  e: 'ₑ',
  h: 'ₕ',
  i: 'ᵢ',
  j: 'ⱼ',
  k: 'ₖ',
  l: 'ₗ',
  m: 'ₘ',
  n: 'ₙ',
  o: 'ₒ',
  p: 'ₚ',
  r: 'ᵣ',
  s: 'ₛ',
  t: 'ₜ',
  u: 'ᵤ',
  v: 'ᵥ',
  x: 'ₓ',
};

/** A name as the writeup's math shows it, in plain Unicode: `W1` → W₁, `delta2` → δ₂, `W_q` → W_q. */
export function unicodeName(name: string): string {
  const m = /^([A-Za-z]+?)_?([0-9]+|_[A-Za-z0-9]+)?$/.exec(name);
  if (!m) return name;
  const base = GREEK[m[1]] ?? m[1];
  const sub = (m[2] ?? '').replace(/^_/, '');
  const small = [...sub].map((c) => SUBSCRIPT[c]);
  return small.every((c) => c !== undefined) ? base + small.join('') : `${base}_${sub}`;
}

const COLORS = {
  wrt: 'fillcolor="#fde68a", color="#b45309", penwidth=2',
  variable: 'fillcolor="#f3f4f6", color="#6b7280"',
  named: 'fillcolor="#dbeafe", color="#1d4ed8"',
  root: 'fillcolor="#dcfce7", color="#15803d", penwidth=2',
  op: 'fillcolor="#ffffff", color="#6b7280"',
  constant: 'fillcolor="#ffffff", color="#d1d5db", fontcolor="#6b7280"',
} as const;

const quote = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

function opLabel(e: Expr): string {
  if (e.kind !== 'op') return '';
  const known = SYMBOL[e.op];
  const scalar = (a: Expr) => shapeText(a.shape) === '1×1';
  if (e.op === 'emul' && e.args.some(scalar)) return '·';
  if (e.op === 'ediv' && scalar(e.args[1])) return '/';
  const p = e.args[1];
  if (e.op === 'epow' && p?.kind === 'const' && p.value === 2) return 'x ⊙ x';
  if (known) return known;
  const syntax = specOf(e.op).text(
    e.args.map((a) => a.shape),
    e.attrs,
  );
  if (syntax.form === 'call')
    return syntax.extra?.length ? `${syntax.name}(·, ${syntax.extra.join(', ')})` : syntax.name;
  return e.op;
}

const INFIX: Readonly<Record<string, string>> = { add: ' + ', sub: ' − ', emul: ' ⊙ ', ediv: ' ⊘ ' };
const FUNCTION: Readonly<Record<string, string>> = { sigmoid: 'σ' };

/**
 * A node's expression in plain math over the names (`X W₁`, `b₁ᵀ`, `E ⊙ E`, `tanh(Z₁)`), or undefined
 * when it would be long; named nodes and variables are atoms.
 */
function mathLabel(e: Expr, names: ReadonlyMap<number, string>, depth = 0): string | undefined {
  const name = names.get(e.id);
  if (depth > 0 && name) return unicodeName(name);
  if (e.kind === 'var') return unicodeName(e.name);
  if (e.kind === 'const') return String(e.value);
  if (e.kind !== 'op' || depth > 2) return undefined;
  const args = e.args.map((a) => mathLabel(a, names, depth + 1));
  if (args.some((a) => a === undefined)) return undefined;
  const [a, b] = args as string[];
  const wrap = (x: string) => (/[ +−⊙⊘]/.test(x) ? `(${x})` : x);
  let out: string | undefined;
  if (e.op === 'matmul') out = `${wrap(a)} ${wrap(b)}`;
  else if (e.op === 'transpose') out = `${wrap(a)}ᵀ`;
  else if (e.op === 'neg') out = `−${wrap(a)}`;
  else if (e.op === 'epow' && b === '2') out = `${wrap(a)} ⊙ ${wrap(a)}`;
  else if (e.op === 'ediv' && shapeText(e.args[1].shape) === '1×1') out = `${wrap(a)} / ${wrap(b)}`;
  else if (e.op === 'emul' && shapeText(e.args[0].shape) === '1×1') out = `${wrap(a)} ${wrap(b)}`;
  else if (e.op === 'add') out = `${a} + ${b}`;
  else if (e.op === 'sub') out = `${a} − ${/[+−]/.test(b) ? `(${b})` : b}`;
  else if (INFIX[e.op]) out = `${wrap(a)}${INFIX[e.op]}${wrap(b)}`;
  else if (e.args.length === 1) {
    const syntax = specOf(e.op).text([e.args[0].shape], e.attrs);
    if (syntax.form === 'call' && !syntax.extra?.length) out = `${FUNCTION[e.op] ?? syntax.name}(${a})`;
  }
  return out !== undefined && out.length <= 18 ? out : undefined;
}

/** DOT text of the graph of `roots`, left to right from the inputs to the loss. */
export function graphDot(input: GraphInput): string {
  const order = topoOrder(input.roots);
  const hasVar = new Set<number>();
  for (const n of order) {
    if (n.kind === 'var' || (n.kind === 'op' && n.args.some((a) => hasVar.has(a.id)))) hasVar.add(n.id);
    if (n.kind === 'deriv') hasVar.add(n.id);
  }
  const roots = new Set(input.roots.map((r) => r.id));
  const insideConstant = new Set<number>();
  for (const n of order) {
    if (n.kind === 'op' && !hasVar.has(n.id)) for (const a of n.args) insideConstant.add(a.id);
  }
  const index = new Map<number, number>();
  const lines: string[] = [
    'digraph G {',
    '  rankdir=LR; bgcolor="transparent"; nodesep=0.25; ranksep=0.35;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, margin="0.08,0.04"];',
    '  edge [color="#9ca3af", arrowsize=0.6];',
  ];
  for (const n of order) {
    // A constant subtree (2·n, a fixed exponent) is one node: its parts carry no information here.
    if (insideConstant.has(n.id)) continue;
    const id = index.size;
    index.set(n.id, id);
    const name = input.names.get(n.id);
    const shape = shapeText(n.shape);
    let label: string;
    let style: string;
    if (n.kind === 'var') {
      label = `${unicodeName(n.name)}\n${shape}`;
      style = input.wrt.has(n.id) ? COLORS.wrt : COLORS.variable;
    } else if (!hasVar.has(n.id)) {
      label = toText(n);
      style = `${COLORS.constant}, style="rounded,filled,dashed"`;
    } else {
      const op =
        n.kind === 'op' ? (mathLabel(n, input.names) ?? opLabel(n)) : n.kind === 'deriv' ? n.mode : toText(n);
      label = name ? `${unicodeName(name)} = ${op}\n${shape}` : `${op}\n${shape}`;
      style = roots.has(n.id) ? COLORS.root : name ? COLORS.named : COLORS.op;
    }
    lines.push(`  n${id} [label=${quote(label)}, ${style}];`);
  }
  for (const n of order) {
    const to = index.get(n.id);
    if (to === undefined || n.kind !== 'op' || !hasVar.has(n.id)) continue;
    for (const a of n.args) {
      const from = index.get(a.id);
      if (from !== undefined) lines.push(`  n${from} -> n${to};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let viz: Promise<Viz> | undefined;

/** The graph as an SVG document (Graphviz compiled to WebAssembly). */
export async function graphSvg(input: GraphInput): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(graphDot(input), { format: 'svg' });
  // The XML prolog and doctype are for a standalone file; the SVG element itself is the same either way.
  return svg.slice(svg.indexOf('<svg'));
}
