import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../test/hub-replay/catalogue.ts";
import { type HubReplay, startHubReplay } from "../test/hub-replay/server.ts";
import { discover, discoverFineTunes } from "./discover.ts";
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
    const client = createHubClient({ endpoint: hub.url });
    const found = await discover(client, options);
    const bases = [...found.models.values()].filter((m) => !m.tags?.some((t) => t.startsWith("base_model:")));
    const added = await discoverFineTunes(client, options, bases, found);
    expect(added.every((m) => !bases.includes(m))).toBe(true);
    expect(found.listed.lineage).toBeGreaterThan(0);
    const ids = [...found.models.keys()];
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(found.listed).sort()).toEqual([
      "gguf",
      "lineage",
      "pipeline:any-to-any",
      "pipeline:audio-text-to-text",
      "pipeline:image-text-to-text",
      "pipeline:text-generation",
      "pipeline:video-text-to-text",
      "popular",
      "popular-any",
      "popular-multimodal",
      "search",
    ]);
    expect([...(found.routesOf.get("ggml-org/gemma-3-1b-it-GGUF") ?? [])]).toContain("gguf");
    // Only the search and popular routes find repos without parameter metadata.
    expect(ids).toContain("oldschool/mystery-chat-360M");
    expect(ids).toContain("oldschool/tinychat-0.5B");
    // GGUF repos have no pipeline tag; the gguf route finds them.
    expect(ids).toContain("ggml-org/gemma-3-1b-it-GGUF");
    expect(ids).toContain("google/gemma-3-4b-it");
    // A vision chat model with no parameter metadata: only the multimodal lists without a size filter find it.
    expect([...(found.routesOf.get("liuhaotian/llava-v1.5-7b") ?? [])]).toEqual(["popular-multimodal"]);
  });

  it("follows the Link header across pages and stops at the popularity floor", async () => {
    const from = hub.requests.length;
    const found = await discover(createHubClient({ endpoint: hub.url }), {
      ...options,
      pageSize: 5,
      minDownloads: 500_000,
      searchTerms: [],
      lineageBases: 0,
    });
    const pages = hub.requests.slice(from).filter((r) => r.path.startsWith("/api/models?"));
    expect(pages.some((r) => r.path.includes("cursor="))).toBe(true);
    expect([...found.models.values()].every((m) => (m.downloads ?? 0) >= 500_000)).toBe(true);
    // A page that dips below the floor is the last one asked for on that route.
    // 19 routes; paging every one of them to its end at 5 a page would take well over 100 pages.
    expect(pages.length).toBeLessThan(40);
  });
});
