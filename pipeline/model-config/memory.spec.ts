import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateMemory, graphBytes, kvCacheBytes } from "./memory.ts";

const config = (name: string) =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/configs/${name}.json`, import.meta.url), "utf8"));
const MiB = 1024 ** 2;

describe("kvCacheBytes at 4096 tokens, f16", () => {
  // Exact figures from ../shared/reference/landscape.md §2.7 B.
  it.each([
    ["meta-llama__Llama-3.1-8B", 512],
    ["meta-llama__Llama-3.2-1B-Instruct", 128],
    ["Qwen__Qwen3-0.6B", 448], // head_dim 128 ≠ hidden/heads 64
    ["Qwen__Qwen2.5-0.5B-Instruct", 48],
  ])("%s → %d MiB", (name, mib) => {
    expect(kvCacheBytes(config(name), 4096)).toBe(mib * MiB);
  });

  it("bounds gemma-3 sliding-window layers by their window plus a batch (5 local : 1 global)", () => {
    // 26 layers: 4 global (every 6th) hold 4096 tokens, 22 local hold 512 + 512 cells (llama.cpp's
    // GGML_PAD(min(n_ctx, n_swa + n_ubatch), 256)); 1 kv head × 256 dims.
    const perToken = 2 * 1 * 256 * 2;
    expect(kvCacheBytes(config("google__gemma-3-1b-it"), 4096)).toBe(perToken * (4 * 4096 + 22 * 1024));
    expect(kvCacheBytes(config("google__gemma-3-1b-it"), 512)).toBe(perToken * 26 * 512);
  });

  it("bounds gemma-2 alternating sliding layers only past the window", () => {
    const c = config("google__gemma-2-2b-it");
    const perToken = 2 * 4 * 256 * 2;
    expect(kvCacheBytes(c, 4096)).toBe(perToken * 26 * 4096);
    expect(kvCacheBytes(c, 8192)).toBe(perToken * (13 * (4096 + 512) + 13 * 8192));
  });
});

describe("estimateMemory", () => {
  it("adds weights, KV, Ollama's graph estimate and the runtime footprint", () => {
    const c = config("meta-llama__Llama-3.1-8B");
    const fileBytes = 4_920_739_168; // Q4_K_M
    const estimate = estimateMemory({ fileBytes, contextLength: 4096, params: 8_030_261_248, config: c });
    expect(estimate.basis).toBe("config");
    expect(estimate.memoryBytes).toBe(fileBytes + 512 * MiB + (graphBytes(c, 4096) ?? 0) + 250 * MiB);
    // Peers put this between 5.4 and 6.6 GB (landscape.md §2.7 A).
    expect(estimate.memoryBytes / 1e9).toBeGreaterThan(5.4);
    expect(estimate.memoryBytes / 1e9).toBeLessThan(6.6);
  });

  it("charges the logits buffer that dominates small large-vocabulary models", () => {
    const c = config("Qwen__Qwen2.5-0.5B-Instruct");
    expect(graphBytes(c, 4096)).toBe(4 * 512 * (2 * 896 + 151936));
    // With flash attention no context × heads scores exist: 32,768 tokens cost no more here.
    expect(graphBytes(c, 32768)).toBe(graphBytes(c, 4096));
  });

  it("grows the graph with the context only through the attention mask when activations dominate", () => {
    const c = config("mistralai__Mistral-7B-v0.3"); // 32K vocab: the feed-forward activations are larger
    const at4k = 4 * 512 * (3 * 14336 + 4 * 4096) + 2 * 512 * 4096;
    expect(graphBytes(c, 4096)).toBe(at4k);
    expect((graphBytes(c, 32768) ?? 0) - at4k).toBe(2 * 512 * (32768 - 4096));
  });

  it("keeps Ollama's score-matrix formula where flash attention cannot run (soft-capped Gemma 2)", () => {
    const c = config("google__gemma-2-2b-it");
    expect(graphBytes(c, 32768)).toBe(4 * 512 * (1 + 4 * 2304 + 32768 * (1 + 8)));
  });

  it("falls back to a flagged heuristic without a config", () => {
    const estimate = estimateMemory({ fileBytes: 1e9, contextLength: 4096, params: 1.2e9 });
    expect(estimate.basis).toBe("heuristic");
    expect(estimate.memoryBytes).toBeGreaterThan(1e9 + 4096 * 112 * 1024);
  });
});
