import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampleModel } from "../test/helpers/sample-index.ts";
import { diffIndexes } from "./changelog.ts";
import { PublishGuardError, publish } from "./publish.ts";

const dir = () => mkdtempSync(join(tmpdir(), "sli-pub-"));
const models = (n: number) =>
  Array.from({ length: n }, (_, i) => sampleModel({ id: `org/model-${String(i).padStart(3, "0")}` }));

describe("publish", () => {
  it("writes nothing when the content is what is already there", async () => {
    const out = dir();
    const first = await publish({ outDir: out, models: models(3), now: new Date("2026-11-01T00:00:00Z") });
    const mtime = statSync(join(out, "v1", "index.json")).mtimeMs;
    const again = await publish({ outDir: out, models: models(3).reverse(), now: new Date("2026-11-02T00:00:00Z") });
    expect(again).toEqual({ status: "unchanged", version: first.version, models: 3, files: [] });
    expect(statSync(join(out, "v1", "index.json")).mtimeMs).toBe(mtime);
  });

  it("guards against a shrunken result and keeps the last good index", async () => {
    const out = dir();
    await publish({ outDir: out, models: models(10) });
    const before = readFileSync(join(out, "v1", "index.json"), "utf8");
    await expect(publish({ outDir: out, models: models(6) })).rejects.toThrow(PublishGuardError);
    expect(readFileSync(join(out, "v1", "index.json"), "utf8")).toBe(before);
    await expect(publish({ outDir: out, models: models(7) })).resolves.toMatchObject({ status: "written" });
  });

  it("diffs against and guards with an index written before a field became required of the writer", async () => {
    const out = dir();
    await publish({ outDir: out, models: models(10), now: new Date("2026-11-01T00:00:00Z") });
    // What the 1.1 pipeline wrote: no bandwidths, no speeds.
    const file = join(out, "v1", "index.json");
    const old = JSON.parse(readFileSync(file, "utf8"));
    old.profiles = old.profiles.map(({ bandwidthGBs, description, host, ...p }: Record<string, unknown>) => p);
    old.models = old.models.map((m: { fit: Record<string, unknown>[] }) => ({
      ...m,
      fit: m.fit.map(({ tokensPerSecond, offload, ...f }) => f),
    }));
    writeFileSync(file, JSON.stringify(old));
    await expect(publish({ outDir: out, models: models(6) })).rejects.toThrow(PublishGuardError);
    await publish({ outDir: out, models: models(10), now: new Date("2026-11-02T00:00:00Z") });
    const changelog = JSON.parse(readFileSync(join(out, "v1", "changelog.json"), "utf8"));
    expect(changelog.entries[0]).toMatchObject({ added: [], removed: [] });
    expect(changelog.entries[0].changed).toContainEqual({ id: "org/model-000", fields: ["fit"] });
  });

  it("refuses an index that fails validation", async () => {
    const out = dir();
    const bad = sampleModel({ tier: "1b-8b" }); // 494M parameters is not 1B–8B
    await expect(publish({ outDir: out, models: [bad] })).rejects.toThrow(/params\.total/);
  });

  it("keeps a bounded changelog, newest first", async () => {
    const out = dir();
    await publish({ outDir: out, models: models(3), now: new Date("2026-11-01T00:00:00Z") });
    const next = models(3).slice(1);
    next.push(sampleModel({ id: "org/new", downloads: 1 }));
    next[0] = { ...(next[0] as (typeof next)[0]), license: "mit", downloads: 5 };
    await publish({ outDir: out, models: next, now: new Date("2026-11-02T00:00:00Z") });
    const changelog = JSON.parse(readFileSync(join(out, "v1", "changelog.json"), "utf8"));
    expect(changelog.entries).toHaveLength(2);
    expect(changelog.entries[0]).toMatchObject({
      added: ["org/new"],
      removed: ["org/model-000"],
      changed: [{ id: "org/model-001", fields: ["license"] }],
    });
  });

  it("diffs ignore download and like counts", () => {
    const a = { ...sampleModel(), downloads: 1 };
    const b = { ...sampleModel(), downloads: 2, likes: 9 };
    const base = {
      schemaVersion: 1 as const,
      version: "2026-11-01.00000000",
      generatedAt: "2026-11-01T00:00:00.000Z",
      tiers: [],
      profiles: [],
    };
    expect(diffIndexes({ ...base, models: [a] }, { ...base, models: [b] }).changed).toEqual([]);
  });
});
