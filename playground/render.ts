// Showing the workers' stages in the page: text into the contract's elements, LaTeX through KaTeX, code
// with tabs and copy buttons, the caret under a faulty field, and the graph through Graphviz (viz.js, a
// separate classic script loaded only when the graph is opened: it is larger than the rest of the page).
import katex from 'katex';
import type { FieldError, Stage } from './compute.js';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const tex = (source: string, displayMode: boolean): string =>
  katex.renderToString(source, { displayMode, throwOnError: true, output: 'html' });

function setText(id: string, text: string): void {
  const el = byId(id);
  el.textContent = text;
  el.classList.toggle('empty', text === '');
}

const code = { ts: '', numpy: '', jax: '', torch: '', lang: 'ts' as 'ts' | 'numpy' | 'jax' | 'torch' };
let dot = '';
let drawn = '';

function showCode(): void {
  byId('code-text').textContent = code[code.lang];
  for (const b of document.querySelectorAll<HTMLButtonElement>('#code [data-lang]')) {
    b.setAttribute('aria-selected', String(b.dataset.lang === code.lang));
  }
}

export function renderStage(s: Stage): void {
  switch (s.kind) {
    case 'result': {
      setText('result-text', s.text);
      byId('result-latex').innerHTML = s.latex.map((l) => tex(l, true)).join('');
      byId('status').textContent = `computed in ${s.ms < 1 ? '<1' : s.ms.toFixed(0)} ms`;
      clearError();
      return;
    }
    case 'check':
      setText('check', s.text);
      byId('check').classList.toggle('fail', !s.ok);
      return;
    case 'verdict': {
      const el = byId('verdict');
      el.textContent = s.text || 'Write a claimed gradient above to verify it.';
      el.classList.toggle('empty', s.equal === null);
      el.classList.toggle('fail', s.equal === false);
      el.classList.toggle('pass', s.equal === true);
      byId('claim').classList.remove('invalid');
      return;
    }
    case 'steps': {
      const items = s.steps.map((step, i) => {
        const head = `<div class="step-head"><span class="num">${step.kind === 'result' ? '=' : i + 1}</span> ${escapeHtml(step.heading)}${step.node ? ` <span class="at">at ${tex(step.node, false)}</span>` : ''}</div>`;
        const eqs = step.equations
          .map(
            (eq) =>
              `${tex(eq.tex, true)}<div class="dims${eq.ok ? '' : ' bad'}">${escapeHtml(eq.dims)}</div>`,
          )
          .join('');
        return `<li class="${step.kind}">${head}${eqs}</li>`;
      });
      byId('steps').innerHTML =
        (s.note ? `<li class="note">${escapeHtml(s.note)}</li>` : '') + items.join('');
      return;
    }
    case 'code':
      Object.assign(code, {
        ts: s.note ?? s.ts,
        numpy: s.note ?? s.numpy,
        jax: s.note ?? s.jax,
        torch: s.note ?? s.torch,
      });
      showCode();
      return;
    case 'graph':
      dot = s.dot;
      showGraph();
      return;
    case 'failed': {
      if (s.stage === 'verdict') {
        const el = byId('verdict');
        el.textContent = [s.error.message, s.error.caret].filter(Boolean).join('\n');
        el.classList.remove('empty', 'pass');
        el.classList.add('fail');
        byId('claim').classList.add('invalid');
      } else if (s.stage === 'check' || s.stage === 'code') {
        setText(s.stage === 'check' ? 'check' : 'code-text', s.error.message);
      } else if (s.stage === 'steps') {
        byId('steps').innerHTML = `<li class="note">${escapeHtml(s.error.message)}</li>`;
      }
      return;
    }
    case 'error':
      return;
    default: {
      const never: never = s;
      throw new Error(`unknown stage ${JSON.stringify(never)}`);
    }
  }
}

const escapeHtml = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function clearError(): void {
  const el = byId('error');
  el.hidden = true;
  el.textContent = '';
  document.body.classList.remove('stale');
  for (const f of ['let', 'expr', 'wrt']) byId(f).classList.remove('invalid');
}

/** The message and caret under the faulty field; the results stay, marked as those of the last good input. */
export function showError(e: FieldError, input: HTMLElement): void {
  clearError();
  const el = byId('error');
  el.hidden = false;
  const message = document.createElement('div');
  message.className = 'message';
  message.textContent = e.message;
  el.append(message);
  if (e.caret) {
    const caret = document.createElement('pre');
    caret.className = 'caret';
    caret.textContent = e.caret;
    el.append(caret);
  }
  const note = document.createElement('div');
  note.className = 'stale-note';
  note.textContent = byId('result-text').textContent
    ? 'The results below are for the last input that worked.'
    : '';
  el.append(note);
  input.insertAdjacentElement('afterend', el);
  input.classList.add('invalid');
  document.body.classList.add('stale');
}

interface VizGlobal {
  instance(): Promise<{ renderSVGElement(dot: string): SVGSVGElement }>;
}

let viz: Promise<VizGlobal> | undefined;

function loadViz(): Promise<VizGlobal> {
  viz ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'viz.js';
    script.onload = () => resolve((window as unknown as { Viz: VizGlobal }).Viz);
    script.onerror = () => reject(new Error('viz.js did not load'));
    document.head.append(script);
  });
  return viz;
}

/** Draw the graph when its panel is open and the graph changed. */
export function showGraph(): void {
  const panel = byId<HTMLDetailsElement>('graph');
  if (!panel.open || !dot || dot === drawn) return;
  const wanted = dot;
  loadViz()
    .then((v) => v.instance())
    .then((instance) => {
      if (wanted !== dot) return;
      byId('graph-svg').replaceChildren(instance.renderSVGElement(wanted));
      drawn = wanted;
    })
    .catch((e: Error) => {
      byId('graph-svg').textContent = `The graph could not be drawn: ${e.message}`;
    });
}

function copy(text: string, button: HTMLElement): void {
  const done = () => {
    button.textContent = 'copied';
    setTimeout(() => {
      button.textContent = 'copy';
    }, 1200);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
  } else fallbackCopy(text, done);
}

/** file:// pages are not a secure context everywhere: copy through a selected textarea. */
function fallbackCopy(text: string, done: () => void): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
  done();
}

document.addEventListener('click', (ev) => {
  const target = ev.target as HTMLElement;
  const lang = target.dataset.lang as typeof code.lang | undefined;
  if (lang) {
    code.lang = lang;
    showCode();
  } else if (target.id === 'copy-code') copy(code[code.lang], target);
  else if (target.dataset.copy) copy(byId(target.dataset.copy).textContent ?? '', target);
});
