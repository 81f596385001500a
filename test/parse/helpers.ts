// Shared by the parse tests: catch a matcalc error and check its class, message and position.
import { expect } from 'vitest';
import { MatcalcError } from '../../src/ir/errors.js';

export function errorOf(f: () => unknown): MatcalcError {
  try {
    f();
  } catch (e) {
    if (e instanceof MatcalcError) return e;
    throw e;
  }
  throw new Error('expected an error, got none');
}

/** Assert the error's class, that its message matches, and where it points (line, column[, length]). */
export function expectError(
  f: () => unknown,
  kind: abstract new (...args: never[]) => MatcalcError,
  message: RegExp,
  at: readonly [line: number, column: number, length?: number],
): MatcalcError {
  const e = errorOf(f);
  expect(e).toBeInstanceOf(kind);
  expect(e.message).toMatch(message);
  expect(e.pos?.line).toBe(at[0]);
  expect(e.pos?.column).toBe(at[1]);
  if (at[2] !== undefined) expect(e.pos?.length).toBe(at[2]);
  return e;
}
