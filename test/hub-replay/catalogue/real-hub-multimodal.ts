/**
 * Issue 22, multimodal: vision, video, audio and omni chat models as the real Hub lists them — no
 * `conversational` tag, the template in the processor's files or in custom code, a bare `…Model`
 * whose language model only config.json shows, a chat model filed under speech recognition — and
 * the vision models that read, caption or classify instead. Each with the decision it must get.
 */
import { CHAT_TEMPLATE } from "./build.ts";
import { chat, type RealSpec, ST, shards } from "./real-hub-build.ts";

const PROCESSOR = ["preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export const MULTIMODAL: RealSpec[] = [
  // Chat models whose template is not in tokenizer_config.json: no conversational tag.
  {
    id: "liuhaotian/llava-v1.5-7b",
    downloads: 900_000,
    created: "2023-10-05T00:00:00.000Z",
    pipeline: "image-text-to-text",
    library: "transformers",
    tags: ["transformers", "pytorch", "llava", "autotrain_compatible"],
    config: { architectures: ["LlavaLlamaForCausalLM"], model_type: "llava", tokenizer_config: { bos_token: "<s>" } },
    configJson: {
      architectures: ["LlavaLlamaForCausalLM"],
      model_type: "llava",
      hidden_size: 4096,
      intermediate_size: 11008,
      num_attention_heads: 32,
      num_hidden_layers: 32,
      num_key_value_heads: 32,
      vocab_size: 32000,
      max_position_embeddings: 4096,
      mm_vision_tower: "openai/clip-vit-large-patch14-336",
      mm_projector_type: "mlp2x_gelu",
    },
    files: [
      "config.json",
      "pytorch_model-00001-of-00002.bin",
      "pytorch_model-00002-of-00002.bin",
      "pytorch_model.bin.index.json",
      "tokenizer.model",
      "tokenizer_config.json",
    ],
  },
  {
    id: "HuggingFaceM4/idefics2-8b",
    downloads: 60_000,
    created: "2025-02-04T00:00:00.000Z",
    pipeline: "image-text-to-text",
    tags: [...ST, "idefics2", "multimodal", "vision", "en"],
    config: {
      architectures: ["Idefics2ForConditionalGeneration"],
      model_type: "idefics2",
      processor_config: { chat_template: CHAT_TEMPLATE },
    },
    safetensors: 8_402_768_112,
    card: {
      datasets: ["HuggingFaceM4/OBELICS", "laion/laion-coco", "HuggingFaceM4/the_cauldron", "teknium/OpenHermes-2.5"],
    },
    files: ["config.json", ...shards(4), "processor_config.json", ...PROCESSOR],
  },
  {
    id: "deepseek-ai/deepseek-vl2-tiny",
    downloads: 50_000,
    created: "2025-03-07T00:00:00.000Z",
    pipeline: "image-text-to-text",
    tags: [...ST, "deepseek_vl_v2"],
    config: { architectures: ["DeepseekVLV2ForCausalLM"], model_type: "deepseek_vl_v2" },
    safetensors: 3_370_000_000,
    license: "other",
    files: ["config.json", "model.safetensors", "processor_config.json", "tokenizer.json", "tokenizer_config.json"],
  },
  {
    id: "llava-hf/llava-onevision-qwen2-0.5b-ov-hf",
    downloads: 150_000,
    created: "2025-04-10T00:00:00.000Z",
    pipeline: "image-text-to-text",
    tags: [...ST, "llava_onevision", "vision"],
    config: { architectures: ["LlavaOnevisionForConditionalGeneration"], model_type: "llava_onevision" },
    safetensors: 893_612_064,
    files: ["config.json", "model.safetensors", "chat_template.json", "processor_config.json", ...PROCESSOR],
  },
  {
    id: "lmms-lab/LLaVA-Video-7B-Qwen2",
    downloads: 40_000,
    created: "2025-05-13T00:00:00.000Z",
    pipeline: "video-text-to-text",
    tags: [...ST, "llava", "multimodal"],
    config: { architectures: ["LlavaQwenForCausalLM"], model_type: "llava" },
    safetensors: 8_030_000_000,
    files: ["config.json", ...shards(4), "tokenizer.json", "tokenizer_config.json"],
  },
  // A bare `…Model` and custom code: only config.json shows the Llama inside.
  {
    id: "fixie-ai/ultravox-v0_4-llama-3_2-1b",
    downloads: 20_000,
    created: "2025-06-16T00:00:00.000Z",
    pipeline: "audio-text-to-text",
    tags: [...ST, "ultravox", "custom_code", "multilingual"],
    config: {
      architectures: ["UltravoxModel"],
      auto_map: {
        AutoConfig: "ultravox_config.UltravoxConfig",
        AutoModel: "ultravox_model.UltravoxModel",
        AutoProcessor: "ultravox_processing.UltravoxProcessor",
      },
      model_type: "ultravox",
    },
    configJson: {
      architectures: ["UltravoxModel"],
      model_type: "ultravox",
      audio_model_id: "openai/whisper-large-v3-turbo",
      text_model_id: "meta-llama/Llama-3.2-1B-Instruct",
      text_config: { architectures: ["LlamaForCausalLM"], model_type: "llama", vocab_size: 128256 },
    },
    safetensors: 1_873_000_000,
    files: ["config.json", "model.safetensors", "ultravox_model.py", "ultravox_config.py", "tokenizer.json"],
  },
  // Filed under speech recognition, but a conversational causal LM with a chat template.
  {
    id: "microsoft/Phi-4-multimodal-instruct",
    downloads: 400_000,
    created: "2025-07-19T00:00:00.000Z",
    pipeline: "automatic-speech-recognition",
    tags: [...ST, "phi4mm", "nlp", "code", "audio", "speech-summarization", "visual-question-answering", "custom_code"],
    config: {
      architectures: ["Phi4MMForCausalLM"],
      auto_map: { AutoModelForCausalLM: "modeling_phi4mm.Phi4MMForCausalLM" },
      model_type: "phi4mm",
      tokenizer_config: { chat_template: CHAT_TEMPLATE },
    },
    safetensors: 5_574_460_384,
    license: "mit",
    files: ["config.json", ...shards(3), "modeling_phi4mm.py", "processor_config.json", ...PROCESSOR],
  },
  // Out: document parsing, video captioning and video classification on a VLM backbone.
  {
    id: "opendatalab/MinerU2.5-2509-1.2B",
    downloads: 300_000,
    created: "2025-08-22T00:00:00.000Z",
    pipeline: "image-text-to-text",
    tags: [...ST, "qwen2_vl", "conversational"],
    config: chat(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
    safetensors: 1_160_000_000,
    license: "agpl-3.0",
    files: ["config.json", "model.safetensors", "chat_template.json", ...PROCESSOR],
  },
  {
    id: "omni-research/Tarsier2-Recap-7b",
    downloads: 30_000,
    created: "2025-09-25T00:00:00.000Z",
    pipeline: "video-text-to-text",
    tags: [...ST, "qwen2_vl", "video LLM", "conversational"],
    config: chat(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
    safetensors: 8_291_375_616,
    card: { datasets: ["omni-research/Tarsier2-Recap-585K"] },
    bases: [{ id: "Qwen/Qwen2-VL-7B-Instruct", relation: "finetune" }],
    files: ["config.json", ...shards(4), ...PROCESSOR],
  },
  {
    id: "videolab/Qwen2-VL-2B-Instruct-for-VideoCls",
    downloads: 8_000,
    created: "2025-10-01T00:00:00.000Z",
    pipeline: "video-text-to-text",
    tags: [...ST, "qwen2_vl", "conversational"],
    config: chat(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
    safetensors: 2_208_985_600,
    bases: [{ id: "Qwen/Qwen2-VL-2B-Instruct", relation: "finetune" }],
    files: ["config.json", "model.safetensors", ...PROCESSOR],
  },
];

/** The decision each must get: `entry`, `folded:<into>` or `dropped:<reason>`. */
export const MULTIMODAL_EXPECTED: Record<string, string> = {
  "liuhaotian/llava-v1.5-7b": "entry",
  "HuggingFaceM4/idefics2-8b": "entry",
  "deepseek-ai/deepseek-vl2-tiny": "entry",
  "llava-hf/llava-onevision-qwen2-0.5b-ov-hf": "entry",
  "lmms-lab/LLaVA-Video-7B-Qwen2": "entry",
  "fixie-ai/ultravox-v0_4-llama-3_2-1b": "entry",
  "microsoft/Phi-4-multimodal-instruct": "entry",
  "opendatalab/MinerU2.5-2509-1.2B": "dropped:document-vision",
  "omni-research/Tarsier2-Recap-7b": "dropped:document-vision",
  "videolab/Qwen2-VL-2B-Instruct-for-VideoCls": "dropped:embedding-or-classifier",
};
