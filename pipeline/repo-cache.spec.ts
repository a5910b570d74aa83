import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CachedFailure, RepoCache } from "./repo-cache.ts";

const failing = (reason: string) => async () => {
  throw Object.assign(new Error(`the Hub said ${reason}`), { reason });
};

describe("the per-repo cache", () => {
  it("answers a read by sha, remembers lasting failures, and lets an earlier revision stand in for a passing one", async () => {
    const cache = new RepoCache(mkdtempSync(join(tmpdir(), "sli-repo-cache-")));
    expect(await cache.through("tree", "lab/M", "a".repeat(40), false, async () => ["v1"])).toEqual(["v1"]);
    // Same sha: no request.
    expect(await cache.through("tree", "lab/M", "a".repeat(40), false, failing("http-500"))).toEqual(["v1"]);
    // A new revision the Hub fails to list this once: the earlier answer, not a changed entry.
    expect(await cache.through("tree", "lab/M", "b".repeat(40), false, failing("http-503"))).toEqual(["v1"]);
    expect(cache.stale).toBe(1);
    // A lasting answer (gone, gated) is no passing failure: it is remembered and thrown.
    await expect(cache.through("tree", "lab/M", "c".repeat(40), false, failing("not-found"))).rejects.toThrow();
    await expect(cache.through("tree", "lab/M", "c".repeat(40), false, async () => ["v3"])).rejects.toBeInstanceOf(
      CachedFailure,
    );
    // Nothing cached before: the failure stands.
    await expect(cache.through("tree", "lab/N", "d".repeat(40), false, failing("http-429"))).rejects.toThrow(
      "http-429",
    );
  });
});
