// The TypeScript source of the helpers a generated TS module inlines (ts-module.ts copies in only those
// it calls, with their dependencies), so the module is self-contained and type-checks under --strict.
// Every helper returns a freshly allocated row-major Matrix. The scalar functions are in ts-scalars.ts.

interface Helper {
  readonly deps: readonly string[];
  readonly code: string;
}

export const TS_HELPERS: Readonly<Record<string, Helper>> = {
  alloc: {
    deps: [],
    code: `function alloc(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}`,
  },
  fill: {
    deps: ['alloc'],
    code: `function fill(rows: number, cols: number, v: number): Matrix {
  const out = alloc(rows, cols);
  out.data.fill(v);
  return out;
}`,
  },
  clone: {
    deps: [],
    code: `function clone(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}`,
  },
  input: {
    deps: [],
    code: `/** values[name], checked against its declared rows × cols; symbolic sizes are bound in \`dims\`. */
function input(values: object, name: string, rows: number | string, cols: number | string, dims: Map<string, number>): Matrix {
  if (!Object.prototype.hasOwnProperty.call(values, name)) throw new Error(\`no value given for \${name}\`);
  const v: unknown = (values as Record<string, unknown>)[name];
  let m: Matrix | null = null;
  if (typeof v === 'number' && rows === 1 && cols === 1) m = { rows: 1, cols: 1, data: Float64Array.of(v) };
  else if (typeof v === 'object' && v !== null) {
    const c = v as { rows?: unknown; cols?: unknown; data?: unknown };
    if (typeof c.rows === 'number' && typeof c.cols === 'number' && c.data instanceof Float64Array) {
      m = { rows: c.rows, cols: c.cols, data: c.data };
    }
  }
  if (m === null || m.data.length !== m.rows * m.cols) {
    throw new Error(\`\${name} must be a Matrix {rows, cols, data: Float64Array}\${rows === 1 && cols === 1 ? ' or a number' : ''}\`);
  }
  const sides: [number | string, number][] = [[rows, m.rows], [cols, m.cols]];
  for (const [dim, size] of sides) {
    if (typeof dim === 'number') {
      if (dim !== size) throw new Error(\`\${name} is declared \${rows}×\${cols} but is \${m.rows}×\${m.cols}\`);
      continue;
    }
    const prev = dims.get(dim);
    if (prev === undefined) dims.set(dim, size);
    else if (prev !== size) throw new Error(\`\${dim} is \${prev} elsewhere but \${size} in \${name}\`);
  }
  return m;
}`,
  },
  matmul: {
    deps: ['alloc'],
    code: `/** op(a)·op(b), where op transposes when its flag is set. */
function matmul(a: Matrix, b: Matrix, ta: boolean, tb: boolean): Matrix {
  const m = ta ? a.cols : a.rows;
  const inner = ta ? a.rows : a.cols;
  const n = tb ? b.rows : b.cols;
  const [ai, ap] = ta ? [1, a.cols] : [a.cols, 1];
  const [bp, bj] = tb ? [1, b.cols] : [b.cols, 1];
  const out = alloc(m, n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < inner; p++) {
      const x = a.data[i * ai + p * ap];
      for (let j = 0; j < n; j++) out.data[i * n + j] += x * b.data[p * bp + j * bj];
    }
  }
  return out;
}`,
  },
  transpose: {
    deps: ['alloc'],
    code: `function transpose(a: Matrix): Matrix {
  const out = alloc(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}`,
  },
  line: {
    deps: [],
    code: `/** Index of entry (i, j)'s line in a reduction along dim: 0 all entries, 1 down columns, 2 across rows. */
function line(dim: number, i: number, j: number): number {
  return (dim === 2 ? i : 0) + (dim === 1 ? j : 0);
}`,
  },
  reduce: {
    deps: ['alloc', 'line'],
    code: `/** sum (or mean) of a along dim: 0 → 1×1, 1 → 1×cols, 2 → rows×1. */
function reduce(a: Matrix, dim: number, mean: boolean): Matrix {
  const out = alloc(dim === 2 ? a.rows : 1, dim === 1 ? a.cols : 1);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[line(dim, i, j)] += a.data[i * a.cols + j];
  const count = a.data.length / out.data.length;
  if (mean) for (let k = 0; k < out.data.length; k++) out.data[k] /= count;
  return out;
}`,
  },
  norm: {
    deps: ['fill'],
    code: `/** The 2-norm of a vector, the Frobenius norm of a matrix, as 1×1. */
function norm(a: Matrix): Matrix {
  // ‖a‖ = m·sqrt(Σ (aₖ/m)²) with m = max |aₖ|: entries of 1e300 do not overflow, nor 1e-300 underflow
  let m = 0;
  for (let k = 0; k < a.data.length; k++) m = Math.max(m, Math.abs(a.data[k]));
  if (!(m > 0 && m < Number.POSITIVE_INFINITY)) return fill(1, 1, m);
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += (a.data[k] / m) ** 2;
  return fill(1, 1, m * Math.sqrt(s));
}`,
  },
  logsumexp: {
    deps: ['alloc', 'fill', 'line'],
    code: `/** log Σ exp over each line of a reduction along dim, shifted by the line's maximum. */
function logsumexp(a: Matrix, dim: number): Matrix {
  const out = alloc(dim === 2 ? a.rows : 1, dim === 1 ? a.cols : 1);
  const top = fill(out.rows, out.cols, Number.NEGATIVE_INFINITY);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const l = line(dim, i, j);
      top.data[l] = Math.max(top.data[l], a.data[i * a.cols + j]);
    }
  }
  for (let k = 0; k < top.data.length; k++) if (!Number.isFinite(top.data[k])) top.data[k] = 0;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const l = line(dim, i, j);
      out.data[l] += Math.exp(a.data[i * a.cols + j] - top.data[l]);
    }
  }
  for (let k = 0; k < out.data.length; k++) out.data[k] = top.data[k] + Math.log(out.data[k]);
  return out;
}`,
  },
  logsoftmax: {
    deps: ['alloc', 'line', 'logsumexp'],
    code: `function logsoftmax(a: Matrix, dim: number): Matrix {
  const lse = logsumexp(a, dim);
  const out = alloc(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + j] - lse.data[line(dim, i, j)];
  }
  return out;
}`,
  },
  softmax: {
    deps: ['logsoftmax'],
    code: `function softmax(a: Matrix, dim: number): Matrix {
  const out = logsoftmax(a, dim);
  for (let k = 0; k < out.data.length; k++) out.data[k] = Math.exp(out.data[k]);
  return out;
}`,
  },
  trace: {
    deps: ['fill'],
    code: `function trace(a: Matrix): Matrix {
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i];
  return fill(1, 1, s);
}`,
  },
  luFactor: {
    deps: [],
    code: `/** PA = LU with partial pivoting, L unit lower and U upper packed in one array; sign = det P. */
function luFactor(a: Matrix): { readonly lu: Float64Array; readonly perm: Int32Array; readonly sign: number } {
  const n = a.rows;
  const lu = a.data.slice();
  const perm = new Int32Array(n);
  let sign = 1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) p = r;
    if (p !== c) {
      for (let j = 0; j < n; j++) [lu[c * n + j], lu[p * n + j]] = [lu[p * n + j], lu[c * n + j]];
      [perm[c], perm[p]] = [perm[p], perm[c]];
      sign = -sign;
    }
    const d = lu[c * n + c];
    if (d === 0) continue;
    for (let r = c + 1; r < n; r++) {
      const f = (lu[r * n + c] /= d);
      for (let j = c + 1; j < n; j++) lu[r * n + j] -= f * lu[c * n + j];
    }
  }
  return { lu, perm, sign };
}`,
  },
  det: {
    deps: ['fill', 'luFactor'],
    code: `function det(a: Matrix): Matrix {
  const { lu, sign } = luFactor(a);
  let d = sign;
  for (let i = 0; i < a.rows; i++) d *= lu[i * a.rows + i];
  return fill(1, 1, d);
}`,
  },
  logdet: {
    deps: ['fill', 'luFactor'],
    code: `/** log |det a| */
function logdet(a: Matrix): Matrix {
  const { lu } = luFactor(a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += Math.log(Math.abs(lu[i * a.rows + i]));
  return fill(1, 1, s);
}`,
  },
  inv: {
    deps: ['alloc', 'luFactor'],
    code: `/** a⁻¹ column by column from PA = LU; throws on a singular matrix. */
function inv(a: Matrix): Matrix {
  const n = a.rows;
  const { lu, perm } = luFactor(a);
  const out = alloc(n, n);
  const x = new Float64Array(n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let s = perm[i] === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= lu[i * n + k] * x[k];
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * x[k];
      if (lu[i * n + i] === 0) throw new Error('inv: the matrix is singular');
      x[i] = s / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) out.data[i * n + col] = x[i];
  }
  return out;
}`,
  },
  eye: {
    deps: ['alloc'],
    code: `function eye(n: number): Matrix {
  const out = alloc(n, n);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}`,
  },
  commutation: {
    deps: ['alloc'],
    code: `/** K_{m,n}: K vec(X) = vec(X'), K[i*n + j, j*m + i] = 1. */
function commutation(m: number, n: number): Matrix {
  const out = alloc(m * n, m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[(i * n + j) * m * n + j * m + i] = 1;
  return out;
}`,
  },
  matpow: {
    deps: ['eye', 'matmul'],
    code: `function matpow(a: Matrix, k: number): Matrix {
  let out = eye(a.rows);
  for (let p = 0; p < k; p++) out = matmul(out, a, false, false);
  return out;
}`,
  },
  kron: {
    deps: ['alloc'],
    code: `function kron(a: Matrix, b: Matrix): Matrix {
  const out = alloc(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++)
      for (let p = 0; p < b.rows; p++)
        for (let q = 0; q < b.cols; q++)
          out.data[(i * b.rows + p) * out.cols + j * b.cols + q] = a.data[i * a.cols + j] * b.data[p * b.cols + q];
  return out;
}`,
  },
  vec: {
    deps: ['alloc'],
    code: `/** The columns of a stacked into one column. */
function vec(a: Matrix): Matrix {
  const out = alloc(a.rows * a.cols, 1);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}`,
  },
  diagm: {
    deps: ['alloc'],
    code: `/** The diagonal matrix of a vector. */
function diagm(v: Matrix): Matrix {
  const d = v.data.length;
  const out = alloc(d, d);
  for (let i = 0; i < d; i++) out.data[i * d + i] = v.data[i];
  return out;
}`,
  },
  tril: {
    deps: ['alloc'],
    code: `/** The entries on and below the diagonal. */
function tril(a: Matrix): Matrix {
  const out = alloc(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j <= i && j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + j];
  return out;
}`,
  },
  shift: {
    deps: ['alloc'],
    code: `/** The n×n matrix with ones at (i, i + k). */
function shift(n: number, k: number): Matrix {
  const out = alloc(n, n);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < n) out.data[i * n + i + k] = 1;
  return out;
}`,
  },
  maskedSoftmax: {
    deps: ['alloc'],
    code: `/** Softmax of each row of s over the entries where the mask m is nonzero (weighted by m). */
function maskedSoftmax(s: Matrix, m: Matrix): Matrix {
  const out = alloc(s.rows, s.cols);
  for (let i = 0; i < s.rows; i++) {
    let top = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < s.cols; j++) if (m.data[i * s.cols + j] !== 0) top = Math.max(top, s.data[i * s.cols + j]);
    let total = 0;
    for (let j = 0; j < s.cols; j++) {
      const w = m.data[i * s.cols + j];
      const e = w === 0 ? 0 : w * Math.exp(s.data[i * s.cols + j] - top);
      out.data[i * s.cols + j] = e;
      total += e;
    }
    for (let j = 0; j < s.cols; j++) out.data[i * s.cols + j] = total > 0 ? out.data[i * s.cols + j] / total : 0;
  }
  return out;
}`,
  },
  norm1: {
    deps: ['fill'],
    code: `/** Σ |a_ij| as 1×1. */
function norm1(a: Matrix): Matrix {
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += Math.abs(a.data[k]);
  return fill(1, 1, s);
}`,
  },
  adj: {
    deps: ['alloc', 'det'],
    code: `/** The adjugate by cofactors: adj(a)_ij = (−1)^{i+j} det(a without row j and column i); exact at singular a. */
function adj(a: Matrix): Matrix {
  const n = a.rows;
  const out = alloc(n, n);
  if (n === 1) {
    out.data[0] = 1;
    return out;
  }
  const minor = alloc(n - 1, n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let p = 0;
      for (let r = 0; r < n; r++) {
        if (r === j) continue;
        for (let c = 0; c < n; c++) if (c !== i) minor.data[p++] = a.data[r * n + c];
      }
      out.data[i * n + j] = ((i + j) % 2 ? -1 : 1) * det(minor).data[0];
    }
  }
  return out;
}`,
  },
  diagv: {
    deps: ['alloc'],
    code: `/** The diagonal of a square matrix as a column. */
function diagv(a: Matrix): Matrix {
  const out = alloc(a.rows, 1);
  for (let i = 0; i < a.rows; i++) out.data[i] = a.data[i * a.cols + i];
  return out;
}`,
  },
};

/** The helpers `used` need, each once, dependencies first. */
export function helperSources(used: Iterable<string>): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const h = TS_HELPERS[name];
    if (!h) throw new RangeError(`internal: no TS helper ${name}`);
    h.deps.forEach(visit);
    out.push(h.code);
  };
  for (const name of used) visit(name);
  return out;
}
