import { describe, expect, it } from "vitest";
import { Decisions, formatReport, newReport } from "./run-report.ts";

describe("formatReport", () => {
  it("names the first skipped repos, then a count", () => {
    const r = newReport("/out");
    r.skipped = ["a/1", "b/2", "c/3", "d/4", "e/5"].map((id) => ({ id, what: "config.json", reason: "gated" }));
    const line = formatReport(r)
      .split("\n")
      .find((l) => l.startsWith("skipped:"));
    expect(line).toBe(
      "skipped:    5 repo requests — a/1 (config.json: gated), b/2 (config.json: gated), c/3 (config.json: gated) and 2 more (--json lists them all)",
    );
  });

  it("says that route counts overlap and how many only one route found", () => {
    const r = newReport("/out");
    r.candidates = 3;
    r.routes = { gguf: { listed: 2, only: 1 }, search: { listed: 2, only: 1 } };
    expect(formatReport(r)).toContain(
      "candidates: 3 distinct repos; listed per route, overlapping: gguf 2 (1 only there), search 2 (1 only there)",
    );
  });
});

describe("Decisions", () => {
  it("keeps the last decision per repo, with its counts, as sorted JSON lines", () => {
    const r = newReport("/out");
    const d = new Decisions(r, (id) => (id === "b/x" ? ["search"] : []));
    d.drop("b/x", "out-of-tier");
    d.fold("a/x-GGUF", "b/x", "quantized");
    d.entry("b/x", "sub-1b");
    expect(r.dropped).toEqual({});
    expect(r.folded).toEqual({ quantized: 1 });
    expect(d.toJsonl()).toBe(
      '{"id":"a/x-GGUF","routes":[],"decision":"folded","into":"b/x","relation":"quantized"}\n' +
        '{"id":"b/x","routes":["search"],"decision":"entry","tier":"sub-1b"}\n',
    );
  });

  it("says why each entry was kept and what folded each copy (issue 22)", () => {
    const d = new Decisions(newReport("/out"));
    d.entry("a/x", "sub-1b", { reason: "guard", detail: "a generative safety guard" });
    d.fold("b/x", "a/x", "reupload", "a mirror of a/x: named one letter apart, the same parameter count");
    const lines = d
      .toJsonl()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        id: "a/x",
        routes: [],
        decision: "entry",
        tier: "sub-1b",
        reason: "guard",
        detail: "a generative safety guard",
      },
      {
        id: "b/x",
        routes: [],
        decision: "folded",
        into: "a/x",
        relation: "reupload",
        detail: "a mirror of a/x: named one letter apart, the same parameter count",
      },
    ]);
  });
});
