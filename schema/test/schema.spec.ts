import { describe, expect, it } from "vitest";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { HUB_REPO_ID, type Index, parseIndex, SchemaValidationError } from "../index.ts";
import { PROFILES, usableBytes } from "../profiles.ts";
import { TIERS, tierFor } from "../tiers.ts";

function rejection(index: unknown): SchemaValidationError {
  try {
    parseIndex(index);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaValidationError);
    return error as SchemaValidationError;
  }
  throw new Error("expected the index to be rejected");
}

function withModel(patch: Record<string, unknown>): Index {
  return sampleIndex([{ ...sampleModel(), ...patch } as never]);
}

describe("index schema", () => {
  it("accepts a valid index and keeps its content", () => {
    const index = sampleIndex();
    expect(parseIndex(structuredClone(index))).toEqual(index);
  });

  it("ignores fields it does not know, so newer minor additions still parse", () => {
    const index = { ...sampleIndex(), futureField: 1 };
    expect(() => parseIndex(index)).not.toThrow();
  });

  it("takes the repo ids the Hub takes: `_` at either end, `.` and `-` inside (huggingface_hub's REPO_ID_REGEX)", () => {
    for (const id of ["user/model_", "_user/model", "Org/Model.v2_1", "a-b/c-d"])
      expect(HUB_REPO_ID.test(id), id).toBe(true);
    for (const id of ["user/-model", "user/model.", "user/a--b", ".user/x"])
      expect(HUB_REPO_ID.test(id), id).toBe(false);
  });

  it.each([
    ["a repo id with a space", { id: "Qwen/Qwen 2.5" }, "models[0].id"],
    ["a repo id with a `;`", { id: "Qwen/x;rm -rf" }, "models[0].id"],
    ["a repo id with `..`", { id: "Qwen/a..b" }, "models[0].id"],
    ["a repo id without owner", { id: "Qwen2.5" }, "models[0].id"],
    ["negative params", { params: { total: -5, source: "safetensors" } }, "models[0].params.total"],
    ["fractional params", { params: { total: 1.5, source: "safetensors" } }, "models[0].params.total"],
    ["unknown params source", { params: { total: 5, source: "guess" } }, "models[0].params.source"],
    ["an unknown tier", { tier: "9b-plus" }, "models[0].tier"],
    ["params outside the tier", { tier: "1b-8b" }, "models[0].params.total"],
    ["negative downloads", { downloads: -1 }, "models[0].downloads"],
    ["a name with a newline", { name: "a\nb" }, "models[0].name"],
  ])("rejects %s, naming the field", (_what, patch, field) => {
    const error = rejection(withModel(patch));
    expect(error.issues.map((i) => i.path)).toContain(field);
    expect(error.message).toContain(field);
  });

  it.each([
    ["`../` in a ref", "hf.co/../etc/passwd:Q4_K_M"],
    ["`;` in a ref", "hf.co/a/b:Q4_K_M;rm"],
    ["a space in a ref", "hf.co/a/b c:Q4_K_M"],
    ["`$(` in a ref", "hf.co/a/$(id):Q4_K_M"],
    ["`<script>` in a ref", "hf.co/a/<script>:Q4_K_M"],
    ["a dotted namespace", "hf.co/a.b/c:Q4_K_M"],
  ])("rejects %s", (_what, ref) => {
    const model = sampleModel();
    const install = model.install.map((t, i) => (i === 0 ? { ...t, ref } : t));
    const error = rejection(withModel({ install }));
    expect(error.message).toContain("models[0].install[0].ref");
  });

  it("rejects a quant label with shell characters", () => {
    const model = sampleModel();
    const install = model.install.map((t, i) => (i === 0 ? { ...t, quant: "Q4`id`" } : t));
    expect(rejection(withModel({ install })).message).toContain("models[0].install[0].quant");
  });

  it("rejects a fit that names a profile that does not exist", () => {
    const fit = [{ quant: "Q4_K_M", contextLength: 4096, memoryBytes: 1, fits: ["gpu-3gb"] }];
    const error = rejection(withModel({ fit }));
    expect(error.message).toContain("models[0].fit[0].fits[0]");
    expect(error.message).toContain('unknown profile "gpu-3gb"');
  });

  it("rejects a fit for a quant that has no install target", () => {
    const fit = [{ quant: "Q2_K", contextLength: 4096, memoryBytes: 1, fits: [] }];
    expect(rejection(withModel({ fit })).message).toContain("models[0].fit[0].quant");
  });

  it("requires exactly one default install target", () => {
    const install = sampleModel().install.map((t) => ({ ...t, default: true }));
    expect(rejection(withModel({ install })).message).toContain("exactly one default");
  });

  it("rejects duplicate model ids", () => {
    const error = rejection(sampleIndex([sampleModel(), sampleModel()]));
    expect(error.message).toContain("duplicate model id");
  });

  it("rejects a bad version string and a wrong schema version", () => {
    expect(rejection({ ...sampleIndex(), version: "latest" }).message).toContain("version");
    expect(rejection({ ...sampleIndex(), schemaVersion: 2 }).message).toContain("schemaVersion");
  });
});

