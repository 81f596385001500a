// The rule catalogue, in the order the engine tries them (order is important: cheap local identities
// first, so that the costly term collection sees already-tidied operands).
import type { Rule } from '../rule.js';
import { collectTerms } from './collect.js';
import {
  additiveZero,
  annihilate,
  doubleNegation,
  foldConstants,
  multiplicativeIdentity,
  scalarConstants,
} from './constants.js';
import { inverseFunctions, rowsSumToOne, trivialSum } from './functions.js';
import {
  diagonalScaling,
  factorProducts,
  innerProduct,
  onesProduct,
  pullScalars,
  pullScalarsFromReductions,
  scalarKron,
  scalarMatmul,
} from './matmul.js';
import { transposeProduct, transposeSimple, transposeThrough } from './transpose.js';

export const RULES: readonly Rule[] = [
  scalarConstants,
  foldConstants,
  annihilate,
  additiveZero,
  multiplicativeIdentity,
  doubleNegation,
  transposeSimple,
  transposeThrough,
  transposeProduct,
  scalarMatmul,
  scalarKron,
  onesProduct,
  diagonalScaling,
  innerProduct,
  pullScalars,
  pullScalarsFromReductions,
  trivialSum,
  rowsSumToOne,
  inverseFunctions,
  factorProducts,
  collectTerms,
];
