/**
 * Vision, video, audio and omni models (issue 22): kept when they chat — by a template wherever it
 * lives (tokenizer, processor files, chat_template.jinja), a generative architecture, or a language
 * model inside config.json — and dropped when they read documents, caption or classify.
 */
import { describe, expect, it } from "vitest";
import { classify, isDrop } from "../classify.ts";
import type { HubModel } from "../hub/types.ts";
import { chatConfig, decision, files, m } from "./repo-kind.fixtures.ts";
import { type Drop, verdictWithConfig } from "./repo-kind.ts";

const VLM_FILES = files(
  "config.json",
  "generation_config.json",
  "model-00001-of-00004.safetensors",
  "model-00002-of-00004.safetensors",
  "model-00003-of-00004.safetensors",
  "model-00004-of-00004.safetensors",
  "model.safetensors.index.json",
  "preprocessor_config.json",
  "special_tokens_map.json",
  "tokenizer.json",
  "tokenizer_config.json",
);
const TEMPLATE = "{% for message in messages %}{{ message['content'] }}{% endfor %}";

describe("multimodal chat models whose template is not in tokenizer_config.json", () => {
  it.each([
    [
      "liuhaotian/llava-v1.5-7b: a causal LM on a vision pipeline, no template anywhere",
      m("liuhaotian/llava-v1.5-7b", {
        pipeline_tag: "image-text-to-text",
        library_name: "transformers",
        tags: ["transformers", "pytorch", "llava", "image-text-to-text", "autotrain_compatible", "region:us"],
        config: {
          architectures: ["LlavaLlamaForCausalLM"],
          model_type: "llava",
          tokenizer_config: { bos_token: "<s>" },
        },
        siblings: files(
          "config.json",
          "pytorch_model-00001-of-00002.bin",
          "pytorch_model-00002-of-00002.bin",
          "pytorch_model.bin.index.json",
          "tokenizer.model",
          "tokenizer_config.json",
        ),
      }),
    ],
    [
      "HuggingFaceM4/idefics2-8b: the template in the processor's config",
      m("HuggingFaceM4/idefics2-8b", {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "idefics2", "image-text-to-text", "multimodal", "vision"],
        config: {
          architectures: ["Idefics2ForConditionalGeneration"],
          model_type: "idefics2",
          processor_config: { chat_template: TEMPLATE },
        },
        siblings: [...VLM_FILES, { rfilename: "processor_config.json" }],
      }),
    ],
    [
      "deepseek-ai/deepseek-vl2-tiny: custom code, a processor file",
      m("deepseek-ai/deepseek-vl2-tiny", {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "deepseek_vl_v2", "image-text-to-text"],
        config: { architectures: ["DeepseekVLV2ForCausalLM"], model_type: "deepseek_vl_v2" },
        siblings: files("config.json", "model.safetensors", "processor_config.json", "tokenizer.json"),
      }),
    ],
    [
      "a video chat model with chat_template.json only",
      m("llava-hf/LLaVA-NeXT-Video-7B-hf", {
        pipeline_tag: "video-text-to-text",
        tags: ["transformers", "safetensors", "llava_next_video", "video-text-to-text"],
        config: { architectures: ["LlavaNextVideoModel"], model_type: "llava_next_video" },
        siblings: [...VLM_FILES, { rfilename: "chat_template.json" }],
      }),
    ],
    [
      "an omni model with chat_template.jinja only",
      m("Qwen/Qwen2.5-Omni-3B", {
        pipeline_tag: "any-to-any",
        tags: ["transformers", "safetensors", "qwen2_5_omni", "multimodal", "any-to-any"],
        config: { architectures: ["Qwen2_5OmniModel"], model_type: "qwen2_5_omni" },
        siblings: [...VLM_FILES, { rfilename: "chat_template.jinja" }],
      }),
    ],
  ] as [string, HubModel][])("keeps %s", (_what, model) => {
    const c = classify(model);
    expect(isDrop(c) ? c : c.kept.reason).toBe("multimodal-chat");
    if (!isDrop(c)) expect(c.tasks).toEqual(expect.arrayContaining(["chat", "vision"]));
  });

  it.each([
    [
      "OpenGVLab/InternVL2_5-1B: custom code the Hub also tags feature-extraction (AutoModel)",
      m("OpenGVLab/InternVL2_5-1B", {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "internvl_chat", "feature-extraction", "internvl", "custom_code"].concat([
          "image-text-to-text",
          "conversational",
        ]),
        config: {
          architectures: ["InternVLChatModel"],
          auto_map: {
            AutoModel: "modeling_internvl_chat.InternVLChatModel",
            AutoModelForCausalLM: "modeling_internvl_chat.InternVLChatModel",
          },
          model_type: "internvl_chat",
        },
      }),
    ],
    [
      "openbmb/MiniCPM-V-2_6: OCR one skill among vision, multi-image and video",
      m("openbmb/MiniCPM-V-2_6", {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "minicpmv", "minicpm-v", "vision", "ocr", "multi-image", "video"].concat([
          "custom_code",
          "image-text-to-text",
          "conversational",
        ]),
        config: {
          architectures: ["MiniCPMV"],
          auto_map: { AutoModel: "modeling_minicpmv.MiniCPMV", AutoModelForCausalLM: "modeling_minicpmv.MiniCPMV" },
          model_type: "minicpmv",
        },
      }),
    ],
    [
      "nvidia/Eagle2-1B: a VLM named Eagle, not an EAGLE draft head",
      m("nvidia/Eagle2-1B", {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "eagle_chat", "image-text-to-text", "conversational", "custom_code"],
        config: { architectures: ["Eagle2ChatModel"], model_type: "eagle_chat" },
      }),
    ],
    [
      "openbmb/MiniCPM-o-2_6: an omni chat model that lists tts and asr among its skills",
      m("openbmb/MiniCPM-o-2_6", {
        pipeline_tag: "any-to-any",
        tags: ["transformers", "safetensors", "minicpmo", "omni", "vision", "custom_code", "audio", "speech"].concat([
          "asr",
          "tts",
          "any-to-any",
          "conversational",
        ]),
        config: chatConfig(["MiniCPMO"], "minicpmo"),
      }),
    ],
  ] as [string, HubModel][])("keeps %s", (_what, model) => {
    const c = classify(model);
    expect(isDrop(c) ? c : c.kept.reason).toBe("multimodal-chat");
  });

  it("keeps an older custom-code LLM whose auto_map names its generator only under AutoModel (chatglm-6b)", () => {
    const chatglm = m("THUDM/chatglm-6b", {
      pipeline_tag: "feature-extraction",
      tags: ["transformers", "pytorch", "chatglm", "feature-extraction", "custom_code"],
      config: {
        architectures: ["ChatGLMModel"],
        auto_map: {
          AutoConfig: "configuration_chatglm.ChatGLMConfig",
          AutoModel: "modeling_chatglm.ChatGLMForConditionalGeneration",
          AutoModelForSeq2SeqLM: "modeling_chatglm.ChatGLMForConditionalGeneration",
        },
        model_type: "chatglm",
      },
    });
    expect(decision(chatglm)).toBe("kept");
  });

  it("asks for config.json when the digest names only a bare …Model, then finds the language model inside", () => {
    const ultravox = m("fixie-ai/ultravox-v0_4-llama-3_2-1b", {
      pipeline_tag: "audio-text-to-text",
      tags: ["transformers", "safetensors", "ultravox", "audio-text-to-text", "custom_code"],
      config: {
        architectures: ["UltravoxModel"],
        auto_map: { AutoConfig: "ultravox_config.UltravoxConfig", AutoModel: "ultravox_model.UltravoxModel" },
        model_type: "ultravox",
      },
    });
    const first = classify(ultravox) as Drop;
    expect(first).toMatchObject({ reason: "vision-only", needsConfig: true });
    const config = {
      architectures: ["UltravoxModel"],
      model_type: "ultravox",
      audio_config: { model_type: "whisper", d_model: 1280 },
      text_config: { architectures: ["LlamaForCausalLM"], model_type: "llama", vocab_size: 128256 },
    };
    expect(verdictWithConfig(ultravox, first, config)).toMatchObject({
      keep: true,
      reason: "multimodal-chat",
      detail: expect.stringContaining("text_config → LlamaForCausalLM"),
    });
    // Qwen2.5-Omni nests its language model in the thinker.
    const omni = {
      thinker_config: {
        text_config: { model_type: "qwen2_5_omni_text", vocab_size: 151936, hidden_size: 2048, num_hidden_layers: 36 },
      },
    };
    expect(verdictWithConfig(ultravox, first, omni)).toMatchObject({ keep: true });
    // Or names it by Hub id only.
    expect(verdictWithConfig(ultravox, first, { text_model_id: "meta-llama/Llama-3.2-1B-Instruct" })).toMatchObject({
      keep: true,
    });
    // A vision tower and a contrastive text tower are no language model.
    const towers = {
      vision_config: { hidden_size: 1152 },
      text_config: { model_type: "siglip_text_model", vocab_size: 32000, hidden_size: 1152, num_hidden_layers: 27 },
    };
    expect(verdictWithConfig(ultravox, first, towers)).toMatchObject({ reason: "vision-only" });
  });

  it("keeps a conversational causal LM filed under speech recognition, unless it only transcribes", () => {
    const phi = m("microsoft/Phi-4-multimodal-instruct", {
      pipeline_tag: "automatic-speech-recognition",
      tags: [
        "transformers",
        "safetensors",
        "phi4mm",
        "nlp",
        "code",
        "audio",
        "automatic-speech-recognition",
        "visual-question-answering",
        "custom_code",
      ],
      config: {
        architectures: ["Phi4MMForCausalLM"],
        auto_map: { AutoModelForCausalLM: "modeling_phi4mm.Phi4MMForCausalLM" },
        model_type: "phi4mm",
        tokenizer_config: { chat_template: TEMPLATE },
      },
    });
    const c = classify(phi);
    expect(isDrop(c) ? c : c.kept.reason).toBe("chat-under-other-pipeline");
    if (!isDrop(c)) expect(c.tasks).toEqual(expect.arrayContaining(["audio", "chat", "vision"]));
    // Transcription only: its tags and name claim nothing else.
    const asr = m("speechlab/Qwen2-Audio-7B-zh", {
      pipeline_tag: "automatic-speech-recognition",
      tags: ["transformers", "safetensors", "automatic-speech-recognition", "audio"],
      config: chatConfig(["Qwen2AudioForConditionalGeneration"], "qwen2_audio"),
    });
    expect(decision(asr)).toBe("not-text-generation");
    // A causal LM under a classification pipeline stays out, template or not.
    expect(
      decision(
        m("x/Helper-7B", {
          pipeline_tag: "text-classification",
          config: chatConfig(["MistralForCausalLM"], "mistral"),
        }),
      ),
    ).toBe("not-text-generation");
  });
});

