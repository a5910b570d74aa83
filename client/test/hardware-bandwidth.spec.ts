/**
 * This machine's memory bandwidth: the tables by chip name, the order (stated → table → measured →
 * default), the cached measurement, and the measurement itself — whose value on this shared machine
 * is never asserted, only that it runs and reports a sane figure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ramBandwidth, statedBandwidth } from "../src/hardware/bandwidth.ts";
import { appleBandwidth, gpuBandwidth, systemRamBandwidth } from "../src/hardware/bandwidth-table.ts";
import { detectHardware, type Exec, type Hardware } from "../src/hardware/detect-hardware.ts";
import { cachedBandwidth, MEASUREMENT_REUSE_MS, measureBandwidth } from "../src/hardware/measure-bandwidth.ts";

const GiB = 1024 ** 3;
const dir = mkdtempSync(join(tmpdir(), "sli-bw-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bandwidth tables", () => {
  it("Apple chips, binned Max chips by GPU cores", () => {
    expect(appleBandwidth("Apple M1")).toEqual({ gbs: 68.25, basis: "Apple M1" });
    expect(appleBandwidth("Apple M2 Pro")?.gbs).toBe(200);
    expect(appleBandwidth("Apple M4 Pro")?.gbs).toBe(273);
    expect(appleBandwidth("Apple M3 Max", 30)?.gbs).toBe(300);
    expect(appleBandwidth("Apple M3 Max", 40)?.gbs).toBe(400);
    expect(appleBandwidth("Apple M4 Max")).toMatchObject({ gbs: 410, basis: expect.stringMatching(/slower bin/) });
    expect(appleBandwidth("Apple M9")).toBeUndefined();
    expect(appleBandwidth("Intel(R) Core(TM) i7")).toBeUndefined();
  });

  it("GeForce and Radeon cards by name: the longest name wins, VRAM tells twins apart, laptops are not guessed", () => {
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 4070 Ti SUPER")?.gbs).toBe(672);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 4070 Ti")?.gbs).toBe(504);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 4060 Ti")?.gbs).toBe(288);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 3060", 12 * GiB)?.gbs).toBe(360);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 3060", 8 * GiB)?.gbs).toBe(240);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 3050", 6 * GiB)?.gbs).toBe(168);
    expect(gpuBandwidth("nvidia", "NVIDIA GeForce RTX 4090 Laptop GPU")).toBeUndefined();
    expect(gpuBandwidth("amd", "Radeon RX 7900 XTX")?.gbs).toBe(960);
    expect(gpuBandwidth("amd", "AMD Radeon RX 7900 XT")?.gbs).toBe(800);
    expect(gpuBandwidth("nvidia", "Tesla T4")).toBeUndefined();
  });

  it("soldered RAM by name; a socketed CPU's name settles nothing", () => {
    expect(systemRamBandwidth("AMD RYZEN AI MAX+ 395 w/ Radeon 8060S")?.gbs).toBe(256);
    expect(systemRamBandwidth(null, "Raspberry Pi 5 Model B Rev 1.0")?.gbs).toBe(17.1);
    expect(systemRamBandwidth("Intel(R) Core(TM) i7-12700K")).toBeUndefined();
  });
});

const cpuOnly: Pick<Hardware, "cpu" | "ram" | "gpus"> = {
  cpu: { model: "Intel(R) Xeon(R) test", cores: 2 },
  ram: { totalBytes: 8 * GiB, availableBytes: 4 * GiB },
  gpus: [],
};

describe("which figure: stated, table, measured, default", () => {
  it("SMALL_LLM_MEMORY_BANDWIDTH wins; a malformed one is ignored", async () => {
    expect(statedBandwidth({ SMALL_LLM_MEMORY_BANDWIDTH: "96" })).toMatchObject({ gbs: 96, source: "stated" });
    expect(statedBandwidth({ SMALL_LLM_MEMORY_BANDWIDTH: "fast" })).toBeUndefined();
    const measure = async () => ({ gbs: 1, threads: 1, measuredAt: new Date().toISOString() });
    expect(await ramBandwidth(cpuOnly, { env: { SMALL_LLM_MEMORY_BANDWIDTH: "96" }, measure })).toMatchObject({
      gbs: 96,
      source: "stated",
    });
  });

  it("measures a CPU-only machine's RAM (once: the result is kept), and falls back to the stated default", async () => {
    let runs = 0;
    const measure = async () => {
      runs++;
      return { gbs: 21.5, threads: 2, measuredAt: new Date().toISOString() };
    };
    const cacheFile = join(dir, "bw.json");
    const options = { env: {}, measure, cacheFile, board: null };
    expect(await ramBandwidth(cpuOnly, options)).toMatchObject({ gbs: 21.5, source: "measured" });
    expect(await ramBandwidth(cpuOnly, options)).toMatchObject({ gbs: 21.5, source: "measured" });
    expect(runs).toBe(1);
    // Another machine (another key) measures again; a failed measurement leaves the default, scaled to 2 cores.
    const other = { ...cpuOnly, cpu: { model: "other", cores: 2 } };
    expect(
      await ramBandwidth(other, { ...options, cacheFile: join(dir, "none.json"), measure: async () => undefined }),
    ).toMatchObject({ gbs: 25.6, source: "default" });
  });

  it("a machine with a GPU does not measure its RAM; a known GPU comes from the table, an unknown one from its size", async () => {
    const exec: Exec = async (file) =>
      file === "nvidia-smi" ? "NVIDIA GeForce RTX 4060, 8188, 7000\nNVIDIA Tesla T4, 15360, 15000\n" : undefined;
    const hw = await detectHardware(exec, {
      env: {},
      board: null,
      measure: async () => {
        throw new Error("must not measure");
      },
    });
    expect(hw.gpus.map((g) => g.bandwidth)).toMatchObject([
      { gbs: 272, source: "table", basis: "RTX 4060" },
      { gbs: 288, source: "default", basis: expect.stringMatching(/not in the table: as the gpu-16gb profile/) },
    ]);
    expect(hw.ram.bandwidth?.source).toMatch(/default|table/);
  });

  it("a cached measurement is reused for a month, for the same machine only", async () => {
    const file = join(dir, "cache.json");
    const now = Date.parse("2026-12-01T00:00:00Z");
    writeFileSync(file, JSON.stringify({ key: "k", gbs: 30, threads: 4, measuredAt: new Date(now).toISOString() }));
    const measure = async () => ({ gbs: 40, threads: 4, measuredAt: new Date(now).toISOString() });
    expect((await cachedBandwidth("k", { file, now: now + 1000, measure }))?.gbs).toBe(30);
    expect((await cachedBandwidth("other", { file, now: now + 1000, measure }))?.gbs).toBe(40);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ key: "other", gbs: 40 });
    expect(
      await cachedBandwidth("other", { file, now: now + MEASUREMENT_REUSE_MS + 1, measure: async () => undefined }),
    ).toBeUndefined();
  });
});

describe("the measurement", () => {
  it("runs in well under a few seconds on worker threads and reports a sane figure (its value is this machine's)", async () => {
    const started = performance.now();
    const m = await measureBandwidth({ rounds: 2 });
    const ms = performance.now() - started;
    expect(m).toBeDefined();
    expect(m?.gbs).toBeGreaterThanOrEqual(2);
    expect(m?.gbs).toBeLessThanOrEqual(4000);
    expect(m?.threads).toBeGreaterThanOrEqual(1);
    // Loose on purpose: a loaded 2-core machine stretches it; typically ~0.5 s.
    expect(ms).toBeLessThan(5000);
  });

  it("refuses buffers small enough to sit in a cache", async () => {
    expect(await measureBandwidth({ bufferBytes: 8 * 1024 ** 2 })).toBeUndefined();
  });
});
