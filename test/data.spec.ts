/** The committed data/ is a valid, current publication (the site and client build from it). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ChangelogSchema, parseIndex, parseWith } from "../schema/index.ts";

const read = (path: string) => readFileSync(new URL(`../data/v1/${path}`, import.meta.url), "utf8");

describe("data/v1", () => {
  it("holds an index that passes the schema", () => {
    const index = parseIndex(JSON.parse(read("index.json")));
    expect(index.models.length).toBeGreaterThan(50);
    expect(new Set(index.models.map((m) => m.tier))).toEqual(new Set(["sub-1b", "1b-8b"]));
  });

  it("publishes the current JSON Schema and a valid changelog", () => {
    expect(read("index.schema.json")).toBe(
      readFileSync(new URL("../schema/index.schema.json", import.meta.url), "utf8"),
    );
    expect(() => parseWith(ChangelogSchema, JSON.parse(read("changelog.json")), "changelog")).not.toThrow();
  });
});
