/**
 * GGUF v3 written by hand (ggml docs/gguf.md; llama.cpp ggml/src/gguf.cpp), for tests and
 * bench:fit: magic, version, counts, key/values, tensor infos, padding, tensor data. No library
 * writes tensors (@huggingface/gguf serializes metadata only), and the format is small.
 *
 * llama.cpp is stricter than the spec in ways this file honours: each tensor's offset must be the
 * running sum of its predecessors' sizes padded to the alignment, `ne[0]` a multiple of the type's
 * block size, names under 64 bytes. Weights are deterministic pseudo-random values, zeros written
 * sparsely (a hole the size of the data, seconds for gigabytes), or absent (a header-only file:
 * enough for node-llama-cpp's resource estimate, not for loading).
 */
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";

const ALIGNMENT = 32;

export type GgufValue =
  | { type: "u32" | "i32" | "f32" | "u64"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; of: "string"; value: readonly string[] }
  | { type: "array"; of: "f32" | "i32" | "u32"; value: readonly number[] }
  | { type: "array"; of: "bool"; value: readonly boolean[] };

/** The ggml tensor types this writer produces: plain floats and the simplest 8-bit quant. */
export type TensorType = "F32" | "F16" | "Q8_0";

export interface TensorSpec {
  name: string;
  /** `ne`, innermost (contiguous) dimension first, as llama.cpp creates tensors: `{n_embd, n_vocab}`. */
  dims: readonly number[];
  type: TensorType;
  /** Values are drawn in [-scale, scale] (default 0.05); norms want 1 (`constant`). */
  scale?: number;
  constant?: number;
  /** Each element's value by its index (innermost dimension fastest): a model whose output is set, not drawn. F32 and F16 only. */
  at?: (index: number) => number;
}

export type Weights = "random" | "zeros" | "none";

const VALUE_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;
const GGML_TYPE: Record<TensorType, number> = { F32: 0, F16: 1, Q8_0: 8 };
/** Elements per block and bytes per block (ggml-common.h): Q8_0 is an f16 scale and 32 int8. */
const BLOCK: Record<TensorType, { elements: number; bytes: number }> = {
  F32: { elements: 1, bytes: 4 },
  F16: { elements: 1, bytes: 2 },
  Q8_0: { elements: 32, bytes: 34 },
};

export const u32 = (value: number): GgufValue => ({ type: "u32", value });
export const f32 = (value: number): GgufValue => ({ type: "f32", value });
export const str = (value: string): GgufValue => ({ type: "string", value });
export const bool = (value: boolean): GgufValue => ({ type: "bool", value });

export function tensorBytes(t: Pick<TensorSpec, "dims" | "type">): number {
  const block = BLOCK[t.type];
  const [row = 1, ...rest] = t.dims;
  if (row % block.elements !== 0) throw new Error(`ne[0]=${row} is not a multiple of ${t.type}'s block size`);
  return (row / block.elements) * block.bytes * rest.reduce((a, b) => a * b, 1);
}

