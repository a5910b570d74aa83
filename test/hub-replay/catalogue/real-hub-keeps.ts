/**
 * Real-Hub LLMs the pipeline used to miss: any-to-any, audio- and video-text-to-text chat models,
 * an LLM with no pipeline tag, and popular ones with no parameter metadata. Each must be an entry.
 */
import { chat, one, type RealSpec, ST, shards } from "./real-hub-build.ts";

export const MISSED_LLMS: RealSpec[] = [
  // Chat models with multimodal pipeline tags, and LLMs with no pipeline tag or no parameter metadata.
  {
    id: "google/gemma-4-E4B-it",
    downloads: 700_000,
    pipeline: "any-to-any",
    tags: [...ST, "conversational"],
    config: chat(["Gemma4ForConditionalGeneration"], "gemma4"),
    safetensors: 7_996_156_490,
    license: "gemma",
    files: ["config.json", ...shards(2)],
  },
  {
    id: "Qwen/Qwen2.5-Omni-3B",
    downloads: 200_000,
    pipeline: "any-to-any",
    tags: [...ST, "conversational"],
    config: chat(["Qwen2_5OmniModel"], "qwen2_5_omni"),
    safetensors: 5_537_701_888,
    files: ["config.json", ...shards(3)],
  },
  {
    id: "fixie-ai/ultravox-v0_5-llama-3_2-1b",
    downloads: 60_000,
    pipeline: "audio-text-to-text",
    tags: [...ST, "conversational", "custom_code"],
    config: chat(["UltravoxModel"], "ultravox"),
    safetensors: 1_873_000_000,
    files: one,
  },
  {
    id: "llava-hf/LLaVA-NeXT-Video-7B-hf",
    downloads: 40_000,
    pipeline: "video-text-to-text",
    tags: [...ST, "conversational"],
    config: chat(["LlavaNextVideoForConditionalGeneration"], "llava_next_video"),
    safetensors: 7_063_427_072,
    files: ["config.json", ...shards(3)],
  },
  {
    id: "zai-org/chatglm3-6b",
    downloads: 300_000,
    tags: ["transformers", "pytorch", "safetensors", "custom_code", "chatglm"],
    config: {
      architectures: ["ChatGLMModel"],
      auto_map: { AutoModelForCausalLM: "modeling_chatglm.ChatGLMForConditionalGeneration" },
      model_type: "chatglm",
    },
    safetensors: 6_243_584_000,
    files: ["config.json", ...shards(7)],
  },
  {
    id: "facebook/opt-125m",
    downloads: 6_000_000,
    created: "2022-05-11T08:25:17.000Z",
    pipeline: "text-generation",
    tags: ["transformers", "pytorch", "tf", "jax", "opt", "en"],
    config: { architectures: ["OPTForCausalLM"], model_type: "opt" },
    configJson: {
      architectures: ["OPTForCausalLM"],
      model_type: "opt",
      hidden_size: 768,
      num_hidden_layers: 12,
      num_attention_heads: 12,
      ffn_dim: 3072,
      vocab_size: 50272,
      max_position_embeddings: 2048,
      word_embed_proj_dim: 768,
      do_layer_norm_before: true,
    },
    files: ["config.json", "pytorch_model.bin"],
    license: "other",
  },
  {
    id: "EleutherAI/gpt-j-6b",
    downloads: 200_000,
    created: "2022-03-02T23:29:04.000Z",
    pipeline: "text-generation",
    tags: ["transformers", "pytorch", "gptj", "en"],
    config: { architectures: ["GPTJForCausalLM"], model_type: "gptj" },
    files: ["config.json", "pytorch_model.bin"],
  },
  {
    id: "Salesforce/codegen-350M-mono",
    downloads: 150_000,
    created: "2022-04-11T16:18:21.000Z",
    pipeline: "text-generation",
    tags: ["transformers", "pytorch", "codegen"],
    config: { architectures: ["CodeGenForCausalLM"], model_type: "codegen" },
    files: ["config.json", "pytorch_model.bin"],
    license: "bsd-3-clause",
  },
];

/** The decision each must get: `entry`, `folded:<into>` or `dropped:<reason>`. */
export const MISSED_LLMS_EXPECTED: Record<string, string> = {
  "google/gemma-4-E4B-it": "entry",
  "Qwen/Qwen2.5-Omni-3B": "entry",
  "fixie-ai/ultravox-v0_5-llama-3_2-1b": "entry",
  "llava-hf/LLaVA-NeXT-Video-7B-hf": "entry",
  "zai-org/chatglm3-6b": "entry",
  "facebook/opt-125m": "entry",
  "EleutherAI/gpt-j-6b": "entry",
  "Salesforce/codegen-350M-mono": "entry",
};
