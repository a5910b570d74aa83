import { describe, expect, it } from "vitest";
import { type Classified, classify } from "./classify.ts";
import type { HubModel } from "./hub/types.ts";
import { groupLineage, type LineageInput } from "./lineage.ts";

const repo = (id: string, patch: Partial<HubModel> = {}, total?: number): LineageInput => {
  const c = classify({
    id,
    pipeline_tag: "text-generation",
    tags: ["safetensors"],
    createdAt: "2024-01-01T00:00:00Z",
    ...patch,
  } as HubModel) as Classified;
  return { ...c, params: total ? { total } : undefined };
};
const quantOf = (base: string, tags: string[] = ["gguf"]) => ({ tags: [...tags, `base_model:quantized:${base}`] });

describe("groupLineage", () => {
  it("folds chains of variants into the root and keeps fine-tunes separate", async () => {
    const { groups } = await groupLineage(
      [
        repo("a/Base", {}, 10),
        repo("mlx/Base-4bit", { library_name: "mlx", ...quantOf("a/Base", ["mlx"]) }),
        repo("q/Base-4bit-GGUF", quantOf("mlx/Base-4bit")),
        repo("f/Base-Tuned", { tags: ["safetensors", "base_model:finetune:a/Base"] }, 10),
      ],
      async () => false,
    );
    expect(
      groups.map((g) => [g.entry.model.id, g.variants.map((v) => `${v.repo.model.id}:${v.relation}`), g.baseModel]),
    ).toEqual([
      ["a/Base", ["mlx/Base-4bit:converted", "q/Base-4bit-GGUF:quantized"], undefined],
      ["f/Base-Tuned", [], "a/Base"],
    ]);
  });

  it("gathers the copies of a base that is not indexed into one entry naming it", async () => {
    const { groups } = await groupLineage(
      [
        repo("q/X-GGUF", { ...quantOf("gone/X"), downloads: 10 }),
        repo("r/X-GGUF", { ...quantOf("gone/X"), downloads: 50 }),
        repo("mlx/X-4bit", { library_name: "mlx", ...quantOf("gone/X", ["mlx"]), downloads: 5 }),
        repo("mlx/Y", { library_name: "mlx", ...quantOf("gone/Y", ["mlx"]) }),
      ],
      async () => false,
    );
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => v.repo.model.id), g.baseModel])).toEqual([
      ["mlx/Y", [], "gone/Y"],
      ["r/X-GGUF", ["mlx/X-4bit", "q/X-GGUF"], "gone/X"],
    ]);
  });

  it("folds an author's own copies that declare no base, by name stem and architecture", async () => {
    const gguf = (id: string, arch: string) =>
      repo(id, { tags: ["gguf"], gguf: { total: 1, architecture: arch, context_length: 4096 } } as Partial<HubModel>);
    const { groups } = await groupLineage(
      [
        repo("Qwen/Qwen2-1.5B-Instruct", { config: { model_type: "qwen2" } }, 1.5e9),
        gguf("Qwen/Qwen2-1.5B-Instruct-GGUF", "qwen2"),
        repo("Qwen/Qwen3-4B", { config: { model_type: "qwen3" } }, 4e9),
        repo("Qwen/Qwen3-4B-MLX-4bit", { library_name: "mlx", tags: ["mlx"], config: { model_type: "qwen3" } }),
        repo("nvidia/Qwen3-4B-FP8", {
          config: { model_type: "qwen3", quantization_config: { quant_method: "modelopt" } },
        }),
        gguf("other/Qwen3-4B-GGUF", "llama"), // another architecture under the same name: not a copy
      ],
      async () => false,
    );
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => `${v.repo.model.id}:${v.relation}`)])).toEqual([
      ["Qwen/Qwen2-1.5B-Instruct", ["Qwen/Qwen2-1.5B-Instruct-GGUF:quantized"]],
      ["Qwen/Qwen3-4B", ["Qwen/Qwen3-4B-MLX-4bit:converted", "nvidia/Qwen3-4B-FP8:quantized"]],
      ["other/Qwen3-4B-GGUF", []],
    ]);
  });

  it("folds mirrors named like their base, even with other hashes, unless trained further", async () => {
    const original = repo("Qwen/Qwen3-0.6B", { createdAt: "2025-04-27T00:00:00Z" }, 751_632_384);
    const mirror = repo(
      "unsloth/Qwen3-0.6B",
      { tags: ["safetensors", "unsloth", "base_model:finetune:Qwen/Qwen3-0.6B"] },
      751_632_384,
    );
    const silent = repo("someone/Qwen3-0.6B", { createdAt: "2025-06-01T00:00:00Z" }, 751_632_384);
    const trained = repo(
      "lab/Qwen3-0.6B",
      { tags: ["safetensors", "trl", "sft"], createdAt: "2025-07-01T00:00:00Z" },
      751_632_384,
    );
    const renamed = repo(
      "NousResearch/Meta-Llama-3.1-8B-Instruct",
      { tags: ["safetensors", "base_model:finetune:meta-llama/Llama-3.1-8B-Instruct"] },
      8_030_261_248,
    );
    const meta = repo("meta-llama/Llama-3.1-8B-Instruct", { createdAt: "2024-07-18T00:00:00Z" }, 8_030_261_248);
    const { groups } = await groupLineage([original, mirror, silent, trained, renamed, meta], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => `${v.repo.model.id}:${v.relation}`)])).toEqual([
      ["Qwen/Qwen3-0.6B", ["someone/Qwen3-0.6B:reupload", "unsloth/Qwen3-0.6B:reupload"]],
      ["lab/Qwen3-0.6B", []],
      ["meta-llama/Llama-3.1-8B-Instruct", ["NousResearch/Meta-Llama-3.1-8B-Instruct:reupload"]],
    ]);
  });

  it("keeps a model that ships ONNX exports beside its own weights as an entry of its own", async () => {
    const { groups } = await groupLineage(
      [
        repo("HuggingFaceTB/SmolLM2-360M", {}, 361_821_120),
        repo(
          "HuggingFaceTB/SmolLM2-360M-Instruct",
          { tags: ["safetensors", "onnx", "transformers.js", "base_model:quantized:HuggingFaceTB/SmolLM2-360M"] },
          361_821_120,
        ),
      ],
      async () => false,
    );
    expect(groups.map((g) => [g.entry.model.id, g.baseModel])).toEqual([
      ["HuggingFaceTB/SmolLM2-360M", undefined],
      ["HuggingFaceTB/SmolLM2-360M-Instruct", "HuggingFaceTB/SmolLM2-360M"],
    ]);
  });

  it("folds a same-named repo that looks trained further only when the weights are identical", async () => {
    const original = repo("orig/Model-1B", { createdAt: "2024-01-01T00:00:00Z" }, 1_000_000_000);
    const copy = repo(
      "copy/Model-1B",
      { createdAt: "2024-06-01T00:00:00Z", tags: ["safetensors", "sft", "base_model:finetune:orig/Model-1B"] },
      1_000_000_000,
    );
    const asked: string[] = [];
    const same = await groupLineage([copy, original], async (a, b) => {
      asked.push(`${a.model.id}=${b.model.id}`);
      return true;
    });
    expect(asked).toEqual(["orig/Model-1B=copy/Model-1B"]);
    expect(same.groups.map((g) => [g.entry.model.id, g.variants.map((v) => v.relation)])).toEqual([
      ["orig/Model-1B", ["reupload"]],
    ]);
    const different = await groupLineage([copy, original], async () => false);
    expect(different.groups).toHaveLength(2);
  });
});
