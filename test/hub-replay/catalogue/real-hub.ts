/**
 * The classes the real Hub has that our own shapes did not (issue 10), several public examples
 * each, shaped like the list answers the Hub gives for them: their pipeline tags (or none), tags,
 * libraries, config digests, file layouts and lineage tags. `REAL_HUB_EXPECTED` is the decision each
 * must get; the end-to-end test checks them all through `--report`.
 */
import {
  BPW,
  CHAT_TEMPLATE,
  configFile,
  type FixtureFile,
  type FixtureRepo,
  makeInfo,
  readme,
  realConfig,
  weight,
} from "./build.ts";

interface RealSpec {
  id: string;
  downloads: number;
  created?: string;
  pipeline?: string;
  library?: string;
  tags?: string[];
  /** The list's config digest; also served as config.json unless `configJson` is given. */
  config?: Record<string, unknown>;
  configJson?: Record<string, unknown>;
  safetensors?: number;
  gguf?: Record<string, unknown>;
  /** File names; weight files get sizes and LFS hashes. */
  files: string[];
  bases?: { id: string; relation: string }[];
  license?: string;
  gated?: "manual" | "auto";
  /** Extra card metadata (datasets, tags). */
  card?: Record<string, unknown>;
  /** Whose weights the files hold (a byte-identical copy shares the hashes). */
  weightsOf?: string;
}

const WEIGHTS = /\.(safetensors|bin|gguf|pth|onnx|npz)$/;

function realRepo(s: RealSpec): FixtureRepo {
  const params = s.safetensors ?? (s.gguf?.total as number | undefined) ?? 100_000_000;
  const weights = s.files.filter((f) => WEIGHTS.test(f));
  const files: FixtureFile[] = [readme(s.id)];
  for (const path of s.files) {
    if (path === "config.json") files.push(configFile(s.configJson ?? s.config ?? {}));
    else if (WEIGHTS.test(path)) {
      const quant = /(Q\d_K_[MSL]|Q\d_K|Q\d_0|F16|BF16)/i.exec(path)?.[1]?.toUpperCase();
      const size = quant ? Math.round((params * (BPW[quant] ?? 5)) / 8) : Math.round((params * 2) / weights.length);
      files.push(weight(s.weightsOf ?? s.id, path, size));
    } else files.push({ path, size: 2_000, content: "{}\n" });
  }
  const info = makeInfo(s.id, {
    downloads: s.downloads,
    ...(s.created ? { created: s.created } : {}),
    pipeline: s.pipeline,
    library: s.library,
    tags: s.tags ?? [],
    license: s.license ?? "apache-2.0",
    baseModels: s.bases ?? [],
    gated: s.gated ?? false,
    config: s.config ?? {},
    safetensors: s.safetensors,
    gguf: s.gguf,
    files,
  });
  if (s.card) info.cardData = { ...(info.cardData as object), ...s.card };
  return { info, files, ...(s.gated ? { gatedFiles: true } : {}) };
}

const ST = ["transformers", "safetensors"];
const chat = (architectures: string[], model_type: string, template = CHAT_TEMPLATE) => ({
  architectures,
  model_type,
  tokenizer_config: { chat_template: template },
});
const one = ["config.json", "model.safetensors", "tokenizer.json"];
const shards = (n: number) => Array.from({ length: n }, (_, i) => `model-0000${i + 1}-of-0000${n}.safetensors`);
const gguf = (name: string, quants: string[]) => quants.map((q) => `${name}-${q}.gguf`);

