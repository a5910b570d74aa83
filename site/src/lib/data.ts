/**
 * The index the site is built from: `SMALL_LLM_DATA_DIR` or ../data (the pipeline's output),
 * read with the tolerant reader at build time, so a bad index fails the build, not the visitor.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Changelog, ChangelogSchema, type Index, parseWith, readIndex } from "../../../schema/index.ts";

const dir = resolve(process.env.SMALL_LLM_DATA_DIR ?? join(process.cwd(), "..", "data"), "v1");

let cached: { index: Index; changelog: Changelog } | undefined;

export function loadData(): { index: Index; changelog: Changelog } {
  if (cached) return cached;
  // Read as every consumer reads it: what a newer pipeline added that this site does not know is left out, with a warning.
  const { index, warnings } = readIndex(
    JSON.parse(readFileSync(join(dir, "index.json"), "utf8")),
    join(dir, "index.json"),
  );
  for (const w of warnings) console.warn(`site: ${w}`);
  const file = join(dir, "changelog.json");
  const changelog = existsSync(file)
    ? parseWith(ChangelogSchema, JSON.parse(readFileSync(file, "utf8")), file)
    : { schemaVersion: 1 as const, entries: [] };
  cached = { index, changelog };
  return cached;
}

/** Where the dataset is published on the Hub (HF_DATASET_REPO at build time). */
export const DATASET_REPO = process.env.HF_DATASET_REPO ?? "small-llm-index/small-llm-index";
