/**
 * Stage 6, install targets: Ollama install refs for an entry. The GGUF repo is the base author's own when there is
 * one, else the most downloaded; its files give each quant's exact size and sha256. Quant labels
 * come from the Hub's own parser (`parseGGUFQuantLabel`), the same one behind the Hub's
 * `ollama run hf.co/{repo}:{QUANT}` snippet. Default: Q4_K_M when present (what hf.co serves with
 * no tag), else the nearest smaller quant, else the smallest larger one.
 */

import {
  findNearestQuantType,
  GGMLFileQuantizationType,
  GGUF_QUANT_ORDER,
  parseGGUFQuantLabel,
  parseGgufShardFilename,
} from "@huggingface/gguf";
import { hfOllamaRef, type InstallTarget, OLLAMA_REF, QUANT_LABEL } from "../schema/index.ts";
import { compareText } from "./canonical-json.ts";
import { type StageContext, skip } from "./context.ts";
import type { RepoFile } from "./hub/types.ts";
import type { Group } from "./lineage.ts";
import type { Resolved } from "./resolve-params.ts";

export interface GgufCandidate {
  id: string;
  author: string;
  downloads: number;
  gated: boolean;
}

/** Ollama cannot pull from a namespace with a `.` (its name rules), nor a gated repo anonymously. */
export function pullable(repo: GgufCandidate): boolean {
  const namespace = repo.id.split("/")[0] ?? "";
  return !namespace.includes(".") && !repo.gated && OLLAMA_REF.test(hfOllamaRef(repo.id, "Q4_K_M"));
}

/** GGUF repos in the order to try: the entry author's own first, then by downloads. */
export function rankGgufRepos(entryAuthor: string, repos: GgufCandidate[]): GgufCandidate[] {
  return repos
    .filter(pullable)
    .sort(
      (a, b) =>
        Number(b.author === entryAuthor) - Number(a.author === entryAuthor) ||
        b.downloads - a.downloads ||
        compareText(a.id, b.id),
    );
}

interface QuantFile {
  quant: string;
  bytes: number;
  sha256: string | undefined;
  shards: number;
  /** What identifies the copy: the file path, or the shard prefix for split files. */
  path: string;
  /** The file to download: the file itself, or the first shard. */
  file: string;
}

/** Quant files of a GGUF repo; split files are summed and marked, projector/imatrix files skipped. */
export function quantFiles(files: RepoFile[]): QuantFile[] {
  const byQuant = new Map<string, QuantFile>();
  const sorted = [...files].sort(
    (a, b) => a.path.split("/").length - b.path.split("/").length || compareText(a.path, b.path),
  );
  for (const file of sorted) {
    if (!file.path.toLowerCase().endsWith(".gguf")) continue;
    const base = file.path.split("/").pop() ?? file.path;
    if (/mmproj|imatrix|projector/i.test(base)) continue;
    const quant = parseGGUFQuantLabel(base);
    if (!quant || !QUANT_LABEL.test(quant)) continue;
    const shard = parseGgufShardFilename(file.path);
    const existing = byQuant.get(quant);
    if (shard) {
      const prefix = `${shard.prefix}|${quant}`;
      if (existing && existing.path !== prefix) continue;
      byQuant.set(quant, {
        quant,
        bytes: (existing?.bytes ?? 0) + file.size,
        sha256: shard.shard === "00001" ? file.sha256 : existing?.sha256,
        shards: Number(shard.total),
        path: prefix,
        file: shard.shard === "00001" ? file.path : (existing?.file ?? file.path),
      });
    } else if (!existing) {
      byQuant.set(quant, { quant, bytes: file.size, sha256: file.sha256, shards: 1, path: file.path, file: file.path });
    }
  }
  return [...byQuant.values()];
}

const order = (quant: string) => {
  const type = GGMLFileQuantizationType[quant.replace(/^UD-/, "") as keyof typeof GGMLFileQuantizationType];
  const i = type === undefined ? -1 : GGUF_QUANT_ORDER.indexOf(type);
  return i === -1 ? GGUF_QUANT_ORDER.length : i;
};

export function defaultQuant(quants: string[]): string | undefined {
  if (quants.includes("Q4_K_M")) return "Q4_K_M";
  const types = quants
    .map((q) => GGMLFileQuantizationType[q as keyof typeof GGMLFileQuantizationType])
    .filter((t): t is GGMLFileQuantizationType => t !== undefined);
  const nearest = findNearestQuantType(GGMLFileQuantizationType.Q4_K_M, types);
  if (nearest !== undefined) return GGMLFileQuantizationType[nearest];
  return [...quants].sort((a, b) => order(b) - order(a))[0];
}

/**
 * Install targets from a GGUF repo's files. Sharded quants are left out: the Hub refuses to serve a
 * sharded GGUF to Ollama ("The specified tag is a sharded GGUF", ollama/ollama#8326).
 */
export function installTargets(ggufRepo: string, files: RepoFile[]): InstallTarget[] {
  const quants = quantFiles(files).filter((q) => q.shards === 1);
  const chosen = defaultQuant(quants.map((q) => q.quant));
  return quants
    .sort((a, b) => order(a.quant) - order(b.quant) || compareText(a.quant, b.quant))
    .map((q) => ({
      runtime: "ollama" as const,
      ref: hfOllamaRef(ggufRepo, q.quant),
      repo: ggufRepo,
      file: q.file,
      quant: q.quant,
      fileBytes: q.bytes,
      ...(q.sha256 ? { sha256: q.sha256 } : {}),
      default: q.quant === chosen,
    }))
    .filter((t) => OLLAMA_REF.test(t.ref));
}

/** The install targets of an entry, from the GGUF repos folded into it. */
export async function chooseInstall(ctx: StageContext, group: Group<Resolved>): Promise<InstallTarget[]> {
  const c = group.entry;
  const ggufs = [c, ...group.variants.map((v) => v.repo)].filter((r) => r.format === "gguf");
  const authorOf = (m: Resolved["model"]) => m.author ?? m.id.split("/")[0] ?? "";
  const ranked = rankGgufRepos(
    authorOf(c.model),
    ggufs.map((g) => ({
      id: g.model.id,
      author: authorOf(g.model),
      downloads: g.model.downloads ?? 0,
      gated: Boolean(g.model.gated),
    })),
  );
  for (const repo of ranked.slice(0, 2)) {
    const g = ggufs.find((x) => x.model.id === repo.id);
    const files = await ctx.repos.files({ id: repo.id, sha: g?.model.sha });
    if (!files.ok) {
      skip(ctx, repo.id, "file listing", files.reason);
      continue;
    }
    const install = installTargets(repo.id, files.value);
    if (install.length) return install;
  }
  return [];
}
