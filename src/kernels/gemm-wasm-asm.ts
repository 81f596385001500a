// A minimal WebAssembly assembler: the instructions gemm-wasm-kernel.ts uses (i32 control flow and address
// arithmetic, f64x2 SIMD, relaxed-SIMD multiply-add), written as methods named after their text-format
// mnemonics, and the module container (type, import, function, export and code sections) importing its
// memory, shared or not. Binary format: WebAssembly Core Spec 2.0, §5; shared memory: the threads proposal.

/** Value types (§5.3.1, §5.3.2). */
export const i32 = 0x7f;
export const f64 = 0x7c;
export const v128 = 0x7b;
export type ValType = typeof i32 | typeof f64 | typeof v128;

/** Unsigned LEB128 (§5.2.2). */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (§5.2.2). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A vector: its length, then its items (§5.1.3). */
function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A section: its id, its byte size, its contents (§5.5.2). */
function section(id: number, contents: readonly number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

/** An instruction sequence under construction; each method appends one instruction and returns `this`. */
export class Code {
  readonly bytes: number[] = [];
  private readonly locals: ValType[];

  constructor(params: readonly ValType[]) {
    this.locals = [...params];
  }

  /** Declares a local of `type` and returns its index (parameters come first). */
  local(type: ValType): number {
    this.locals.push(type);
    return this.locals.length - 1;
  }

  /** Local declarations after the parameters, run-length encoded (§5.5.13). */
  localDecls(paramCount: number): number[] {
    const runs: number[][] = [];
    for (let i = paramCount; i < this.locals.length; ) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      runs.push([...uleb(j - i), this.locals[i]]);
      i = j;
    }
    return vec(runs);
  }

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  /** SIMD instructions: prefix 0xfd, then the opcode as u32 LEB128 (§5.4.8). */
  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...immediates);
  }

  /** memarg: log2 of the alignment hint, then the static byte offset (§5.4.6). */
  private memarg(alignLog2: number, offset: number): number[] {
    return [...uleb(alignLog2), ...uleb(offset)];
  }

  // Control (§5.4.1); 0x40 is the empty block type.
  block(body: () => void): this {
    this.op(0x02, 0x40);
    body();
    return this.op(0x0b);
  }
  loop(body: () => void): this {
    this.op(0x03, 0x40);
    body();
    return this.op(0x0b);
  }
  if(then: () => void): this {
    this.op(0x04, 0x40);
    then();
    return this.op(0x0b);
  }
  ifElse(then: () => void, otherwise: () => void): this {
    this.op(0x04, 0x40);
    then();
    this.op(0x05);
    otherwise();
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  select(): this {
    return this.op(0x1b);
  }
  drop(): this {
    return this.op(0x1a);
  }

  // Variables (§5.4.4).
  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...uleb(local));
  }

  // i32 numeric (§5.4.7).
  i32(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32LeU(): this {
    return this.op(0x4d);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }

  // Scalar f64 memory and constants (§5.4.6, §5.4.7); memory.copy is the bulk-memory memmove (§5.4.6).
  f64Load(offset: number): this {
    return this.op(0x2b, ...this.memarg(3, offset));
  }
  f64Store(offset: number): this {
    return this.op(0x39, ...this.memarg(3, offset));
  }
  f64Zero(): this {
    return this.op(0x44, 0, 0, 0, 0, 0, 0, 0, 0);
  }
  memoryCopy(): this {
    return this.op(0xfc, ...uleb(10), 0x00, 0x00);
  }

  // Vector (§5.4.8): loads and stores take a memarg; f64x2 ops work lane-wise on two doubles.
  v128Load(offset: number): this {
    return this.simd(0x00, ...this.memarg(3, offset));
  }
  v128Load64Splat(offset: number): this {
    return this.simd(0x0a, ...this.memarg(3, offset));
  }
  v128Store(offset: number): this {
    return this.simd(0x0b, ...this.memarg(3, offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  /** Bytes of a (lanes 0–15) and b (16–31) by 16 immediate lane indices: opcode 0x0d. */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31))
      throw new RangeError('i8x16.shuffle takes 16 lane indices in 0..31');
    return this.simd(0x0d, ...lanes);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  /** a·b + c, fused or not (relaxed SIMD, opcode 0x107): operands a, b, c on the stack in that order. */
  f64x2RelaxedMadd(): this {
    return this.simd(0x107);
  }
}

/** An exported function: its name, parameter types (no results) and body. */
export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly body: Code;
}

/** The imported memory env.memory: at least `pages` 64 KiB pages; a shared one needs a maximum (§5.3.4). */
export interface MemoryImport {
  readonly pages: number;
  readonly shared?: { readonly maxPages: number };
}

/** A module exporting `functions` (each with its own type) and importing its memory as env.memory. */
export function moduleBytes(
  functions: readonly FunctionDef[],
  memory: MemoryImport,
): Uint8Array<ArrayBuffer> {
  const encodeName = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));
  const funcTypes = functions.map(({ params }) => [0x60, ...vec(params.map((p) => [p])), ...vec([])]);
  const bodies = functions.map(({ params, body }) => {
    const code = [...body.localDecls(params.length), ...body.bytes, 0x0b];
    return [...uleb(code.length), ...code];
  });
  const exports = functions.map(({ name }, i) => [...encodeName(name), 0x00, ...uleb(i)]);
  // limits: 0x00 min, or 0x03 min max shared
  const limits = memory.shared
    ? [0x03, ...uleb(memory.pages), ...uleb(memory.shared.maxPages)]
    : [0x00, ...uleb(memory.pages)];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec(funcTypes)), // type section: function i has type i
    ...section(2, vec([[...encodeName('env'), ...encodeName('memory'), 0x02, ...limits]])), // import section
    ...section(3, vec(functions.map((_, i) => uleb(i)))), // function section
    ...section(7, vec(exports)), // export section
    ...section(10, vec(bodies)), // code section
  ]);
}
