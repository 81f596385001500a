// The row of examples: each fills the fields (declarations, expression, variables, a claim to verify).
import type { Inputs } from './compute.js';

export interface Example extends Inputs {
  readonly title: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    title: 'least squares',
    let: 'X: n x d; w: d; y: n',
    expr: 'sum((X*w - y).^2)',
    wrt: 'w',
    claim: "2*X'*(X*w - y)",
    mode: 'grad',
  },
  {
    title: 'logistic regression',
    let: 'X: n x d; w: d; y: n',
    expr: 'sum(log(1 + exp(-y .* (X*w))))',
    wrt: 'w',
    claim: "-X'*(y .* sigmoid(-y .* (X*w)))",
    mode: 'grad',
  },
  {
    title: 'softmax regression',
    let: 'X: n x d; W: d x k; b: k; Y: n x k onehot',
    expr: "-sum(Y .* logsoftmax(X*W + b', 2))/n",
    wrt: 'W',
    claim: "X'*(softmax(X*W + b', 2) - Y)/n",
    mode: 'grad',
  },
  {
    title: '2-layer batch net',
    let: 'X: n x d; Y: n x k; W1: d x h; b1: h; W2: h x k; b2: k',
    expr: "sum((tanh(X*W1 + b1')*W2 + b2' - Y).^2)/(2*n)",
    wrt: 'W1, b1, W2, b2',
    claim: '',
    mode: 'grad',
  },
  {
    title: 'score function',
    let: 't: k; f: k',
    expr: 'sum(softmax(t) .* f)',
    wrt: 't',
    claim: 'softmax(t) .* (f - sum(softmax(t) .* f))',
    mode: 'grad',
  },
  {
    title: 'logdet',
    let: 'S: n x n spd; A: n x n',
    expr: 'logdet(S) - trace(S*A)',
    wrt: 'S',
    claim: "inv(S) - A'",
    mode: 'grad',
  },
];
