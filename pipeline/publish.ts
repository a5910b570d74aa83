/**
 * Stage 8, publish: validate, guard, and write the index into `outDir/v1/`:
 *   index.json, index.schema.json, changelog.json, models.jsonl (one entry a line),
 *   tiers/{tier}.json (the index with that tier's models) and tiers/{tier}.jsonl.
 * Output is canonical (sorted keys, models by id), so identical Hub answers give identical bytes;
 * when the content equals what is already there nothing is written at all. Each file is written
 * atomically and index.json last, so a reader never sees a new index with old companions.
 * Nothing is written when the result fails validation or shrinks below the guard.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import {
  ChangelogSchema,
  type Index,
  type ModelEntry,
  parseIndex,
  parseWith,
  readIndex,
  SCHEMA_VERSION,
} from "../schema/index.ts";
import { indexJsonSchema, serializeJsonSchema } from "../schema/json-schema.ts";
import { PROFILES } from "../schema/profiles.ts";
import { TIERS } from "../schema/tiers.ts";
import { canonicalJson, compareText } from "./canonical-json.ts";
import { appendChangelog, diffIndexes } from "./changelog.ts";

/** A result the pipeline refuses to publish. The last good index stays as it is. */
export class PublishGuardError extends Error {
  override readonly name = "PublishGuardError";
}

export interface PublishOptions {
  outDir: string;
  models: ModelEntry[];
  fixture?: boolean;
  now?: Date;
  /** Refuse to publish when fewer than this share of the previous index's entries remain. */
  minKeepRatio?: number;
}

export interface PublishResult {
  status: "written" | "unchanged";
  version: string;
  models: number;
  files: string[];
}

const versionDir = (outDir: string) => join(outDir, `v${SCHEMA_VERSION}`);

function contentHash(index: Omit<Index, "version" | "generatedAt">): string {
  const { schemaVersion, fixture, tiers, profiles, models } = index;
  return createHash("sha256").update(canonicalJson({ schemaVersion, fixture, tiers, profiles, models })).digest("hex");
}

/**
 * The index published last, read as any consumer reads it: an index written before a field became required of
 * the writer is still the last good one, to diff against and to guard with.
 */
function readPrevious(dir: string): Index | undefined {
  const file = join(dir, "index.json");
  if (!existsSync(file)) return undefined;
  try {
    return readIndex(JSON.parse(readFileSync(file, "utf8")), file).index;
  } catch {
    return undefined; // An unreadable previous index cannot be kept consistent with; replace it.
  }
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const dir = versionDir(options.outDir);
  const models = [...options.models].sort((a, b) => compareText(a.id, b.id));
  const content = {
    schemaVersion: SCHEMA_VERSION as 1,
    ...(options.fixture ? { fixture: true } : {}),
    tiers: [...TIERS],
    profiles: [...PROFILES],
    models,
  };
  const hash = contentHash(content);
  const previous = readPrevious(dir);
  if (previous && contentHash(previous) === hash) {
    return { status: "unchanged", version: previous.version, models: models.length, files: [] };
  }
  const ratio = options.minKeepRatio ?? 0.7;
  if (previous && previous.models.length > 0 && models.length < ratio * previous.models.length) {
    throw new PublishGuardError(
      `refusing to publish: ${models.length} models is fewer than ${Math.round(ratio * 100)} % of the ` +
        `${previous.models.length} in the current index (${previous.version}). A Hub outage or a discovery ` +
        "bug looks like this; check the run report. The current index is unchanged.",
    );
  }
  const now = options.now ?? new Date();
  const index: Index = {
    ...content,
    version: `${now.toISOString().slice(0, 10)}.${hash.slice(0, 8)}`,
    generatedAt: now.toISOString(),
  };
  try {
    parseIndex(index, "the new index");
  } catch (error) {
    throw new PublishGuardError(`refusing to publish: ${(error as Error).message}`, { cause: error });
  }

  const changelogFile = join(dir, "changelog.json");
  let previousChangelog: ReturnType<typeof appendChangelog> | undefined;
  try {
    previousChangelog = parseWith(ChangelogSchema, JSON.parse(readFileSync(changelogFile, "utf8")), changelogFile);
  } catch {
    previousChangelog = undefined;
  }
  const changelog = appendChangelog(previousChangelog, diffIndexes(previous, index));

  const files: [string, string][] = [[join(dir, "index.schema.json"), serializeJsonSchema(indexJsonSchema())]];
  files.push([join(dir, "changelog.json"), `${canonicalJson(changelog, 2)}\n`]);
  files.push([join(dir, "models.jsonl"), models.map((m) => `${canonicalJson(m)}\n`).join("")]);
  for (const tier of index.tiers) {
    const tierModels = models.filter((m) => m.tier === tier.id);
    files.push([join(dir, "tiers", `${tier.id}.json`), `${canonicalJson({ ...index, models: tierModels }, 2)}\n`]);
    files.push([join(dir, "tiers", `${tier.id}.jsonl`), tierModels.map((m) => `${canonicalJson(m)}\n`).join("")]);
  }
  files.push([join(dir, "index.json"), `${canonicalJson(index, 2)}\n`]);

  mkdirSync(join(dir, "tiers"), { recursive: true });
  for (const [file, text] of files) await writeFileAtomic(file, text);
  return { status: "written", version: index.version, models: models.length, files: files.map(([f]) => f) };
}
