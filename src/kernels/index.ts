// The numeric kernels, as one namespace: what compiled closures and exported TS modules call.
export * from './elementwise.js';
export * from './gemm.js';
export * from './linalg.js';
export * from './matrix.js';
export * from './nn.js';
export * from './reduce.js';
export * from './scalar.js';
export * from './scratch.js';
export * from './sequence.js';
export * from './special.js';
export * from './structural.js';
