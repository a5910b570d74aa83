import { describe, expect, it } from "vitest";
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
  ])("keeps %s", (_what, model) => {
    expect(isDrop(classify(model))).toBe(false);
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

  it("tags tasks", () => {
    expect(taskTags(m({ id: "Qwen/Qwen2.5-Coder-1.5B-Instruct", tags: ["conversational"] }))).toEqual(["chat", "code"]);
    expect(taskTags(m({ id: "x/DeepSeek-R1-Distill-Qwen-1.5B" }))).toEqual(["base", "reasoning"]);
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
