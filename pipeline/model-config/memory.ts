/**
 * Memory to run a GGUF quant on Ollama (llama.cpp underneath), at a given context length:
 *
 *   memory = GGUF file bytes                      weights, exact from the Hub tree
 *          + KV cache                             exact from config.json, f16 (Ollama's default)
 *          + compute graph                        llama.cpp's compute buffer, see graphBytes
 *          + 250 MiB runtime footprint            gguf-parser-go's default VRAM platform footprint
 *
 * KV per layer = 2 (K and V) × kv heads × head_dim × cells × 2 bytes; a sliding-window layer holds
 * the window plus one batch of cells, not the whole context (llama.cpp llama-kv-cache-iswa.cpp).
 * The graph term is dominated by the logits buffer for small large-vocabulary models (Qwen2.5-0.5B:
 * 300 MiB), which is where parameter-proportional rules go wrong.
 *
 * Checked against llama.cpp's real buffers by `npm run bench:fit`: the total within 0.7 % on 12
 * measured and 13 held-out configs (before the KV and graph corrections: 10.5 % mean, 74 % worst).
 */
import { type ModelConfig, num, readDims, textConfig } from "./dims.ts";

const MiB = 1024 ** 2;
export const RUNTIME_FOOTPRINT_BYTES = 250 * MiB;
const BATCH = 512;
const KV_BYTES = 2; // f16

/** Which layers attend within a sliding window, and how wide it is. */
function windows(config: ModelConfig, layers: number): (number | undefined)[] {
  const window = num(config, "sliding_window");
  const types = config.layer_types;
  if (Array.isArray(types) && types.length === layers) {
    return types.map((t) => (t === "sliding_attention" && window ? window : undefined));
  }
  if (!window) return Array(layers).fill(undefined);
  switch (config.model_type) {
    case "gemma2": // transformers: is_sliding = not bool(layer_idx % 2)
      return Array.from({ length: layers }, (_, i) => (i % 2 === 0 ? window : undefined));
    case "gemma3":
    case "gemma3_text": {
      const pattern = num(config, "sliding_window_pattern") ?? 6;
      return Array.from({ length: layers }, (_, i) => ((i + 1) % pattern === 0 ? undefined : window));
    }
    default:
      return Array(layers).fill(undefined);
  }
}

/**
 * KV cells of a sliding-window layer: llama.cpp keeps the window plus one micro-batch, padded to
 * 256 cells (`GGML_PAD(min(n_ctx, n_swa + n_ubatch), 256)`); the window alone was 2× short for
 * Gemma 3's 512-token window (bench:fit).
 */
const swaCells = (window: number, contextLength: number) =>
  Math.min(contextLength, Math.ceil((window + BATCH) / 256) * 256);

/** Exact f16 KV-cache bytes at `contextLength`, or undefined when the config lacks the dims. */
export function kvCacheBytes(raw: ModelConfig, contextLength: number): number | undefined {
  const config = textConfig(raw);
  const d = readDims(config);
  if (!d) return undefined;
  const perToken = 2 * d.kvHeads * d.headDim * KV_BYTES;
  return windows(config, d.layers).reduce<number>(
    (sum, window) => sum + perToken * (window === undefined ? contextLength : swaCells(window, contextLength)),
    0,
  );
}

/**
 * llama.cpp's compute buffer for a 512-token batch. llama.cpp enables flash attention wherever the
 * backend supports it (its default `auto`; CPU, CUDA, Metal), and then no context × heads score
 * matrix exists: the buffer is the larger of the logits (f32, batch × vocab, plus two hidden-size
 * rows per token) and the feed-forward activations plus the f16 attention mask (batch × context).
 * Within 1 % of llama.cpp's buffer at 4,096 and 32,768 tokens for dense models, 8 % under for
 * Qwen1.5-MoE (its router buffers), by bench:fit; Ollama's formula, which charges the scores,
 * was 3–8× over at 32,768. Models whose attention logits are
 * soft-capped (Gemma 2) cannot use flash attention, and keep Ollama's formula (fs/ggml/ggml.go
 * GraphSize): max(4·b·(1 + 4·embd + ctx·(1 + heads)), 4·b·(embd + vocab)).
 */
export function graphBytes(raw: ModelConfig, contextLength: number): number | undefined {
  const config = textConfig(raw);
  const d = readDims(config);
  if (!d) return undefined;
  if (typeof config.attn_logit_softcapping === "number")
    return Math.max(4 * BATCH * (1 + 4 * d.hidden + contextLength * (1 + d.heads)), 4 * BATCH * (d.hidden + d.vocab));
  const logits = 4 * BATCH * (2 * d.hidden + d.vocab);
  const activations = 4 * BATCH * (3 * d.intermediate + 4 * d.hidden) + 2 * BATCH * contextLength;
  return Math.max(logits, activations);
}

export interface MemoryEstimate {
  memoryBytes: number;
  kvCacheBytes: number;
  /** `config`: KV and graph from config.json; `heuristic`: config unavailable (e.g. gated), rougher. */
  basis: "config" | "heuristic";
}

/**
 * Without config.json (a gated repo, no token): KV from a per-parameter rule sized to stay above
 * the exact figures of the reference models (Llama-3.1-8B 128 KiB/token, Qwen3-0.6B 112 KiB/token),
 * and a graph of 5 % of the weights + 256 MiB (huggingface.js gguf CLI uses 5 % of the weights).
 */
function heuristic(fileBytes: number, params: number, contextLength: number): MemoryEstimate {
  const perToken = Math.max(112 * 1024, params * 1.6e-5);
  const kv = Math.round(perToken * contextLength);
  const graph = 0.05 * fileBytes + 256 * MiB;
  return {
    memoryBytes: Math.round(fileBytes + kv + graph + RUNTIME_FOOTPRINT_BYTES),
    kvCacheBytes: kv,
    basis: "heuristic",
  };
}

export function estimateMemory(input: {
  fileBytes: number;
  contextLength: number;
  params: number;
  config?: ModelConfig | undefined;
}): MemoryEstimate {
  const { fileBytes, contextLength, config } = input;
  const kv = config && kvCacheBytes(config, contextLength);
  const graph = config && graphBytes(config, contextLength);
  if (kv === undefined || graph === undefined || kv === 0) return heuristic(fileBytes, input.params, contextLength);
  return { memoryBytes: fileBytes + kv + graph + RUNTIME_FOOTPRINT_BYTES, kvCacheBytes: kv, basis: "config" };
}
