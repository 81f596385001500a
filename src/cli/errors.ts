// The one place an error becomes the CLI's message: `matcalc: error: …` with the position, then the
// caret picture when input text is at fault. Its own module, so commands (derive lists failing files) can
// use it without importing main.ts, which must stay the bundle's entry to know it was run directly.
import { MatcalcError } from '../ir/errors.js';
import { ThreadsError } from '../kernels/gemm.js';
import { SingularMatrixError } from '../kernels/linalg.js';
import { formatCaret } from '../parse/position.js';

/** The one-line message, with the position, then the caret picture when input text is at fault. */
export function errorMessage(e: unknown): string {
  if (e instanceof MatcalcError) {
    const pos = e.pos;
    const where = pos ? ` at ${pos.file ? `${pos.file}:` : ''}${pos.line}:${pos.column}` : '';
    const caret = pos ? formatCaret(pos) : '';
    return `matcalc: error: ${e.message}${where}${caret ? `\n${caret}` : ''}`;
  }
  if (e instanceof SingularMatrixError || e instanceof ThreadsError) return `matcalc: error: ${e.message}`;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'matcalc: error: expression nested too deeply to process';
  }
  const msg = e instanceof Error ? e.message : String(e);
  return `matcalc: error: internal error: ${msg.split('\n')[0]}`;
}
