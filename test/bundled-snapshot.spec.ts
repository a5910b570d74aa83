/**
 * The bundled snapshot is cut from data/ when the client is built: whatever data/ holds today (the
 * scheduled job rewrites it), the snapshot must have the right shape. Names are never checked here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readIndex } from "../schema/index.ts";

describe("the client's bundled snapshot", () => {
  it("is a readable index of a few installable, non-gated models per tier", () => {
    const raw = JSON.parse(readFileSync(new URL("../client/bundled/index.json", import.meta.url), "utf8"));
    const { index, warnings } = readIndex(raw, "the bundled snapshot");
    expect(warnings).toEqual([]);
    expect(index.models.length).toBeGreaterThan(0);
    for (const tier of index.tiers)
      expect(index.models.filter((m) => m.tier === tier.id).length).toBeLessThanOrEqual(6);
    for (const m of index.models) {
      expect(m.install.length, m.id).toBeGreaterThan(0);
      expect(m.gated, m.id).toBe(false);
      expect(
        m.install.filter((t) => t.default),
        m.id,
      ).toHaveLength(1);
    }
  });
});
