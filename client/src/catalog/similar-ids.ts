/**
 * "Did you mean": the index ids closest to a name that is not one. An id that contains what was
 * typed (or is contained in it), ignoring case, dots and dashes, comes first (`Qwen/Qwen2.5-7B` →
 * `Qwen/Qwen2.5-7B-Instruct`); then ids a few edits away (`Qwen/Qwen2.5-0.5B-Instrcut`).
 */
import { distance } from "fastest-levenshtein";
import type { Index } from "../../../schema/index.ts";
import { searchKey } from "../core/query-models.ts";

export function similarIds(index: Pick<Index, "models"> | undefined, typed: string, max = 3): string[] {
  if (!index) return [];
  const want = typed.trim().toLowerCase();
  const wantKey = searchKey(want);
  const wantName = searchKey(want.split("/").pop() ?? want);
  if (wantName.length < 3) return [];
  const scored: { id: string; score: number }[] = [];
  for (const m of index.models) {
    const id = m.id.toLowerCase();
    const key = searchKey(id);
    const name = searchKey(id.split("/").pop() ?? id);
    if (key.includes(wantKey) || wantKey.includes(key) || name.includes(wantName)) {
      scored.push({ id: m.id, score: Math.abs(key.length - wantKey.length) / 100 });
      continue;
    }
    const d = Math.min(distance(want, id), distance(wantName, name));
    if (d <= Math.max(2, Math.floor(wantName.length / 4))) scored.push({ id: m.id, score: 1 + d });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((s) => s.id);
}

/** ` Did you mean Qwen/Qwen2.5-7B-Instruct?` — or nothing when nothing is close. */
export function didYouMean(index: Pick<Index, "models"> | undefined, typed: string): string {
  const ids = similarIds(index, typed);
  return ids.length ? ` Did you mean ${ids.join(" or ")}?` : "";
}
