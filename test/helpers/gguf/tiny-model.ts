/**
 * A tiny llama-architecture chat model for real-engine tests: 2 layers, 64-wide, 4 heads sharing 2
 * KV heads, a SentencePiece byte-level vocabulary (any text tokenizes, through byte fallback),
 * ChatML tokens and template, deterministic random weights. About 130 KB with Q8_0 matrices; it
 * loads in llama.cpp in milliseconds and answers gibberish at hundreds of tokens per second.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bool, f32, type GgufValue, str, type TensorSpec, type TensorType, u32, writeGguf } from "./write-gguf.ts";

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** `<unk> <s> </s>`, the 256 byte tokens `<0x00>`…`<0xFF>`, ChatML's two markers, a few words. */
function vocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const entries: [string, number, number][] = [
    ["<unk>", TOKEN_TYPE.unknown, 0],
    ["<s>", TOKEN_TYPE.control, 0],
    ["</s>", TOKEN_TYPE.control, 0],
  ];
  for (let b = 0; b < 256; b++)
    entries.push([`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, TOKEN_TYPE.byte, 0]);
  entries.push(["<|im_start|>", TOKEN_TYPE.control, 0], ["<|im_end|>", TOKEN_TYPE.control, 0]);
  // SentencePiece marks a space with ▁; the words and their prefixes let the merge loop reach them.
  for (const word of ["▁", "▁t", "▁th", "▁the", "▁h", "▁he", "▁hel", "▁hello", "e", "l", "o"])
    entries.push([word, TOKEN_TYPE.normal, -word.length]);
  return { tokens: entries.map((e) => e[0]), types: entries.map((e) => e[1]), scores: entries.map((e) => e[2]) };
}

export interface TinyModelOptions {
  /** Matrices' type; norms stay F32 and the embedding F16 (as llama.cpp's converters do). */
  type?: TensorType;
  embd?: number;
  layers?: number;
  seed?: number;
}

export function tinyModelSpec(options: TinyModelOptions = {}): {
  metadata: Record<string, GgufValue>;
  tensors: TensorSpec[];
} {
  const { type = "Q8_0", embd = 64, layers = 2 } = options;
  const heads = 4;
  const kvHeads = 2;
  const headDim = embd / heads;
  const ff = embd * 2;
  const vocab = vocabulary();
  const imEnd = vocab.tokens.indexOf("<|im_end|>");
  const metadata: Record<string, GgufValue> = {
    "general.architecture": str("llama"),
    "general.name": str("tiny-test"),
    "general.file_type": u32(type === "Q8_0" ? 7 : type === "F16" ? 1 : 0),
    "general.quantization_version": u32(2),
    "llama.context_length": u32(2048),
    "llama.embedding_length": u32(embd),
    "llama.block_count": u32(layers),
    "llama.feed_forward_length": u32(ff),
    "llama.attention.head_count": u32(heads),
    "llama.attention.head_count_kv": u32(kvHeads),
    "llama.rope.dimension_count": u32(headDim),
    "llama.rope.freq_base": f32(10000),
    "llama.attention.layer_norm_rms_epsilon": f32(1e-5),
    "tokenizer.ggml.model": str("llama"),
    "tokenizer.ggml.tokens": { type: "array", of: "string", value: vocab.tokens },
    "tokenizer.ggml.scores": { type: "array", of: "f32", value: vocab.scores },
    "tokenizer.ggml.token_type": { type: "array", of: "i32", value: vocab.types },
    "tokenizer.ggml.bos_token_id": u32(1),
    // The end of a ChatML turn ends generation, as in real ChatML models.
    "tokenizer.ggml.eos_token_id": u32(imEnd),
    "tokenizer.ggml.unknown_token_id": u32(0),
    "tokenizer.ggml.add_bos_token": bool(true),
    "tokenizer.chat_template": str(CHATML_TEMPLATE),
  };
  const norm = (name: string): TensorSpec => ({ name, dims: [embd], type: "F32", constant: 1 });
  const matrix = (name: string, inner: number, outer: number): TensorSpec => ({ name, dims: [inner, outer], type });
  const tensors: TensorSpec[] = [
    { name: "token_embd.weight", dims: [embd, vocab.tokens.length], type: "F16", scale: 0.5 },
    norm("output_norm.weight"),
    matrix("output.weight", embd, vocab.tokens.length),
  ];
  for (let i = 0; i < layers; i++) {
    tensors.push(
      norm(`blk.${i}.attn_norm.weight`),
      matrix(`blk.${i}.attn_q.weight`, embd, heads * headDim),
      matrix(`blk.${i}.attn_k.weight`, embd, kvHeads * headDim),
      matrix(`blk.${i}.attn_v.weight`, embd, kvHeads * headDim),
      matrix(`blk.${i}.attn_output.weight`, heads * headDim, embd),
      norm(`blk.${i}.ffn_norm.weight`),
      matrix(`blk.${i}.ffn_gate.weight`, embd, ff),
      matrix(`blk.${i}.ffn_up.weight`, embd, ff),
      matrix(`blk.${i}.ffn_down.weight`, ff, embd),
    );
  }
  return { metadata, tensors };
}

/** Write the tiny model to `path`; returns its size in bytes. */
export function writeTinyModel(path: string, options: TinyModelOptions = {}): number {
  return writeGguf(path, { ...tinyModelSpec(options), weights: "random", seed: options.seed ?? 7 }).fileBytes;
}

/** A temp dir holding `tiny.gguf`, and a `remove()` for afterAll. */
export function tinyModelInTempDir(options: TinyModelOptions = {}): { dir: string; path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "small-llm-gguf-"));
  const path = join(dir, "tiny.gguf");
  writeTinyModel(path, options);
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
