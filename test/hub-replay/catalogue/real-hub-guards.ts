/**
 * Issue 22, text-generation look-alikes: generative safety guards (kept, tagged guard), guards
 * with a classification head, reward models, PRMs and generative verifiers (out), an encoder the
 * Hub files under text-generation, a ranker named like an LLM, an assistant draft head, a toy under
 * the 10M floor; and LLMs the list answer alone does not show — a custom-code LLM the Hub files
 * under feature-extraction, a base model whose config.json is its only signal.
 */

import { CHAT_TEMPLATE } from "./build.ts";
import { gguf, one, type RealSpec, ST, shards } from "./real-hub-build.ts";

const chatConfig = (architectures: string[], model_type: string) => ({
  architectures,
  model_type,
  tokenizer_config: { chat_template: CHAT_TEMPLATE },
});

export const GUARDS: RealSpec[] = [
  {
    id: "meta-llama/Llama-Guard-3-1B",
    downloads: 150_000,
    pipeline: "text-generation",
    gated: "manual",
    tags: [...ST, "llama", "facebook", "meta", "llama-3", "conversational"],
    config: chatConfig(["LlamaForCausalLM"], "llama"),
    safetensors: 1_498_482_688,
    license: "llama3.2",
    files: one,
  },
  {
    id: "Qwen/Qwen3Guard-Gen-0.6B",
    downloads: 90_000,
    pipeline: "text-generation",
    tags: [...ST, "qwen3", "conversational"],
    config: chatConfig(["Qwen3ForCausalLM"], "qwen3"),
    safetensors: 751_632_384,
    files: one,
  },
  {
    id: "allenai/wildguard",
    downloads: 40_000,
    pipeline: "text-generation",
    tags: [...ST, "mistral", "classifier", "safety", "moderation", "en"],
    config: { architectures: ["MistralForCausalLM"], model_type: "mistral" },
    safetensors: 7_241_732_096,
    card: { datasets: ["allenai/wildguardmix"] },
    files: ["config.json", ...shards(3)],
  },
  {
    id: "google/shieldgemma-2b",
    downloads: 30_000,
    pipeline: "text-generation",
    gated: "manual",
    tags: [...ST, "gemma2", "conversational"],
    config: chatConfig(["Gemma2ForCausalLM"], "gemma2"),
    safetensors: 2_614_341_888,
    license: "gemma",
    files: ["config.json", ...shards(2)],
  },
  {
    id: "QuantFactory/shieldgemma-2b-GGUF",
    downloads: 5_000,
    tags: ["gguf", "conversational"],
    gguf: { total: 2_614_341_888, architecture: "gemma2", context_length: 8192, chat_template: CHAT_TEMPLATE },
    bases: [{ id: "google/shieldgemma-2b", relation: "quantized" }],
    license: "gemma",
    files: gguf("shieldgemma-2b", ["Q4_K_M", "Q8_0"]),
  },
  // Guards that classify with a head, reward models, PRMs, generative verifiers.
  {
    id: "meta-llama/Prompt-Guard-86M",
    downloads: 60_000,
    pipeline: "text-classification",
    tags: [...ST, "deberta-v2"],
    config: { architectures: ["DebertaV2ForSequenceClassification"], model_type: "deberta-v2" },
    safetensors: 279_000_000,
    files: one,
  },
  {
    id: "Qwen/Qwen3Guard-Stream-0.6B",
    downloads: 10_000,
    pipeline: "text-generation",
    tags: [...ST, "custom_code"],
    config: {
      architectures: ["Qwen3ForGuardModel"],
      auto_map: { AutoModel: "modeling_qwen3_guard.Qwen3ForGuardModel" },
      model_type: "qwen3",
    },
    safetensors: 780_000_000,
    files: one,
  },
  {
    id: "launch/ThinkPRM-1.5B",
    downloads: 4_000,
    pipeline: "text-generation",
    tags: [...ST, "qwen2", "conversational"],
    config: chatConfig(["Qwen2ForCausalLM"], "qwen2"),
    safetensors: 1_777_088_000,
    bases: [{ id: "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", relation: "finetune" }],
    files: one,
  },
  {
    id: "TIGER-Lab/general-verifier",
    downloads: 3_000,
    pipeline: "text-generation",
    tags: [...ST, "qwen2", "conversational"],
    config: chatConfig(["Qwen2ForCausalLM"], "qwen2"),
    safetensors: 1_543_714_304,
    files: one,
  },
  // Not LLMs we index though the Hub files them under text-generation.
  {
    id: "xlnet/xlnet-base-cased",
    downloads: 200_000,
    created: "2022-03-02T23:29:04.000Z",
    pipeline: "text-generation",
    tags: ["transformers", "pytorch", "tf", "rust", "safetensors", "xlnet", "en"],
    config: { architectures: ["XLNetLMHeadModel"], model_type: "xlnet" },
    safetensors: 116_718_592,
    license: "mit",
    files: ["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5", "spiece.model"],
  },
  {
    id: "nomic-ai/CodeRankLLM",
    downloads: 6_000,
    pipeline: "text-generation",
    tags: [...ST, "qwen2", "conversational"],
    config: chatConfig(["Qwen2ForCausalLM"], "qwen2"),
    safetensors: 7_615_616_512,
    bases: [{ id: "Qwen/Qwen2.5-Coder-7B-Instruct", relation: "finetune" }],
    files: ["config.json", ...shards(4)],
  },
  {
    id: "google/gemma-4-E4B-it-assistant",
    downloads: 25_000,
    pipeline: "text-generation",
    gated: "manual",
    tags: [...ST, "gemma4", "conversational"],
    config: chatConfig(["Gemma4ForCausalLM"], "gemma4_text"),
    safetensors: 310_000_000,
    license: "gemma",
    bases: [{ id: "google/gemma-4-E4B-it", relation: "finetune" }],
    files: one,
  },
  {
    id: "roneneldan/TinyStories-1M",
    downloads: 30_000,
    pipeline: "text-generation",
    tags: [...ST, "gpt_neo"],
    config: { architectures: ["GPTNeoForCausalLM"], model_type: "gpt_neo" },
    safetensors: 3_745_984,
    files: one,
  },
  // LLMs the list answer alone does not show.
  {
    id: "zai-org/chatglm3-6b-base",
    downloads: 20_000,
    pipeline: "feature-extraction",
    tags: ["transformers", "pytorch", "safetensors", "chatglm", "glm", "thudm", "custom_code", "zh", "en"],
    config: {
      architectures: ["ChatGLMModel"],
      auto_map: {
        AutoConfig: "configuration_chatglm.ChatGLMConfig",
        AutoModel: "modeling_chatglm.ChatGLMForConditionalGeneration",
        AutoModelForCausalLM: "modeling_chatglm.ChatGLMForConditionalGeneration",
        AutoModelForSeq2SeqLM: "modeling_chatglm.ChatGLMForConditionalGeneration",
        AutoModelForSequenceClassification: "modeling_chatglm.ChatGLMForSequenceClassification",
      },
      model_type: "chatglm",
    },
    safetensors: 6_243_584_000,
    files: ["config.json", ...shards(7), "modeling_chatglm.py", "tokenizer.model"],
  },
  {
    // No model card, so no library and an empty config digest: config.json is the only signal.
    id: "oldlab/Base-LM-1B",
    downloads: 1_500,
    tags: ["safetensors"],
    configJson: {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      hidden_size: 2048,
      intermediate_size: 5632,
      num_attention_heads: 32,
      num_hidden_layers: 22,
      num_key_value_heads: 4,
      vocab_size: 32000,
      max_position_embeddings: 2048,
    },
    safetensors: 1_100_048_384,
    license: "",
    files: ["config.json", "model.safetensors", "tokenizer.json"],
  },
];

/** The decision each must get: `entry`, `folded:<into>` or `dropped:<reason>`. */
export const GUARDS_EXPECTED: Record<string, string> = {
  "meta-llama/Llama-Guard-3-1B": "entry",
  "Qwen/Qwen3Guard-Gen-0.6B": "entry",
  "allenai/wildguard": "entry",
  "google/shieldgemma-2b": "entry",
  "QuantFactory/shieldgemma-2b-GGUF": "folded:google/shieldgemma-2b",
  "meta-llama/Prompt-Guard-86M": "dropped:reward-or-judge",
  "Qwen/Qwen3Guard-Stream-0.6B": "dropped:reward-or-judge",
  "launch/ThinkPRM-1.5B": "dropped:reward-or-judge",
  "TIGER-Lab/general-verifier": "dropped:reward-or-judge",
  "xlnet/xlnet-base-cased": "dropped:encoder",
  "nomic-ai/CodeRankLLM": "dropped:embedding-or-classifier",
  "google/gemma-4-E4B-it-assistant": "dropped:draft-head",
  "roneneldan/TinyStories-1M": "dropped:too-small",
  "zai-org/chatglm3-6b-base": "entry",
  "oldlab/Base-LM-1B": "entry",
};