const pad = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/** A growable little-endian byte sink for the header. */
class Bytes {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
  u32(v: number): void {
    this.room(4);
    this.length = this.buf.writeUInt32LE(v, this.length);
  }
  i32(v: number): void {
    this.room(4);
    this.length = this.buf.writeInt32LE(v, this.length);
  }
  f32(v: number): void {
    this.room(4);
    this.length = this.buf.writeFloatLE(v, this.length);
  }
  u64(v: number): void {
    this.room(8);
    this.length = this.buf.writeBigUInt64LE(BigInt(v), this.length);
  }
  u8(v: number): void {
    this.room(1);
    this.length = this.buf.writeUInt8(v, this.length);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.room(bytes.length);
    this.length += bytes.copy(this.buf, this.length);
  }
  value(v: GgufValue): void {
    if (v.type === "bool") this.u8(v.value ? 1 : 0);
    else if (v.type === "string") this.string(v.value);
    else if (v.type === "array") {
      this.u32(VALUE_TYPE[v.of]);
      this.u64(v.value.length);
      for (const item of v.value) this.value({ type: v.of, value: item } as GgufValue);
    } else this[v.type](v.value);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** mulberry32: tiny, fast, and the same numbers on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
/** IEEE half from a float, round-to-nearest (the range used here has no overflow or subnormals to care about). */
export function toHalf(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exp <= 0) return sign; // too small: zero
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((bits >>> 13) & 0x3ff) | 0;
}

/** One tensor's data: `count` elements encoded as `type`, written in chunks. */
function* encode(t: TensorSpec, next: () => number): Generator<Buffer> {
  const total = t.dims.reduce((a, b) => a * b, 1);
  const drawn = () => t.constant ?? (next() * 2 - 1) * (t.scale ?? 0.05);
  const value = t.at ?? drawn;
  if (t.at && t.type === "Q8_0") throw new Error(`${t.name}: set values (at) are written as F32 or F16 only`);
  const CHUNK = 1 << 16; // elements, a multiple of every block size
  for (let start = 0; start < total; start += CHUNK) {
    const n = Math.min(CHUNK, total - start);
    if (t.type === "F32") {
      const out = Buffer.alloc(n * 4);
      for (let i = 0; i < n; i++) out.writeFloatLE(value(start + i), i * 4);
      yield out;
    } else if (t.type === "F16") {
      const out = Buffer.alloc(n * 2);
      for (let i = 0; i < n; i++) out.writeUInt16LE(toHalf(value(start + i)), i * 2);
      yield out;
    } else {
      // Q8_0 blocks (ggml-common.h block_q8_0): an f16 scale d, then 32 int8 quants; a value is d·q.
      // Random quants under one scale per tensor: the same distribution as quantizing uniform
      // noise, at a few hundred MB/s instead of a float per element (bench:fit writes gigabytes).
      const d = toHalf((t.constant ?? t.scale ?? 0.05) / 127);
      const out = Buffer.alloc((n / 32) * 34);
      for (let b = 0; b < n / 32; b++) {
        out.writeUInt16LE(d, b * 34);
        for (let i = 0; i < 32; i += 4) out.writeUInt32LE((next() * 4294967296) >>> 0, b * 34 + 2 + i);
      }
      if (t.constant !== undefined) for (let b = 0; b < n / 32; b++) out.fill(127, b * 34 + 2, b * 34 + 34);
      yield out;
    }
  }
}

export interface WrittenGguf {
  path: string;
  /** Bytes of the whole file as llama.cpp expects it (also for a header-only file: what it would be). */
  fileBytes: number;
  /** Where tensor data starts. */
  dataOffset: number;
}

/**
 * Write a GGUF v3 file. Key order is kept as given; tensors are laid out in the order given.
 * `weights: "none"` stops after the header (and pads to the data offset).
 */
export function writeGguf(
  path: string,
  input: { metadata: Record<string, GgufValue>; tensors: readonly TensorSpec[]; weights?: Weights; seed?: number },
): WrittenGguf {
  const header = new Bytes();
  for (const byte of Buffer.from("GGUF")) header.u8(byte);
  header.u32(3);
  header.u64(input.tensors.length);
  const metadata = { ...input.metadata, "general.alignment": u32(ALIGNMENT) };
  header.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    header.string(key);
    header.u32(VALUE_TYPE[value.type]);
    header.value(value);
  }
  let offset = 0;
  for (const t of input.tensors) {
    if (Buffer.byteLength(t.name) >= 64) throw new Error(`tensor name too long for llama.cpp: ${t.name}`);
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(GGML_TYPE[t.type]);
    header.u64(offset);
    offset += pad(tensorBytes(t));
  }
  const dataOffset = pad(header.length);
  const fileBytes = dataOffset + offset;
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header.done());
    writeSync(fd, Buffer.alloc(dataOffset - header.length));
    if (input.weights === "zeros" || input.weights === "none") {
      ftruncateSync(fd, input.weights === "zeros" ? fileBytes : dataOffset);
      return { path, fileBytes, dataOffset };
    }
    const next = prng(input.seed ?? 1);
    for (const t of input.tensors) {
      const size = tensorBytes(t);
      for (const chunk of encode(t, next)) writeSync(fd, chunk);
      if (pad(size) > size) writeSync(fd, Buffer.alloc(pad(size) - size));
    }
  } finally {
    closeSync(fd);
  }
  return { path, fileBytes, dataOffset };
}
