/**
 * A config.json reduced to the dimensions the estimators need. Families spell the same thing
 * differently (gpt2 `n_embd`, falcon `n_head_kv`, opt `ffn_dim`); this is the one place that knows.
 */
export type ModelConfig = Record<string, unknown>;

export interface Dims {
  modelType: string;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocab: number;
  maxPositions: number | undefined;
  tied: boolean;
}

export function num(config: ModelConfig, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/** transformers' per-class default for `tie_word_embeddings` when the config omits it. */
const TIED_BY_DEFAULT = new Set([
  "gemma",
  "gemma2",
  "gemma3",
  "gemma3_text",
  "gpt2",
  "opt",
  "falcon",
  "granite",
  "granitemoe",
]);

/** Multimodal configs nest the language model; the text part is what we size and run. */
export function textConfig(config: ModelConfig): ModelConfig {
  const text = config.text_config;
  if (text && typeof text === "object" && !Array.isArray(text)) {
    return { ...(text as ModelConfig), model_type: (text as ModelConfig).model_type ?? config.model_type };
  }
  return config;
}

/** The common decoder dimensions, or undefined when the config lacks the essentials. */
export function readDims(raw: ModelConfig): Dims | undefined {
  const config = textConfig(raw);
  const modelType = typeof config.model_type === "string" ? config.model_type : "unknown";
  const hidden = num(config, "hidden_size", "n_embd", "d_model", "dim");
  const layers = num(config, "num_hidden_layers", "n_layer", "num_layers", "n_layers");
  const heads = num(config, "num_attention_heads", "n_head", "n_heads");
  const vocab = num(config, "vocab_size", "padded_vocab_size");
  if (!hidden || !layers || !heads || !vocab) return undefined;
  const multiQuery = config.multi_query === true && config.new_decoder_architecture !== true;
  const kvHeads = multiQuery ? 1 : (num(config, "num_key_value_heads", "num_kv_heads", "n_head_kv") ?? heads);
  const tiedValue = config.tie_word_embeddings ?? raw.tie_word_embeddings;
  return {
    modelType,
    hidden,
    layers,
    heads,
    kvHeads,
    headDim: num(config, "head_dim") ?? hidden / heads,
    intermediate: num(config, "intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size") ?? 4 * hidden,
    vocab,
    maxPositions: num(config, "max_position_embeddings", "n_positions", "max_sequence_length", "seq_length"),
    tied: typeof tiedValue === "boolean" ? tiedValue : TIED_BY_DEFAULT.has(modelType),
  };
}
