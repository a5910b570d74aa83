/** The classes of repos the real Hub has (issue 10), shaped like its list answers, and the decision for each. */
import { describe, expect, it } from "vitest";
import { classify, isDrop } from "../classify.ts";
import type { HubModel } from "../hub/types.ts";

const files = (...names: string[]) => names.map((rfilename) => ({ rfilename }));
const llmFiles = files(".gitattributes", "README.md", "config.json", "model.safetensors", "tokenizer.json");
const m = (id: string, patch: Partial<HubModel> = {}): HubModel =>
  ({ id, author: id.split("/")[0], tags: ["transformers", "safetensors"], siblings: llmFiles, ...patch }) as HubModel;
const chatConfig = (architectures: string[], model_type: string, template = "{{ messages }}") => ({
  architectures,
  model_type,
  tokenizer_config: { chat_template: template },
});
const decision = (model: HubModel) => {
  const c = classify(model);
  return isDrop(c) ? c.reason : "kept";
};

describe("repos that are not standalone LLMs", () => {
  it.each([
    // OCR, document parsing, captioning on a VLM backbone
    [
      "rednote-hilab/dots.ocr",
      { pipeline_tag: "image-text-to-text", tags: ["safetensors", "conversational", "ocr"] },
      "document-vision",
    ],
    [
      "ibm-granite/granite-docling-258M",
      { pipeline_tag: "image-text-to-text", config: chatConfig(["Idefics3ForConditionalGeneration"], "idefics3") },
      "document-vision",
    ],
    [
      "allenai/olmOCR-7B-0725",
      { pipeline_tag: "image-text-to-text", config: chatConfig(["Qwen2_5_VLForConditionalGeneration"], "qwen2_5_vl") },
      "document-vision",
    ],
    [
      "fancyfeast/llama-joycaption-beta-one-hf-llava",
      { pipeline_tag: "image-text-to-text", tags: ["conversational"] },
      "document-vision",
    ],
    // speculative-decoding draft heads
    [
      "yuhuili/EAGLE3-LLaMA3.1-Instruct-8B",
      { pipeline_tag: "text-generation", config: { architectures: ["LlamaForCausalLMEagle3"], model_type: "llama" } },
      "draft-head",
    ],
    [
      "RedHatAI/Qwen3-8B-speculator.eagle3",
      {
        pipeline_tag: "text-generation",
        library_name: "speculators",
        config: { architectures: ["Eagle3Speculator"], speculators_config: {} },
      },
      "draft-head",
    ],
    [
      "FasterDecoding/medusa-vicuna-7b-v1.3",
      { pipeline_tag: "text-generation", config: { architectures: ["MedusaModel"] } },
      "draft-head",
    ],
    [
      "z-lab/Qwen3-8B-DFlash-b16",
      { pipeline_tag: "text-generation", config: { architectures: ["DFlashDraftModel"], model_type: "qwen3" } },
      "draft-head",
    ],
    // reward, verifier and judge models; speech on an LLM backbone
    [
      "Skywork/Skywork-Reward-V2-Llama-3.1-8B",
      { pipeline_tag: "text-classification", config: { architectures: ["LlamaForSequenceClassification"] } },
      "reward-or-judge",
    ],
    [
      "Qwen/Qwen2.5-Math-PRM-7B",
      {
        pipeline_tag: "text-generation",
        config: { architectures: ["Qwen2ForProcessRewardModel"], model_type: "qwen2" },
      },
      "reward-or-judge",
    ],
    [
      "nvidia/Qwen3-Nemotron-4B-GenRM",
      {
        pipeline_tag: "text-generation",
        tags: ["safetensors", "reward-model"],
        config: chatConfig(["Qwen3ForCausalLM"], "qwen3"),
      },
      "reward-or-judge",
    ],
    [
      "Qwen/Qwen3-TTS-12Hz-1.7B-Base",
      { pipeline_tag: "text-to-speech", config: { architectures: ["Qwen3TTSForConditionalGeneration"] } },
      "speech",
    ],
    [
      "canopylabs/orpheus-3b-0.1-ft",
      {
        pipeline_tag: "text-generation",
        tags: ["safetensors", "tts", "text-to-speech"],
        config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
      },
      "speech",
    ],
    [
      "OuteAI/Llama-OuteTTS-1.0-1B",
      { pipeline_tag: "text-generation", config: { architectures: ["LlamaForCausalLM"], model_type: "llama" } },
      "speech",
    ],
    // embedders and retrievers tagged text-generation
    [
      "Qwen/Qwen3-Embedding-0.6B",
      {
        pipeline_tag: "text-generation",
        tags: ["sentence-transformers", "safetensors"],
        config: { architectures: ["Qwen3ForCausalLM"] },
      },
      "embedding-or-classifier",
    ],
    [
      "jinaai/jina-embeddings-v4",
      { pipeline_tag: "visual-document-retrieval", config: { architectures: ["JinaEmbeddingsV4Model"] } },
      "embedding-or-classifier",
    ],
    [
      "vidore/colqwen2.5-v0.2",
      { pipeline_tag: "visual-document-retrieval", library_name: "colpali" },
      "embedding-or-classifier",
    ],
    [
      "nomic-ai/nomic-embed-multimodal-3b",
      { pipeline_tag: "text-generation", config: { architectures: ["Qwen2_5_VLForConditionalGeneration"] } },
      "embedding-or-classifier",
    ],
    // test and CI stubs
    ["llamafactory/tiny-random-Llama-3", { pipeline_tag: "text-generation" }, "test-stub"],
    ["nm-testing/Llama-3.2-1B-Instruct-W4A16-unit-test", { pipeline_tag: "text-generation" }, "test-stub"],
    [
      "ggml-org/stories15M_MOE",
      {
        tags: ["gguf"],
        gguf: { total: 15_000_000, architecture: "llama" },
        siblings: files("stories15M_MOE-F16.gguf"),
      },
      "test-stub",
    ],
    [
      "ggml-org/tinygemma3-GGUF",
      { tags: ["gguf"], gguf: { total: 3_000_000, architecture: "gemma3" }, siblings: files("tinygemma3-Q8_0.gguf") },
      "test-stub",
    ],
    ["somelab/old-model-moved", { pipeline_tag: "text-generation", siblings: files("README.md") }, "test-stub"],
    [
      "somelab/ChatModel-7B",
      { pipeline_tag: "text-generation", siblings: files(".gitattributes", "README.md") },
      "no-weights",
    ],
    // bundles of unrelated weights
    [
      "Comfy-Org/workflow-assets",
      {
        pipeline_tag: "text-generation",
        siblings: files(
          "split_files/text_encoders/qwen_2.5_vl_7b.safetensors",
          "split_files/vae/qwen_image_vae.safetensors",
          "split_files/diffusion_models/qwen_image_bf16.safetensors",
          "split_files/loras/lightning-8steps.safetensors",
          "split_files/loras/detail.safetensors",
          "split_files/clip_vision/clip_vision_h.safetensors",
        ),
      },
      "bundle",
    ],
    [
      "city96/FLUX.1-dev-gguf",
      { tags: ["gguf"], gguf: { total: 11_900_000_000, architecture: "flux" }, siblings: files("flux1-dev-Q4_0.gguf") },
      "embedding-or-classifier",
    ],
    [
      "QuantStack/Qwen-Image-GGUF",
      {
        tags: ["gguf"],
        gguf: { total: 20_430_000_000, architecture: "qwen_image" },
        siblings: files("Qwen_Image-Q4_K_M.gguf"),
      },
      "not-text-generation",
    ],
    [
      "meta-llama/Llama-Guard-3-1B",
      { pipeline_tag: "text-generation", config: chatConfig(["LlamaForCausalLM"], "llama") },
      "reward-or-judge",
    ],
    [
      "Qwen/Qwen3Guard-Gen-0.6B",
      { pipeline_tag: "text-generation", config: chatConfig(["Qwen3ForCausalLM"], "qwen3") },
      "reward-or-judge",
    ],
    [
      "nferruz/ProtGPT2",
      { pipeline_tag: "text-generation", config: { architectures: ["GPT2LMHeadModel"], model_type: "gpt2" } },
      "not-natural-language",
    ],
    [
      "user/lora-pack",
      {
        pipeline_tag: "text-generation",
        siblings: files("a/adapter_model.safetensors", "b/adapter_model.safetensors"),
      },
      "adapter-only",
    ],
  ] as [string, Partial<HubModel>, string][])("%s → %s", (id, patch, reason) => {
    expect(decision(m(id, patch))).toBe(reason);
  });
});

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
