/**
 * A GGUF with the real dimensions of a Hugging Face config.json, as llama.cpp's converter would lay
 * it out (convert_hf_to_gguf.py names; llama.cpp src/models/*.cpp shapes): the same tensors, shapes
 * and hyper-parameters, so llama.cpp allocates for it exactly what it would for the real model. The
 * vocabulary is filler of the real size; weights are Q8_0 (norms and biases F32), random or zeros.
 * Architectures: llama (and mistral), qwen2, qwen3, gemma2, gemma3, granitemoe, qwen2moe.
 */
import {
  f32,
  type GgufValue,
  str,
  type TensorSpec,
  u32,
  type Weights,
  type WrittenGguf,
  writeGguf,
} from "./write-gguf.ts";

type Config = Record<string, unknown>;

const ARCH: Record<string, string> = {
  llama: "llama",
  mistral: "llama",
  qwen2: "qwen2",
  qwen3: "qwen3",
  gemma2: "gemma2",
  gemma3_text: "gemma3",
  gemma3: "gemma3",
  granitemoe: "granitemoe",
  qwen2_moe: "qwen2moe",
};

export const supportedModelType = (config: Config) =>
  typeof config.model_type === "string" && config.model_type in ARCH;

function n(config: Config, key: string, fallback?: number): number {
  const v = config[key];
  if (typeof v === "number") return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`config has no ${key}`);
}

/**
 * The filler vocabulary: `<unk> <s> </s>`, the 256 byte tokens SentencePiece falls back on (llama.cpp
 * looks up `<0x0A>` at load), then `t<i>` up to the real size, which sizes the embeddings.
 */
function vocabulary(size: number): Record<string, GgufValue> {
  const tokens = Array.from({ length: size }, (_, i) =>
    i < 3
      ? (["<unk>", "<s>", "</s>"][i] as string)
      : i < 259
        ? `<0x${(i - 3).toString(16).toUpperCase().padStart(2, "0")}>`
        : `t${i}`,
  );
  return {
    "tokenizer.ggml.model": str("llama"),
    "tokenizer.ggml.tokens": { type: "array", of: "string", value: tokens },
    "tokenizer.ggml.token_type": {
      type: "array",
      of: "i32",
      value: tokens.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1)),
    },
    "tokenizer.ggml.bos_token_id": u32(1),
    "tokenizer.ggml.eos_token_id": u32(2),
  };
}

