import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../test/hub-replay/catalogue.ts";
import { type HubReplay, startHubReplay } from "../test/hub-replay/server.ts";
import { discover } from "./discover.ts";
import { createHubClient } from "./hub/client.ts";

let hub: HubReplay;
beforeAll(async () => {
  hub = await startHubReplay({ catalogue: buildCatalogue() });
});
afterAll(async () => {
  await hub.close();
});

const options = {
  minDownloads: 100,
  pageSize: 25,
  maxPages: 20,
  searchTerms: ["mystery", "tinychat"],
  lineageBases: 3,
};

describe("discover", () => {
  it("merges its routes, deduped by id, in a stable order", async () => {
    const found = await discover(
      createHubClient({ endpoint: hub.url }),
      options,
      (m) => !m.tags?.some((t) => t.startsWith("base_model:")),
    );
    const ids = [...found.models.keys()];
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(found.routes).sort()).toEqual([
      "gguf",
      "lineage",
      "pipeline:image-text-to-text",
      "pipeline:text-generation",
      "search",
    ]);
    // Only the search route finds repos without parameter metadata.
    expect(ids).toContain("oldschool/mystery-chat-360M");
    expect(ids).toContain("oldschool/tinychat-0.5B");
    // GGUF repos have no pipeline tag; the gguf route finds them.
    expect(ids).toContain("ggml-org/gemma-3-1b-it-GGUF");
    expect(ids).toContain("google/gemma-3-4b-it");
  });

  it("follows the Link header across pages and stops at the popularity floor", async () => {
    const from = hub.requests.length;
    const found = await discover(
      createHubClient({ endpoint: hub.url }),
      { ...options, pageSize: 5, minDownloads: 500_000, searchTerms: [], lineageBases: 0 },
      () => false,
    );
    const pages = hub.requests.slice(from).filter((r) => r.path.startsWith("/api/models?"));
    expect(pages.some((r) => r.path.includes("cursor="))).toBe(true);
    expect([...found.models.values()].every((m) => (m.downloads ?? 0) >= 500_000)).toBe(true);
    // A page that dips below the floor is the last one asked for on that route.
    expect(pages.length).toBeLessThan(20);
  });
});
