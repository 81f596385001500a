// The WebAssembly SIMD gemm program, three exported functions over byte addresses in linear memory:
// pack (strided matrix → panels), gemm (C = α·Ã·B̃ over panels, f64x2 lanes, multiply-adds fused where relaxed
// SIMD is asked for), compact (padded C → m×n); the memory is imported, shared when threads use it.
// Panels: X (rows×k) in panels of w rows, panel r at element r·w·k, entry (i, p) at p·w + i mod w.
import {
  Code,
  type FunctionDef,
  i32,
  type MemoryImport,
  moduleBytes,
  type ValType,
  v128,
} from './gemm-wasm-asm.js';

/** Register tile: mr×nr tiles of C accumulate in mr·nr/2 f64x2 locals (nr even); `unroll` (a power of 2)
 * k steps per loop iteration. */
export interface TileShape {
  readonly mr: number;
  readonly nr: number;
  readonly unroll: number;
  /** Multiply-add with f64x2.relaxed_madd (relaxed SIMD) instead of f64x2.mul then f64x2.add. */
  readonly fma?: boolean;
  /**
   * Rows of the tile per pinned group (0 or unset: none). After each group but the last, the k loop gets an
   * exit that is never taken but whose target reads the accumulators, so the group's multiply-adds must be
   * done before the next group's loads. Without it TurboFan places the (pure) arithmetic after every load of
   * the k step, and more than 8 accumulators spill to the stack.
   */
  readonly pinRows?: number;
}

export function gemmModule(tile: TileShape, memory: MemoryImport = { pages: 1 }): Uint8Array<ArrayBuffer> {
  const fns = [
    pack('packA', tile.mr),
    pack('packB', tile.nr),
    gemm('gemm', tile, false),
    gemm('gemmRows', tile, true),
    compact(),
  ];
  return moduleBytes(fns, memory);
}

/**
 * pack(src, dst, rows, k, rs, cs, panelBytes): panels of w rows of X, panel r at dst + r·panelBytes (w·k·8
 * for whole panels; more when X holds steps p0.. of a deeper matrix), where X[i, p] is at src + i·rs + p·cs,
 * rows beyond `rows` zero: they only reach padding of C, but zeros keep stale NaN and subnormals out of the
 * arithmetic. Loads of those rows stay inside src's region when it spans ceil(rows/w)·w·k doubles.
 * Full panels move in f64x2 lanes: w contiguous doubles per step when rs = 8 (a transposed A, an
 * untransposed B), else two steps of w rows at a time when cs = 8, interleaved by shuffles.
 */
