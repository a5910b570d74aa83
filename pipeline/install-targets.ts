/**
 * Stage 6, install targets, from one GGUF repo's files: each quant's exact size and sha256, and
 * the `hf.co/{repo}:{QUANT}` ref. Quant labels come from the Hub's own parser
 * (`parseGGUFQuantLabel`), the same one behind the Hub's `ollama run hf.co/{repo}:{QUANT}` snippet.
 * Default: Q4_K_M when present (what hf.co serves with no tag), else the nearest smaller quant,
 * else the smallest larger one. Which repos to use is decided in gguf-repos.ts.
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
import type { RepoFile } from "./hub/types.ts";

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
      // A single-file copy of the same quant wins over a split one: Ollama can pull only that.
      if (existing && existing.path !== prefix) continue;
      byQuant.set(quant, {
        quant,
        bytes: (existing?.bytes ?? 0) + file.size,
        sha256: shard.shard === "00001" ? file.sha256 : existing?.sha256,
        shards: Number(shard.total),
        path: prefix,
        file: shard.shard === "00001" ? file.path : (existing?.file ?? file.path),
      });
    } else if (!existing || existing.shards > 1) {
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

/**
 * The targets of several GGUF repos, best-ranked first: each quant from the first repo that has it
 * as a single file, and the default chosen over all of them (Q4_K_M from the best repo that has it).
 */
export function mergeTargets(perRepo: InstallTarget[][]): InstallTarget[] {
  const byQuant = new Map<string, InstallTarget>();
  for (const targets of perRepo) for (const t of targets) if (!byQuant.has(t.quant)) byQuant.set(t.quant, t);
  const chosen = defaultQuant([...byQuant.keys()]);
  return [...byQuant.values()]
    .sort((a, b) => order(a.quant) - order(b.quant) || compareText(a.quant, b.quant))
    .map((t) => ({ ...t, default: t.quant === chosen }));
}
