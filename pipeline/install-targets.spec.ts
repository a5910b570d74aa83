import { describe, expect, it } from "vitest";
import { rankGgufRepos } from "./gguf-repos.ts";
import { defaultQuant, installTargets, mergeTargets, quantFiles } from "./install-targets.ts";

const sha = (c: string) => c.repeat(64);

describe("quantFiles", () => {
  it("parses labels with the Hub's rules, in any case, skipping projectors", () => {
    const files = [
      { path: "README.md", size: 1 },
      { path: "tinyllama-1.1b-chat-v1.0.q4_k_m.gguf", size: 100, sha256: sha("a") },
      { path: "Qwen3-4B-UD-Q2_K_XL.gguf", size: 50 },
      { path: "mmproj-model-f16.gguf", size: 900 },
      { path: "model-IQ4_XS.gguf", size: 80 },
    ];
    expect(
      quantFiles(files)
        .map((q) => q.quant)
        .sort(),
    ).toEqual(["IQ4_XS", "Q4_K_M", "UD-Q2_K_XL"]);
  });

  it("sums split files and marks them", () => {
    const files = [
      { path: "m-F16-00001-of-00002.gguf", size: 10, sha256: sha("b") },
      { path: "m-F16-00002-of-00002.gguf", size: 7, sha256: sha("c") },
    ];
    expect(quantFiles(files)).toEqual([
      { quant: "F16", bytes: 17, sha256: sha("b"), shards: 2, path: "m-F16|F16", file: "m-F16-00001-of-00002.gguf" },
    ]);
  });
});

describe("installTargets", () => {
  it("makes hf.co refs with exact sizes, defaults to Q4_K_M, leaves sharded quants out", () => {
    const targets = installTargets("Qwen/Qwen2.5-7B-Instruct-GGUF", [
      { path: "qwen-q8_0.gguf", size: 8, sha256: sha("d") },
      { path: "qwen-q4_k_m.gguf", size: 4 },
      { path: "qwen-f16-00001-of-00002.gguf", size: 9 },
      { path: "qwen-f16-00002-of-00002.gguf", size: 9 },
    ]);
    expect(targets).toEqual([
      {
        runtime: "ollama",
        ref: "hf.co/Qwen/Qwen2.5-7B-Instruct-GGUF:Q8_0",
        repo: "Qwen/Qwen2.5-7B-Instruct-GGUF",
        file: "qwen-q8_0.gguf",
        quant: "Q8_0",
        fileBytes: 8,
        sha256: sha("d"),
        default: false,
      },
      {
        runtime: "ollama",
        ref: "hf.co/Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M",
        repo: "Qwen/Qwen2.5-7B-Instruct-GGUF",
        file: "qwen-q4_k_m.gguf",
        quant: "Q4_K_M",
        fileBytes: 4,
        default: true,
      },
    ]);
  });

  it("falls back to the nearest smaller quant, then the smallest larger one", () => {
    expect(defaultQuant(["Q8_0", "Q3_K_M", "F16"])).toBe("Q3_K_M");
    expect(defaultQuant(["Q8_0", "F16"])).toBe("Q8_0");
  });
});

describe("rankGgufRepos", () => {
  it("prefers the base author's own repo, then downloads; skips unpullable ones", () => {
    const ranked = rankGgufRepos("Qwen", [
      { id: "bartowski/X-GGUF", author: "bartowski", downloads: 900, gated: false },
      { id: "Qwen/X-GGUF", author: "Qwen", downloads: 10, gated: false },
      { id: "dotted.org/X-GGUF", author: "dotted.org", downloads: 99_999, gated: false },
      { id: "locked/X-GGUF", author: "locked", downloads: 99_999, gated: true },
      { id: "unsloth/X-GGUF", author: "unsloth", downloads: 1000, gated: false },
    ]);
    expect(ranked.map((r) => r.id)).toEqual(["Qwen/X-GGUF", "unsloth/X-GGUF", "bartowski/X-GGUF"]);
  });
});

describe("mergeTargets and quantFiles across repos", () => {
  const t = (repo: string, quant: string) => installTargets(repo, [{ path: `m-${quant}.gguf`, size: 1 }])[0] as never;
  it("takes each quant from the best-ranked repo, and Q4_K_M over an author's Q8-only repo", () => {
    const merged = mergeTargets([
      [t("Qwen/X-GGUF", "Q8_0")],
      [t("unsloth/X-GGUF", "Q4_K_M"), t("unsloth/X-GGUF", "Q8_0")],
    ]);
    expect(merged.map((x: { ref: string; default: boolean }) => [x.ref, x.default])).toEqual([
      ["hf.co/Qwen/X-GGUF:Q8_0", false],
      ["hf.co/unsloth/X-GGUF:Q4_K_M", true],
    ]);
  });

  it("offers the single file when a repo holds both split and single copies of a quant", () => {
    const targets = installTargets("a/X-GGUF", [
      { path: "X-Q4_K_M-00001-of-00002.gguf", size: 5 },
      { path: "X-Q4_K_M-00002-of-00002.gguf", size: 5 },
      { path: "X-Q4_K_M.gguf", size: 9 },
      { path: "X-Q3_K_M.gguf", size: 7 },
    ]);
    expect(targets.find((x) => x.default)).toMatchObject({ quant: "Q4_K_M", file: "X-Q4_K_M.gguf", fileBytes: 9 });
  });
});