const SPECS: RealSpec[] = [
  // OCR, document parsing and captioning on a VLM backbone: image-text-to-text, but they do not chat.
  {
    id: "rednote-hilab/dots.ocr",
    downloads: 900_000,
    pipeline: "image-text-to-text",
    tags: [...ST, "conversational", "custom_code", "ocr"],
    config: chat(["DotsOCRForCausalLM"], "dots_ocr"),
    safetensors: 3_039_000_000,
    files: ["config.json", ...shards(2)],
  },
  {
    id: "ibm-granite/granite-docling-258M",
    downloads: 400_000,
    pipeline: "image-text-to-text",
    tags: [...ST, "conversational"],
    config: chat(["Idefics3ForConditionalGeneration"], "idefics3"),
    safetensors: 257_517_120,
    files: one,
  },
  {
    id: "allenai/olmOCR-7B-0725",
    downloads: 120_000,
    pipeline: "image-text-to-text",
    tags: [...ST, "conversational"],
    config: chat(["Qwen2_5_VLForConditionalGeneration"], "qwen2_5_vl"),
    safetensors: 8_292_166_656,
    bases: [{ id: "Qwen/Qwen2.5-VL-7B-Instruct", relation: "finetune" }],
    files: ["config.json", ...shards(4)],
  },
  {
    id: "fancyfeast/llama-joycaption-beta-one-hf-llava",
    downloads: 60_000,
    pipeline: "image-text-to-text",
    tags: [...ST, "conversational", "captioning"],
    config: chat(["LlavaForConditionalGeneration"], "llava"),
    safetensors: 8_479_990_000,
    files: ["config.json", ...shards(4)],
  },
  // Speculative-decoding draft heads: they cannot run alone.
  {
    id: "yuhuili/EAGLE3-LLaMA3.1-Instruct-8B",
    downloads: 50_000,
    tags: ["pytorch"],
    config: { architectures: ["LlamaForCausalLMEagle3"], model_type: "llama" },
    files: ["config.json", "pytorch_model.bin"],
  },
  {
    id: "RedHatAI/Llama-3.1-8B-Instruct-speculator.eagle3",
    downloads: 20_000,
    pipeline: "text-generation",
    library: "speculators",
    tags: ["safetensors", "speculators", "eagle3"],
    config: { architectures: ["Eagle3Speculator"], speculators_config: {} },
    safetensors: 850_000_000,
    files: one,
  },
  {
    id: "FasterDecoding/medusa-vicuna-7b-v1.3",
    downloads: 8_000,
    pipeline: "text-generation",
    tags: ["transformers", "pytorch"],
    config: { architectures: ["MedusaModel"] },
    files: ["config.json", "medusa_lm_head.pt"],
  },
  {
    id: "z-lab/Qwen3-4B-DFlash-b16",
    downloads: 3_000,
    pipeline: "text-generation",
    tags: ST,
    config: { architectures: ["DFlashDraftModel"], model_type: "qwen3" },
    safetensors: 500_000_000,
    files: one,
  },
  // Reward, verifier and judge models.
  {
    id: "Skywork/Skywork-Reward-V2-Llama-3.1-8B",
    downloads: 90_000,
    pipeline: "text-classification",
    tags: ST,
    config: { architectures: ["LlamaForSequenceClassification"], model_type: "llama" },
    safetensors: 7_504_928_769,
    files: ["config.json", ...shards(4)],
  },
  {
    id: "Qwen/Qwen2.5-Math-PRM-7B",
    downloads: 40_000,
    pipeline: "text-generation",
    tags: ST,
    config: { architectures: ["Qwen2ForProcessRewardModel"], model_type: "qwen2" },
    safetensors: 7_070_619_137,
    files: ["config.json", ...shards(4)],
  },
  {
    id: "internlm/internlm2-1_8b-reward",
    downloads: 6_000,
    pipeline: "text-generation",
    tags: [...ST, "custom_code"],
    config: { architectures: ["InternLM2ForRewardModel"], model_type: "internlm2" },
    safetensors: 1_889_110_017,
    files: one,
  },
  // Speech models on an LLM backbone.
  {
    id: "Qwen/Qwen3-TTS-12Hz-1.7B-Base",
    downloads: 150_000,
    pipeline: "text-to-speech",
    tags: ST,
    config: { architectures: ["Qwen3TTSForConditionalGeneration"], model_type: "qwen3_tts" },
    safetensors: 1_910_000_000,
    files: one,
  },
  {
    id: "canopylabs/orpheus-3b-0.1-ft",
    downloads: 70_000,
    pipeline: "text-generation",
    tags: [...ST, "text-to-speech"],
    config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
    safetensors: 3_300_867_072,
    files: ["config.json", ...shards(2)],
  },
  {
    id: "OuteAI/Llama-OuteTTS-1.0-1B",
    downloads: 30_000,
    pipeline: "text-generation",
    tags: ST,
    config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
    safetensors: 1_251_000_000,
    files: one,
  },
  // Embedding and retrieval models, some tagged text-generation.
  {
    id: "Qwen/Qwen3-Embedding-0.6B",
    downloads: 2_500_000,
    pipeline: "feature-extraction",
    library: "sentence-transformers",
    tags: [...ST, "sentence-transformers"],
    config: { architectures: ["Qwen3ForCausalLM"], model_type: "qwen3" },
    safetensors: 595_776_512,
    files: one,
  },
  {
    id: "nomic-ai/nomic-embed-multimodal-3b",
    downloads: 9_000,
    pipeline: "text-generation",
    tags: ST,
    config: { architectures: ["Qwen2_5_VLForConditionalGeneration"], model_type: "qwen2_5_vl" },
    safetensors: 3_754_622_976,
    files: ["config.json", ...shards(2)],
  },
  {
    id: "Alibaba-NLP/gte-Qwen2-1.5B-instruct",
    downloads: 200_000,
    pipeline: "sentence-similarity",
    library: "sentence-transformers",
    tags: [...ST, "sentence-transformers", "conversational"],
    config: chat(["Qwen2ForCausalLM"], "qwen2"),
    safetensors: 1_776_000_000,
    files: one,
  },
  {
    id: "Qwen/Qwen3-Embedding-0.6B-GGUF",
    downloads: 80_000,
    tags: ["gguf"],
    gguf: { total: 595_776_512, architecture: "qwen3", context_length: 32768 },
    files: gguf("Qwen3-Embedding-0.6B", ["Q8_0", "f16"]),
  },
  // Test and CI stubs beyond tiny-random, and a "moved" placeholder.
  {
    id: "nm-testing/Llama-3.2-1B-Instruct-W4A16-unit-test",
    downloads: 40_000,
    pipeline: "text-generation",
    tags: [...ST, "compressed-tensors"],
    config: {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      quantization_config: { quant_method: "compressed-tensors" },
    },
    safetensors: 400_000_000,
    files: one,
  },
  {
    id: "ggml-org/stories15M_MOE",
    downloads: 9_000,
    tags: ["gguf"],
    gguf: { total: 15_000_000, architecture: "llama", context_length: 256 },
    files: gguf("stories15M_MOE", ["F16"]),
  },
  {
    id: "ggml-org/tinygemma3-GGUF",
    downloads: 7_000,
    tags: ["gguf"],
    gguf: { total: 3_000_000, architecture: "gemma3", context_length: 1024 },
    files: gguf("tinygemma3", ["Q8_0"]),
  },
  {
    id: "Xenova/llama2.c-stories15M",
    downloads: 20_000,
    pipeline: "text-generation",
    library: "transformers.js",
    tags: ["transformers.js", "onnx"],
    files: ["config.json", "onnx/model.onnx"],
  },
  {
    id: "old-lab/Chat-1B-models-moved",
    downloads: 3_000,
    pipeline: "text-generation",
    tags: ["transformers"],
    files: [],
  },
  // Bundles: many unrelated weight files.
  {
    id: "Comfy-Org/Qwen-Image_ComfyUI",
    downloads: 500_000,
    pipeline: "text-generation",
    tags: ["safetensors"],
    safetensors: 20_000_000_000,
    files: [
      "split_files/text_encoders/qwen_2.5_vl_7b.safetensors",
      "split_files/vae/qwen_image_vae.safetensors",
      "split_files/diffusion_models/qwen_image_bf16.safetensors",
      "split_files/loras/lightning-8steps.safetensors",
      "split_files/loras/detail-v2.safetensors",
    ],
  },
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
  // An author's own copies that declare no base_model tags.
  {
    id: "Qwen/Qwen2-1.5B-Instruct",
    downloads: 700_000,
    created: "2024-06-03T00:00:00.000Z",
    pipeline: "text-generation",
    tags: [...ST, "qwen2", "conversational"],
    config: chat(["Qwen2ForCausalLM"], "qwen2"),
    configJson: realConfig("Qwen__Qwen2-1.5B-Instruct"),
    safetensors: 1_543_714_304,
    files: one,
  },
  {
    id: "Qwen/Qwen2-1.5B-Instruct-GGUF",
    downloads: 90_000,
    tags: ["gguf", "chat"],
    gguf: { total: 1_543_714_304, architecture: "qwen2", context_length: 32768, chat_template: CHAT_TEMPLATE },
    files: gguf("qwen2-1_5b-instruct", ["q4_k_m", "q8_0", "fp16"]),
  },
  {
    id: "Qwen/Qwen3-4B-MLX-4bit",
    downloads: 30_000,
    pipeline: "text-generation",
    library: "mlx",
    tags: ["mlx", "safetensors", "conversational"],
    config: { architectures: ["Qwen3ForCausalLM"], model_type: "qwen3", quantization: { bits: 4 } },
    safetensors: 629_000_000,
    files: one,
  },
  {
    id: "nvidia/Llama-3.1-8B-Instruct-FP8",
    downloads: 60_000,
    pipeline: "text-generation",
    tags: [...ST, "modelopt"],
    config: {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      quantization_config: { quant_method: "modelopt" },
    },
    safetensors: 8_030_261_248,
    license: "llama3.1",
    files: ["config.json", ...shards(2)],
  },
  {
    id: "google/gemma-3-1b-it-qat-q4_0-gguf",
    downloads: 50_000,
    gated: "manual",
    tags: ["gguf"],
    gguf: { total: 999_885_952, architecture: "gemma3", context_length: 32768, chat_template: CHAT_TEMPLATE },
    license: "gemma",
    files: ["gemma-3-1b-it-q4_0.gguf"],
  },
  // Mirrors and re-saves under another owner: other hashes, same model.
  {
    id: "unsloth/Qwen3-0.6B",
    downloads: 150_000,
    created: "2025-04-28T00:00:00.000Z",
    pipeline: "text-generation",
    tags: [...ST, "unsloth", "conversational"],
    config: chat(["Qwen3ForCausalLM"], "qwen3"),
    configJson: realConfig("Qwen__Qwen3-0.6B"),
    safetensors: 751_632_384,
    bases: [{ id: "Qwen/Qwen3-0.6B", relation: "finetune" }],
    files: one,
  },
  {
    id: "NousResearch/Meta-Llama-3.1-8B-Instruct",
    downloads: 120_000,
    created: "2024-07-24T00:00:00.000Z",
    pipeline: "text-generation",
    tags: [...ST, "conversational"],
    config: chat(["LlamaForCausalLM"], "llama"),
    configJson: realConfig("meta-llama__Llama-3.1-8B"),
    safetensors: 8_030_261_248,
    license: "llama3.1",
    files: ["config.json", ...shards(4)],
  },
  {
    id: "unsloth/gemma-3-1b-it",
    downloads: 110_000,
    created: "2025-03-12T00:00:00.000Z",
    pipeline: "text-generation",
    tags: [...ST, "unsloth", "conversational"],
    config: chat(["Gemma3ForCausalLM"], "gemma3_text"),
    configJson: realConfig("google__gemma-3-1b-it"),
    safetensors: 999_885_952,
    license: "gemma",
    bases: [{ id: "google/gemma-3-1b-it", relation: "finetune" }],
    files: one,
  },
  // Same name, trained further: its own entry.
  {
    id: "trainer-lab/Qwen3-0.6B",
    downloads: 2_000,
    created: "2025-07-01T00:00:00.000Z",
    pipeline: "text-generation",
    tags: [...ST, "trl", "sft", "conversational"],
    config: chat(["Qwen3ForCausalLM"], "qwen3"),
    configJson: realConfig("Qwen__Qwen3-0.6B"),
    safetensors: 751_632_384,
    card: { datasets: ["HuggingFaceH4/ultrachat_200k"] },
    files: one,
  },
  // Copies whose base is not on the lists (gated away): one entry for all of them, tiered on a true count.
  {
    id: "quantco/Secret-1.5B-AWQ",
    downloads: 9_000,
    pipeline: "text-generation",
    tags: [...ST, "awq", "conversational"],
    config: {
      architectures: ["Qwen2ForCausalLM"],
      model_type: "qwen2",
      quantization_config: { quant_method: "awq", bits: 4 },
    },
    configJson: realConfig("Qwen__Qwen2-1.5B-Instruct"),
    safetensors: 480_000_000,
    bases: [{ id: "locked-lab/Secret-1.5B", relation: "quantized" }],
    files: one,
  },
  {
    id: "quantco/Secret-1.5B-GGUF",
    downloads: 4_000,
    tags: ["gguf", "conversational"],
    gguf: { total: 1_543_714_304, architecture: "qwen2", context_length: 32768, chat_template: CHAT_TEMPLATE },
    bases: [{ id: "locked-lab/Secret-1.5B", relation: "quantized" }],
    files: gguf("Secret-1.5B", ["Q4_K_M", "Q8_0"]),
  },
  {
    id: "mlx-community/Secret-1.5B-4bit",
    downloads: 3_000,
    pipeline: "text-generation",
    library: "mlx",
    tags: ["mlx", "safetensors"],
    config: { architectures: ["Qwen2ForCausalLM"], model_type: "qwen2" },
    safetensors: 240_000_000,
    bases: [{ id: "locked-lab/Secret-1.5B", relation: "quantized" }],
    files: one,
  },
  // A quantised copy whose packed count would mis-tier it: it folds into its base.
  {
    id: "RedHatAI/Llama-3.2-1B-Instruct-quantized.w4a16",
    downloads: 25_000,
    pipeline: "text-generation",
    tags: [...ST, "compressed-tensors", "int4"],
    config: {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      quantization_config: { quant_method: "compressed-tensors" },
    },
    safetensors: 400_000_000,
    license: "llama3.2",
    bases: [{ id: "meta-llama/Llama-3.2-1B-Instruct", relation: "quantized" }],
    files: one,
  },
  // GGUF repos whose base tag points at another model: never an install target of that entry.
  {
    id: "confused/Qwen2.5-VL-3B-Instruct-GGUF",
    downloads: 500_000,
    tags: ["gguf", "conversational"],
    gguf: { total: 3_090_000_000, architecture: "qwen2vl", context_length: 128000, chat_template: CHAT_TEMPLATE },
    bases: [{ id: "Qwen/Qwen2.5-3B", relation: "quantized" }],
    files: gguf("Qwen2.5-VL-3B-Instruct", ["Q4_K_M", "Q8_0"]),
  },
  {
    id: "mixup/Qwen2.5-0.5B-Instruct-GGUF",
    downloads: 400_000,
    tags: ["gguf", "conversational"],
    gguf: { total: 494_032_768, architecture: "qwen2", context_length: 32768, chat_template: CHAT_TEMPLATE },
    bases: [{ id: "Qwen/Qwen2.5-0.5B", relation: "quantized" }],
    files: gguf("Qwen2.5-0.5B-Instruct", ["Q4_K_M", "Q8_0"]),
  },
  // One repo holding split and single-file copies of the same quants.
  {
    id: "splitter/SmolLM2-1.7B-Instruct-GGUF",
    downloads: 2_000_000,
    tags: ["gguf", "conversational"],
    gguf: { total: 1_711_376_384, architecture: "llama", context_length: 8192, chat_template: CHAT_TEMPLATE },
    bases: [{ id: "HuggingFaceTB/SmolLM2-1.7B-Instruct", relation: "quantized" }],
    files: [
      "Q4_K_M/SmolLM2-1.7B-Instruct-Q4_K_M-00001-of-00002.gguf",
      "Q4_K_M/SmolLM2-1.7B-Instruct-Q4_K_M-00002-of-00002.gguf",
      "SmolLM2-1.7B-Instruct-Q4_K_M-00001-of-00002.gguf",
      "SmolLM2-1.7B-Instruct-Q4_K_M-00002-of-00002.gguf",
      "SmolLM2-1.7B-Instruct-Q4_K_M.gguf",
      "SmolLM2-1.7B-Instruct-Q6_K.gguf",
    ],
  },
];

