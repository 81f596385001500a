// 1-D convolution over a sequence X (T×c: T steps, c channels) with a kernel of width w, written with
// shift matrices: the causal convolution Y = Σ_j shift(T, −j)·X·W_j + bᵀ, W_j (c×o) the kernel's tap j,
// so row t of Y sees rows t, t−1, …, t−w+1 of X (zeros before the start). A small conv net stacks two
// such layers with relu, averages over time and reads out a prediction y (m) by squared error.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface ConvOptions {
  /** Kernel width (taps). */
  readonly width?: number;
  readonly channels?: Size;
  readonly filters?: Size;
  readonly outputs?: Size;
}

function widthOf(w: number | undefined): number {
  const width = w ?? 3;
  if (!Number.isInteger(width) || width < 1 || width > 64)
    throw new RangeError(`the kernel width must be an integer from 1 to 64, not ${width}`);
  return width;
}

/** Σ_j shift(T, −j)·input·K_j + bᵀ (tap 0 needs no shift). */
function convText(input: string, kernel: string, bias: string, width: number): string {
  const taps = Array.from({ length: width }, (_, j) =>
    j === 0 ? `${input}*${kernel}0` : `shift(T, ${-j})*${input}*${kernel}${j}`,
  );
  return `${taps.join(' + ')} + ${bias}'`;
}

const tapDecls = (kernel: string, width: number, rows: string, cols: string): string[] =>
  Array.from({ length: width }, (_, j) => `${kernel}${j}: ${rows} x ${cols}`);
const tapNames = (kernel: string, width: number): string[] =>
  Array.from({ length: width }, (_, j) => `${kernel}${j}`);

/** One causal convolution layer trained against a target sequence Y (T×o) by squared error. */
export function conv1d(opts: ConvOptions = {}): Model {
  const width = widthOf(opts.width);
  const c = sizeText(opts.channels ?? 'c');
  const o = sizeText(opts.filters ?? 'o');
  return buildModel({
    title: `causal 1-D convolution, kernel width ${width}, squared error`,
    decls: [`X: T x ${c}`, `Y: T x ${o}`, ...tapDecls('K', width, c, o), `b: ${o}`],
    defs: [
      ['Z', convText('X', 'K', 'b', width)],
      ['L', 'sum((Z - Y).^2)/2'],
    ],
    params: [...tapNames('K', width), 'b'],
  });
}

/** conv → relu → conv → relu → mean over time → linear read-out, squared error against y. */
export function convNet(opts: ConvOptions = {}): Model {
  const width = widthOf(opts.width);
  const c = sizeText(opts.channels ?? 'c');
  const o = sizeText(opts.filters ?? 'o');
  const m = sizeText(opts.outputs ?? 'm');
  return buildModel({
    title: `1-D conv net: two causal convolutions (width ${width}) with relu, mean over time, linear read-out`,
    decls: [
      `X: T x ${c}`,
      `y: ${m}`,
      ...tapDecls('K', width, c, o),
      `b: ${o}`,
      ...tapDecls('J', width, o, o),
      `b2: ${o}`,
      `Wy: ${o} x ${m}`,
      `a: ${m}`,
    ],
    defs: [
      ['H1', `relu(${convText('X', 'K', 'b', width)})`],
      ['H2', `relu(${convText('H1', 'J', 'b2', width)})`],
      ['p', "(mean(H2, 1)*Wy)' + a"],
      ['L', 'sum((p - y).^2)/2'],
    ],
    params: [...tapNames('K', width), 'b', ...tapNames('J', width), 'b2', 'Wy', 'a'],
  });
}
