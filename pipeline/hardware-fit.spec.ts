import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Fit, InstallTarget } from "../schema/index.ts";
import { PROFILES } from "../schema/profiles.ts";
import { decodeTokensPerSecond, FALLBACK_LAYERS, roundSpeed } from "../schema/speed.ts";
import { hardwareFit } from "./hardware-fit.ts";
import { estimateMemory, kvCacheBytes } from "./model-config/memory.ts";

const config = (name: string) =>
  JSON.parse(readFileSync(new URL(`test/fixtures/configs/${name}.json`, import.meta.url), "utf8"));

const target = (quant: string, fileBytes: number): InstallTarget => ({
  runtime: "ollama",
  ref: `hf.co/example/model-GGUF:${quant}`,
  quant,
  repo: "example/model-GGUF",
  file: `model-${quant}.gguf`,
  fileBytes,
  default: quant === "Q4_K_M",
});

const llama3b = config("meta-llama__Llama-3.2-3B");
const llama8b = config("meta-llama__Llama-3.1-8B");

function fitRow(quant: string, fileBytes: number, contextLength: number, model = llama8b, params = 8.03e9): Fit {
  const rows = hardwareFit({
    install: [target(quant, fileBytes)],
    params,
    contextLength: 131072,
    config: model,
    profiles: PROFILES,
  });
  const row = rows.find((r) => r.contextLength === contextLength);
  if (!row) throw new Error(`no row at ${contextLength}`);
  return row;
}

describe("hardwareFit speeds", () => {
  it("gives a speed for every profile that holds the quant, from the profile's bandwidth, at half the context", () => {
    const row = fitRow("Q4_K_M", 2_019_377_696, 4096, llama3b, 3.21e9);
    expect(Object.keys(row.tokensPerSecond ?? {}).sort()).toEqual(
      [...row.fits, ...Object.keys(row.offload ?? {})].sort(),
    );
    const model = {
      weightsBytes: 2_019_377_696,
      layers: 28,
      kvBytesPerToken: (kvCacheBytes(llama3b, 2048) ?? 0) / 2048,
    };
    for (const id of row.fits) {
      const p = PROFILES.find((x) => x.id === id);
      const kind = p?.kind === "unified" ? "apple" : (p?.kind as "cpu" | "gpu");
      const expected = decodeTokensPerSecond({
        model,
        depth: 2048,
        device: { kind, bandwidthGBs: p?.bandwidthGBs ?? 0 },
      });
      expect(row.tokensPerSecond?.[id]).toBe(roundSpeed(expected));
    }
  });

  it("puts an 8B Q4_K_M at tens of tokens/s on an 8 GB GPU, and under 8 on an 8 GB CPU-only machine", () => {
    const row = fitRow("Q4_K_M", 4_920_734_016, 4096);
    expect(row.tokensPerSecond?.["gpu-8gb"]).toBeGreaterThan(30);
    expect(row.tokensPerSecond?.["cpu-8gb"]).toBeLessThan(8);
  });

  it("runs a model too big for a GPU split with the host's RAM, slower than whole on a bigger GPU, faster than the CPU", () => {
    const row = fitRow("Q8_0", 8_540_770_880, 4096);
    expect(row.fits).not.toContain("gpu-4gb");
    expect(row.offload?.["gpu-4gb"]).toEqual({ gpuLayers: expect.any(Number), totalLayers: 32 });
    const gpuLayers = row.offload?.["gpu-4gb"]?.gpuLayers ?? 0;
    expect(gpuLayers).toBeGreaterThan(0);
    expect(gpuLayers).toBeLessThan(32);
    const speed = (id: string) => row.tokensPerSecond?.[id] ?? Number.NaN;
    expect(speed("gpu-4gb")).toBeGreaterThan(speed("cpu-16gb"));
    expect(speed("gpu-4gb")).toBeLessThan(speed("gpu-12gb") / 3);
    // The 6 GB card holds more layers, so it runs faster than the 4 GB one.
    expect(row.offload?.["gpu-6gb"]?.gpuLayers).toBeGreaterThan(gpuLayers);
    expect(speed("gpu-6gb")).toBeGreaterThan(speed("gpu-4gb"));
    // Never a split on a CPU or Apple profile, and never on one that holds the whole model.
    expect(Object.keys(row.offload ?? {}).every((id) => id.startsWith("gpu-") && !row.fits.includes(id))).toBe(true);
  });

  it("gives no split when the host's RAM cannot hold the rest either", () => {
    const row = fitRow("F16", 16_068_890_912, 32768);
    expect(row.offload?.["gpu-4gb"]).toBeUndefined();
    expect(row.tokensPerSecond?.["gpu-4gb"]).toBeUndefined();
  });

  it("reads only the active experts of a mixture-of-experts model", () => {
    const granite = config("ibm-granite__granite-3.1-1b-a400m-instruct");
    const args = { install: [target("Q4_K_M", 821_000_000)], contextLength: 4096, config: granite, profiles: PROFILES };
    const dense = hardwareFit({ ...args, params: 1.33e9 })[0];
    const moe = hardwareFit({ ...args, params: 1.33e9, activeParams: 0.43e9 })[0];
    expect(moe?.memoryBytes).toBe(dense?.memoryBytes); // all experts stay in memory
    expect(moe?.tokensPerSecond?.["cpu-8gb"]).toBeGreaterThan(2 * (dense?.tokensPerSecond?.["cpu-8gb"] ?? 0));
  });

  it("assumes the median layer count without config.json, and keeps two significant digits", () => {
    const rows = hardwareFit({
      install: [target("Q4_K_M", 2e9)],
      params: 3.2e9,
      contextLength: 8192,
      config: undefined,
      profiles: PROFILES,
    });
    const row = rows[0];
    expect(row?.basis).toBe("heuristic");
    const kv = estimateMemory({ fileBytes: 2e9, contextLength: 2048, params: 3.2e9 }).kvCacheBytes;
    const model = { weightsBytes: 2e9, layers: FALLBACK_LAYERS, kvBytesPerToken: kv / 2048 };
    const device = { kind: "gpu" as const, bandwidthGBs: 936 }; // gpu-24gb, where the per-layer cost weighs most
    expect(row?.tokensPerSecond?.["gpu-24gb"]).toBe(roundSpeed(decodeTokensPerSecond({ model, depth: 2048, device })));
    for (const tps of Object.values(row?.tokensPerSecond ?? {})) expect(roundSpeed(tps)).toBe(tps);
  });
});
