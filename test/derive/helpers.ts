// Shared by the derive tests: build the writeup of a derivation file once per options, and capture CLI io.
import { readFileSync } from 'node:fs';
import { derivationFiles, shownPath } from '../../src/derive/site.js';
import type { StepOptions } from '../../src/derive/steps.js';
import { buildWriteup, type Writeup } from '../../src/derive/writeup.js';

export { capture } from '../helpers/io.js';

export const FILES = derivationFiles('derivations');

const cache = new Map<string, Promise<Writeup>>();

export function writeup(
  file: string,
  opts: StepOptions = { style: 'steps', layout: 'denominator' },
): Promise<Writeup> {
  const key = `${file}|${opts.style}|${opts.layout}`;
  let w = cache.get(key);
  if (!w) {
    w = buildWriteup(readFileSync(file, 'utf8'), shownPath(file), opts);
    cache.set(key, w);
  }
  return w;
}
