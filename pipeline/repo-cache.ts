/**
 * Per-repo cache keyed by the repo's commit sha: a re-run fetches only repos whose sha changed.
 * One JSON file per (kind, repo); a different sha is a miss. Failures are cached too (a gated
 * config stays gated until the sha changes or a token is given), so a re-run with nothing changed
 * makes list calls only. A read that fails for a passing reason falls back to the entry an earlier
 * revision left. Never inside data/: it is the user's cache directory by default.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";

export interface Cached<T> {
  sha: string;
  /** Whether the request carried a token; an anonymous failure is retried once a token is given. */
  authorized: boolean;
  value?: T;
  error?: string;
}

export class RepoCache {
  hits = 0;
  misses = 0;
  /** Reads that failed for a passing reason and were answered from an earlier revision's entry. */
  stale = 0;
  constructor(private readonly dir: string) {}

  private file(kind: string, id: string) {
    return join(this.dir, kind, `${encodeURIComponent(id)}.json`);
  }

  get<T>(kind: string, id: string, sha: string, authorized: boolean): Cached<T> | undefined {
    try {
      const cached = JSON.parse(readFileSync(this.file(kind, id), "utf8")) as Cached<T>;
      if (cached.sha === sha && (cached.error === undefined || cached.authorized || !authorized)) {
        this.hits++;
        return cached;
      }
    } catch {
      // Missing or unreadable: a miss. A corrupt entry is simply overwritten.
    }
    this.misses++;
    return undefined;
  }

  async set<T>(kind: string, id: string, entry: Cached<T>): Promise<void> {
    mkdirSync(join(this.dir, kind), { recursive: true });
    await writeFileAtomic(this.file(kind, id), JSON.stringify(entry));
  }

  /** The cached value, or fetch and cache it (the value or the error's message). */
  async through<T>(kind: string, id: string, sha: string, authorized: boolean, fetch: () => Promise<T>): Promise<T> {
    const cached = this.get<T>(kind, id, sha, authorized);
    if (cached) {
      if (cached.error !== undefined) throw new CachedFailure(cached.error);
      return cached.value as T;
    }
    try {
      const value = await fetch();
      await this.set(kind, id, { sha, authorized, value });
      return value;
    } catch (error) {
      const reason = (error as { reason?: string }).reason;
      // Only answers that will not change until the repo does are worth remembering.
      if (reason === "gated" || reason === "not-found") {
        await this.set(kind, id, { sha, authorized, error: reason });
        throw error;
      }
      // A Hub that failed this once (5xx, 429, a cut body) must not change what is published: the
      // answer of an earlier revision stands in, until a run reads the new one.
      const earlier = this.anyRevision<T>(kind, id);
      if (earlier === undefined) throw error;
      this.stale++;
      return earlier;
    }
  }

  /** The value cached for the repo at whichever revision it was read, if any. */
  private anyRevision<T>(kind: string, id: string): T | undefined {
    try {
      const cached = JSON.parse(readFileSync(this.file(kind, id), "utf8")) as Cached<T>;
      return cached.error === undefined ? cached.value : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A failure remembered from an earlier run for the same sha. */
export class CachedFailure extends Error {
  override readonly name = "CachedFailure";
  constructor(readonly reason: string) {
    super(`${reason} (cached)`);
  }
}