function pack(name: string, w: number): FunctionDef {
  const params: ValType[] = [i32, i32, i32, i32, i32, i32, i32];
  const f = new Code(params);
  const [src, dst, rows, k, rs, cs, panelBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [r0, s, p, d] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  const rowOffset = Array.from({ length: w }, () => f.local(i32));
  const pairs = Array.from({ length: w }, () => f.local(v128));
  const panelRowBytes = 8 * w;
  for (let i = 1; i < w; i++) f.get(rs).i32(i).i32Mul().set(rowOffset[i]);
  const rowAt = (i: number) => {
    f.get(s);
    if (i > 0) f.get(rowOffset[i]).i32Add();
  };

  // p ≥ 1 steps, a double at a time
  const scalarSteps = (partial: boolean) => {
    f.loop(() => {
      for (let i = 0; i < w; i++) {
        f.get(d);
        rowAt(i);
        f.f64Load(0);
        // row r0 + i < rows ? X[r0 + i, p] : 0
        if (partial) f.f64Zero().get(r0).i32(i).i32Add().get(rows).i32LtU().select();
        f.f64Store(8 * i);
      }
      f.get(d).i32(panelRowBytes).i32Add().set(d);
      f.get(s).get(cs).i32Add().set(s);
      f.get(p).i32(1).i32Sub().tee(p).brIf(0);
    });
  };
  // X[r0.., p] is w contiguous doubles (`panels` panels side by side, the next one panelBytes on in dst:
  // two panels read the source's cache lines whole)
  const contiguousSteps = (panels: number) => {
    f.loop(() => {
      for (let q = 0; q < panels; q++) {
        for (let at = 0; at < 8 * w; at += 16) {
          f.get(d);
          if (q > 0) f.get(panelBytes).i32Add();
          f.get(s);
          if (at + 16 <= 8 * w) f.v128Load(8 * w * q + at).v128Store(at);
          else f.f64Load(8 * w * q + at).f64Store(at);
        }
      }
      f.get(d).i32(panelRowBytes).i32Add().set(d);
      f.get(s).get(cs).i32Add().set(s);
      f.get(p).i32(1).i32Sub().tee(p).brIf(0);
    });
  };
  // steps p, p + 1 of row i are one f64x2 (cs = 8); the panel wants X[r0.., p] then X[r0.., p + 1]
  const pairedSteps = () => {
    f.loop(() => {
      for (let i = 0; i < w; i++) {
        rowAt(i);
        f.v128Load(0).set(pairs[i]);
      }
      for (let q = 0; q < w; q++) {
        // doubles 2q and 2q + 1 of the 2w written; double t is (row t mod w, step t div w)
        const [i0, s0, i1, s1] = [
          (2 * q) % w,
          Math.floor((2 * q) / w),
          (2 * q + 1) % w,
          Math.floor((2 * q + 1) / w),
        ];
        const lane = (x: number, from: number) => Array.from({ length: 8 }, (_, b) => from + 8 * x + b);
        f.get(d)
          .get(pairs[i0])
          .get(pairs[i1])
          .i8x16Shuffle([...lane(s0, 0), ...lane(s1, 16)])
          .v128Store(16 * q);
      }
      f.get(d)
        .i32(2 * panelRowBytes)
        .i32Add()
        .set(d);
      f.get(s).i32(16).i32Add().set(s);
      f.get(p).i32(1).i32Sub().tee(p).brIf(0);
    });
  };

  const fullPanel = () => {
    f.get(rs).i32(8).i32Eq();
    f.ifElse(
      () => {
        f.get(k).set(p);
        // r0 + 2w ≤ rows: this panel and the next one together
        f.get(r0)
          .i32(2 * w)
          .i32Add()
          .get(rows)
          .i32LeU();
        f.ifElse(
          () => {
            contiguousSteps(2);
            f.get(dst).get(panelBytes).i32Add().set(dst);
            f.get(r0).i32(w).i32Add().set(r0);
          },
          () => contiguousSteps(1),
        );
      },
      () => {
        // cs = 8 and k ≥ 2: pairs of steps, then the odd one left
        f.get(cs).i32(8).i32Eq().get(k).i32(2).i32GeU().i32And();
        f.ifElse(
          () => {
            f.get(k).i32(1).i32ShrU().set(p);
            pairedSteps();
            f.get(k).i32(1).i32And().tee(p);
            f.if(() => scalarSteps(false));
          },
          () => {
            f.get(k).set(p);
            scalarSteps(false);
          },
        );
      },
    );
  };

  f.i32(0).set(r0);
  f.loop(() => {
    f.get(src).get(r0).get(rs).i32Mul().i32Add().set(s);
    f.get(dst).set(d);
    // rows < r0 + w: the last, partial panel
    f.get(rows).get(r0).i32(w).i32Add().i32LtU();
    f.ifElse(() => {
      f.get(k).set(p);
      scalarSteps(true);
    }, fullPanel);
    f.get(dst).get(panelBytes).i32Add().set(dst);
    f.get(r0).i32(w).i32Add().tee(r0).get(rows).i32LtU().brIf(0);
  });
  return { name, params, body: f };
}

/**
 * compact(src, dst, rows, n, np): moves `rows` rows of n doubles, np apart at src, to n apart at dst (dst ≤
 * src, n ≤ np), first to last, so rows still to move are never overwritten.
 */
function compact(): FunctionDef {
  const params: ValType[] = [i32, i32, i32, i32, i32];
  const f = new Code(params);
  const [src, dst, rows, n, np] = [0, 1, 2, 3, 4];
  const i = f.local(i32);
  f.i32(0).set(i);
  f.loop(() => {
    f.get(dst).get(i).get(n).i32Mul().i32(8).i32Mul().i32Add();
    f.get(src).get(i).get(np).i32Mul().i32(8).i32Mul().i32Add();
    f.get(n).i32(8).i32Mul().memoryCopy();
    f.get(i).i32(1).i32Add().tee(i).get(rows).i32LtU().brIf(0);
  });
  return { name: 'compact', params, body: f };
}

/**
 * gemm(a, b, c, mp, np, k, kcMax, mcMax, αAt, aPerRow, aStep): C (mp×np) = α·op(A) (mp×k) · B̃ (k×np panels
 * of nr), α the f64 at byte address αAt (read from memory, so that no caller boxes a double to pass it).
 * op(A)[i, p] is the f64 at a + i·aPerRow + p·aStep, rows of a tile 8 bytes apart (Ã panels: aPerRow =
 * 8k, aStep = 8·mr; a transposed A in place: aPerRow = 8, aStep = 8m); `rowsInPlace` (gemmRows) instead reads
 * rows aPerRow apart with aStep = 8 (an untransposed A in place, unpacked).
 * Loop nest (GotoBLAS): k in blocks of ≤ kcMax (a B̃ micro-panel kc×nr stays in L1), rows in blocks of
 * ≤ mcMax (the Ã block mc×kc stays in L2), then column panels, row panels, and the register tile.
 * The first k block stores α·tile and later ones add theirs, so C needs no clearing.
 */
function gemm(
  name: string,
  { mr, nr, unroll, fma, pinRows = 0 }: TileShape,
  rowsInPlace: boolean,
): FunctionDef {
  const params: ValType[] = [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32];
  const f = new Code(params);
  const [a, b, c, mp, np, k, kcMax, mcMax, alphaAt, aPerRow, aStep] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [pc, kc, ic, icEnd, jr, ir, ap, bp, rp, p, rowBytes] = Array.from({ length: 11 }, () => f.local(i32));
  // rows in place: a pointer per row of the tile (a wasm address is an i32 sum, so a runtime row stride
  // cannot be an addressing-mode offset)
  const aRow = rowsInPlace ? Array.from({ length: mr }, () => f.local(i32)) : [];
  const vecs = nr / 2;
  const acc = Array.from({ length: mr }, () => Array.from({ length: vecs }, () => f.local(v128)));
  const bv = Array.from({ length: vecs }, () => f.local(v128));
  const av = f.local(v128);
  const alphas = f.local(v128);
  const unrollMask = unroll - 1;

  // exits to `depth` if p = 2³² − 1 − id: never, as 1 ≤ p ≤ kc < 2³¹; distinct ids keep TurboFan's branch
  // elimination from folding one exit into another
  const pinExit = (id: number, depth: number) =>
    f
      .get(p)
      .i32(-1 - id)
      .i32Eq()
      .brIf(depth);
  // acc[i][j] += splat(Ã[p, i]) · B̃[p, 2j..2j+1]
  const step = (s: number, exitDepth: number) => {
    const bAt = 8 * nr * s;
    for (let j = 0; j < vecs; j++) {
      const at = bAt + 16 * j;
      f.get(bp).v128Load(at).set(bv[j]);
    }
    for (let i = 0; i < mr; i++) {
      if (rowsInPlace)
        f.get(aRow[i])
          .v128Load64Splat(8 * s)
          .set(av);
      else
        f.get(ap)
          .v128Load64Splat(8 * i)
          .set(av);
      for (let j = 0; j < vecs; j++) {
        if (fma) f.get(av).get(bv[j]).get(acc[i][j]).f64x2RelaxedMadd().set(acc[i][j]);
        else f.get(acc[i][j]).get(av).get(bv[j]).f64x2Mul().f64x2Add().set(acc[i][j]);
      }
      if (pinRows > 0 && (i + 1) % pinRows === 0 && i < mr - 1) pinExit(s * mr + i, exitDepth);
    }
    if (!rowsInPlace) f.get(ap).get(aStep).i32Add().set(ap);
  };
  const advance = (steps: number) => {
    if (rowsInPlace)
      for (const row of aRow)
        f.get(row)
          .i32(8 * steps)
          .i32Add()
          .set(row);
    f.get(bp)
      .i32(8 * nr * steps)
      .i32Add()
      .set(bp);
  };
  const microKernel = () => {
    for (const row of acc) for (const x of row) f.v128Zero().set(x);
    if (rowsInPlace) {
      f.get(ap).set(aRow[0]);
      for (let i = 1; i < mr; i++)
        f.get(aRow[i - 1])
          .get(aPerRow)
          .i32Add()
          .set(aRow[i]);
    }
    // kc mod unroll single steps, then kc div unroll unrolled ones
    f.get(kc).i32(unrollMask).i32And().set(p);
    f.block(() => {
      f.get(p).i32Eqz().brIf(0);
      f.loop(() => {
        step(0, 1);
        advance(1);
        f.get(p).i32(1).i32Sub().tee(p).brIf(0);
      });
    });
    f.get(kc).i32(unroll).i32GeU();
    f.if(() => {
      f.get(kc).get(kc).i32(unrollMask).i32And().i32Sub().set(p);
      f.loop(() => {
        for (let s = 0; s < unroll; s++) step(s, 1);
        advance(unroll);
        f.get(p).i32(unroll).i32Sub().tee(p).brIf(0);
      });
    });
  };

  // C[ir.., jr..] (=|+=) acc, a row of the tile at a time.
  const writeTile = (accumulate: boolean) => {
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < vecs; j++) {
        f.get(rp);
        const at = 16 * j;
        if (accumulate) f.get(rp).v128Load(at).get(acc[i][j]).get(alphas).f64x2Mul().f64x2Add();
        else f.get(acc[i][j]).get(alphas).f64x2Mul();
        f.v128Store(at);
      }
      if (i < mr - 1) f.get(rp).get(rowBytes).i32Add().set(rp);
    }
  };

  f.get(np).i32(8).i32Mul().set(rowBytes);
  f.get(alphaAt).v128Load64Splat(0).set(alphas);
  f.i32(0).set(pc);
  f.loop(() => {
    // kc = min(kcMax, k − pc)
    f.get(kcMax).get(k).get(pc).i32Sub().tee(kc).get(kcMax).get(kc).i32LtU().select().set(kc);
    f.i32(0).set(ic);
    f.loop(() => {
      // icEnd = min(ic + mcMax, mp)
      f.get(ic).get(mcMax).i32Add().tee(icEnd).get(mp).get(icEnd).get(mp).i32LtU().select().set(icEnd);
      f.i32(0).set(jr);
      f.loop(() => {
        f.get(ic).set(ir);
        f.loop(() => {
          // ap = a + ir·aPerRow + pc·aStep, bp = b + 8·(jr·k + pc·nr), rp = c + 8·(ir·np + jr)
          f.get(a).get(ir).get(aPerRow).i32Mul().i32Add().get(pc).get(aStep).i32Mul().i32Add().set(ap);
          f.get(b).get(jr).get(k).i32Mul().get(pc).i32(nr).i32Mul().i32Add().i32(8).i32Mul().i32Add().set(bp);
          microKernel();
          f.get(c).get(ir).get(np).i32Mul().get(jr).i32Add().i32(8).i32Mul().i32Add().set(rp);
          f.get(pc).i32Eqz();
          f.ifElse(
            () => writeTile(false),
            () => writeTile(true),
          );
          f.get(ir).i32(mr).i32Add().tee(ir).get(icEnd).i32LtU().brIf(0);
        });
        f.get(jr).i32(nr).i32Add().tee(jr).get(np).i32LtU().brIf(0);
      });
      f.get(icEnd).tee(ic).get(mp).i32LtU().brIf(0);
    });
    f.get(pc).get(kc).i32Add().tee(pc).get(k).i32LtU().brIf(0);
  });
  return { name, params, body: f };
}
