// A hand-written forward and gradient of the 2-layer relu MLP with softmax cross-entropy, over plain
// row-major Float64Arrays with i-k-j loops and no blocking: the baseline bench/codegen.ts compares with.
// loss = Σᵢ (logsumexp(Z2ᵢ) − Yᵢ·Z2ᵢ)/n, Z2 = relu(X W1 + 1b1ᵀ) W2 + 1b2ᵀ; buffers are allocated once.

export interface MlpSizes {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  readonly k: number;
}

export interface MlpData {
  readonly X: Float64Array;
  readonly Y: Float64Array;
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

export interface MlpGradients {
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

/** C (m×q) = A (m×p) · B (p×q) + 1·biasᵀ, i-k-j order. */
function affine(
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  bias: Float64Array,
  m: number,
  p: number,
  q: number,
) {
  for (let i = 0; i < m; i++) {
    const row = i * q;
    for (let j = 0; j < q; j++) C[row + j] = bias[j];
    for (let t = 0; t < p; t++) {
      const a = A[i * p + t];
      const brow = t * q;
      for (let j = 0; j < q; j++) C[row + j] += a * B[brow + j];
    }
  }
}

export function handwrittenMlp({ n, d, h, k }: MlpSizes) {
  const Z1 = new Float64Array(n * h);
  const H = new Float64Array(n * h);
  const Z2 = new Float64Array(n * k);
  const D2 = new Float64Array(n * k);
  const G1 = new Float64Array(n * h);
  const grads: MlpGradients = {
    W1: new Float64Array(d * h),
    b1: new Float64Array(h),
    W2: new Float64Array(h * k),
    b2: new Float64Array(k),
  };

  /** Z1, H, Z2 from the data. */
  function layers(v: MlpData): void {
    affine(Z1, v.X, v.W1, v.b1, n, d, h);
    for (let i = 0; i < n * h; i++) H[i] = Math.max(Z1[i], 0);
    affine(Z2, H, v.W2, v.b2, n, h, k);
  }

  function forward(v: MlpData): number {
    layers(v);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) if (Z2[row + j] > m) m = Z2[row + j];
      let s = 0;
      let yz = 0;
      for (let j = 0; j < k; j++) {
        s += Math.exp(Z2[row + j] - m);
        yz += v.Y[row + j] * Z2[row + j];
      }
      loss += m + Math.log(s) - yz;
    }
    return loss / n;
  }

  function gradient(v: MlpData): MlpGradients {
    layers(v);
    // D2 = (softmax(Z2) − Y)/n, row by row
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < k; j++) if (Z2[row + j] > m) m = Z2[row + j];
      let s = 0;
      for (let j = 0; j < k; j++) {
        D2[row + j] = Math.exp(Z2[row + j] - m);
        s += D2[row + j];
      }
      for (let j = 0; j < k; j++) D2[row + j] = (D2[row + j] / s - v.Y[row + j]) / n;
    }
    const { W1: gW1, b1: gb1, W2: gW2, b2: gb2 } = grads;
    // ∇W2 = Hᵀ D2, ∇b2 = D2ᵀ 1
    gW2.fill(0);
    gb2.fill(0);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < h; t++) {
        const a = H[i * h + t];
        if (a === 0) continue;
        for (let j = 0; j < k; j++) gW2[t * k + j] += a * D2[i * k + j];
      }
      for (let j = 0; j < k; j++) gb2[j] += D2[i * k + j];
    }
    // G1 = (D2 W2ᵀ) ⊙ step(Z1)
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < h; t++) {
        let s = 0;
        if (Z1[i * h + t] > 0) for (let j = 0; j < k; j++) s += D2[i * k + j] * v.W2[t * k + j];
        G1[i * h + t] = s;
      }
    }
    // ∇W1 = Xᵀ G1, ∇b1 = G1ᵀ 1
    gW1.fill(0);
    gb1.fill(0);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) {
        const a = v.X[i * d + t];
        if (a === 0) continue;
        const row = t * h;
        for (let j = 0; j < h; j++) gW1[row + j] += a * G1[i * h + j];
      }
      for (let j = 0; j < h; j++) gb1[j] += G1[i * h + j];
    }
    return grads;
  }

  return { forward, gradient };
}
