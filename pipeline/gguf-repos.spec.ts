import { describe, expect, it } from "vitest";
import { type Classified, classify } from "./classify.ts";
import { ggufMismatch } from "./gguf-repos.ts";
import type { HubModel } from "./hub/types.ts";
import type { Group } from "./lineage.ts";
import type { Resolved } from "./resolve-params.ts";

const full = (id: string, total: number, modelType: string, patch: Partial<HubModel> = {}): Resolved => ({
  ...(classify({
    id,
    pipeline_tag: "text-generation",
    tags: ["safetensors"],
    config: { model_type: modelType },
    ...patch,
  } as HubModel) as Classified),
  params: { total, source: "safetensors" },
});
const gguf = (id: string, total: number, architecture: string, base?: string): Resolved =>
  classify({
    id,
    tags: ["gguf", ...(base ? [`base_model:quantized:${base}`] : [])],
    gguf: { total, architecture, context_length: 32768 },
  } as HubModel) as Classified;
const group = (entry: Resolved): Group<Resolved> => ({ entry, variants: [] });

describe("ggufMismatch", () => {
  const qwen = group(full("Qwen/Qwen2.5-3B", 3_085_938_688, "qwen2"));
  it("accepts copies of the same weights under any owner prefix", () => {
    expect(ggufMismatch(qwen, gguf("bartowski/Qwen_Qwen2.5-3B-GGUF", 3_085_938_688, "qwen2"))).toBeUndefined();
    expect(ggufMismatch(qwen, gguf("Qwen/Qwen2.5-3B-GGUF", 3_085_938_688, "qwen2", "Qwen/Qwen2.5-3B"))).toBeUndefined();
  });
  it("knows the names llama.cpp gives architectures", () => {
    const mistral = group(full("mistralai/Mistral-7B-Instruct-v0.3", 7_248_023_552, "mistral"));
    expect(
      ggufMismatch(mistral, gguf("bartowski/Mistral-7B-Instruct-v0.3-GGUF", 7_248_023_552, "llama")),
    ).toBeUndefined();
    const aya = group(full("CohereLabs/aya-expanse-8b", 8_028_033_024, "cohere"));
    expect(ggufMismatch(aya, gguf("bartowski/aya-expanse-8b-GGUF", 8_028_033_024, "command-r"))).toBeUndefined();
  });

  it("leaves out a GGUF of another model that a wrong base tag points here", () => {
    expect(
      ggufMismatch(qwen, gguf("x/Qwen2.5-VL-3B-Instruct-GGUF", 3_085_938_688, "qwen2vl", "Qwen/Qwen2.5-3B")),
    ).toMatch(/architecture/);
    expect(ggufMismatch(qwen, gguf("x/Qwen3-4B-GGUF", 4_022_468_096, "qwen3", "Qwen/Qwen2.5-3B"))).toMatch(
      /architecture|parameters/,
    );
    expect(ggufMismatch(qwen, gguf("x/Qwen2.5-3B-Instruct-GGUF", 3_085_938_688, "qwen2", "Qwen/Qwen2.5-3B"))).toBe(
      "an instruct GGUF of a base model",
    );
    expect(ggufMismatch(qwen, gguf("x/Mistral-3B-GGUF", 3_085_938_688, "qwen2"))).toBe("named after another model");
    expect(ggufMismatch(qwen, gguf("x/Qwen2.5-3B-GGUF", 1_543_714_304, "qwen2", "Qwen/Qwen2.5-3B"))).toMatch(
      /parameters/,
    );
  });
});
