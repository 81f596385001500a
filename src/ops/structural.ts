// Structural ops: vec, diag (both directions), eye, ones, zeros, and dim sizes as scalars.
export {};
