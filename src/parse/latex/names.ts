// The vocabulary of TeX math the reader knows: function names, Greek letters, transposes, elementwise and
// product operators, and how a node spells a symbol (`W`, `\delta`, `\mathbf{x}`, `\hat{Y}`).
import { SCALAR } from '../../ir/shape.js';
import { OPS } from '../../ops/index.js';
import type { TexNode } from './rows.js';

export const GREEK =
  /^\\(ell|alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega)$/;

/**
 * The unary functions as the op records print them (`\\operatorname{sign}`, `\\tanh`, `\\operatorname{erf}`) →
 * their names in the language, so whatever matcalc writes in LaTeX the reader reads back.
 */
function printedFunctionNames(): [string, string][] {
  const out: [string, string][] = [];
  for (const spec of Object.values(OPS)) {
    if (spec.arity !== 1) continue;
    let latex: ReturnType<typeof spec.latex>;
    let text: ReturnType<typeof spec.text>;
    try {
      latex = spec.latex([SCALAR], {});
      text = spec.text([SCALAR], {});
    } catch {
      continue;
    }
    if (latex.form !== 'call' || text.form !== 'call' || latex.sub !== undefined) continue;
    const m = /^\\(?:operatorname\{)?([A-Za-z]+)\}?$/.exec(latex.name);
    if (m && !GREEK.test(`\\${m[1]}`)) out.push([m[1], text.name]);
  }
  return out;
}

/** TeX function names → the language's functions (the printed ones, and the usual spellings of posts). */
export const FUNCTION_NAMES: ReadonlyMap<string, string> = new Map([
  ...printedFunctionNames(),
  ['log', 'log'],
  ['ln', 'log'],
  ['exp', 'exp'],
  ['tanh', 'tanh'],
  ['sin', 'sin'],
  ['cos', 'cos'],
  ['det', 'det'],
  ['tr', 'trace'],
  ['Tr', 'trace'],
  ['trace', 'trace'],
  ['sigmoid', 'sigmoid'],
  ['softmax', 'softmax'],
  ['logsoftmax', 'logsoftmax'],
  ['logsumexp', 'logsumexp'],
  ['relu', 'relu'],
  ['ReLU', 'relu'],
  ['softplus', 'softplus'],
  ['diag', 'diag'],
  ['sum', 'sum'],
  ['mean', 'mean'],
  ['vec', 'vec'],
  ['sqrt', 'sqrt'],
  ['abs', 'abs'],
  ['logdet', 'logdet'],
]);

export const TRANSPOSE = new Set([
  '\\top',
  'T',
  '\\intercal',
  '\\prime',
  '\\mathsf{T}',
  '\\mathrm{T}',
  '\\textsf{T}',
]);
export const HADAMARD: Readonly<Record<string, '.*' | './'>> = {
  '\\odot': '.*',
  '\\circ': '.*',
  '\\oslash': './',
};
export const PRODUCT = new Set(['\\cdot', '\\times', '*', '\\ast']);

export const body = (n: TexNode): TexNode[] =>
  Array.isArray(n.body) ? (n.body as TexNode[]) : n.body ? [n.body as TexNode] : [];

/** The plain characters of a node (`W`, `12`, `softmax` from `\mathrm{softmax}`), or null. */
export function plainText(n: TexNode | undefined): string | null {
  if (!n) return null;
  if (n.type === 'mathord' || n.type === 'textord' || n.type === 'atom') return n.text ?? null;
  if (['ordgroup', 'font', 'text', 'mclass', 'operatorname'].includes(n.type)) {
    const parts = body(n).map(plainText);
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (n.type === 'spacing' && n.text === ' ') return '';
  return null;
}

/** The sizes in `n \\times d` (or a lone `n`), each one symbol or a whole number; null for anything else. */
export function sizesOf(n: TexNode): string[] | null {
  const parts: string[][] = [[]];
  let ok = true;
  const walk = (x: TexNode) => {
    if (x.type === 'ordgroup' || x.type === 'styling') for (const c of body(x)) walk(c);
    else if (x.type === 'atom' && (x.text === '\\times' || x.text === '\\cdot')) parts.push([]);
    else if (x.type !== 'spacing' && x.type !== 'kern') {
      const t = plainText(x);
      if (t === null) ok = false;
      else parts[parts.length - 1].push(t);
    }
  };
  walk(n);
  const sizes = parts.map((p) => p.join(''));
  return ok && sizes.length <= 2 && sizes.every((d) => /^([A-Za-z]\w*|[1-9]\d*)$/.test(d)) ? sizes : null;
}

/** The name of a symbol node: its letter or Greek command, with any font or accent. */
export function symbolNames(n: TexNode): { base: string; accent?: string } | null {
  if (n.type === 'mathord' || n.type === 'textord') {
    const t = n.text ?? '';
    if (/^[A-Za-z]$/.test(t)) return { base: t };
    const g = GREEK.exec(t);
    return g ? { base: g[1] } : null;
  }
  if (n.type === 'font' || n.type === 'mclass' || (n.type === 'ordgroup' && body(n).length === 1)) {
    const inner = body(n);
    if (inner.length !== 1) {
      const t = plainText(n);
      return t && /^[A-Za-z]\w*$/.test(t) ? { base: t } : null;
    }
    return symbolNames(inner[0]);
  }
  if (n.type === 'accent') {
    const inner = symbolNames(n.base as TexNode);
    const label = String(n.label ?? '').replace('\\', '');
    if (!inner) return null;
    return label === 'vec' ? inner : { base: inner.base, accent: label };
  }
  return null;
}
