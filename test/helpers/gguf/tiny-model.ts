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

/**
 * Qwen 2.5's chat template (its tokenizer_config.json), tools included: they are listed in the
 * system turn, a call is `<tool_call>{"name": …, "arguments": …}</tool_call>`, results come back in
 * `<tool_response>`. node-llama-cpp reads the call syntax out of it, as it does for the real model.
 */
export const TOOLS_TEMPLATE = [
  "{%- if tools %}{{- '<|im_start|>system\\n' }}",
  "{%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] }}",
  "{%- else %}{{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}{%- endif %}",
  '{{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}',
  '{%- for tool in tools %}{{- "\\n" }}{{- tool | tojson }}{%- endfor %}',
  '{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}',
  "{%- else %}{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
  "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}{%- endif %}",
  "{%- for message in messages %}",
  '{%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}',
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}",
  "{%- elif message.role == \"assistant\" %}{{- '<|im_start|>' + message.role }}",
  "{%- if message.content %}{{- '\\n' + message.content }}{%- endif %}",
  "{%- for tool_call in message.tool_calls %}{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}",
  "{{- '\\n<tool_call>\\n{\"name\": \"' }}{{- tool_call.name }}{{- '\", \"arguments\": ' }}{{- tool_call.arguments | tojson }}{{- '}\\n</tool_call>' }}",
  "{%- endfor %}{{- '<|im_end|>\\n' }}",
  '{%- elif message.role == "tool" %}',
  "{%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}{{- '<|im_start|>user' }}{%- endif %}",
  "{{- '\\n<tool_response>\\n' }}{{- message.content }}{{- '\\n</tool_response>' }}",
  "{%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}{{- '<|im_end|>\\n' }}{%- endif %}",
  "{%- endif %}{%- endfor %}",
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
].join("");

/** How a call opens in TOOLS_TEMPLATE; the tool-caller model has it as one token it always picks. */
const CALL_OPENING = '<tool_call>\n{"name": "';

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** `<unk> <s> </s>`, the 256 byte tokens `<0x00>`…`<0xFF>`, ChatML's two markers, a few words. */
function vocabulary(toolCaller: boolean): { tokens: string[]; types: number[]; scores: number[] } {
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
  if (toolCaller) entries.push([CALL_OPENING, TOKEN_TYPE.normal, -100]);
  return { tokens: entries.map((e) => e[0]), types: entries.map((e) => e[1]), scores: entries.map((e) => e[2]) };
}

export interface TinyModelOptions {
  /** Matrices' type; norms stay F32 and the embedding F16 (as llama.cpp's converters do). */
  type?: TensorType;
  embd?: number;
  layers?: number;
  seed?: number;
  /**
   * A model that calls a tool whenever it may: Qwen 2.5's template with tools, and weights set (not
   * drawn) so that the opening of a tool call is always the likeliest token. With tools offered the
   * engine's grammar then writes a valid call; without, it repeats that opening as text.
   */
  toolCaller?: boolean;
}

export function tinyModelSpec(options: TinyModelOptions = {}): {
  metadata: Record<string, GgufValue>;
  tensors: TensorSpec[];
} {
  const { type = "Q8_0", embd = 64, layers = 2, toolCaller = false } = options;
  const heads = 4;
  const kvHeads = 2;
  const headDim = embd / heads;
  const ff = embd * 2;
  const vocab = vocabulary(toolCaller);
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
    "tokenizer.chat_template": str(toolCaller ? TOOLS_TEMPLATE : CHATML_TEMPLATE),
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
  return { metadata, tensors: toolCaller ? callingTools(tensors, embd, vocab.tokens.indexOf(CALL_OPENING)) : tensors };
}

/**
 * Weights whose likeliest next token is always `opening`: the layers add nothing (their output
 * matrices are zero), every token's embedding has 1 in its first dimension, the output norm keeps
 * only that dimension and the output matrix reads it for `opening` alone. Every other logit is 0, so
 * where a grammar rules `opening` out, greedy sampling takes the allowed token of lowest id.
 */
function callingTools(tensors: TensorSpec[], embd: number, opening: number): TensorSpec[] {
  const noise = (i: number) => {
    const x = Math.sin(i * 12.9898) * 43758.5453;
    return (x - Math.floor(x)) * 2 - 1;
  };
  return tensors.map((t): TensorSpec => {
    if (t.name === "token_embd.weight") return { ...t, at: (i) => (i % embd === 0 ? 1 : noise(i) * 0.5) };
    if (t.name === "output_norm.weight") return { ...t, at: (i) => (i === 0 ? 1 : 0) };
    if (t.name === "output.weight")
      return { ...t, type: "F16", at: (i) => (i % embd === 0 && Math.floor(i / embd) === opening ? 10 : 0) };
    if (/attn_output|ffn_down/.test(t.name)) return { ...t, constant: 0 };
    return t;
  });
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
