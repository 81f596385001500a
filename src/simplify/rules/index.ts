// The rule catalogue, in the order the engine tries them (order is important: cheap local identities
// first, so that the costly term collection sees already-tidied operands).
import type { Rule } from '../rule.js';
import { adjugateOfInverse, adjugateOverDeterminant } from './adjugate.js';
import { cancelInverses, mergePowers, mixedProduct, transposedChain } from './chains.js';
import { collectTerms } from './collect.js';
import {
  additiveZero,
  annihilate,
  doubleNegation,
  foldConstants,
  multiplicativeIdentity,
  scalarConstants,
} from './constants.js';
import { diagonalIdentities, inverseFunctions, rowsSumToOne, trivialSum, vectorSum } from './functions.js';
import {
  diagonalScaling,
  factorProducts,
  innerProduct,
  onesProduct,
  outerOnesBroadcast,
  pullScalars,
  pullScalarsFromReductions,
  scalarKron,
  scalarMatmul,
} from './matmul.js';
import { transposedSum, transposeProduct, transposeSimple, transposeThrough } from './transpose.js';

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
  transposedSum,
  scalarMatmul,
  adjugateOfInverse,
  adjugateOverDeterminant,
  cancelInverses,
  mergePowers,
  mixedProduct,
  transposedChain,
  outerOnesBroadcast,
  scalarKron,
  onesProduct,
  diagonalScaling,
  innerProduct,
  pullScalars,
  pullScalarsFromReductions,
  trivialSum,
  vectorSum,
  diagonalIdentities,
  rowsSumToOne,
  inverseFunctions,
  factorProducts,
  collectTerms,
];
