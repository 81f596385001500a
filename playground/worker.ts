// The playground's Web Worker: computes one part of the page for the newest inputs and posts each stage.
// The page runs two of these, one for the derivative alone (so typing stays fast) and one for the rest.
import { compute, type Inputs } from './compute.js';

export interface Request {
  readonly id: number;
  readonly part: 'result' | 'details';
  readonly inputs: Inputs;
}

const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown): void;
};
let latest = 0;
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

scope.onmessage = (ev) => {
  const { id, part, inputs } = ev.data;
  latest = id;
  void compute(
    inputs,
    part,
    (stage) => scope.postMessage({ id, stage }),
    async () => {
      await tick();
      return latest !== id;
    },
  ).finally(() => scope.postMessage({ id, done: true }));
};
