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

  it("lets a GGUF whose base is unknown stand alone, and drops other orphans", async () => {
    const { groups, dropped } = await groupLineage(
      [repo("q/X-GGUF", quantOf("gone/X")), repo("mlx/Y", { library_name: "mlx", ...quantOf("gone/Y", ["mlx"]) })],
      async () => false,
    );
    expect(groups.map((g) => [g.entry.model.id, g.baseModel])).toEqual([["q/X-GGUF", "gone/X"]]);
    expect(dropped).toEqual([{ id: "mlx/Y", reason: "variant-without-base" }]);
  });

  it("folds a re-upload only when the weights are identical, into the original", async () => {
    const original = repo("orig/Model-1B", { createdAt: "2024-01-01T00:00:00Z" }, 1_000_000_000);
    const copy = repo(
      "copy/Model-1B",
      { createdAt: "2024-06-01T00:00:00Z", tags: ["safetensors", "base_model:finetune:orig/Model-1B"] },
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
