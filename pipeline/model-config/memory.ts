/**
 * Memory to run a GGUF quant on Ollama (llama.cpp underneath), at a given context length:
 *
 *   memory = GGUF file bytes                      weights, exact from the Hub tree
 *          + KV cache                             exact from config.json, f16 (Ollama's default)
 *          + compute graph                        Ollama's own formula (fs/ggml/ggml.go GraphSize)
 *          + 250 MiB runtime footprint            gguf-parser-go's default VRAM platform footprint
 *
 * KV per layer = 2 (K and V) × kv heads × head_dim × tokens × 2 bytes, where a sliding-window
 * layer holds at most its window. The graph term is Ollama's llama estimate for a 512-token batch,
 * max(4·b·(1 + 4·embd + ctx·(1 + heads)), 4·b·(embd + vocab)): for small models the second, logits
 * buffer, dominates (Qwen2.5-0.5B: 313 MB), which is where parameter-proportional rules go wrong.
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

/** Exact f16 KV-cache bytes at `contextLength`, or undefined when the config lacks the dims. */
export function kvCacheBytes(raw: ModelConfig, contextLength: number): number | undefined {
  const config = textConfig(raw);
  const d = readDims(config);
  if (!d) return undefined;
  const perToken = 2 * d.kvHeads * d.headDim * KV_BYTES;
  return windows(config, d.layers).reduce<number>(
    (sum, window) => sum + perToken * Math.min(contextLength, window ?? contextLength),
    0,
  );
}

/** Ollama's compute-graph estimate for a full offload (llama family formula). */
export function graphBytes(raw: ModelConfig, contextLength: number): number | undefined {
  const d = readDims(textConfig(raw));
  if (!d) return undefined;
  return Math.max(4 * BATCH * (1 + 4 * d.hidden + contextLength * (1 + d.heads)), 4 * BATCH * (d.hidden + d.vocab));
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
