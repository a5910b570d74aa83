/** The classes of repos the real Hub has (issue 10) that are not standalone LLMs, and the reason each is dropped. */
import { describe, expect, it } from "vitest";
import type { HubModel } from "../hub/types.ts";
import { chatConfig, decision, files, m } from "./repo-kind.fixtures.ts";

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
    // Issue 22: encoders the Hub files under text-generation, rankers and assistants named like LLMs
    [
      "xlnet/xlnet-base-cased",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "pytorch", "tf", "rust", "safetensors", "xlnet", "en"],
        config: { architectures: ["XLNetLMHeadModel"], model_type: "xlnet" },
      },
      "encoder",
    ],
    [
      "FacebookAI/xlm-mlm-en-2048",
      { pipeline_tag: "fill-mask", config: { architectures: ["XLMWithLMHeadModel"], model_type: "xlm" } },
      "encoder",
    ],
    [
      "nomic-ai/CodeRankLLM",
      {
        pipeline_tag: "text-generation",
        tags: [
          "transformers",
          "safetensors",
          "qwen2",
          "conversational",
          "base_model:finetune:Qwen/Qwen2.5-Coder-7B-Instruct",
        ],
        config: chatConfig(["Qwen2ForCausalLM"], "qwen2"),
      },
      "embedding-or-classifier",
    ],
    ["castorini/rank_zephyr_7b_v1_full", { pipeline_tag: "text-generation" }, "embedding-or-classifier"],
    [
      "google/gemma-4-E4B-it-assistant",
      { pipeline_tag: "text-generation", tags: ["transformers", "safetensors", "conversational"] },
      "draft-head",
    ],
    [
      "lab/Qwen3-8B-draft",
      { pipeline_tag: "text-generation", config: { architectures: ["Qwen3ForCausalLM"], model_type: "qwen3" } },
      "draft-head",
    ],
    [
      "nferruz/ProtGPT2",
      { pipeline_tag: "text-generation", config: { architectures: ["GPT2LMHeadModel"], model_type: "gpt2" } },
      "not-natural-language",
    ],
    [
      "AngelSlim/Qwen3-8B_eagle3",
      { pipeline_tag: "text-generation", config: { architectures: ["LlamaForCausalLM"], model_type: "llama" } },
      "draft-head",
    ],
    ["lmsys/sglang-EAGLE-LLaMA3-Instruct-8B", { pipeline_tag: "text-generation" }, "draft-head"],
    [
      "unsloth/embeddinggemma-300m-GGUF",
      {
        tags: ["gguf"],
        gguf: { total: 302_863_104, architecture: "gemma-embedding", context_length: 2048 },
        siblings: files("embeddinggemma-300M-Q8_0.gguf"),
      },
      "embedding-or-classifier",
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
