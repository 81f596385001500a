// Full garbage collections from inside a test (V8's gc, exposed at run time), and waits between them so
// that finalizers and the weak tables' sweeps after a collection run too.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Four full collections, each followed by a turn of the event loop. */
export async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}
