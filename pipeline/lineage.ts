/**
 * Stage 4, lineage: one entry per set of weights.
 *  - Copies (GGUF, MLX, ONNX, AWQ, GPTQ, bnb, FP8, LiteRT, …) fold into the entry of the base they
 *    declare, following chains (a GGUF of an MLX of X folds into X). A copy that declares nothing
 *    (an author's own `Qwen2-1.5B-Instruct-GGUF`, `Qwen3-4B-MLX-4bit`) or declares an id the lists
 *    do not have (a renamed repo) folds into the full-weights repo it is named after, same author
 *    first, when their architectures agree.
 *  - Copies whose base is not indexed (gated out of reach, deleted, dropped) form one entry
 *    together, named after the most downloaded of them, that names the base.
 *  - A copy named as a re-trained model (`Qwen3-4B-abliterated-4bit`) that declares the original
 *    as its base is a copy of the re-trained model: it folds into the full-weights repo named like
 *    it, or, when none is indexed, stands as an entry of its own naming the original — never a
 *    copy of the original.
 *  - Mirrors and re-saves fold as re-uploads (lineage/mirrors.ts).
 *  - Fine-tunes and merges stay entries of their own that name their base.
 */
import type { Variant } from "../schema/index.ts";
import { compareText } from "./canonical-json.ts";
import { bareStem, nameIndex, ownerOf, retrainedFrom, sameName } from "./classify/names.ts";
import { type Classified, COPY_FORMATS } from "./classify.ts";
import { type StageContext, skip } from "./context.ts";
import { canonicalOrder, foldMirrors } from "./lineage/mirrors.ts";
import type { Resolved } from "./resolve-params.ts";

export interface LineageInput extends Classified {
  params?: { total: number } | undefined;
}

export interface Group<T extends LineageInput = LineageInput> {
  entry: T;
  /** Folded repos with how they relate to the entry, and the signal that folded them. */
  variants: { repo: T; relation: Variant["relation"]; how: string }[];
  /** The base the entry was fine-tuned or merged from, as a Hub id. */
  baseModel?: string;
}

const CONVERTED = new Set(["mlx", "onnx", "litert", "mlc", "openvino"]);

const key = (id: string) => id.toLowerCase();
const isCopy = (c: Classified) => COPY_FORMATS.has(c.format);
const relationOf = (c: Classified): Variant["relation"] => (CONVERTED.has(c.format) ? "converted" : "quantized");

/**
 * Architectures llama.cpp names differently from their config: Mistral and Mixtral as `llama`,
 * Cohere as `command-r`, Granite 4's hybrid MoE as `granitehybrid`.
 */
const GGUF_ALIASES: Record<string, string> = {
  mistral: "llama",
  mixtral: "llama",
  commandr: "cohere",
  granitemoehybrid: "granitehybrid",
};

/**
 * Architecture family, comparable across config.json and GGUF: separators, versions and a `text`
 * suffix dropped (`gemma3_text` ~ `gemma3`, `qwen2_5_vl` ~ `qwen2vl`, `deepseek_v2` ~ `deepseek2`),
 * and llama.cpp's own names mapped (`GGUF_ALIASES`). `qwen2` and `qwen2vl` stay apart.
 */
export function family(c: Classified): string | undefined {
  const raw = c.model.gguf?.architecture ?? (c.model.config?.model_type as string | undefined);
  if (typeof raw !== "string" || !raw) return undefined;
  const f = raw.toLowerCase().replace(/[-_.]/g, "").replace(/text$/, "").replace(/v(\d)/g, "$1").replace(/\d+/g, "");
  return GGUF_ALIASES[f] ?? f;
}
export const familiesAgree = (a: Classified, b: Classified): boolean => {
  const [fa, fb] = [family(a), family(b)];
  return fa === undefined || fb === undefined || fa === fb;
};

/** Where a copy belongs: a known repo, or the id of a base that is not indexed (`base` names it in the entry). */
interface Parent<T> {
  id: string;
  known?: T;
  /** For copies of a re-trained model that is not indexed: the original they declare. */
  base?: string;
  how: string;
}

/**
 * Group candidates into entries. `sameWeights(a, b)` answers whether two repos hold identical weight
 * files; it is asked only for same-named repos that look trained further, since it costs a listing each.
 */
