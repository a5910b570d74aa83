/** LLM repos from the real Hub that the classifier must keep, however odd their tags or layout. */
import { describe, expect, it } from "vitest";
import type { HubModel } from "../hub/types.ts";
import { chatConfig, decision, files, m } from "./repo-kind.fixtures.ts";

describe("LLM repos that must be kept", () => {
  it.each([
    [
      "google/gemma-4-E4B-it",
      { pipeline_tag: "any-to-any", config: chatConfig(["Gemma4ForConditionalGeneration"], "gemma4") },
    ],
    ["Qwen/Qwen2.5-Omni-3B", { pipeline_tag: "any-to-any", config: chatConfig(["Qwen2_5OmniModel"], "qwen2_5_omni") }],
    [
      "fixie-ai/ultravox-v0_5-llama-3_2-1b",
      { pipeline_tag: "audio-text-to-text", tags: ["transformers", "safetensors", "conversational"] },
    ],
    [
      "llava-hf/LLaVA-NeXT-Video-7B-hf",
      { pipeline_tag: "video-text-to-text", tags: ["safetensors", "conversational"] },
    ],
    ["Qwen/Qwen2.5-VL-3B-Instruct", { pipeline_tag: "image-text-to-text", tags: ["safetensors", "conversational"] }],
    [
      "zai-org/chatglm3-6b",
      {
        tags: ["transformers", "pytorch", "custom_code"],
        config: {
          architectures: ["ChatGLMModel"],
          auto_map: { AutoModelForCausalLM: "modeling_chatglm.ChatGLMForConditionalGeneration" },
          model_type: "chatglm",
        },
        siblings: files("config.json", "pytorch_model-00001-of-00007.bin", "pytorch_model-00002-of-00007.bin"),
      },
    ],
    [
      // The Hub guesses feature-extraction from `AutoModel`; the auto_map also names the causal LM.
      "zai-org/chatglm2-6b",
      {
        pipeline_tag: "feature-extraction",
        tags: ["transformers", "pytorch", "chatglm", "glm", "thudm", "custom_code", "feature-extraction"],
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
        siblings: files("config.json", "pytorch_model-00001-of-00007.bin", "pytorch_model-00002-of-00007.bin"),
      },
    ],
    [
      // Pythia-70M is a real, tiny base LLM; only the 10M floor decides on size.
      "EleutherAI/pythia-70m",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "pytorch", "safetensors", "gpt_neox", "en"],
        config: { architectures: ["GPTNeoXForCausalLM"], model_type: "gpt_neox" },
      },
    ],
    [
      // Seven quants of one model, each with an importance-matrix suffix: one set of weights, not a bundle.
      "Lewdiculous/L3-8B-Stheno-v3.2-GGUF-IQ-Imatrix",
      {
        tags: ["gguf", "roleplay", "llama3"],
        gguf: { total: 8_030_261_248, architecture: "llama", context_length: 8192 },
        siblings: files(
          "L3-8B-Stheno-v3.2-IQ3_M-imat.gguf",
          "L3-8B-Stheno-v3.2-IQ4_XS-imat.gguf",
          "L3-8B-Stheno-v3.2-Q4_K_M-imat.gguf",
          "L3-8B-Stheno-v3.2-Q4_K_S-imat.gguf",
          "L3-8B-Stheno-v3.2-Q5_K_M-imat.gguf",
          "L3-8B-Stheno-v3.2-Q6_K-imat.gguf",
          "L3-8B-Stheno-v3.2-Q8_0-imat.gguf",
          "imatrix.dat",
        ),
      },
    ],
    [
      "unsloth/Qwen3-4B-GGUF",
      {
        tags: ["gguf", "unsloth", "conversational"],
        gguf: { total: 4_022_468_096, architecture: "qwen3", context_length: 40960 },
        siblings: files(
          "Qwen3-4B-UD-Q4_K_XL.gguf",
          "Qwen3-4B-UD-IQ1_S.gguf",
          "Qwen3-4B-Q4_K_M.gguf",
          "Qwen3-4B-Q8_0.gguf",
          "Qwen3-4B-BF16.gguf",
          "Qwen3-4B-F32.gguf",
          "BF16/Qwen3-4B-BF16-00001-of-00002.gguf",
          "BF16/Qwen3-4B-BF16-00002-of-00002.gguf",
          "Q8_K_XL/Qwen3-4B-UD-Q8_K_XL.gguf",
          "mmproj-F16.gguf",
        ),
      },
    ],
    [
      "mradermacher/Qwen3-4B-abliterated-i1-GGUF",
      {
        tags: ["gguf", "abliterated"],
        gguf: { total: 4_022_468_096, architecture: "qwen3", context_length: 40960 },
        siblings: files(
          "Qwen3-4B-abliterated.i1-IQ1_M.gguf",
          "Qwen3-4B-abliterated.i1-IQ2_XXS.gguf",
          "Qwen3-4B-abliterated.i1-IQ3_S.gguf",
          "Qwen3-4B-abliterated.i1-Q4_0_4_4.gguf",
          "Qwen3-4B-abliterated.i1-Q4_K_M.gguf",
          "Qwen3-4B-abliterated.i1-Q6_K.gguf",
          "Qwen3-4B-abliterated.imatrix.gguf",
        ),
      },
    ],
    [
      "facebook/opt-125m",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "pytorch"],
        config: { architectures: ["OPTForCausalLM"], model_type: "opt" },
        siblings: files("config.json", "pytorch_model.bin", "tf_model.h5", "flax_model.msgpack"),
      },
    ],
    [
      "meta-llama/Llama-3.2-1B",
      {
        pipeline_tag: "text-generation",
        siblings: files("config.json", "model.safetensors", "original/consolidated.00.pth", "original/params.json"),
      },
    ],
    [
      "HuggingFaceTB/SmolLM2-360M-Instruct",
      {
        pipeline_tag: "text-generation",
        tags: [
          "transformers",
          "onnx",
          "safetensors",
          "transformers.js",
          "conversational",
          "base_model:quantized:HuggingFaceTB/SmolLM2-360M",
        ],
        siblings: files(
          "model.safetensors",
          "onnx/model.onnx",
          "onnx/model_q4.onnx",
          "onnx/model_fp16.onnx",
          "onnx/model_int8.onnx",
          "onnx/model_uint8.onnx",
          "onnx/model_bnb4.onnx",
        ),
      },
    ],
    [
      "bartowski/Qwen_Qwen3-4B-GGUF",
      {
        tags: ["gguf"],
        gguf: { total: 4e9, architecture: "qwen3", context_length: 40960 },
        siblings: files(
          "Qwen_Qwen3-4B-Q4_K_M.gguf",
          "Qwen_Qwen3-4B-Q8_0.gguf",
          "Qwen_Qwen3-4B-IQ2_M.gguf",
          "Qwen_Qwen3-4B-Q3_K_L.gguf",
          "Qwen_Qwen3-4B-Q5_K_S.gguf",
          "Qwen_Qwen3-4B-Q6_K_L.gguf",
          "Qwen_Qwen3-4B-bf16.gguf",
          "Qwen_Qwen3-4B.imatrix",
        ),
      },
    ],
    ["TinyLlama/TinyLlama-1.1B-Chat-v1.0", { pipeline_tag: "text-generation" }],
    [
      "nvidia/Eagle2-1B",
      { pipeline_tag: "image-text-to-text", tags: ["transformers", "safetensors", "conversational"] },
    ],
    [
      "BioMistral/BioMistral-7B",
      { pipeline_tag: "text-generation", tags: ["transformers", "safetensors", "medical", "biology"] },
    ],
    ["RWKV/v5-Eagle-7B-HF", { pipeline_tag: "text-generation", tags: ["transformers", "pytorch"] }],
    [
      "openai-community/gpt2",
      {
        pipeline_tag: "text-generation",
        siblings: files(
          "config.json",
          "model.safetensors",
          "pytorch_model.bin",
          "tf_model.h5",
          "flax_model.msgpack",
          "64-8bits.tflite",
          "rust_model.ot",
          "onnx/decoder_model.onnx",
          "onnx/decoder_with_past_model.onnx",
        ),
      },
    ],
    [
      "trainer/Qwen3-1.7B-sft",
      {
        pipeline_tag: "text-generation",
        siblings: files(
          "model.safetensors",
          "checkpoint-100/model.safetensors",
          "checkpoint-200/model.safetensors",
          "checkpoint-300/model.safetensors",
          "checkpoint-400/model.safetensors",
          "checkpoint-500/model.safetensors",
          "checkpoint-600/model.safetensors",
        ),
      },
    ],
  ] as [string, Partial<HubModel>][])("%s", (id, patch) => {
    expect(decision(m(id, patch))).toBe("kept");
  });
});
