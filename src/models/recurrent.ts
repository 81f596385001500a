// Recurrent networks unrolled over T steps with shared weights, on a batch of n sequences: X_t (n×d) is
// step t of every sequence, H_t (n×h) the hidden state (H_0 = 0), and the last state predicts Y (n×m)
// through a linear read-out, by squared error. Elman: H_t = tanh(X_t Wx + H_{t−1} Wh + bᵀ). GRU (Cho et
// al. 2014): update gate Z_t, reset gate R_t, candidate N_t = tanh(X_t Wn + (R_t ⊙ H_{t−1}) Un + bnᵀ),
// H_t = (1 − Z_t) ⊙ N_t + Z_t ⊙ H_{t−1}.
import { buildModel, type Model, type Size, sizeText } from './model.js';

export interface RecurrentOptions {
  /** Number of unrolled steps T. */
  readonly steps?: number;
  readonly features?: Size;
  readonly hidden?: Size;
  readonly outputs?: Size;
}

function stepCount(t: number | undefined): number {
  const steps = t ?? 4;
  if (!Number.isInteger(steps) || steps < 1 || steps > 256)
    throw new RangeError(`the number of steps must be an integer from 1 to 256, not ${steps}`);
  return steps;
}

function sizes(opts: RecurrentOptions): [string, string, string] {
  return [sizeText(opts.features ?? 'd'), sizeText(opts.hidden ?? 'h'), sizeText(opts.outputs ?? 'm')];
}

const inputs = (steps: number, d: string): string[] =>
  Array.from({ length: steps }, (_, t) => `X${t + 1}: n x ${d}`);

export function elmanRnn(opts: RecurrentOptions = {}): Model {
  const steps = stepCount(opts.steps);
  const [d, h, m] = sizes(opts);
  const defs: [string, string][] = [['H1', "tanh(X1*Wx + b')"]];
  for (let t = 2; t <= steps; t++) defs.push([`H${t}`, `tanh(X${t}*Wx + H${t - 1}*Wh + b')`]);
  defs.push(['L', `sum((H${steps}*Wy + c' - Y).^2)/2`]);
  return buildModel({
    title: `Elman RNN unrolled over ${steps} step${steps === 1 ? '' : 's'}, squared error on the last state`,
    decls: [
      ...inputs(steps, d),
      `Y: n x ${m}`,
      `Wx: ${d} x ${h}`,
      `Wh: ${h} x ${h}`,
      `b: ${h}`,
      `Wy: ${h} x ${m}`,
      `c: ${m}`,
    ],
    defs,
    params: ['Wx', 'Wh', 'b', 'Wy', 'c'],
  });
}

export function gru(opts: RecurrentOptions = {}): Model {
  const steps = stepCount(opts.steps);
  const [d, h, m] = sizes(opts);
  const defs: [string, string][] = [];
  for (let t = 1; t <= steps; t++) {
    const prev = t === 1 ? null : `H${t - 1}`;
    const rec = (u: string) => (prev ? ` + ${prev}*${u}` : '');
    defs.push([`Z${t}`, `sigmoid(X${t}*Wz${rec('Uz')} + bz')`]);
    if (prev) defs.push([`R${t}`, `sigmoid(X${t}*Wr + ${prev}*Ur + br')`]);
    defs.push([`N${t}`, `tanh(X${t}*Wn${prev ? ` + (R${t} .* ${prev})*Un` : ''} + bn')`]);
    defs.push([`H${t}`, prev ? `(1 - Z${t}) .* N${t} + Z${t} .* ${prev}` : `(1 - Z${t}) .* N${t}`]);
  }
  defs.push(['L', `sum((H${steps}*Wy + c' - Y).^2)/2`]);
  const gate = (g: string) => [`W${g}: ${d} x ${h}`, `U${g}: ${h} x ${h}`, `b${g}: ${h}`];
  return buildModel({
    title: `GRU unrolled over ${steps} step${steps === 1 ? '' : 's'}, squared error on the last state`,
    decls: [
      ...inputs(steps, d),
      `Y: n x ${m}`,
      ...gate('z'),
      ...gate('r'),
      ...gate('n'),
      `Wy: ${h} x ${m}`,
      `c: ${m}`,
    ],
    defs,
    params:
      steps > 1
        ? ['Wz', 'Uz', 'bz', 'Wr', 'Ur', 'br', 'Wn', 'Un', 'bn', 'Wy', 'c']
        : ['Wz', 'bz', 'Wn', 'bn', 'Wy', 'c'],
  });
}
