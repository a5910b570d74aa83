/**
 * "Did you mean": the index ids closest to a name that is not one, compared with case, dots and
 * dashes ignored. An id that starts like what was typed costs little per extra character
 * (`Qwen/Qwen2.5-7B` → `Qwen/Qwen2.5-7B-Instruct`); one a few edits away costs its edits
 * (`…-Instrcut` → `…-Instruct`); the same model under another owner costs a little more. Ties go to
 * the more downloaded entry.
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
  const limit = Math.max(2, Math.floor(wantName.length / 4));
  const scored: { id: string; score: number; downloads: number }[] = [];
  for (const m of index.models) {
    const key = searchKey(m.id);
    // What was typed is an id of the index: the name is right, whatever failed, and no other is meant.
    if (key === wantKey) return [];
    const name = searchKey(m.id.split("/").pop() ?? m.id);
    const score = key.includes(wantKey)
      ? (key.length - wantKey.length) * 0.1
      : name.includes(wantName)
        ? 0.5 + (name.length - wantName.length) * 0.1
        : Math.min(distance(wantKey, key), distance(wantName, name) + 1);
    if (score <= limit || key.includes(wantKey) || name.includes(wantName))
      scored.push({ id: m.id, score, downloads: m.downloads });
  }
  return scored
    .sort((a, b) => a.score - b.score || b.downloads - a.downloads || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((s) => s.id);
}

/** ` Did you mean Qwen/Qwen2.5-7B-Instruct?` — or nothing when nothing is close. */
export function didYouMean(index: Pick<Index, "models"> | undefined, typed: string): string {
  const ids = similarIds(index, typed);
  return ids.length ? ` Did you mean ${ids.join(" or ")}?` : "";
}
