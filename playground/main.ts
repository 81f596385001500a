// The playground page: reads the fields (or the URL hash), asks two workers — one for the derivative, one
// for the check, verdict, steps, code and graph — and shows each stage as it arrives. An error shows the
// message and the caret under its field and marks the last good result as stale; it never clears it.
import type { Inputs, Stage } from './compute.js';
import { EXAMPLES } from './examples.js';
import { readHash, writeHash } from './hash.js';
import { byId, renderStage, showError, showGraph } from './render.js';
import type { Request } from './worker.js';

const FIELDS = ['let', 'expr', 'wrt', 'claim'] as const;
/** Delay after a keystroke before the derivative is recomputed, and before the slower details are. */
const RESULT_DELAY_MS = 10;
const DETAILS_DELAY_MS = 300;

type Field = (typeof FIELDS)[number];
const field = (name: Field) => byId<HTMLInputElement | HTMLTextAreaElement>(name);
const modeSelect = byId<HTMLSelectElement>('mode');

function readInputs(): Inputs {
  return {
    let: field('let').value,
    expr: field('expr').value,
    wrt: field('wrt').value,
    claim: field('claim').value,
    mode: modeSelect.value as Inputs['mode'],
  };
}

function fill(inputs: Inputs): void {
  for (const name of FIELDS) field(name).value = inputs[name];
  modeSelect.value = inputs.mode;
}

/** A worker running one part, always on the newest inputs: older answers are dropped. */
class Part {
  private worker: Worker;
  private id = 0;
  private done = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `interruptible`: a keystroke during a computation ends that worker (freeing the CPU) and starts another. */
  constructor(
    private readonly url: string,
    private readonly part: Request['part'],
    private readonly delay: number,
    private readonly onStage: (s: Stage) => void,
    private readonly interruptible = false,
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(this.url);
    worker.onmessage = (ev: MessageEvent<{ id: number; stage?: Stage; done?: boolean }>) => {
      if (ev.data.id !== this.id) return;
      if (ev.data.stage) this.onStage(ev.data.stage);
      if (ev.data.done) {
        this.done = this.id;
        this.mark('', String(this.id));
      }
    };
    return worker;
  }

  /**
   * State for tests and scripts on <body>: data-result / data-details is the id of the last finished
   * computation, data-result-posted the newest asked for, data-result-pending set while a keystroke waits.
   */
  private mark(suffix: '' | 'Posted' | 'Pending', value: string | null): void {
    const key = `${this.part}${suffix}`;
    if (value === null) delete document.body.dataset[key];
    else document.body.dataset[key] = value;
  }

  request(inputs: Inputs): void {
    clearTimeout(this.timer);
    this.mark('Pending', '1');
    if (this.interruptible && this.done !== this.id) {
      this.worker.terminate();
      this.worker = this.spawn();
    }
    this.timer = setTimeout(() => {
      this.id++;
      this.mark('Posted', String(this.id));
      this.mark('Pending', null);
      this.worker.postMessage({ id: this.id, part: this.part, inputs } satisfies Request);
    }, this.delay);
  }
}

function start(): void {
  const source = byId('worker-source').textContent ?? '';
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const result = new Part(url, 'result', RESULT_DELAY_MS, (s) => {
    if (s.kind === 'error') showError(s.error, field(s.error.field));
    else renderStage(s);
  });
  const details = new Part(url, 'details', DETAILS_DELAY_MS, renderStage, true);

  const update = () => {
    const inputs = readInputs();
    history.replaceState(null, '', writeHash(inputs));
    result.request(inputs);
    details.request(inputs);
  };
  for (const name of FIELDS) field(name).addEventListener('input', update);
  modeSelect.addEventListener('change', update);
  window.addEventListener('hashchange', () => {
    const inputs = readHash(location.hash);
    if (inputs) {
      fill(inputs);
      update();
    }
  });

  const nav = byId('examples');
  for (const ex of EXAMPLES) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = ex.title;
    b.addEventListener('click', () => {
      fill(ex);
      update();
    });
    nav.append(b);
  }
  byId('graph').addEventListener('toggle', () => showGraph());
  fill(readHash(location.hash) ?? EXAMPLES[0]);
  update();
}

start();
