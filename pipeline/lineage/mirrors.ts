/**
 * Part of stage 4, lineage: mirrors and re-saves. Full-weights entries named like another one —
 * the same stem, an owner prefix (`NousResearch/Meta-Llama-3.1-8B-Instruct`), or one letter apart
 * (`hmellor/Ilama-3.2-1B`) — with the same parameter count fold into the canonical one as
 * re-uploads, unless their card or tags say they were trained further (then only identical weight
 * files fold them). A re-upload of a re-upload folds into the same canonical entry.
 */
import { compareText } from "../canonical-json.ts";
import { bareStem, deletionKeys, nameIndex, oneLetterApart } from "../classify/names.ts";
import { type Classified, COPY_FORMATS } from "../classify.ts";

export interface MirrorInput extends Classified {
  params?: { total: number } | undefined;
}
export interface MirrorGroup<T extends MirrorInput> {
  entry: T;
  variants: { repo: T; relation: "quantized" | "converted" | "reupload"; how: string }[];
  baseModel?: string;
}

/** Tags and card fields that say a repo was trained further, so a same-named repo is not a mirror. */
const TRAINED = new Set([
  "trl",
  "sft",
  "dpo",
  "orpo",
  "kto",
  "grpo",
  "ppo",
  "rlhf",
  "generated_from_trainer",
  "axolotl",
  "mergekit",
  "merge",
  "abliterated",
  "uncensored",
  "lora",
  "qlora",
  "fine-tuned",
  "finetuned",
  "distillation",
]);

const key = (id: string) => id.toLowerCase();

export function trainedFurther(c: Classified): boolean {
  const tags = (c.model.tags ?? []).map((t) => t.toLowerCase());
  const datasets = c.model.cardData?.datasets;
  return tags.some((t) => TRAINED.has(t)) || (Array.isArray(datasets) ? datasets.length > 0 : Boolean(datasets));
}

/** Sort so that earlier = more canonical: older, then more downloaded, then by id. */
export function canonicalOrder(a: Classified, b: Classified): number {
  return (
    compareText(String(a.model.createdAt ?? ""), String(b.model.createdAt ?? "")) ||
    (b.model.downloads ?? 0) - (a.model.downloads ?? 0) ||
    compareText(a.model.id, b.model.id)
  );
}

export const countsAgree = (a?: { total: number }, b?: { total: number }) =>
  !a || !b || Math.abs(a.total - b.total) <= 0.02 * Math.max(a.total, b.total);

/** Buckets of entries named alike: one per shortest stem, one-letter neighbours joined to it. */
function buckets<T extends MirrorInput>(entries: MirrorGroup<T>[]): MirrorGroup<T>[][] {
  const named = nameIndex(entries.map((g) => g.entry.model.id));
  const byDeletion = new Map<string, MirrorGroup<T>[]>();
  for (const g of entries)
    for (const k of deletionKeys(g.entry.model.id)) byDeletion.set(k, [...(byDeletion.get(k) ?? []), g]);
  const out = new Map<string, MirrorGroup<T>[]>();
  for (const g of entries) {
    const id = g.entry.model.id;
    // One bucket per name: the shortest stem among the repos named alike, one letter apart included.
    const alike = [id, ...named(id)];
    for (const k of deletionKeys(id))
      for (const other of byDeletion.get(k) ?? [])
        if (oneLetterApart(id, other.entry.model.id)) alike.push(other.entry.model.id);
    const bucket = alike.map(bareStem).sort((a, b) => a.length - b.length || compareText(a, b))[0] as string;
    out.set(bucket, [...(out.get(bucket) ?? []), g]);
  }
  return [...out.values()].filter((m) => m.length > 1);
}

/**
 * Fold mirrors into their canonical entry, in place. `groups` maps lower-case ids to the groups
 * still standing; `folded` records re-upload id → canonical id. `sameWeights` is asked only for
 * repos that look trained further, since it costs a file listing each.
 */
export async function foldMirrors<T extends MirrorInput>(
  groups: Map<string, MirrorGroup<T>>,
  folded: Map<string, string>,
  sameWeights: (a: T, b: T) => Promise<boolean>,
): Promise<void> {
  const entries = [...groups.values()].filter((g) => !COPY_FORMATS.has(g.entry.format));
  for (const members of buckets(entries)) {
    const unique = [...new Set(members)].sort((a, b) => canonicalOrder(a.entry, b.entry));
    // A repo that another member declares as its base is the canonical one.
    const declared = new Set(unique.flatMap((m) => m.entry.bases.map((b) => key(b.id))));
    unique.sort((a, b) => Number(declared.has(key(b.entry.model.id))) - Number(declared.has(key(a.entry.model.id))));
    const canonical = unique[0] as MirrorGroup<T>;
    const canonicalId = canonical.entry.model.id;
    const sameCanonical = (id: string) => key(folded.get(key(id)) ?? id) === key(canonicalId);
    for (const other of unique.slice(1)) {
      const id = other.entry.model.id;
      if (folded.has(key(id)) || !groups.has(key(id))) continue;
      const oneLetter = oneLetterApart(id, canonicalId) && bareStem(id) !== bareStem(canonicalId);
      const [a, b] = [canonical.entry.params?.total, other.entry.params?.total];
      // One letter apart is a weaker name match: it takes the exact same count.
      if (oneLetter ? a === undefined || a !== b : !countsAgree(canonical.entry.params, other.entry.params)) continue;
      // Declaring the canonical repo, or a repo already folded into it (a re-upload of a re-upload), is no other base.
      const declaresOther = other.entry.bases.some((base) => !sameCanonical(base.id) && base.relation !== "quantized");
      const mirror = !trainedFurther(other.entry) && !declaresOther;
      if (!mirror && !(await sameWeights(canonical.entry, other.entry))) continue;
      const how = mirror
        ? `a mirror of ${canonicalId}: ${oneLetter ? "named one letter apart" : "the same name"}, the same parameter count`
        : `the same weight files (LFS sha256) as ${canonicalId}`;
      canonical.variants.push({ repo: other.entry, relation: "reupload", how }, ...other.variants);
      groups.delete(key(id));
      folded.set(key(id), canonicalId);
    }
  }
}
