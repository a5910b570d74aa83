/**
 * The on-disk cache of the last good index: one file, written atomically (temp file + rename), so
 * two processes refreshing at once leave one complete file, never a mix. The file carries the
 * sha256 of the index text, so a warm read checks integrity without re-validating every entry
 * (each index was validated against the schema before it was written).
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { Index } from "../../../schema/index.ts";
import { ensureDir } from "../fs-dirs.ts";
import { DIR_LABELS, paths } from "../paths.ts";

export interface CacheMeta {
  url: string;
  etag?: string | undefined;
  fetchedAt: string;
  sha256: string;
  /**
   * The small-llm version that read (and filtered) it: another version does not send its ETag, so
   * a client that now understands more is never answered 304 with what an older one left out.
   */
  client?: string | undefined;
}

export interface CachedIndex {
  meta: CacheMeta;
  index: Index;
}

/** `SMALL_LLM_CACHE_DIR`, else the platform cache dir (e.g. ~/.cache/small-llm on Linux). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return paths(env).cache;
}

const FILE = "index-cache.json";
const SEPARATOR = "\n";
const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** In-process memo: a warm getIndex() answers from memory while the file is unchanged. */
let memo: { path: string; mtimeMs: number; size: number; value: CachedIndex } | undefined;

export function readIndexCache(cacheDir: string): CachedIndex | undefined {
  const path = join(cacheDir, FILE);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (memo && memo.path === path && memo.mtimeMs === stat.mtimeMs && memo.size === stat.size) return memo.value;
  try {
    // Bytes, not text: hashing the file's own bytes is 4× faster than hashing a decoded string.
    const bytes = readFileSync(path);
    const cut = bytes.indexOf(SEPARATOR);
    const meta = JSON.parse(bytes.toString("utf8", 0, cut)) as CacheMeta;
    const body = bytes.subarray(cut + 1);
    if (sha256(body) !== meta.sha256) return undefined;
    const index = JSON.parse(body.toString("utf8")) as Index;
    if (index.schemaVersion !== 1 || !Array.isArray(index.models)) return undefined;
    const value = { meta, index };
    memo = { path, mtimeMs: stat.mtimeMs, size: stat.size, value };
    return value;
  } catch {
    return undefined; // Unreadable or torn: treat as no cache; the next good fetch replaces it.
  }
}

/** Write the cache: a meta line, then the index text exactly as validated. */
export async function writeIndexCache(
  cacheDir: string,
  meta: Omit<CacheMeta, "sha256">,
  body: string,
): Promise<CacheMeta> {
  ensureDir(cacheDir, DIR_LABELS.cache);
  const full: CacheMeta = { ...meta, sha256: sha256(body) };
  await writeFileAtomic(join(cacheDir, FILE), `${JSON.stringify(full)}${SEPARATOR}${body}`);
  return full;
}
