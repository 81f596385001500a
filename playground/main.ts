// The playground page: reads the fields (or the URL hash), asks two workers — one for the derivative, one
// for the check, verdict, steps, code and graph — and shows each stage as it arrives. An error shows the
// message and the caret under its field and marks the last good result as stale; it never clears it.
import type { Inputs, Stage } from './compute.js';
import { EXAMPLES } from './examples.js';
import { readHash, writeHash } from './hash.js';
import { byId, renderStage, showError, showGraph } from './render.js';
import type { Request } from './worker.js';

const FIELDS = ['let', 'expr', 'wrt', 'claim'] as const;
/** The pause in typing after which the slower details (check, verdict, steps, code, graph) are computed. */
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

/**
 * A worker running one part, always on the newest inputs; older answers are dropped. With `debounceMs`
 * null (the derivative) a request goes out at once, or — while one is computing — waits as the single
 * newest one. With a delay (the details), requests wait for typing to pause, and a keystroke during a
 * computation ends that worker, freeing the CPU for the derivative; a new one starts when next needed.
 */
class Part {
  private worker: Worker | null;
  private id = 0;
  private done = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queued: Inputs | null = null;

  constructor(
    private readonly url: string,
    private readonly part: Request['part'],
    private readonly onStage: (s: Stage) => void,
    private readonly debounceMs: number | null,
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
        if (this.queued) this.post(this.queued);
        else this.mark('', String(this.id));
      }
    };
    return worker;
  }

  /**
   * State for tests and scripts on <body>: data-result / data-details is the id of the last finished
   * computation, data-result-posted the newest asked for, data-result-pending set while inputs wait.
   */
  private mark(suffix: '' | 'Posted' | 'Pending', value: string | null): void {
    const key = `${this.part}${suffix}`;
    if (value === null) delete document.body.dataset[key];
    else document.body.dataset[key] = value;
  }

  private post(inputs: Inputs): void {
    this.queued = null;
    this.id++;
    this.mark('Posted', String(this.id));
    this.mark('Pending', null);
    this.worker ??= this.spawn();
    this.worker.postMessage({ id: this.id, part: this.part, inputs } satisfies Request);
  }

  request(inputs: Inputs): void {
    const busy = this.done !== this.id;
    if (this.debounceMs === null) {
      if (busy) {
        this.queued = inputs;
        this.mark('Pending', '1');
      } else this.post(inputs);
      return;
    }
    clearTimeout(this.timer);
    this.mark('Pending', '1');
    if (busy) {
      this.worker?.terminate();
      this.worker = null;
    }
    this.timer = setTimeout(() => this.post(inputs), this.debounceMs);
  }
}

function start(): void {
  const source = byId('worker-source').textContent ?? '';
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const result = new Part(
    url,
    'result',
    (s) => {
      if (s.kind === 'error') showError(s.error, field(s.error.field));
      else renderStage(s);
    },
    null,
  );
  const details = new Part(url, 'details', renderStage, DETAILS_DELAY_MS);

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
