/**
 * Stage 4, lineage: one entry per set of weights. Quantized and converted repos fold into the entry of the
 * base they declare (following chains: a GGUF of an MLX of X folds into X); re-uploads of the same
 * weights — identical LFS sha256 of every weight file — fold into the original; fine-tunes and
 * merges stay entries of their own that name their base.
 */

import type { Variant } from "../schema/index.ts";
import { compareText } from "./canonical-json.ts";
import type { Classified, WeightFormat } from "./classify.ts";
import { type StageContext, skip } from "./context.ts";
import type { Resolved } from "./resolve-params.ts";

export interface LineageInput extends Classified {
  params?: { total: number } | undefined;
}

export interface Group<T extends LineageInput = LineageInput> {
  entry: T;
  /** Folded repos with how they relate to the entry. */
  variants: { repo: T; relation: Variant["relation"] }[];
  /** The base the entry was fine-tuned or merged from, as a Hub id. */
  baseModel?: string;
}

export type LineageDrop = "variant-without-base";

const VARIANT_FORMATS = new Set<WeightFormat>(["gguf", "mlx", "onnx", "awq", "gptq", "bnb", "fp8", "exl2"]);
const CONVERTED = new Set<WeightFormat>(["mlx", "onnx"]);

const key = (id: string) => id.toLowerCase();
const repoName = (id: string) => key(id.split("/")[1] ?? id);

/** The base a quantized or converted repo belongs to, or undefined when it is an entry itself. */
function variantOf(c: Classified): string | undefined {
  const quantized = c.bases.find((b) => b.relation === "quantized");
  if (quantized) return quantized.id;
  if (VARIANT_FORMATS.has(c.format) && c.bases.length === 1) return c.bases[0]?.id;
  return undefined;
}

/** Sort so that earlier = more canonical: older, then more downloaded, then by id. */
function canonicalOrder(a: Classified, b: Classified): number {
  return (
    compareText(String(a.model.createdAt ?? ""), String(b.model.createdAt ?? "")) ||
    (b.model.downloads ?? 0) - (a.model.downloads ?? 0) ||
    compareText(a.model.id, b.model.id)
  );
}

/**
 * Group candidates into entries. `sameWeights(a, b)` answers whether two repos hold identical weight
 * files; it is asked only for likely re-uploads (same repo name and parameter count, or a declared
 * base with the same name), since it costs a file listing per repo.
 */
export async function groupLineage<T extends LineageInput>(
  candidates: T[],
  sameWeights: (a: T, b: T) => Promise<boolean>,
): Promise<{ groups: Group<T>[]; dropped: { id: string; reason: LineageDrop }[] }> {
  const byId = new Map(candidates.map((c) => [key(c.model.id), c]));
  const dropped: { id: string; reason: LineageDrop }[] = [];

  const rootOf = (c: T): T | undefined => {
    let current: T | undefined = c;
    for (let hops = 0; current && hops < 8; hops++) {
      const parent = variantOf(current);
      if (parent === undefined) return current === c ? undefined : current;
      current = byId.get(key(parent));
    }
    return undefined;
  };

  const groups = new Map<string, Group<T>>();
  const sorted = [...candidates].sort((a, b) => compareText(a.model.id, b.model.id));
  const variants: T[] = [];
  for (const c of sorted) {
    if (variantOf(c) === undefined) groups.set(key(c.model.id), { entry: c, variants: [] });
    else variants.push(c);
  }
  for (const v of variants) {
    const root = rootOf(v);
    const group = root && groups.get(key(root.model.id));
    if (group) {
      group.variants.push({ repo: v, relation: CONVERTED.has(v.format) ? "converted" : "quantized" });
    } else if (v.format === "gguf") {
      // Its base is not indexed (gone, private, or out of reach): the GGUF stands for the weights.
      groups.set(key(v.model.id), { entry: v, variants: [], baseModel: variantOf(v) });
    } else {
      dropped.push({ id: v.model.id, reason: "variant-without-base" });
    }
  }

  // Re-uploads: same name and parameter count, or a declared base with the same name.
  const suspects = new Map<string, Group<T>[]>();
  for (const g of groups.values()) {
    if (g.entry.format !== "safetensors" && g.entry.format !== "pytorch") continue;
    const total = g.entry.params?.total;
    if (!total) continue;
    const k = `${repoName(g.entry.model.id)}|${total}`;
    suspects.set(k, [...(suspects.get(k) ?? []), g]);
  }
  const folded = new Map<string, string>(); // re-upload id → canonical id
  for (const members of [...suspects.values()].filter((m) => m.length > 1)) {
    members.sort((a, b) => canonicalOrder(a.entry, b.entry));
    // A repo that declares another member as its base is never the canonical one.
    const declared = new Set(members.flatMap((m) => m.entry.bases.map((b) => key(b.id))));
    members.sort((a, b) => Number(declared.has(key(b.entry.model.id))) - Number(declared.has(key(a.entry.model.id))));
    const canonical = members[0] as Group<T>;
    for (const other of members.slice(1)) {
      if (!(await sameWeights(canonical.entry, other.entry))) continue;
      canonical.variants.push({ repo: other.entry, relation: "reupload" }, ...other.variants);
      groups.delete(key(other.entry.model.id));
      folded.set(key(other.entry.model.id), canonical.entry.model.id);
    }
  }

  for (const g of groups.values()) {
    if (g.baseModel !== undefined) continue;
    const base = g.entry.bases.find((b) => b.relation === "finetune" || b.relation === "merge");
    if (!base) continue;
    const known = byId.get(key(base.id));
    const root = known ? (rootOf(known) ?? known) : undefined;
    g.baseModel = folded.get(key(base.id)) ?? root?.model.id ?? base.id;
  }
  for (const g of groups.values()) g.variants.sort((a, b) => compareText(a.repo.model.id, b.repo.model.id));
  return { groups: [...groups.values()].sort((a, b) => compareText(a.entry.model.id, b.entry.model.id)), dropped };
}

/** The lineage stage: groups, with every folded repo and every variant without a base recorded. */
export async function foldLineage(ctx: StageContext, resolved: Resolved[]): Promise<Group<Resolved>[]> {
  const weightShas = async (r: Resolved): Promise<string | undefined> => {
    const files = await ctx.repos.files(r.model);
    if (!files.ok) {
      skip(ctx, r.model.id, "file listing", files.reason);
      return undefined;
    }
    return files.value
      .filter((f) => /\.(safetensors|bin|pt|gguf)$/.test(f.path) && f.sha256)
      .map((f) => f.sha256)
      .sort()
      .join(",");
  };
  const { groups, dropped } = await groupLineage(resolved, async (a, b) => {
    const [x, y] = await Promise.all([weightShas(a), weightShas(b)]);
    return x !== undefined && x !== "" && x === y;
  });
  for (const d of dropped) ctx.decisions.drop(d.id, d.reason);
  for (const g of groups) for (const v of g.variants) ctx.decisions.fold(v.repo.model.id, g.entry.model.id, v.relation);
  ctx.log(`lineage: ${groups.length} entries from ${resolved.length} repos`);
  return groups;
}
