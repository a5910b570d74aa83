/**
 * Parameter count from config.json, for repos without safetensors or GGUF metadata.
 * Counts unique learnable parameters — what memory holds: a tied output matrix once, no causal-mask
 * buffers. Family rules follow the transformers modelling code of each architecture.
 */
import { type Dims, type ModelConfig, num, readDims, textConfig } from "./dims.ts";

export interface ParamEstimate {
  total: number;
  /** Mixture-of-experts only: parameters used per token. */
  active?: number;
  /** `family`: an architecture we model exactly; `generic`: common dims only, less reliable. */
  method: "family" | "generic";
}

interface Layer {
  /** Parameters every token uses (attention, norms, dense MLP, shared experts, router). */
  dense: number;
  /** Routed expert parameters in total, and how many of them one token uses. */
  experts?: { total: number; active: number };
}

const gated = (h: number, i: number) => 3 * h * i;

function attention(d: Dims, bias: { qkv?: boolean; out?: boolean } = {}): number {
  const q = d.heads * d.headDim;
  const kv = d.kvHeads * d.headDim;
  let n = d.hidden * (q + 2 * kv) + q * d.hidden;
  if (bias.qkv) n += q + 2 * kv;
  if (bias.out) n += d.hidden;
  return n;
}

function moe(c: ModelConfig, experts: number, perExpert: number): Layer["experts"] {
  const topK = num(c, "num_experts_per_tok", "moe_topk", "top_k") ?? 2;
  return { total: experts * perExpert, active: topK * perExpert };
}

/** One decoder layer of each family we model exactly. */
function familyLayer(c: ModelConfig, d: Dims, index: number): Layer | undefined {
  const h = d.hidden;
  const I = d.intermediate;
  const attnBias = c.attention_bias === true;
  const mlpBias = c.mlp_bias === true ? 2 * I + h : 0;
  switch (d.modelType) {
    case "llama":
    case "mistral":
    case "granite":
    case "phi3":
    case "olmo":
      return {
        dense:
          attention(d, { qkv: attnBias, out: attnBias }) + gated(h, I) + mlpBias + (d.modelType === "olmo" ? 0 : 2 * h),
      };
    case "qwen2":
      return { dense: attention(d, { qkv: true }) + gated(h, I) + 2 * h };
    case "qwen3":
      return { dense: attention(d, { qkv: attnBias, out: attnBias }) + gated(h, I) + 2 * h + 2 * d.headDim };
    case "olmo2":
      return { dense: attention(d) + gated(h, I) + 2 * h + (d.heads + d.kvHeads) * d.headDim };
    case "gemma":
      return { dense: attention(d) + gated(h, I) + 2 * h };
    case "gemma2":
      return { dense: attention(d) + gated(h, I) + 4 * h };
    case "gemma3":
    case "gemma3_text":
      return { dense: attention(d) + gated(h, I) + 4 * h + 2 * d.headDim };
    case "stablelm": {
      const qkv = c.use_qkv_bias === true;
      const qkNorm = c.qk_layernorm === true ? 2 * (d.heads + d.kvHeads) * d.headDim : 0;
      return { dense: attention(d, { qkv }) + gated(h, I) + 4 * h + qkNorm };
    }
    case "phi":
      // q, k, v, dense all with bias; fc1/fc2 MLP with bias; one LayerNorm (parallel block).
      return { dense: attention(d, { qkv: true, out: true }) + 2 * h * I + I + h + 2 * h };
    case "gpt2":
      return { dense: 4 * h * h + 4 * h + 2 * h * I + I + h + 4 * h };
    case "gpt_neox":
      return { dense: 4 * h * h + 4 * h + 2 * h * I + I + h + 4 * h };
    case "opt":
      return { dense: 4 * h * h + 4 * h + 2 * h * I + I + h + 4 * h };
    case "falcon": {
      const bias = c.bias === true;
      const qkv = h * (d.heads + 2 * d.kvHeads) * d.headDim + (bias ? (d.heads + 2 * d.kvHeads) * d.headDim : 0);
      const out = h * h + (bias ? h : 0);
      const mlp = 2 * h * I + (bias ? I + h : 0);
      const norms = c.new_decoder_architecture === true ? 4 * h : 2 * h;
      return { dense: qkv + out + mlp + norms };
    }
    case "mixtral": {
      const E = num(c, "num_local_experts") ?? 8;
      return { dense: attention(d) + 2 * h + h * E, experts: moe(c, E, gated(h, I)) };
    }
    case "granitemoe":
    case "granitemoeshared": {
      const E = num(c, "num_local_experts") ?? 32;
      const shared = gated(h, num(c, "shared_intermediate_size") ?? 0);
      return { dense: attention(d) + 2 * h + h * E + shared, experts: moe(c, E, gated(h, I)) };
    }
    case "qwen2_moe":
    case "qwen3_moe": {
      const E = num(c, "num_experts") ?? 60;
      const moeI = num(c, "moe_intermediate_size") ?? I;
      const sharedI = num(c, "shared_expert_intermediate_size") ?? 0;
      const shared = sharedI ? gated(h, sharedI) + h : 0;
      const attn =
        d.modelType === "qwen2_moe" ? attention(d, { qkv: true }) : attention(d, { qkv: attnBias }) + 2 * d.headDim;
      return { dense: attn + 2 * h + h * E + shared, experts: moe(c, E, gated(h, moeI)) };
    }
    case "olmoe": {
      const E = num(c, "num_experts") ?? 64;
      return {
        dense: attention(d) + 2 * h + h * E + h + d.kvHeads * d.headDim,
        experts: moe(c, E, gated(h, I)),
      };
    }
    case "deepseek_v2":
    case "deepseek_v3": {
      const nope = num(c, "qk_nope_head_dim") ?? 128;
      const rope = num(c, "qk_rope_head_dim") ?? 64;
      const vDim = num(c, "v_head_dim") ?? 128;
      const kvRank = num(c, "kv_lora_rank") ?? 512;
      const qRank = num(c, "q_lora_rank");
      const qProj = qRank ? h * qRank + qRank + qRank * d.heads * (nope + rope) : h * d.heads * (nope + rope);
      const attn = qProj + h * (kvRank + rope) + kvRank + kvRank * d.heads * (nope + vDim) + d.heads * vDim * h;
      if (index < (num(c, "first_k_dense_replace") ?? 0)) return { dense: attn + gated(h, I) + 2 * h };
      const E = num(c, "n_routed_experts") ?? 64;
      const moeI = num(c, "moe_intermediate_size") ?? I;
      const shared = (num(c, "n_shared_experts") ?? 0) * gated(h, moeI);
      return { dense: attn + 2 * h + h * E + shared, experts: moe(c, E, gated(h, moeI)) };
    }
    default:
      return undefined;
  }
}

