import { describe, expect, it } from "vitest";
import { paramsFromMetadata, paramsFromName } from "./resolve-params.ts";

describe("paramsFromName", () => {
  it.each([
    ["Qwen/Qwen2.5-0.5B-Instruct", 5e8],
    ["HuggingFaceTB/SmolLM2-360M-Instruct", 3.6e8],
    ["meta-llama/Llama-3.1-8B", 8e9],
    ["stabilityai/stablelm-2-zephyr-1_6b", 1.6e9],
    ["mistralai/Mixtral-8x7B-v0.1", 5.6e10],
    ["Qwen/Qwen1.5-MoE-A2.7B-Chat", undefined],
    ["TinyLlama/TinyLlama-1.1B-Chat-v1.0", 1.1e9],
    ["microsoft/phi-2", undefined],
    ["openai-community/gpt2-medium", undefined],
    ["someone/model-7b-128k", 7e9],
  ])("%s → %s", (id, total) => {
    expect(paramsFromName(id)).toBe(total);
  });
});

describe("paramsFromMetadata", () => {
  it("prefers safetensors, then GGUF", () => {
    expect(paramsFromMetadata({ id: "a/b", safetensors: { total: 10 }, gguf: { total: 20 } }, "safetensors")).toEqual({
      total: 10,
      source: "safetensors",
    });
    expect(paramsFromMetadata({ id: "a/b", gguf: { total: 20 } }, "gguf")).toEqual({ total: 20, source: "gguf" });
    expect(paramsFromMetadata({ id: "a/b" }, "pytorch")).toBeUndefined();
  });

  it("does not trust packed 4-bit safetensors counts", () => {
    expect(paramsFromMetadata({ id: "a/b-AWQ", safetensors: { total: 10 } }, "awq")).toBeUndefined();
    // NVFP4 packs two weights in a byte: an NVFP4 repo that stands as an entry must not tier on it.
    expect(paramsFromMetadata({ id: "a/b-NVFP4", safetensors: { total: 10 } }, "fp4")).toBeUndefined();
    // BitNet is an original whose ternary weights are stored four to a byte: config.json counts it.
    const bitnet = { total: 849_787_090, parameters: { BF16: 328_493_250, U8: 521_011_200 } };
    expect(
      paramsFromMetadata({ id: "microsoft/bitnet-b1.58-2B-4T", safetensors: bitnet }, "safetensors"),
    ).toBeUndefined();
  });
});
