/** The site builds from an index made by a newer pipeline, leaving out only what it does not know. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { futureIndex } from "../../test/helpers/future-index.ts";
import { sharedSiteBuild } from "./build-site.ts";

describe("the site and a newer index", () => {
  it("builds a page for every entry it can read, and none for the one it cannot", async () => {
    const { outDir } = await sharedSiteBuild(futureIndex());
    expect(existsSync(join(outDir, "models", "Qwen", "Qwen2.5-0.5B-Instruct", "index.html"))).toBe(true);
    expect(existsSync(join(outDir, "models", "meta-llama", "Llama-3.2-3B-Instruct", "index.html"))).toBe(true);
    expect(existsSync(join(outDir, "models", "future", "unknown-source", "index.html"))).toBe(false);
  });
});
