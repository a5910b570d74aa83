/** What changed between two index versions, for changelog.json (newest first, bounded). */
import type { Changelog, ChangelogEntry, Index, ModelEntry } from "../schema/index.ts";
import { canonicalJson } from "./canonical-json.ts";

export const CHANGELOG_LIMIT = 100;
/** Counters that move every day; a change in them alone is not news. */
const NOISY = new Set(["downloads", "likes"]);

export function diffIndexes(previous: Index | undefined, next: Index): ChangelogEntry {
  const before = new Map((previous?.models ?? []).map((m) => [m.id, m]));
  const after = new Map(next.models.map((m) => [m.id, m]));
  const changed: ChangelogEntry["changed"] = [];
  for (const [id, model] of after) {
    const old = before.get(id);
    if (!old) continue;
    const keys = new Set([...Object.keys(old), ...Object.keys(model)] as (keyof ModelEntry)[]);
    const fields = [...keys].filter((k) => !NOISY.has(k) && canonicalJson(old[k]) !== canonicalJson(model[k])).sort();
    if (fields.length) changed.push({ id, fields });
  }
  return {
    version: next.version,
    generatedAt: next.generatedAt,
    added: [...after.keys()].filter((id) => !before.has(id)).sort(),
    removed: [...before.keys()].filter((id) => !after.has(id)).sort(),
    changed,
  };
}

export function appendChangelog(previous: Changelog | undefined, entry: ChangelogEntry): Changelog {
  const older = (previous?.entries ?? []).filter((e) => e.version !== entry.version);
  return { schemaVersion: 1, entries: [entry, ...older].slice(0, CHANGELOG_LIMIT) };
}
