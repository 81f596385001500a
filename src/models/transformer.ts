// Multi-head attention and a pre-LN transformer block over the n tokens (rows) of X (n×d). Head h has its
// own projections Wq_h, Wk_h, Wv_h (d×k) and output projection Wo_h (k×d); the concatenation of the heads
// times W_O is written as the sum of per-head output projections, Σ_h A_h V_h Wo_h. A causal model masks
// each query's future with masked_softmax(S, tril(ones(n, n))). Trained against Y by squared error.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface AttentionHeadsOptions {
  readonly heads?: number;
  readonly features?: Size;
  /** Width of each head's queries, keys and values. */
  readonly keys?: Size;
  readonly causal?: boolean;
}

function headCount(h: number | undefined): number {
  const heads = h ?? 2;
  if (!Number.isInteger(heads) || heads < 1 || heads > 64)
    throw new RangeError(`the number of heads must be an integer from 1 to 64, not ${heads}`);
  return heads;
}

/** The definitions of multi-head attention over `input`, named with `prefix`, ending in `out`. */
function attentionDefs(
  input: string,
  heads: number,
  k: string,
  causal: boolean,
  out: string,
): [string, string][] {
  const defs: [string, string][] = [];
  const terms: string[] = [];
  for (let h = 1; h <= heads; h++) {
    defs.push([`S${h}`, `${input}*Wq${h}*(${input}*Wk${h})'/sqrt(${k})`]);
    defs.push([`A${h}`, causal ? `masked_softmax(S${h}, tril(ones(n, n)))` : `softmax(S${h}, 2)`]);
    terms.push(`A${h}*${input}*Wv${h}*Wo${h}`);
  }
  defs.push([out, terms.join(' + ')]);
  return defs;
}

function headDecls(heads: number, d: string, k: string): string[] {
  return Array.from({ length: heads }, (_, i) => {
    const h = i + 1;
    return [`Wq${h}: ${d} x ${k}`, `Wk${h}: ${d} x ${k}`, `Wv${h}: ${d} x ${k}`, `Wo${h}: ${k} x ${d}`];
  }).flat();
}

const headParams = (heads: number): string[] =>
  Array.from({ length: heads }, (_, i) => [`Wq${i + 1}`, `Wk${i + 1}`, `Wv${i + 1}`, `Wo${i + 1}`]).flat();

export function multiHeadAttention(opts: AttentionHeadsOptions = {}): Model {
  const heads = headCount(opts.heads);
  const d = sizeText(opts.features ?? 'd');
  const k = sizeText(opts.keys ?? 'k');
  const causal = opts.causal ?? false;
  return buildModel({
    title: `${heads}-head ${causal ? 'causal ' : ''}attention, squared error`,
    decls: [`X: n x ${d}`, `Y: n x ${d}`, ...headDecls(heads, d, k)],
    defs: [...attentionDefs('X', heads, k, causal, 'O'), ['L', 'sum((O - Y).^2)/2']],
    params: headParams(heads),
  });
}

export interface TransformerOptions extends AttentionHeadsOptions {
  /** Width of the MLP's hidden layer. */
  readonly hidden?: Size;
  /** The layer norms' variance floor. */
  readonly eps?: number;
}

/** Layer norm of each row of `x` with gain g and bias b: (x − mean)/√(var + eps) ⊙ gᵀ + bᵀ. */
function layerNormDefs(x: string, g: string, b: string, eps: number, out: string): [string, string][] {
  return [
    [`C${out}`, `${x} - mean(${x}, 2)`],
    [out, `C${out} ./ sqrt(mean(C${out}.^2, 2) + ${eps}) .* ${g}' + ${b}'`],
  ];
}

/**
 * A pre-LN transformer block: R = X + MHA(LN₁(X)); Out = R + gelu(LN₂(R) W₁ + c₁ᵀ) W₂ + c₂ᵀ, with the
 * exact (erf) GELU, as GPT-2 and minGPT lay it out.
 */
export function transformerBlock(opts: TransformerOptions = {}): Model {
  const heads = headCount(opts.heads);
  const d = sizeText(opts.features ?? 'd');
  const k = sizeText(opts.keys ?? 'k');
  const m = sizeText(opts.hidden ?? 'm');
  const eps = opts.eps ?? 1e-5;
  const causal = opts.causal ?? true;
  return buildModel({
    title: `pre-LN transformer block, ${heads} ${causal ? 'causal ' : ''}heads, GELU MLP, squared error`,
    decls: [
      `X: n x ${d}`,
      `Y: n x ${d}`,
      `g1: ${d}`,
      `b1: ${d}`,
      ...headDecls(heads, d, k),
      `g2: ${d}`,
      `b2: ${d}`,
      `W1: ${d} x ${m}`,
      `c1: ${m}`,
      `W2: ${m} x ${d}`,
      `c2: ${d}`,
    ],
    defs: [
      ...layerNormDefs('X', 'g1', 'b1', eps, 'N1'),
      ...attentionDefs('N1', heads, k, causal, 'O'),
      ['R', 'X + O'],
      ...layerNormDefs('R', 'g2', 'b2', eps, 'N2'),
      ['F', "gelu_erf(N2*W1 + c1')*W2 + c2'"],
      ['Out', 'R + F'],
      ['L', 'sum((Out - Y).^2)/2'],
    ],
    params: ['g1', 'b1', ...headParams(heads), 'g2', 'b2', 'W1', 'c1', 'W2', 'c2'],
  });
}
