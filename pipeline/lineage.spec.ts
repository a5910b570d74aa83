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

  it("folds a mirror named one letter apart with the exact same count, never one a digit apart (issue 22)", async () => {
    const meta = repo("meta-llama/Llama-3.2-1B", { createdAt: "2024-09-18T00:00:00Z" }, 1_235_814_400);
    const typo = repo("hmellor/Ilama-3.2-1B", { createdAt: "2025-01-10T00:00:00Z" }, 1_235_814_400);
    const other = repo("meta-llama/Llama-3.2-3B", { createdAt: "2024-09-18T00:00:00Z" }, 3_212_749_824);
    const digit = repo("someone/Llama-3.2-3B", { createdAt: "2025-02-01T00:00:00Z" }, 1_235_814_400);
    const resized = repo("lab/Ilama-3.2-3B", { createdAt: "2025-02-01T00:00:00Z" }, 3_100_000_000);
    const trained = repo(
      "lab/Llamma-3.2-1B",
      { tags: ["safetensors", "sft"], createdAt: "2025-03-01T00:00:00Z" },
      1_235_814_400,
    );
    const { groups } = await groupLineage([meta, typo, other, digit, resized, trained], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => `${v.repo.model.id}:${v.relation}`)])).toEqual([
      ["lab/Ilama-3.2-3B", []],
      ["lab/Llamma-3.2-1B", []],
      ["meta-llama/Llama-3.2-1B", ["hmellor/Ilama-3.2-1B:reupload"]],
      ["meta-llama/Llama-3.2-3B", []],
      ["someone/Llama-3.2-3B", []],
    ]);
    expect(groups.find((g) => g.entry.model.id === "meta-llama/Llama-3.2-1B")?.variants[0]?.how).toMatch(
      /named one letter apart/,
    );
  });

  it("reads a base declared under the id its repo had before a rename as that repo", async () => {
    const count = 8_030_261_248;
    const llama = repo("meta-llama/Llama-3.1-8B-Instruct", { createdAt: "2024-07-18T00:00:00Z" }, count);
    const old = "meta-llama/Meta-Llama-3.1-8B-Instruct";
    const reupload = repo(
      "unsloth/Meta-Llama-3.1-8B-Instruct",
      { tags: ["safetensors", "unsloth", `base_model:finetune:${old}`], createdAt: "2024-07-23T00:00:00Z" },
      count,
    );
    const tuned = repo(
      "mlabonne/Meta-Llama-3.1-8B-Instruct-abliterated",
      { tags: ["safetensors", "abliterated", `base_model:finetune:${old}`], createdAt: "2024-07-24T00:00:00Z" },
      count,
    );
    const { groups } = await groupLineage([llama, reupload, tuned], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => v.repo.model.id), g.baseModel])).toEqual([
      ["meta-llama/Llama-3.1-8B-Instruct", ["unsloth/Meta-Llama-3.1-8B-Instruct"], undefined],
      ["mlabonne/Meta-Llama-3.1-8B-Instruct-abliterated", [], "meta-llama/Llama-3.1-8B-Instruct"],
    ]);
  });

  it("keeps an instruct model and its pretrained sibling apart although their names differ by one letter", async () => {
    const chat = { tokenizer_config: { chat_template: "{{ messages }}" } };
    const pt = repo("google/gemma-3-1b-pt", { createdAt: "2025-03-10T00:00:00Z" }, 999_885_952);
    const it = repo(
      "google/gemma-3-1b-it",
      {
        tags: ["safetensors", "conversational", "base_model:finetune:google/gemma-3-1b-pt"],
        config: { architectures: ["Gemma3ForCausalLM"], ...chat },
        createdAt: "2025-03-10T00:00:00Z",
      },
      999_885_952,
    );
    const { groups } = await groupLineage([pt, it], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.length])).toEqual([
      ["google/gemma-3-1b-it", 0],
      ["google/gemma-3-1b-pt", 0],
    ]);
  });

  it("folds a re-upload of a re-upload into the entry the first one folded into (issue 22)", async () => {
    const meta = repo("meta-llama/Llama-3.2-3B", { createdAt: "2024-09-18T00:00:00Z" }, 3_212_749_824);
    const unsloth = repo(
      "unsloth/Llama-3.2-3B",
      {
        tags: ["safetensors", "unsloth", "base_model:finetune:meta-llama/Llama-3.2-3B"],
        createdAt: "2024-09-25T00:00:00Z",
      },
      3_212_749_824,
    );
    const again = repo(
      "acme/Llama-3.2-3B",
      { tags: ["safetensors", "base_model:finetune:unsloth/Llama-3.2-3B"], createdAt: "2025-01-05T00:00:00Z" },
      3_212_749_824,
    );
    const { groups } = await groupLineage([again, unsloth, meta], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => v.repo.model.id)])).toEqual([
      ["meta-llama/Llama-3.2-3B", ["acme/Llama-3.2-3B", "unsloth/Llama-3.2-3B"]],
    ]);
  });

  it("folds NVFP4 copies into their base: the files and dtypes say quantized, whatever the tag relation (issue 22)", async () => {
    const { groups } = await groupLineage(
      [
        repo("Qwen/Qwen3-8B", { config: { model_type: "qwen3" } }, 8_190_735_360),
        repo("nvidia/Qwen3-8B-NVFP4", {
          tags: ["safetensors", "modelopt", "base_model:quantized:Qwen/Qwen3-8B"],
          siblings: [{ rfilename: "hf_quant_config.json" }, { rfilename: "model.safetensors" }],
          safetensors: { total: 5_000_000_000 },
          config: { model_type: "qwen3" },
        }),
      ],
      async () => false,
    );
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => `${v.repo.model.id}:${v.relation}`)])).toEqual([
      ["Qwen/Qwen3-8B", ["nvidia/Qwen3-8B-NVFP4:quantized"]],
    ]);
  });

  it("folds copies of an abliterated model that declare the original into the abliterated one, or stands them apart (issue 22)", async () => {
    const original = repo("Qwen/Qwen3-1.7B", { config: { model_type: "qwen3" } }, 2_031_739_904);
    const abliterated = repo(
      "huihui-ai/Qwen3-1.7B-abliterated",
      { tags: ["safetensors", "abliterated", "base_model:finetune:Qwen/Qwen3-1.7B"], config: { model_type: "qwen3" } },
      2_031_739_904,
    );
    const mlx = repo("mlx-community/Qwen3-1.7B-abliterated-4bit", {
      library_name: "mlx",
      tags: ["mlx", "base_model:quantized:Qwen/Qwen3-1.7B"],
      config: { model_type: "qwen3" },
    });
    const gguf = repo("mradermacher/Qwen3-1.7B-abliterated-GGUF", {
      tags: ["gguf", "base_model:finetune:Qwen/Qwen3-1.7B"],
      gguf: { total: 2_031_739_904, architecture: "qwen3", context_length: 40960 },
    } as Partial<HubModel>);
    // No full-weights uncensored Llama is indexed: its copies stand as one entry that names the original.
    const llama = repo("meta-llama/Llama-3.2-1B-Instruct", { config: { model_type: "llama" } }, 1_235_814_400);
    const unMlx = repo("mlx-community/Llama-3.2-1B-Instruct-uncensored-4bit", {
      library_name: "mlx",
      tags: ["mlx", "base_model:quantized:meta-llama/Llama-3.2-1B-Instruct"],
      downloads: 900,
    });
    const unGguf = repo("bartowski/Llama-3.2-1B-Instruct-uncensored-GGUF", {
      tags: ["gguf", "base_model:quantized:meta-llama/Llama-3.2-1B-Instruct"],
      gguf: { total: 1_235_814_400, architecture: "llama", context_length: 131072 },
      downloads: 5000,
    } as Partial<HubModel>);
    const { groups } = await groupLineage([original, abliterated, mlx, gguf, llama, unMlx, unGguf], async () => false);
    expect(groups.map((g) => [g.entry.model.id, g.variants.map((v) => v.repo.model.id), g.baseModel])).toEqual([
      ["Qwen/Qwen3-1.7B", [], undefined],
      [
        "bartowski/Llama-3.2-1B-Instruct-uncensored-GGUF",
        ["mlx-community/Llama-3.2-1B-Instruct-uncensored-4bit"],
        "meta-llama/Llama-3.2-1B-Instruct",
      ],
      [
        "huihui-ai/Qwen3-1.7B-abliterated",
        ["mlx-community/Qwen3-1.7B-abliterated-4bit", "mradermacher/Qwen3-1.7B-abliterated-GGUF"],
        "Qwen/Qwen3-1.7B",
      ],
      ["meta-llama/Llama-3.2-1B-Instruct", [], undefined],
    ]);
  });
});
