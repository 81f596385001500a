// The names of the input language (README "Input language"): its functions, the words a declaration may not
// take as a name, what a name looks like, and the qualifiers.
import type { Qualifier } from '../ir/expr.js';
import { SCALAR } from '../ir/shape.js';
import { OPS } from '../ops/index.js';

/**
 * Elementwise functions of one argument (`exp`, `tanh`, …), read from the op records: every one-argument
 * op whose JS form is a scalar map and which is written as a call of its own name.
 */
export const ELEMENTWISE: readonly string[] = Object.entries(OPS).flatMap(([op, spec]) => {
  if (spec.arity !== 1 || spec.js.kind !== 'map') return [];
  const syntax = spec.text([SCALAR], {});
  return syntax.form === 'call' && syntax.name === op ? [op] : [];
});

/** Every function the language can call. */
export const FUNCTIONS: readonly string[] = [
  ...ELEMENTWISE,
  'sum',
  'mean',
  'trace',
  'det',
  'logdet',
  'inv',
  'diag',
  'norm',
  'softmax',
  'logsoftmax',
  'logsumexp',
  'eye',
  'ones',
  'zeros',
  'commutation',
  'vec',
  'kron',
  'transpose',
  'max',
  'min',
  'adj',
  'tril',
  'shift',
  'masked_softmax',
  'grad',
  'jacobian',
  'hessian',
];

/** Constants of mathjs that are not part of the language, with what to write instead. */
export const FOREIGN_CONSTANTS: ReadonlyMap<string, string> = new Map([
  ['e', '`e` is not part of the language; write exp(1)'],
  ['pi', '`pi` is not part of the language'],
  ['i', 'complex numbers are not part of the language (`i`)'],
  ['Infinity', '`Infinity` is not part of the language; numbers are finite'],
  ['NaN', '`NaN` is not part of the language'],
  ['true', '`true` is not part of the language'],
  ['false', '`false` is not part of the language'],
  ['null', '`null` is not part of the language'],
  ['undefined', '`undefined` is not part of the language'],
]);

/** Words mathjs reads as operators: a name spelled like one would never parse as a symbol. */
export const OPERATOR_WORDS: readonly string[] = ['mod', 'to', 'in', 'and', 'xor', 'or', 'not'];

const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);

/** Every reserved word with the reason, in one table (one lookup per declared name). */
const RESERVED: ReadonlyMap<string, string> = new Map([
  ...OPERATOR_WORDS.map((w): [string, string] => [w, 'an operator word']),
  ...[...FOREIGN_CONSTANTS.keys()].map((w): [string, string] => [w, 'a constant']),
  ...FUNCTIONS.map((w): [string, string] => [w, 'a function of the language']),
]);

/** A word's length (31 standing for longer) and first character code (its low 7 bits), as a flag's index. */
const headIndex = (word: string): number => (Math.min(word.length, 31) << 7) | (word.charCodeAt(0) & 127);

/** Flags the (length, first character) of each word in `words`: most names can be told apart by those alone. */
export function wordHeads(words: Iterable<string>): Uint8Array {
  const heads = new Uint8Array(32 << 7);
  for (const w of words) heads[headIndex(w)] = 1;
  return heads;
}

/** False when `word` is surely not in the set whose heads are `heads` (a word of the set is never missed). */
export function mayBeIn(heads: Uint8Array, word: string): boolean {
  return heads[headIndex(word)] === 1;
}

const RESERVED_HEADS = wordHeads(RESERVED.keys());

/** False when `name` is surely not reserved (reservedReason would return undefined): a lookup saved. */
export function mayBeReserved(name: string): boolean {
  return RESERVED_HEADS[headIndex(name)] === 1;
}

/** Why a name cannot be declared, or undefined when it can. */
export function reservedReason(name: string): string | undefined {
  return RESERVED.get(name);
}

export function isFunctionName(name: string): boolean {
  return FUNCTION_SET.has(name);
}

/** A name: a letter or `_`, then letters, digits or `_`. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const QUALIFIERS: readonly Qualifier[] = ['symmetric', 'spd', 'positive', 'onehot'];

const QUALIFIER_SET: ReadonlySet<string> = new Set(QUALIFIERS);

export function isQualifier(word: string): word is Qualifier {
  return QUALIFIER_SET.has(word);
}