export const realHubRepos = (): FixtureRepo[] => SPECS.map(realRepo);

/** The decision each repo must get: `entry`, `folded:<into>` or `dropped:<reason>`. */
export const REAL_HUB_EXPECTED: Record<string, string> = {
  "rednote-hilab/dots.ocr": "dropped:document-vision",
  "ibm-granite/granite-docling-258M": "dropped:document-vision",
  "allenai/olmOCR-7B-0725": "dropped:document-vision",
  "fancyfeast/llama-joycaption-beta-one-hf-llava": "dropped:document-vision",
  "yuhuili/EAGLE3-LLaMA3.1-Instruct-8B": "dropped:draft-head",
  "RedHatAI/Llama-3.1-8B-Instruct-speculator.eagle3": "dropped:draft-head",
  "FasterDecoding/medusa-vicuna-7b-v1.3": "dropped:draft-head",
  "z-lab/Qwen3-4B-DFlash-b16": "dropped:draft-head",
  "Skywork/Skywork-Reward-V2-Llama-3.1-8B": "dropped:reward-or-judge",
  "Qwen/Qwen2.5-Math-PRM-7B": "dropped:reward-or-judge",
  "internlm/internlm2-1_8b-reward": "dropped:reward-or-judge",
  "Qwen/Qwen3-TTS-12Hz-1.7B-Base": "dropped:speech",
  "canopylabs/orpheus-3b-0.1-ft": "dropped:speech",
  "OuteAI/Llama-OuteTTS-1.0-1B": "dropped:speech",
  "Qwen/Qwen3-Embedding-0.6B": "dropped:embedding-or-classifier",
  "nomic-ai/nomic-embed-multimodal-3b": "dropped:embedding-or-classifier",
  "Alibaba-NLP/gte-Qwen2-1.5B-instruct": "dropped:embedding-or-classifier",
  "Qwen/Qwen3-Embedding-0.6B-GGUF": "dropped:embedding-or-classifier",
  "nm-testing/Llama-3.2-1B-Instruct-W4A16-unit-test": "dropped:test-stub",
  "ggml-org/stories15M_MOE": "dropped:test-stub",
  "ggml-org/tinygemma3-GGUF": "dropped:test-stub",
  "Xenova/llama2.c-stories15M": "dropped:test-stub",
  "old-lab/Chat-1B-models-moved": "dropped:test-stub",
  "Comfy-Org/Qwen-Image_ComfyUI": "dropped:bundle",
  "google/gemma-4-E4B-it": "entry",
  "Qwen/Qwen2.5-Omni-3B": "entry",
  "fixie-ai/ultravox-v0_5-llama-3_2-1b": "entry",
  "llava-hf/LLaVA-NeXT-Video-7B-hf": "entry",
  "zai-org/chatglm3-6b": "entry",
  "facebook/opt-125m": "entry",
  "EleutherAI/gpt-j-6b": "entry",
  "Salesforce/codegen-350M-mono": "entry",
  "Qwen/Qwen2-1.5B-Instruct": "entry",
  "Qwen/Qwen2-1.5B-Instruct-GGUF": "folded:Qwen/Qwen2-1.5B-Instruct",
  "Qwen/Qwen3-4B-MLX-4bit": "folded:Qwen/Qwen3-4B",
  "nvidia/Llama-3.1-8B-Instruct-FP8": "folded:meta-llama/Llama-3.1-8B-Instruct",
  "google/gemma-3-1b-it-qat-q4_0-gguf": "folded:google/gemma-3-1b-it",
  "unsloth/Qwen3-0.6B": "folded:Qwen/Qwen3-0.6B",
  "NousResearch/Meta-Llama-3.1-8B-Instruct": "folded:meta-llama/Llama-3.1-8B-Instruct",
  "unsloth/gemma-3-1b-it": "folded:google/gemma-3-1b-it",
  "trainer-lab/Qwen3-0.6B": "entry",
  "quantco/Secret-1.5B-AWQ": "entry",
  "quantco/Secret-1.5B-GGUF": "folded:quantco/Secret-1.5B-AWQ",
  "mlx-community/Secret-1.5B-4bit": "folded:quantco/Secret-1.5B-AWQ",
  "RedHatAI/Llama-3.2-1B-Instruct-quantized.w4a16": "folded:meta-llama/Llama-3.2-1B-Instruct",
  "confused/Qwen2.5-VL-3B-Instruct-GGUF": "dropped:gguf-mismatch",
  "mixup/Qwen2.5-0.5B-Instruct-GGUF": "dropped:gguf-mismatch",
  "splitter/SmolLM2-1.7B-Instruct-GGUF": "folded:HuggingFaceTB/SmolLM2-1.7B-Instruct",
};
