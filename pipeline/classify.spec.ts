import { describe, expect, it } from "vitest";
import { type Drop, verdictWithConfig } from "./classify/repo-kind.ts";
import { classify, declaredBases, isDrop, taskTags, weightFormat } from "./classify.ts";
import type { HubModel } from "./hub/types.ts";

const m = (patch: Partial<HubModel> & { id?: string }): HubModel =>
  ({ id: "org/model", tags: [], ...patch }) as HubModel;

describe("classify", () => {
  it.each([
    [
      "an embedding model",
      m({ pipeline_tag: "feature-extraction", library_name: "sentence-transformers" }),
      "embedding-or-classifier",
    ],
    ["a reranker", m({ pipeline_tag: "text-classification", tags: ["reranker"] }), "embedding-or-classifier"],
    ["speech", m({ pipeline_tag: "automatic-speech-recognition" }), "not-text-generation"],
    [
      "an encoder-decoder",
      m({ pipeline_tag: "text2text-generation", config: { model_type: "t5" } }),
      "encoder-decoder",
    ],
    ["a LoRA adapter", m({ pipeline_tag: "text-generation", library_name: "peft" }), "adapter-only"],
    ["a test stub", m({ id: "hf-internal-testing/tiny-random-GPT2", pipeline_tag: "text-generation" }), "test-stub"],
    [
      "an embedding GGUF",
      m({ tags: ["gguf"], gguf: { total: 1, architecture: "nomic-bert" } }),
      "embedding-or-classifier",
    ],
    ["a private repo", m({ private: true, pipeline_tag: "text-generation" }), "private-or-disabled"],
    [
      "a captioning model that cannot chat",
      m({ id: "microsoft/Florence-2-base", pipeline_tag: "image-text-to-text" }),
      "vision-only",
    ],
  ])("drops %s", (_what, model, reason) => {
    const c = classify(model);
    expect(isDrop(c) ? c.reason : "kept").toBe(reason);
  });

  it.each([
    ["a text-generation model", m({ pipeline_tag: "text-generation", tags: ["safetensors"] })],
    ["a vision chat model", m({ pipeline_tag: "image-text-to-text", tags: ["safetensors", "conversational"] })],
    [
      "a GGUF without a pipeline tag",
      m({ tags: ["gguf"], gguf: { total: 1, architecture: "llama", context_length: 2048 } }),
    ],
    ["a causal LM without a pipeline tag", m({ config: { architectures: ["LlamaForCausalLM"] } })],
    [
      "a custom-code LLM with no pipeline tag whose auto_map names a causal LM",
      m({
        id: "zai-org/chatglm3-6b",
        tags: ["transformers", "pytorch", "custom_code", "chatglm"],
        config: { architectures: ["ChatGLMModel"], auto_map: { AutoModelForCausalLM: "modeling_chatglm.X" } },
      }),
    ],
  ])("keeps %s", (_what, model) => {
    expect(isDrop(classify(model))).toBe(false);
  });

  it("reads config.json when an empty config digest is the only thing between a base model and a drop", () => {
    const bare = m({
      id: "base-lab/Tiny-Base-1B",
      tags: ["safetensors", "region:us"],
      config: {},
      siblings: [{ rfilename: "config.json" }, { rfilename: "model.safetensors" }],
    });
    const first = classify(bare) as Drop;
    expect(first).toMatchObject({ reason: "not-text-generation", needsConfig: true });
    expect(verdictWithConfig(bare, first, { architectures: ["LlamaForCausalLM"], model_type: "llama" })).toMatchObject({
      keep: true,
      reason: "causal-lm-without-pipeline",
    });
    expect(verdictWithConfig(bare, first, { architectures: ["ViTModel"], model_type: "vit" })).toMatchObject({
      reason: "not-text-generation",
    });
    expect(verdictWithConfig(bare, first, { architectures: ["BertModel"], model_type: "bert" })).toMatchObject({
      reason: "encoder",
    });
    // A timm or diffusers repo is not read: its config.json says nothing transformers would.
    const timm = m({
      tags: ["timm"],
      library_name: "timm",
      siblings: [{ rfilename: "config.json" }, { rfilename: "model.safetensors" }],
    });
    expect(classify(timm)).toMatchObject({ reason: "not-text-generation" });
    expect((classify(timm) as Drop).needsConfig).toBeUndefined();
    // Mistral files its LLMs under vllm, with no pipeline tag: its config.json is read.
    const ministral = m({
      id: "mistralai/Ministral-8B-Instruct-2410",
      library_name: "vllm",
      config: {},
      siblings: [{ rfilename: "config.json" }, { rfilename: "params.json" }, { rfilename: "consolidated.safetensors" }],
    });
    expect(classify(ministral)).toMatchObject({ reason: "not-text-generation", needsConfig: true });
  });

  it("reads the weight format from tags, library and quantization config", () => {
    expect(weightFormat(m({ tags: ["gguf"] }))).toBe("gguf");
    expect(weightFormat(m({ library_name: "mlx", tags: ["safetensors"] }))).toBe("mlx");
    expect(weightFormat(m({ tags: ["onnx"] }))).toBe("onnx");
    // Full weights with ONNX exports beside them are the model itself.
    expect(weightFormat(m({ tags: ["onnx", "safetensors", "transformers.js"], safetensors: { total: 3 } }))).toBe(
      "safetensors",
    );
    expect(weightFormat(m({ tags: ["safetensors"], config: { quantization_config: { quant_method: "awq" } } }))).toBe(
      "awq",
    );
    expect(weightFormat(m({ tags: ["pytorch"] }))).toBe("pytorch");
    // BitNet is trained ternary: its packed weights are the original's, not a copy's.
    const bitnet = m({
      tags: ["safetensors"],
      safetensors: { total: 849_787_090, parameters: { BF16: 328_493_250, U8: 521_011_200 } },
      config: { quantization_config: { quant_method: "bitnet" } },
    } as never);
    expect(weightFormat(bitnet)).toBe("safetensors");
    // GGML (llama.cpp before GGUF) and LiteRT-LM bundles are copies, whatever else they lack.
    const ggml = { siblings: [{ rfilename: "llama-2-7b-chat.ggmlv3.q4_0.bin" }, { rfilename: "README.md" }] };
    expect(weightFormat(m({ tags: ["llama"], ...ggml }))).toBe("gguf");
    expect(
      weightFormat(m({ library_name: "litert-lm", siblings: [{ rfilename: "gemma3-1b-it-int4.litertlm" }] })),
    ).toBe("litert");
  });

  it("tells NVFP4 and FP4 copies from full weights by config, ModelOpt's file, packed dtypes or a quant name (issue 22)", () => {
    const base = { tags: ["safetensors", "base_model:quantized:Qwen/Qwen3-8B"], safetensors: { total: 5e9 } };
    // The quantization config says so.
    expect(
      weightFormat(m({ ...base, config: { quantization_config: { quant_method: "modelopt", quant_algo: "NVFP4" } } })),
    ).toBe("fp4");
    // Only ModelOpt's own file says so.
    expect(weightFormat(m({ ...base, siblings: [{ rfilename: "hf_quant_config.json" }] }))).toBe("fp8");
    // The stored dtypes: FP4 weights packed in U8, FP8 scales.
    const packed = { parameters: { BF16: 800_000_000, F8_E4M3: 300_000_000, U8: 3_400_000_000 }, total: 4.5e9 };
    expect(weightFormat(m({ tags: ["safetensors"], safetensors: packed }))).toBe("fp8");
    // A quantized-base tag and a name that says how: `Qwen3-8B-NVFP4`.
    expect(weightFormat(m({ ...base, id: "nvidia/Qwen3-8B-NVFP4" }))).toBe("fp4");
    // Full BF16 weights that also ship ONNX exports stay full weights, whatever the tag says.
    expect(weightFormat(m({ ...base, id: "HuggingFaceTB/SmolLM2-360M-Instruct" }))).toBe("safetensors");
    const bf16 = { parameters: { BF16: 4e9, I64: 512 }, total: 4e9 };
    expect(weightFormat(m({ tags: ["safetensors"], safetensors: bf16 }))).toBe("safetensors");
  });

  it("reads bases from tags first, then from the card", () => {
    expect(declaredBases(m({ tags: ["base_model:a/b", "base_model:quantized:a/b"] }), "gguf")).toEqual([
      { id: "a/b", relation: "quantized" },
    ]);
    // Its own full weights: not a quantization of the base, whatever the tag says.
    expect(declaredBases(m({ tags: ["base_model:quantized:a/b"] }), "safetensors")).toEqual([
      { id: "a/b", relation: "finetune" },
    ]);
    expect(declaredBases(m({ cardData: { base_model: "a/b" } }), "safetensors")).toEqual([
      { id: "a/b", relation: "finetune" },
    ]);
    expect(
      declaredBases(m({ cardData: { base_model: ["a/b", "c/d"] } }), "safetensors").map((b) => b.relation),
    ).toEqual(["merge", "merge"]);
  });

  it("reads a list of named chat templates with holes in it without failing the run", () => {
    const templates = [null, 7, { name: "default", template: "{{ messages }}" }];
    const config = { tokenizer_config: { chat_template: templates } };
    const c = classify(m({ id: "lab/Odd-1B-Instruct", pipeline_tag: "text-generation", config }));
    expect(isDrop(c) ? c.reason : c.tasks).toContain("chat");
  });

  it("tags tasks", () => {
    expect(taskTags(m({ id: "Qwen/Qwen2.5-Coder-1.5B-Instruct", tags: ["conversational"] }))).toEqual(["chat", "code"]);
    expect(taskTags(m({ id: "x/DeepSeek-R1-Distill-Qwen-1.5B" }))).toEqual(["base", "reasoning"]);
    // The Hub tags a base model conversational when its tokenizer ships a template; its name says base.
    expect(taskTags(m({ id: "Qwen/Qwen3-4B-Base", tags: ["conversational"] }))).toEqual(["base"]);
    expect(taskTags(m({ id: "google/gemma-3-1b-pt", tags: ["conversational"] }))).toEqual(["base"]);
    const llava = m({ id: "llava-hf/llava-1.5-7b-hf", pipeline_tag: "image-to-text", tags: ["conversational"] });
    expect(taskTags(llava, "chat-under-other-pipeline")).toEqual(["chat", "vision"]);
    expect(taskTags(m({ id: "google/gemma-3-4b-it", pipeline_tag: "image-text-to-text" }))).toEqual(["chat", "vision"]);
    expect(taskTags(m({ id: "google/gemma-4-E4B-it", pipeline_tag: "any-to-any" }))).toEqual([
      "audio",
      "chat",
      "vision",
    ]);
    expect(
      taskTags(
        m({
          id: "a/b",
          tags: ["conversational"],
          config: { tokenizer_config: { chat_template: "{% if tools %}{{ tools | tojson }}{% endif %}" } },
        }),
      ),
    ).toEqual(["chat", "tools"]);
    expect(taskTags(m({ id: "a/b", tags: ["en", "fr", "de", "es", "it", "mlx"] }))).toContain("multilingual");
  });
});
