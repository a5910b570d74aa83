/** Repos that must be dropped, each for its own reason: embedders, rerankers, speech, encoders, adapters, stubs. */
import type { NonLlmSpec } from "./build.ts";

/** Repos that must be dropped, each for its own reason. */
export const NON_LLMS: NonLlmSpec[] = [
  {
    id: "sentence-transformers/all-MiniLM-L6-v2",
    pipeline: "sentence-similarity",
    library: "sentence-transformers",
    params: 22_713_216,
    tags: ["feature-extraction"],
    downloads: 80_000_000,
  },
  {
    id: "BAAI/bge-reranker-base",
    pipeline: "text-classification",
    library: "transformers",
    params: 278_045_185,
    tags: ["reranker"],
    downloads: 900_000,
  },
  {
    id: "BAAI/bge-small-en-v1.5",
    pipeline: "feature-extraction",
    library: "sentence-transformers",
    params: 33_360_000,
    downloads: 3_000_000,
  },
  {
    id: "openai/whisper-tiny",
    pipeline: "automatic-speech-recognition",
    library: "transformers",
    params: 37_760_640,
    downloads: 1_000_000,
  },
  {
    id: "google-bert/bert-base-uncased",
    pipeline: "fill-mask",
    library: "transformers",
    params: 110_106_428,
    downloads: 50_000_000,
  },
  {
    id: "google/flan-t5-small",
    pipeline: "text2text-generation",
    library: "transformers",
    params: 76_961_152,
    downloads: 1_500_000,
    configExtra: { model_type: "t5", architectures: ["T5ForConditionalGeneration"] },
  },
  { id: "hexgrad/Kokoro-82M", pipeline: "text-to-speech", params: 81_763_410, downloads: 2_000_000 },
  {
    id: "microsoft/Florence-2-base",
    pipeline: "image-text-to-text",
    library: "transformers",
    params: 231_000_000,
    downloads: 700_000,
    configExtra: { model_type: "florence2", architectures: ["Florence2ForConditionalGeneration"] },
  },
  { id: "nomic-ai/nomic-embed-text-v1.5-GGUF", gguf: "nomic-bert", params: 136_731_648, downloads: 200_000 },
  {
    id: "lora-user/llama-3.2-1b-chat-lora",
    pipeline: "text-generation",
    library: "peft",
    base: "meta-llama/Llama-3.2-1B-Instruct",
    downloads: 5_000,
    tags: ["lora"],
  },
  {
    id: "hf-internal-testing/tiny-random-LlamaForCausalLM",
    pipeline: "text-generation",
    library: "transformers",
    params: 1_032_272,
    downloads: 800_000,
  },
  {
    id: "trl-internal-testing/tiny-Qwen2ForCausalLM-2.5",
    pipeline: "text-generation",
    library: "transformers",
    params: 2_441_000,
    downloads: 300_000,
  },
];