describe("vision models that read, caption or classify", () => {
  it.each([
    [
      "opendatalab/MinerU2.5-2509-1.2B",
      {
        pipeline_tag: "image-text-to-text",
        tags: ["transformers", "safetensors", "conversational"],
        config: chatConfig(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
      },
      "document-vision",
    ],
    [
      "nvidia/NVIDIA-Nemotron-Parse-v1.1",
      { pipeline_tag: "image-text-to-text", config: { architectures: ["NemotronParseForConditionalGeneration"] } },
      "document-vision",
    ],
    [
      "omni-research/Tarsier2-Recap-7b",
      {
        pipeline_tag: "video-text-to-text",
        tags: ["transformers", "safetensors", "video LLM", "conversational"],
        config: chatConfig(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
        cardData: { datasets: ["omni-research/Tarsier2-Recap-585K"] },
      },
      "document-vision",
    ],
    [
      "videolab/Qwen2-VL-2B-Instruct-for-VideoCls",
      {
        pipeline_tag: "video-text-to-text",
        tags: ["transformers", "safetensors", "conversational"],
        config: chatConfig(["Qwen2VLForConditionalGeneration"], "qwen2_vl"),
      },
      "embedding-or-classifier",
    ],
    [
      "MCG-NJU/videomae-base-finetuned-kinetics",
      { pipeline_tag: "video-classification", config: { architectures: ["VideoMAEForVideoClassification"] } },
      "embedding-or-classifier",
    ],
    ["Socratic-lab/Socrates-7B-chat", { pipeline_tag: "text-generation", tags: ["conversational"] }, "kept"],
    ["PaddlePaddle/PP-OCRv5_server_rec", { pipeline_tag: "image-to-text" }, "document-vision"],
    ["lab/PPOCRv5-VL-1B", { pipeline_tag: "image-text-to-text", tags: ["conversational"] }, "document-vision"],
  ] as [string, Partial<HubModel>, string][])("%s → %s", (id, patch, want) => {
    expect(decision(m(id, patch))).toBe(want);
  });

  it("does not take chat evidence from the name alone for a multimodal repo filed elsewhere", () => {
    const captioner = m("x/vision-chat-instruct", {
      pipeline_tag: "image-to-text",
      config: { architectures: ["GitForCausalLM"], model_type: "git" },
    });
    expect(decision(captioner)).toBe("not-text-generation");
  });
});
