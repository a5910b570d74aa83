import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { futureIndex } from "../../test/helpers/future-index.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { parseIndex, readIndex, SchemaValidationError } from "../index.ts";

describe("readIndex, the tolerant reader", () => {
  it("reads a valid index as the writer wrote it, with no warnings", () => {
    const index = sampleIndex();
    const read = readIndex(structuredClone(index));
    expect(read.index).toEqual(index);
    expect(read.warnings).toEqual([]);
  });

  it("drops only what carries a value it does not know, keeps unknown fields, and says so", () => {
    const future = futureIndex();
    expect(() => parseIndex(future)).toThrow(SchemaValidationError); // the writer would never publish it
    const { index, warnings } = readIndex(future);
    const ids = index.models.map((m) => m.id);
    expect(ids).not.toContain("future/unknown-source");
    expect(ids).toContain("Qwen/Qwen2.5-0.5B-Instruct");
    expect(ids).toContain("meta-llama/Llama-3.2-3B-Instruct");
    const qwen = index.models.find((m) => m.id === "Qwen/Qwen2.5-0.5B-Instruct");
    expect(qwen?.install.map((t) => t.runtime)).toEqual(["ollama", "ollama"]);
    expect(qwen?.fit.map((f) => f.quant)).toEqual(["Q4_K_M"]);
    expect((index as unknown as Record<string, unknown>).mirrors).toEqual(["https://example.org/v1/index.json"]);
    expect((qwen as unknown as Record<string, unknown>).benchmarks).toEqual({ mmlu: 0.47 });
    expect(warnings.join("\n")).toContain('install target for runtime "llamacpp"');
    expect(warnings.join("\n")).toContain('entry with params.source "benchmark"');
    expect(warnings.join("\n")).toContain('fit row with basis "measured"');
  });

  it("gives an entry whose default target was dropped a default again", () => {
    const model = sampleModel();
    const install = [
      { ...model.install[0], runtime: "llamacpp", default: true },
      { ...model.install[1], default: false },
    ];
    const { index } = readIndex(sampleIndex([{ ...model, install, fit: [] } as never]));
    expect(index.models[0]?.install).toEqual([expect.objectContaining({ quant: "Q8_0", default: true })]);
  });

  it("reads an index of 1.1, without bandwidths, speeds or partial offload, with no warnings", () => {
    const index = sampleIndex();
    const old = {
      ...index,
      profiles: index.profiles.map(({ bandwidthGBs, description, host, ...p }) => p),
      models: index.models.map((m) => ({ ...m, fit: m.fit.map(({ tokensPerSecond, offload, ...f }) => f) })),
    };
    const read = readIndex(structuredClone(old));
    expect(read.warnings).toEqual([]);
    expect(read.index.models[0]?.fit[0]?.tokensPerSecond).toBeUndefined();
  });

  it("drops the speeds and splits of a profile it drops, with the profile", () => {
    const index = sampleIndex();
    const profiles = [...index.profiles, { ...index.profiles[0], id: "npu-16gb", kind: "npu" }];
    const model = sampleModel();
    const fit = model.fit.map((f) => ({
      ...f,
      fits: [...f.fits, "npu-16gb"],
      tokensPerSecond: { ...f.tokensPerSecond, "npu-16gb": 30 },
      offload: { "npu-16gb": { gpuLayers: 3, totalLayers: 24 } },
    }));
    const read = readIndex({ ...index, profiles, models: [{ ...model, fit }] });
    const row = read.index.models[0]?.fit[0];
    expect(row?.fits).toEqual(["cpu-8gb", "gpu-4gb"]);
    expect(row?.tokensPerSecond).toEqual({ "cpu-8gb": 77, "gpu-4gb": 220 });
    expect(row?.offload).toEqual({});
    expect(read.warnings.join("\n")).toContain('profile kind "npu"');
  });

  it("still rejects what is malformed rather than new", () => {
    const hostile = sampleModel();
    const install = hostile.install.map((t, i) => (i === 0 ? { ...t, ref: "hf.co/a/$(id):Q4_K_M" } : t));
    expect(() => readIndex(sampleIndex([{ ...hostile, install }]))).toThrow(/models\[0\]\.install\[0\]\.ref/);
    expect(() => readIndex({ ...sampleIndex(), schemaVersion: 2 })).toThrow(
      /schemaVersion: v2 is newer than this small-llm reads \(v1\): update small-llm/,
    );
    expect(() => readIndex(sampleIndex([sampleModel({ downloads: -1 })]))).toThrow(/downloads/);
  });

  it("the published JSON Schema accepts the newer index too, as a non-TypeScript reader would", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL("../index.schema.json", import.meta.url), "utf8")));
    expect(validate(futureIndex()), JSON.stringify(validate.errors)).toBe(true);
  });
});