describe("speeds and partial offload (added in 1.2)", () => {
  const split = {
    quant: "Q4_K_M",
    contextLength: 32768,
    memoryBytes: Math.round(7.2 * 1024 ** 3),
    fits: ["cpu-16gb", "gpu-8gb"],
    tokensPerSecond: { "cpu-16gb": 7.3, "gpu-8gb": 44, "gpu-4gb": 8.6 },
    offload: { "gpu-4gb": { gpuLayers: 6, totalLayers: 28 } },
  };
  const withFit = (patch: Record<string, unknown>) => withModel({ fit: [{ ...split, ...patch }] });

  it("accepts a quant that runs split between a GPU and system RAM, with its speed", () => {
    expect(() => parseIndex(withFit({}))).not.toThrow();
  });

  it("requires a speed for every profile that runs the quant, and none for the others", () => {
    expect(rejection(withFit({ tokensPerSecond: undefined })).message).toContain("needs `tokensPerSecond`");
    const missing = rejection(withFit({ tokensPerSecond: { "cpu-16gb": 7.3, "gpu-8gb": 44 } }));
    expect(missing.message).toContain('no speed for "gpu-4gb"');
    const extra = rejection(withFit({ tokensPerSecond: { ...split.tokensPerSecond, "apple-8gb": 20 } }));
    expect(extra.message).toContain('a speed for "apple-8gb", where the quant does not run');
    expect(rejection(withFit({ tokensPerSecond: { ...split.tokensPerSecond, "gpu-8gb": 0 } })).message).toContain(
      "tokensPerSecond",
    );
  });

  it("rejects a split on a profile that is not a GPU, that holds the whole model, or with no layer in VRAM", () => {
    const offload = (o: Record<string, unknown>) => rejection(withFit({ offload: o })).message;
    expect(offload({ ...split.offload, "cpu-8gb": { gpuLayers: 6, totalLayers: 28 } })).toContain(
      '"cpu-8gb" is not a GPU profile',
    );
    expect(offload({ ...split.offload, "gpu-8gb": { gpuLayers: 6, totalLayers: 28 } })).toContain(
      '"gpu-8gb" holds the whole model',
    );
    expect(offload({ "gpu-4gb": { gpuLayers: 0, totalLayers: 28 } })).toContain("at least one layer");
    expect(offload({ "gpu-4gb": { gpuLayers: 28, totalLayers: 28 } })).toContain("at least one layer");
  });

  it("requires every profile's bandwidth and its source, and a GPU's host RAM", () => {
    const [cpu, gpu, ...rest] = sampleIndex().profiles.filter((p) => p.id === "cpu-8gb" || p.id === "gpu-4gb");
    expect(rest).toEqual([]);
    const profiles = sampleIndex().profiles.map((p) =>
      p.id === cpu?.id ? { ...p, bandwidthGBs: undefined } : p.id === gpu?.id ? { ...p, host: undefined } : p,
    );
    const message = rejection({ ...sampleIndex(), profiles }).message;
    expect(message).toContain("needs `bandwidthGBs`");
    expect(message).toContain("`host` RAM");
  });
});

describe("tiers", () => {
  it.each([
    [135_000_000, "sub-1b"],
    [999_999_999, "sub-1b"],
    [1_000_000_000, "1b-8b"],
    [8_030_261_248, "1b-8b"], // Llama-3.1-8B
    [8_190_735_360, "1b-8b"], // Qwen3-8B
    [8_537_680_896, "1b-8b"], // gemma-7b
    [9_241_705_984, undefined], // gemma-2-9b
  ])("%d parameters → %s", (total, tier) => {
    expect(tierFor(total)?.id).toBe(tier);
  });

  it("leave no gap between tiers", () => {
    for (let i = 1; i < TIERS.length; i++) {
      expect(TIERS[i]?.minParams).toBe((TIERS[i - 1]?.maxParams ?? 0) + 1);
    }
  });
});

describe("profiles", () => {
  it("cover CPU, GPU and Apple Silicon with usable memory below nominal", () => {
    expect(PROFILES.map((p) => p.id)).toEqual([
      "cpu-8gb",
      "cpu-16gb",
      "cpu-32gb",
      "gpu-4gb",
      "gpu-6gb",
      "gpu-8gb",
      "gpu-12gb",
      "gpu-16gb",
      "gpu-24gb",
      "apple-8gb",
      "apple-16gb",
      "apple-24gb",
      "apple-36gb",
    ]);
    for (const p of PROFILES) {
      expect(p.usableBytes).toBeGreaterThan(0);
      expect(p.usableBytes).toBeLessThan(p.memoryBytes);
    }
  });

  it("state their bandwidth and, in their description, the device it comes from", () => {
    for (const p of PROFILES) {
      expect(p.bandwidthGBs).toBeGreaterThan(10);
      expect(p.description).toContain(`${p.bandwidthGBs} GB/s`);
      expect(p.description).toMatch(/DDR4|GeForce|Apple M/);
    }
  });

  it("give every GPU the system RAM its spilled layers run from, by the same usable-memory rule as a CPU", () => {
    for (const p of PROFILES.filter((p) => p.kind === "gpu")) {
      expect(p.host).toEqual({
        memoryBytes: 16 * 1024 ** 3,
        usableBytes: usableBytes("cpu", 16 * 1024 ** 3),
        bandwidthGBs: 51.2,
      });
    }
    expect(PROFILES.filter((p) => p.kind !== "gpu" && p.host !== undefined)).toEqual([]);
  });
});
