/**
 * The index, offline-first: a fresh cache → the network (conditional requests over the mirror
 * list) → a stale cache → the snapshot bundled in the package. Whatever arrives from the network
 * is validated against the schema before it is used or cached; an invalid, oversized or failed
 * answer moves on to the next source. URLs the user chose (`--index-url`, SMALL_LLM_INDEX_URL) are
 * never silently replaced by other data: when none answers, that is an error naming each and why
 * (only a cached copy of one of them may stand in, with a warning). A source may also be a file
 * on this machine (a path or `file://` URL to what the pipeline wrote), read fresh every time.
 */
import type { Index } from "../../../schema/index.ts";
import { IndexUnavailableError } from "../errors/index.ts";
import { VERSION } from "../version.ts";
import { bundledIndex } from "./bundled.ts";
import { FetchIndexError, fetchIndexText } from "./fetch-index.ts";
import { type CachedIndex, defaultCacheDir, readIndexCache, writeIndexCache } from "./index-cache.ts";
import { isLocalIndex, readIndexFile } from "./read-index-file.ts";
import { indexUrls } from "./urls.ts";

export type IndexSource = "cache" | "network" | "file" | "stale-cache" | "bundled";

export interface GetIndexOptions {
  /** Mirror URLs, tried in order (default: `SMALL_LLM_INDEX_URL`, else GitHub Pages then the HF dataset). */
  urls?: string[];
  /** How long a cached index is fresh (default 24 h). */
  ttlMs?: number;
  /** Skip the fresh cache and ask the network. */
  refresh?: boolean;
  /** Never touch the network. */
  offline?: boolean;
  /**
   * The user chose these URLs (`--index-url`, SMALL_LLM_INDEX_URL): when none gives an index, throw
   * IndexUnavailableError naming each and why, instead of falling back to other data (a cached
   * copy of one of them is still used, with a warning). Default false: a library caller's URLs are
   * mirrors like the built-in ones.
   */
  chosen?: boolean;
  /** Cache directory (default `SMALL_LLM_CACHE_DIR`, else the platform cache dir). */
  cacheDir?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Refuse bodies above this size (default 64 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface IndexResult {
  index: Index;
  source: IndexSource;
  /** When this copy was fetched (for `bundled`: when the snapshot was generated). */
  fetchedAt: Date;
  ageMs: number;
  /** The URL it came from, for network and cache sources. */
  url?: string;
  /** Sources that were tried and failed, in order, with why. */
  attempts: { source: string; error: string }[];
  /**
   * What the caller should tell the user: parts of a newer index this client skipped, a fetched
   * index that could not be cached. Empty when all is well.
   */
  warnings: string[];
}

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/** What to tell whoever reads an index marked as test data. */
export const FIXTURE_WARNING =
  "this index is marked `fixture`: test data built from a fixture catalogue, not the models on the real Hugging Face Hub";

function result(
  index: Index,
  source: IndexSource,
  fetchedAt: Date,
  attempts: IndexResult["attempts"],
  url?: string,
  warnings: string[] = [],
): IndexResult {
  if (index.fixture && !warnings.includes(FIXTURE_WARNING)) warnings = [...warnings, FIXTURE_WARNING];
  return {
    index,
    source,
    fetchedAt,
    ageMs: Math.max(0, Date.now() - fetchedAt.getTime()),
    attempts,
    ...(url ? { url } : {}),
    warnings,
  };
}

/** Caching is a convenience: a cache dir that cannot be written must not cost the user a good index. */
async function tryCache(cacheDir: string, write: () => Promise<unknown>, warnings: string[]): Promise<void> {
  try {
    await write();
  } catch (error) {
    warnings.push(
      `could not cache the index in ${cacheDir} (${(error as Error).message}); using it anyway. Set SMALL_LLM_CACHE_DIR to a writable directory.`,
    );
  }
}

export async function getIndex(options: GetIndexOptions = {}): Promise<IndexResult> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const attempts: IndexResult["attempts"] = [];
  const urls = options.urls ?? indexUrls();
  const cached: CachedIndex | undefined = readIndexCache(cacheDir);
  const cachedAt = cached ? new Date(cached.meta.fetchedAt) : undefined;
  // A copy from a mirror that is no longer configured is not fresh: the user pointed elsewhere.
  const fromConfigured = cached !== undefined && (options.offline || urls.includes(cached.meta.url));
  const chosen = Boolean(options.chosen) && !options.offline;
  if (cached && cachedAt && fromConfigured && !options.refresh && Date.now() - cachedAt.getTime() < ttl) {
    return result(cached.index, "cache", cachedAt, attempts, cached.meta.url);
  }

  if (!options.offline) {
    for (const url of urls) {
      if (isLocalIndex(url)) {
        try {
          const file = readIndexFile(url, options.maxBytes ?? 64 * 1024 * 1024);
          const { readIndex } = await import("../../../schema/read-index.ts");
          const { index, warnings } = readIndex(JSON.parse(file.body), `the index at ${file.url}`);
          return result(index, "file", new Date(), attempts, file.url, warnings);
        } catch (error) {
          attempts.push({ source: url, error: describe(error) });
          continue;
        }
      }
      try {
        const fetched = await fetchIndexText(url, {
          etag: cached?.meta.url === url && cached.meta.client === VERSION ? cached.meta.etag : undefined,
          timeoutMs: options.timeoutMs ?? 10_000,
          maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
          signal: options.signal,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        const now = new Date();
        const warnings: string[] = [];
        if (fetched.status === 304 && cached) {
          // Not modified: the cached copy is current again.
          const { index } = cached;
          const meta = { url, etag: cached.meta.etag, fetchedAt: now.toISOString(), client: VERSION };
          await tryCache(cacheDir, () => writeIndexCache(cacheDir, meta, JSON.stringify(index)), warnings);
          return result(index, "network", now, attempts, url, warnings);
        }
        if (fetched.status === 304) throw new FetchIndexError(`[GET] "${url}": 304 without a cached copy`);
        // The schema's reader is loaded only when an index arrives: a warm cache never needs it.
        const { readIndex } = await import("../../../schema/read-index.ts");
        const { index, warnings: skipped } = readIndex(JSON.parse(fetched.body), `the index from ${url}`);
        // A lagging mirror, or an index this client can read little of, never replaces a better copy.
        const worse = cached && fromConfigured ? worseThanCached(index, skipped, cached.index) : undefined;
        if (worse) {
          attempts.push({ source: url, error: worse });
          continue;
        }
        const meta = { url, etag: fetched.etag, fetchedAt: now.toISOString(), client: VERSION };
        // What is cached is what this client read (already validated and filtered), so a warm read needs neither again.
        await tryCache(cacheDir, () => writeIndexCache(cacheDir, meta, JSON.stringify(index)), warnings);
        return result(index, "network", now, attempts, url, [...skipped, ...warnings]);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        attempts.push({ source: url, error: describe(error) });
      }
    }
  }

  if (chosen) {
    // Only a copy of what the user asked for may stand in for it, and never silently.
    if (cached && cachedAt && urls.includes(cached.meta.url))
      return result(cached.index, "stale-cache", cachedAt, attempts, cached.meta.url, [staleNote(cached, attempts)]);
    throw new IndexUnavailableError(attempts, { chosen: true });
  }
  if (cached && cachedAt)
    return result(
      cached.index,
      "stale-cache",
      cachedAt,
      attempts,
      cached.meta.url,
      options.offline ? [] : [staleNote(cached, attempts)],
    );
  attempts.push({ source: `cache (${cacheDir})`, error: "no cached index" });
  try {
    const { index, generatedAt } = await bundledIndex();
    const why = attempts.find((a) => !a.source.startsWith("cache ("))?.error;
    const note = `no index could be fetched${why ? ` (${why})` : ""}: using the snapshot bundled with small-llm (${index.models.length} models, ${generatedAt.slice(0, 10)}); \`small-llm refresh\` fetches the full index`;
    return result(index, "bundled", new Date(generatedAt), attempts, undefined, options.offline ? [] : [note]);
  } catch (error) {
    attempts.push({ source: "bundled snapshot", error: (error as Error).message });
    throw new IndexUnavailableError(attempts);
  }
}

/** Why a fetched index must not replace the cached one, or undefined when it may. */
function worseThanCached(index: Index, skipped: readonly string[], cached: Index): string | undefined {
  if (Date.parse(index.generatedAt) < Date.parse(cached.generatedAt))
    return `its index (${index.generatedAt}) is older than the cached one (${cached.generatedAt}): a mirror that lags`;
  if (skipped.length && index.models.length < cached.models.length / 2)
    return `this small-llm can read only ${index.models.length} of its entries (${skipped[0]}): keeping the cached ${cached.models.length}; update small-llm to read the rest`;
  return undefined;
}

/** Which source failed and how, when the cached copy stands in. */
function staleNote(cached: CachedIndex, attempts: IndexResult["attempts"]): string {
  const failed = attempts.find((a) => a.source === cached.meta.url) ?? attempts.at(-1);
  return `${failed ? `${failed.source} failed (${failed.error})` : "no source answered"}; using the copy of ${cached.meta.url} cached ${cached.meta.fetchedAt}`;
}

function describe(error: unknown): string {
  return error instanceof SyntaxError ? `not JSON (${error.message})` : (error as Error).message;
}
