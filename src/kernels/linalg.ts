// Linear-algebra kernels: LU factorization, inverse, determinant, log|det|, transpose, kron.
export {};