export async function groupLineage<T extends LineageInput>(
  candidates: T[],
  sameWeights: (a: T, b: T) => Promise<boolean>,
): Promise<{ groups: Group<T>[] }> {
  const byId = new Map(candidates.map((c) => [key(c.model.id), c]));
  const full = candidates.filter((c) => !isCopy(c));
  const fullNamed = nameIndex(full.map((c) => c.model.id));
  // A repo renamed on the Hub (`meta-llama/Meta-Llama-3.1-8B-Instruct` → `…/Llama-3.1-8B-Instruct`)
  // is still declared under its old id by the cards written before: read that as the indexed repo of
  // the same owner and name, so its copies and re-uploads fold into it and fine-tunes name it.
  for (const c of candidates)
    c.bases = c.bases.map((b) => {
      if (byId.has(key(b.id))) return b;
      const renamed = fullNamed(b.id).filter((id) => ownerOf(id) === ownerOf(b.id));
      return renamed.length === 1 ? { ...b, id: renamed[0] as string } : b;
    });

  /** The full-weights repo a copy is named after: same author first, then the most canonical. */
  const namedOrigin = (c: T): T | undefined => {
    const same = fullNamed(c.model.id)
      .map((id) => byId.get(key(id)) as T)
      .filter((f) => familiesAgree(c, f))
      .sort(canonicalOrder);
    return same.find((f) => ownerOf(f.model.id) === ownerOf(c.model.id)) ?? same[0];
  };

  /** The repo a copy belongs to, by declaration or by name; undefined for an entry of its own. */
  const parentOf = new Map<T, Parent<T>>();
  for (const c of candidates) {
    if (!isCopy(c)) continue;
    const id = c.model.id;
    const declared = c.bases.find((b) => b.relation === "quantized") ?? (c.bases.length === 1 ? c.bases[0] : undefined);
    const origin = namedOrigin(c);
    // Named as a re-trained model (`Qwen3-4B-abliterated-4bit`) while declaring the original: the
    // name says whose weights these are — the re-trained repo named like it, or an entry of its own.
    if (declared && !sameName(id, declared.id) && retrainedFrom(id, declared.id)) {
      if (origin && key(origin.model.id) !== key(declared.id))
        parentOf.set(c, {
          id: origin.model.id,
          known: origin,
          how: `named after the re-trained ${origin.model.id} (it declares the original, ${declared.id})`,
        });
      else
        parentOf.set(c, {
          id: `~${bareStem(id)}`,
          base: declared.id,
          how: `a copy of a re-trained ${declared.id} that is not indexed, named like the entry`,
        });
      continue;
    }
    // A copy that declares a fine-tune of another model under another name is that fine-tune, GGUF-only.
    if (declared?.relation === "finetune" && !sameName(id, declared.id)) continue;
    const known = declared && byId.get(key(declared.id));
    if (known && known !== c)
      parentOf.set(c, {
        id: known.model.id,
        known,
        how: `declares ${known.model.id} as its base (${declared?.relation})`,
      });
    else if (origin)
      parentOf.set(c, { id: origin.model.id, known: origin, how: `named after ${origin.model.id}, same architecture` });
    else if (declared)
      parentOf.set(c, { id: declared.id, how: `a copy of ${declared.id}, which is not indexed, like the entry` });
  }
  const rootOf = (c: T): Parent<T> | undefined => {
    let current: Parent<T> | undefined = parentOf.get(c);
    for (let hops = 0; current?.known && parentOf.has(current.known) && hops < 8; hops++)
      current = parentOf.get(current.known);
    return current;
  };
  const howOf = (c: T): string => {
    const [parent, root] = [parentOf.get(c), rootOf(c)] as [Parent<T>, Parent<T>];
    return root.id === parent.id ? parent.how : `${parent.how}, which folds into ${root.known?.model.id ?? root.id}`;
  };

  const groups = new Map<string, Group<T>>();
  const sorted = [...candidates].sort((a, b) => compareText(a.model.id, b.model.id));
  for (const c of sorted) if (!parentOf.has(c)) groups.set(key(c.model.id), { entry: c, variants: [] });
  const orphans = new Map<string, T[]>();
  for (const c of sorted) {
    if (!parentOf.has(c)) continue;
    const root = rootOf(c) as Parent<T>;
    const group = root.known && groups.get(key(root.known.model.id));
    if (group) group.variants.push({ repo: c, relation: relationOf(c), how: howOf(c) });
    else orphans.set(key(root.id), [...(orphans.get(key(root.id)) ?? []), c]);
  }
  // Copies of a base that is not indexed: one entry for all of them, the most downloaded standing for the weights.
  for (const [, members] of [...orphans.entries()].sort(([a], [b]) => compareText(a, b))) {
    members.sort((a, b) => (b.model.downloads ?? 0) - (a.model.downloads ?? 0) || compareText(a.model.id, b.model.id));
    const [entry, ...rest] = members as [T, ...T[]];
    const root = rootOf(entry);
    const base = root?.base ?? root?.id;
    groups.set(key(entry.model.id), {
      entry,
      variants: rest.map((repo) => ({ repo, relation: relationOf(repo), how: howOf(repo) })),
      ...(base ? { baseModel: base } : {}),
    });
  }

  const folded = new Map<string, string>(); // re-upload id → canonical id
  await foldMirrors(groups, folded, sameWeights);

  for (const g of groups.values()) {
    if (g.baseModel !== undefined) continue;
    const base = g.entry.bases.find((b) => b.relation === "finetune" || b.relation === "merge");
    if (!base) continue;
    const known = byId.get(key(base.id));
    const root = known ? (rootOf(known)?.known ?? known) : undefined;
    const id = folded.get(key(base.id)) ?? root?.model.id ?? base.id;
    if (key(id) !== key(g.entry.model.id)) g.baseModel = id;
  }
  for (const g of groups.values()) g.variants.sort((a, b) => compareText(a.repo.model.id, b.repo.model.id));
  return { groups: [...groups.values()].sort((a, b) => compareText(a.entry.model.id, b.entry.model.id)) };
}

/** The lineage stage: groups, with every folded repo recorded. */
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
  const { groups } = await groupLineage(resolved, async (a, b) => {
    const [x, y] = await Promise.all([weightShas(a), weightShas(b)]);
    return x !== undefined && x !== "" && x === y;
  });
  for (const g of groups)
    for (const v of g.variants) ctx.decisions.fold(v.repo.model.id, g.entry.model.id, v.relation, v.how);
  ctx.log(`lineage: ${groups.length} entries from ${resolved.length} repos`);
  return groups;
}