/** Embeddings, final norm and output head around the layers. */
function outer(d: Dims): number {
  const h = d.hidden;
  const embed = d.vocab * h;
  const head = d.tied ? 0 : d.vocab * h;
  switch (d.modelType) {
    case "gpt2":
      return embed + (d.maxPositions ?? 1024) * h + 2 * h;
    case "opt":
      return embed + ((d.maxPositions ?? 2048) + 2) * h + 2 * h + head;
    case "phi":
      return embed + 2 * h + head + (d.tied ? 0 : d.vocab);
    case "gpt_neox":
    case "stablelm":
    case "falcon":
      return embed + 2 * h + head;
    default:
      return embed + h + head;
  }
}

/** Estimate total (and, for mixture-of-experts, active) parameters from a config.json. */
export function estimateParams(raw: ModelConfig): ParamEstimate | undefined {
  const config = textConfig(raw);
  const d = readDims(config);
  if (!d) return undefined;
  const layers = Array.from({ length: d.layers }, (_, i) => familyLayer(config, d, i));
  if (layers.every((l): l is Layer => l !== undefined)) {
    const base = outer(d);
    const dense = layers.reduce((s, l) => s + l.dense, 0);
    const expertTotal = layers.reduce((s, l) => s + (l.experts?.total ?? 0), 0);
    const expertActive = layers.reduce((s, l) => s + (l.experts?.active ?? 0), 0);
    const total = Math.round(base + dense + expertTotal);
    return expertTotal > 0
      ? { total, active: Math.round(base + dense + expertActive), method: "family" }
      : { total, method: "family" };
  }
  // An architecture we do not model: standard attention + gated MLP + norms. Flagged generic.
  const generic =
    outer({ ...d, modelType: "unknown" }) + d.layers * (attention(d) + gated(d.hidden, d.intermediate) + 2 * d.hidden);
  return { total: Math.round(generic), method: "generic" };
}
