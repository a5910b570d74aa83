/** Looking an entry up in the index by the id a person typed. */
import type { Index, ModelEntry } from "../../../schema/index.ts";

/** The entry with this Hub id, ignoring case (the Hub treats ids case-insensitively). */
export function findModel(index: Pick<Index, "models"> | undefined, id: string): ModelEntry | undefined {
  const lower = id.trim().toLowerCase();
  return index?.models.find((m) => m.id.toLowerCase() === lower);
}
