import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type IndexServer, type IndexServerMode, startIndexServer } from "../../test/helpers/index-server.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { getIndex } from "../src/catalog/get-index.ts";

const body = JSON.stringify(sampleIndex());
const servers: IndexServer[] = [];
const serve = async (mode: IndexServerMode = "ok") => {
  const s = await startIndexServer(body, mode);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const cacheDir = () => mkdtempSync(join(tmpdir(), "sli-client-cache-"));

describe("getIndex", () => {
  it("fetches from the network, then answers from the fresh cache without asking", async () => {
    const server = await serve();
    const dir = cacheDir();
    const first = await getIndex({ urls: [server.url], cacheDir: dir });
    expect(first.source).toBe("network");
    expect(first.index.models).toHaveLength(2);
    const second = await getIndex({ urls: [server.url], cacheDir: dir });
    expect(second.source).toBe("cache");
    expect(second.url).toBe(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it("does not serve a fresh cache from a mirror that is no longer configured", async () => {
    const first = await serve();
    const second = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [first.url], cacheDir: dir });
    const switched = await getIndex({ urls: [second.url], cacheDir: dir });
    expect(switched).toMatchObject({ source: "network", url: second.url });
    expect(second.requests).toHaveLength(1);
  });

  it("revalidates a stale cache with If-None-Match and takes a 304", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    const again = await getIndex({ urls: [server.url], cacheDir: dir, ttlMs: 0 });
    expect(again.source).toBe("network");
    expect(server.requests.map((r) => r.status)).toEqual([200, 304]);
    expect(server.requests[1]?.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect(again.ageMs).toBeLessThan(5000);
  });

  it("forces the network with refresh: true", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    expect((await getIndex({ urls: [server.url], cacheDir: dir, refresh: true })).source).toBe("network");
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    // Only the slow case depends on the timeout; the rest get a generous one (a loaded 2-core CI).
    ["500", /500 Internal Server Error/, 20_000],
    ["slow", /no answer within 300 ms/, 300],
    ["invalid-json", /not JSON/, 20_000],
    ["schema-invalid", /does not match schema v1[\s\S]*models\[0\]\.id/, 20_000],
    ["huge", /over the 4194304-byte limit/, 20_000],
  ] as const)("moves past a mirror that answers %s to the next one", async (mode, why, timeoutMs) => {
    const bad = await serve(mode);
    const good = await serve();
    const result = await getIndex({
      urls: [bad.url, good.url],
      cacheDir: cacheDir(),
      timeoutMs,
      maxBytes: 4 * 1024 * 1024,
    });
    expect(result.source).toBe("network");
    expect(result.url).toBe(good.url);
    expect(result.attempts[0]?.source).toBe(bad.url);
    expect(result.attempts[0]?.error).toMatch(why);
  });

  it("falls back to the stale cache, then to the bundled snapshot, saying why", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    server.mode = "500";
    const stale = await getIndex({ urls: [server.url], cacheDir: dir, ttlMs: 0 });
    expect(stale.source).toBe("stale-cache");
    expect(stale.index.models).toHaveLength(2);
    const bundled = await getIndex({ urls: [server.url], cacheDir: cacheDir() });
    expect(bundled.source).toBe("bundled");
    expect(bundled.index.models.length).toBeGreaterThan(4);
    expect(new Set(bundled.index.models.map((m) => m.tier))).toEqual(new Set(["sub-1b", "1b-8b"]));
    expect(bundled.attempts.map((a) => a.error)).toEqual([expect.stringMatching(/500/), "no cached index"]);
    // A library caller hears of both, in the words it should pass on.
    expect(stale.warnings).toContainEqual(
      expect.stringMatching(/^http:.* failed \(.*500.*\); using the copy of .* cached /),
    );
    expect(bundled.warnings).toContainEqual(
      expect.stringMatching(
        /^no index could be fetched \(.*500.*\): using the snapshot bundled with small-llm \(\d+ models/,
      ),
    );
  });

  it("never lets a lagging mirror, or an index this client reads little of, replace a better cached copy", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    const before = readFileSync(join(dir, "index-cache.json"), "utf8");
    const older = { ...sampleIndex(), generatedAt: "2020-01-01T00:00:00Z" };
    server.body = JSON.stringify(older);
    const lagging = await getIndex({ urls: [server.url], cacheDir: dir, refresh: true });
    expect(lagging.source).toBe("stale-cache");
    expect(lagging.warnings[0]).toMatch(/is older than the cached one/);
    // Every entry carries a value this client does not know: it would read none of them.
    const newer = sampleIndex();
    newer.models = newer.models.map((m) => ({ ...m, params: { ...m.params, source: "benchmark" } })) as never;
    newer.generatedAt = "2099-01-01T00:00:00Z";
    server.body = JSON.stringify(newer);
    const unreadable = await getIndex({ urls: [server.url], cacheDir: dir, refresh: true });
    expect(unreadable.source).toBe("stale-cache");
    expect(unreadable.index.models).toHaveLength(2);
    expect(unreadable.warnings[0]).toMatch(/can read only 0 of its entries .*update small-llm/);
    expect(readFileSync(join(dir, "index-cache.json"), "utf8")).toBe(before);
  });

  it("sends its ETag only for a copy this version of small-llm read", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    const file = join(dir, "index-cache.json");
    const [meta, ...rest] = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, [JSON.stringify({ ...JSON.parse(meta as string), client: "0.0.1-older" }), ...rest].join("\n"));
    await getIndex({ urls: [server.url], cacheDir: dir, refresh: true });
    expect(server.requests.at(-1)?.ifNoneMatch).toBeUndefined();
    await getIndex({ urls: [server.url], cacheDir: dir, refresh: true });
    expect(server.requests.at(-1)?.ifNoneMatch).toBeDefined();
  });

  it("keeps the user's cache when the network sends something invalid", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    const before = readFileSync(join(dir, "index-cache.json"), "utf8");
    server.mode = "schema-invalid";
    expect((await getIndex({ urls: [server.url], cacheDir: dir, refresh: true })).source).toBe("stale-cache");
    expect(readFileSync(join(dir, "index-cache.json"), "utf8")).toBe(before);
  });

  it("ignores a corrupted cache file", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    const file = join(dir, "index-cache.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("Qwen", "Owen"));
    expect((await getIndex({ urls: [server.url], cacheDir: dir })).source).toBe("network");
  });

  it("never touches the network offline", async () => {
    const server = await serve();
    expect((await getIndex({ urls: [server.url], cacheDir: cacheDir(), offline: true })).source).toBe("bundled");
    expect(server.requests).toHaveLength(0);
  });

  it("answers a warm call from memory", async () => {
    const server = await serve();
    const dir = cacheDir();
    await getIndex({ urls: [server.url], cacheDir: dir });
    await getIndex({ urls: [server.url], cacheDir: dir });
    const t = performance.now();
    for (let i = 0; i < 100; i++) await getIndex({ urls: [server.url], cacheDir: dir });
    expect((performance.now() - t) / 100).toBeLessThan(50); // generous: the bench measures the real figure
  });

  it("survives processes refreshing the same cache at once", async () => {
    const server = await serve();
    const dir = cacheDir();
    const script = `import { getIndex } from ${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)};
      for (let i = 0; i < 5; i++) await getIndex({ urls: [process.argv[1]], cacheDir: process.argv[2], refresh: true });`;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runCommand(process.execPath, ["--input-type=module", "-e", script, server.url, dir]),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const result = await getIndex({ urls: [server.url], cacheDir: dir });
    expect(result.source).toBe("cache");
    expect(result.index.models).toHaveLength(2);
  });
});