export function ggufSpecFromConfig(raw: Config): { metadata: Record<string, GgufValue>; tensors: TensorSpec[] } {
  const config = (raw.text_config as Config | undefined) ?? raw;
  const type = String(raw.model_type);
  const arch = ARCH[type];
  if (!arch) throw new Error(`no GGUF layout for model_type ${type}`);
  const embd = n(config, "hidden_size");
  const layers = n(config, "num_hidden_layers");
  const heads = n(config, "num_attention_heads");
  const kvHeads = n(config, "num_key_value_heads", heads);
  const headDim = n(config, "head_dim", embd / heads);
  const ff = n(config, "intermediate_size");
  const vocab = n(config, "vocab_size");
  const experts = n(config, "num_local_experts", n(config, "num_experts", 0));
  const tied = config.tie_word_embeddings ?? raw.tie_word_embeddings ?? type.startsWith("gemma");
  const metadata: Record<string, GgufValue> = {
    "general.architecture": str(arch),
    "general.name": str(`bench ${type}`),
    "general.file_type": u32(7), // MOSTLY_Q8_0
    "general.quantization_version": u32(2),
    [`${arch}.context_length`]: u32(n(config, "max_position_embeddings", 4096)),
    [`${arch}.embedding_length`]: u32(embd),
    [`${arch}.block_count`]: u32(layers),
    [`${arch}.feed_forward_length`]: u32(ff),
    [`${arch}.attention.head_count`]: u32(heads),
    [`${arch}.attention.head_count_kv`]: u32(kvHeads),
    [`${arch}.attention.key_length`]: u32(headDim),
    [`${arch}.attention.value_length`]: u32(headDim),
    [`${arch}.rope.dimension_count`]: u32(headDim),
    [`${arch}.rope.freq_base`]: f32(n(config, "rope_theta", 10000)),
    [`${arch}.attention.layer_norm_rms_epsilon`]: f32(n(config, "rms_norm_eps", 1e-6)),
    ...vocabulary(vocab),
  };
  const window = typeof config.sliding_window === "number" ? config.sliding_window : undefined;
  if (window && arch.startsWith("gemma")) {
    metadata[`${arch}.attention.sliding_window`] = u32(window);
    if (arch === "gemma3")
      metadata[`${arch}.attention.sliding_window_pattern`] = u32(n(config, "sliding_window_pattern", 6));
  }
  if (experts) {
    metadata[`${arch}.expert_count`] = u32(experts);
    metadata[`${arch}.expert_used_count`] = u32(n(config, "num_experts_per_tok"));
  }
  if (arch === "granitemoe") {
    metadata["granitemoe.logit_scale"] = f32(n(config, "logits_scaling", 1));
    metadata["granitemoe.residual_scale"] = f32(n(config, "residual_multiplier", 1));
    metadata["granitemoe.embedding_scale"] = f32(n(config, "embedding_multiplier", 1));
    metadata["granitemoe.attention.scale"] = f32(n(config, "attention_multiplier", 1));
  }
  if (arch === "qwen2moe") {
    metadata["qwen2moe.expert_feed_forward_length"] = u32(n(config, "moe_intermediate_size"));
    metadata["qwen2moe.expert_shared_feed_forward_length"] = u32(n(config, "shared_expert_intermediate_size"));
  }

  const norm = (name: string, size = embd): TensorSpec => ({ name, dims: [size], type: "F32", constant: 1 });
  const mat = (name: string, ...dims: number[]): TensorSpec => ({ name, dims, type: "Q8_0" });
  const tensors: TensorSpec[] = [mat("token_embd.weight", embd, vocab), norm("output_norm.weight")];
  if (!tied) tensors.push(mat("output.weight", embd, vocab));
  for (let i = 0; i < layers; i++) {
    const b = `blk.${i}`;
    tensors.push(
      norm(`${b}.attn_norm.weight`),
      mat(`${b}.attn_q.weight`, embd, heads * headDim),
      mat(`${b}.attn_k.weight`, embd, kvHeads * headDim),
      mat(`${b}.attn_v.weight`, embd, kvHeads * headDim),
      mat(`${b}.attn_output.weight`, heads * headDim, embd),
    );
    // Qwen2 (and Qwen2-MoE) carry q/k/v biases; Qwen3 and Gemma 3 normalise q and k per head instead.
    if (arch === "qwen2" || arch === "qwen2moe")
      tensors.push(
        norm(`${b}.attn_q.bias`, heads * headDim),
        norm(`${b}.attn_k.bias`, kvHeads * headDim),
        norm(`${b}.attn_v.bias`, kvHeads * headDim),
      );
    if (arch === "qwen3" || arch === "gemma3")
      tensors.push(norm(`${b}.attn_q_norm.weight`, headDim), norm(`${b}.attn_k_norm.weight`, headDim));
    if (arch.startsWith("gemma"))
      tensors.push(norm(`${b}.post_attention_norm.weight`), norm(`${b}.post_ffw_norm.weight`));
    tensors.push(norm(`${b}.ffn_norm.weight`));
    if (arch === "granitemoe") {
      tensors.push(
        mat(`${b}.ffn_gate_inp.weight`, embd, experts),
        mat(`${b}.ffn_gate_exps.weight`, embd, ff, experts),
        mat(`${b}.ffn_down_exps.weight`, ff, embd, experts),
        mat(`${b}.ffn_up_exps.weight`, embd, ff, experts),
      );
    } else if (arch === "qwen2moe") {
      const ffExp = n(config, "moe_intermediate_size");
      const ffShared = n(config, "shared_expert_intermediate_size");
      tensors.push(
        mat(`${b}.ffn_gate_inp.weight`, embd, experts),
        mat(`${b}.ffn_gate_exps.weight`, embd, ffExp, experts),
        mat(`${b}.ffn_down_exps.weight`, ffExp, embd, experts),
        mat(`${b}.ffn_up_exps.weight`, embd, ffExp, experts),
        norm(`${b}.ffn_gate_inp_shexp.weight`),
        mat(`${b}.ffn_gate_shexp.weight`, embd, ffShared),
        mat(`${b}.ffn_down_shexp.weight`, ffShared, embd),
        mat(`${b}.ffn_up_shexp.weight`, embd, ffShared),
      );
    } else {
      tensors.push(
        mat(`${b}.ffn_gate.weight`, embd, ff),
        mat(`${b}.ffn_up.weight`, embd, ff),
        mat(`${b}.ffn_down.weight`, ff, embd),
      );
    }
  }
  return { metadata, tensors };
}

/** Write the config's GGUF to `path`: `none` writes the header only (enough for node-llama-cpp's estimate). */
export function writeGgufFromConfig(path: string, config: Config, weights: Weights): WrittenGguf {
  return writeGguf(path, { ...ggufSpecFromConfig(config), weights, seed: 11 });
}
