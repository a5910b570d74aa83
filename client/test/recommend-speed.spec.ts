/**
 * Recommendations a user would make (issue #21): the speed estimate on this machine's budgets,
 * the quant a machine should run, the ranking by usable speed, partial offload, measured speeds and
 * the constants re-fitted from them — on the tests' own fixture index and machines described by hand
 * (never the machine the tests run on).
 */
import { describe, expect, it } from "vitest";
import type { InstallTarget, ModelEntry } from "../../schema/index.ts";
import { roundSpeed } from "../../schema/speed.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { type BudgetDevice, budgetFromFits, type MemoryBudget, memoryBudgets } from "../src/core/budgets.ts";
import { chooseQuant } from "../src/core/choose-quant.ts";
import { estimateSpeed, type SpeedEstimate } from "../src/core/estimate-speed.ts";
import { compareRecommendations } from "../src/core/rank.ts";
import type { Bandwidth, Gpu, Hardware } from "../src/hardware/detect-hardware.ts";
import { calibrateBudgets } from "../src/recommend/calibrate.ts";
import { recommend } from "../src/recommend/recommend.ts";

const GiB = 1024 ** 3;
const index = fixtureIndex();
const entry = (id: string) => index.models.find((m) => m.id === id) as ModelEntry;
const fits = (what: string) => budgetFromFits(index, what) as MemoryBudget;
const quantOf = (m: ModelEntry, quant: string) => m.install.find((t) => t.quant === quant) as InstallTarget;

const machine = (patch: Partial<Hardware> = {}): Hardware => ({
  platform: "linux",
  arch: "x64",
  cpu: { model: "test cpu", cores: 8 },
  ram: { totalBytes: 16 * GiB, availableBytes: 8 * GiB, bandwidth: { gbs: 51.2, source: "table", basis: "test" } },
  gpus: [],
  unifiedMemory: false,
  ...patch,
});
const bw = (gbs: number, source: Bandwidth["source"] = "table"): Bandwidth => ({ gbs, source, basis: "test" });
const nvidia = (name: string, gb: number, gbs: number): Gpu => ({
  vendor: "nvidia",
  name,
  vramBytes: gb * GiB,
  freeBytes: null,
  bandwidth: bw(gbs),
});

/** The test machines. */
const MACHINES = {
  // 2 cores, no GPU, 8 GB: no bandwidth known, so the default scaled to 2 of 4 cores (25.6 GB/s).
  smallCpu: machine({ cpu: { model: null, cores: 2 }, ram: { totalBytes: 8 * GiB, availableBytes: 4 * GiB } }),
  gpu8: machine({ gpus: [nvidia("NVIDIA GeForce RTX 4060", 8, 272)] }),
  apple16: machine({
    platform: "darwin",
    arch: "arm64",
    cpu: { model: "Apple M2", cores: 8 },
    ram: { totalBytes: 16 * GiB, availableBytes: 8 * GiB },
    unifiedMemory: true,
    gpus: [{ vendor: "apple", name: "Apple M2", vramBytes: 16 * GiB, freeBytes: null, bandwidth: bw(100) }],
  }),
};
const chat = (hw: Hardware) => recommend(index, hw, { task: "chat" });

describe("the issue's done-when machines", () => {
  it("2 cores, no GPU, 8 GB: a small model at Q4_K_M first, never an 8B", () => {
    const picks = chat(MACHINES.smallCpu);
    const [top] = picks;
    expect(top?.model.params.total).toBeLessThan(4.5e9);
    expect(top?.install.quant).toBe("Q4_K_M");
    expect(top?.usable).toBe(true);
    // Every 7–8B that fits its memory is there, but below the floor, after every usable pick.
    const big = picks.filter((p) => p.model.params.total >= 7e9);
    expect(big.length).toBeGreaterThan(0);
    for (const p of big) expect(p.usable).toBe(false);
    const firstSlow = picks.findIndex((p) => !p.usable);
    expect(picks.slice(firstSlow).every((p) => !p.usable)).toBe(true);
    expect(picks[firstSlow]?.why).toMatch(/below the 8 tokens\/s floor/);
  });

  it("an 8 GB GPU: a 7–8B at Q4_K_M at tens of tokens/s", () => {
    const [top] = chat(MACHINES.gpu8);
    expect(top?.model.params.total).toBeGreaterThan(7e9);
    expect(top?.install.quant).toBe("Q4_K_M");
    expect(top?.speed?.tokensPerSecond).toBeGreaterThan(20);
    expect(top?.why).toMatch(/fits NVIDIA GeForce RTX 4060 \(8\.6 GB VRAM\).*~\d\d tokens\/s \(estimated\)/);
  });

  it("a 16 GB Apple machine: a 7–8B at a higher quant than Q4_K_M", () => {
    const [top] = chat(MACHINES.apple16);
    expect(top?.model.params.total).toBeGreaterThan(7e9);
    expect(["Q5_K_M", "Q6_K", "Q8_0"]).toContain(top?.install.quant);
    expect(top?.usable).toBe(true);
  });
});

describe("the estimate on a machine agrees with the index's own speeds", () => {
  it("every profile's fit row speed is what the client estimates for that profile", () => {
    let checked = 0;
    for (const m of index.models)
      for (const row of m.fit.filter((f) => f.contextLength === 4096))
        for (const id of row.fits) {
          const budget = budgetFromFits(index, id);
          if (!budget || row.tokensPerSecond?.[id] === undefined) continue;
          const speed = estimateSpeed({ model: m, quant: row.quant, contextLength: 4096, budget });
          expect(roundSpeed(speed?.tokensPerSecond ?? 0), `${m.id} ${row.quant} on ${id}`).toBe(
            row.tokensPerSecond[id],
          );
          checked++;
        }
    expect(checked).toBeGreaterThan(500);
  });

  it("a model only the RAM holds runs split with the GPU, as the index's offload rows say", () => {
    // The gpu-4gb profile: a GTX 1650 beside 16 GB of dual-channel DDR4-3200.
    const hw = machine({ gpus: [nvidia("NVIDIA GeForce GTX 1650", 4, 128)] });
    const [gpu, ram] = memoryBudgets(hw) as [MemoryBudget, MemoryBudget];
    const llama = entry("meta-llama/Llama-3.1-8B-Instruct");
    const speed = estimateSpeed({
      model: llama,
      quant: "Q4_K_M",
      contextLength: 4096,
      budget: ram,
      budgets: [gpu, ram],
    });
    const row = llama.fit.find((f) => f.quant === "Q4_K_M" && f.contextLength === 4096);
    expect(speed?.offload).toEqual(row?.offload?.["gpu-4gb"]);
    expect(roundSpeed(speed?.tokensPerSecond ?? 0)).toBe(row?.tokensPerSecond?.["gpu-4gb"]);
    const pick = recommend(index, hw, { task: "chat" }).find((p) => p.model.id === llama.id);
    expect(pick?.why).toMatch(/\d+ of 32 layers on the GPU/);
  });

  it("says how long the first token takes where it is long: a CPU, not a GPU", () => {
    const llama = entry("meta-llama/Llama-3.2-3B-Instruct");
    const at = (hw: Hardware) => {
      const budgets = memoryBudgets(hw);
      return estimateSpeed({
        model: llama,
        quant: "Q4_K_M",
        contextLength: 4096,
        budget: budgets[0] as MemoryBudget,
        budgets,
      });
    };
    expect(at(MACHINES.smallCpu)?.firstTokenSeconds).toBeGreaterThan(20); // 2 cores: ~0.24 TFLOP/s
    expect(at(MACHINES.gpu8)?.firstTokenSeconds).toBeLessThan(3);
  });
});

describe("which quant", () => {
  const qwen3b = entry("Qwen/Qwen2.5-3B-Instruct");
  const pick = (m: ModelEntry, budget: string, minSpeed?: number) =>
    chooseQuant(m, [fits(budget)], { contextLength: 4096, minSpeed });

  it("Q4_K_M on a CPU, where Q8_0 would cost too much speed; better quants where they cost little", () => {
    expect(pick(entry("Qwen/Qwen3-4B"), "cpu-16gb")).toMatchObject({ install: { quant: "Q4_K_M" }, basis: "baseline" });
    // 12 GB: the 3B reads fast enough at Q8_0 (above 40 tokens/s) with room to spare.
    expect(pick(qwen3b, "gpu-12gb")).toMatchObject({ install: { quant: "Q8_0" }, basis: "upgrade" });
    // The 7B's Q5_K_M fits an 8 GB card, but would fill more than 80 % of it.
    expect(pick(entry("Qwen/Qwen2.5-7B-Instruct"), "gpu-8gb")?.install.quant).toBe("Q4_K_M");
  });

  it("a higher floor keeps the faster quant", () => {
    expect(pick(qwen3b, "cpu-16gb")?.install.quant).toBe("Q6_K");
    expect(pick(qwen3b, "cpu-16gb", 12)?.install.quant).toBe("Q4_K_M");
  });

  it("below 4 bits only when nothing better fits, and such a squeeze is not counted usable", () => {
    const qwen4b = entry("Qwen/Qwen3-4B");
    expect(pick(qwen4b, "gpu-4gb")).toMatchObject({ install: { quant: "Q3_K_M" }, basis: "only-fit", usable: false });
    // Where Q4_K_M fits but is slow, a faster Q2_K does not promote the model.
    const llama = pick(entry("meta-llama/Llama-3.1-8B-Instruct"), "cpu-16gb");
    expect(llama).toMatchObject({ install: { quant: "Q4_K_M" }, usable: false, basis: "fastest" });
    expect(llama?.bestTokensPerSecond).toBeGreaterThan(llama?.speed?.tokensPerSecond ?? 0); // its Q2_K
    const onGpu4 = recommend(index, machine(), { task: "chat", budget: fits("gpu-4gb") });
    const squeezed = onGpu4.find((p) => p.model.id === qwen4b.id);
    expect(squeezed?.why).toMatch(/fits only below 4 bits, which costs noticeable quality/);
    expect(onGpu4.filter((p) => p.usable).every((p) => !/^Q[23]_/.test(p.install.quant))).toBe(true);
    expect(onGpu4.indexOf(squeezed as (typeof onGpu4)[0])).toBeGreaterThan(onGpu4.filter((p) => p.usable).length - 1);
  });

  it("without speeds (an index older than 1.2) it is the best quality that fits, as before", () => {
    const old = { kind: "cpu" as const, label: "old", usableBytes: 16 * GiB };
    expect(chooseQuant(qwen3b, [old], { contextLength: 4096 })).toMatchObject({
      install: { quant: "Q8_0" },
      basis: "best-fit",
      usable: true,
    });
  });
});

describe("ranking and the speed floor", () => {
  it("usable first by score, then the slow ones fastest first", () => {
    const rows = [
      { id: "slow-big", score: 9, usable: false, tokensPerSecond: 5 },
      { id: "fast-small", score: 7, usable: true, tokensPerSecond: 60 },
      { id: "slower-big", score: 9.5, usable: false, tokensPerSecond: 3 },
      { id: "usable-big", score: 8, usable: true, tokensPerSecond: 9 },
    ];
    expect(rows.sort(compareRecommendations).map((r) => r.id)).toEqual([
      "usable-big",
      "fast-small",
      "slow-big",
      "slower-big",
    ]);
  });

  it("--min-speed moves the floor; hideSlow leaves the slow ones out", () => {
    const all = recommend(index, MACHINES.apple16, { task: "chat" });
    const strict = recommend(index, MACHINES.apple16, { task: "chat", minSpeed: 20 });
    expect(strict[0]?.speed?.tokensPerSecond).toBeGreaterThanOrEqual(20);
    expect(strict[0]?.model.id).not.toBe(all[0]?.model.id);
    const hidden = recommend(index, MACHINES.apple16, { task: "chat", minSpeed: 20, hideSlow: true });
    expect(hidden.length).toBeLessThan(strict.length);
    expect(hidden.every((p) => p.usable)).toBe(true);
  });
});

describe("budgets", () => {
  it("--fits takes any size of any kind, read at the nearest profile's speed", () => {
    const cases: [string, string, number, number | undefined][] = [
      ["cpu-12gb", "cpu", Math.floor(0.8 * 12 * GiB), 51.2],
      ["apple-18gb", "unified", Math.floor((18 * GiB * 2) / 3), 100],
      ["unified-36gb", "unified", Math.floor((36 * GiB * 2) / 3), 150],
      ["gpu-10gb", "gpu", 9 * GiB, 272],
      ["16", "gpu", 15 * GiB, 288],
      ["gpu-8gb", "gpu", 7 * GiB, 272],
    ];
    for (const [fits, kind, usable, gbs] of cases)
      expect(budgetFromFits(index, fits), fits).toMatchObject({
        kind,
        usableBytes: usable,
        device: { bandwidthGBs: gbs },
      });
    for (const bad of ["cpu", "gpu-0gb", "tpu-8gb", "8gb", "-4"])
      expect(budgetFromFits(index, bad), bad).toBeUndefined();
  });

  it("several GPUs of one vendor add up; their bandwidth is the layers' weighted mean", () => {
    const two = memoryBudgets(
      machine({ gpus: [nvidia("NVIDIA GeForce RTX 3060", 12, 360), nvidia("NVIDIA GeForce RTX 3060", 12, 360)] }),
    );
    expect(two[0]).toMatchObject({
      kind: "gpu",
      label: "2× NVIDIA GeForce RTX 3060 (25 GB VRAM)",
      usableBytes: 22 * GiB,
    });
    expect(two[0]?.device).toMatchObject({ bandwidthGBs: 360, gpuUsableBytes: [11 * GiB, 11 * GiB] });
    const mixed = memoryBudgets(machine({ gpus: [nvidia("A", 8, 200), nvidia("B", 8, 400)] }));
    expect(mixed[0]?.device?.bandwidthGBs).toBeCloseTo(266.7, 0);
    // An 8B at Q8_0 fits two 12 GB cards, not one.
    const pickOn = (hw: Hardware) =>
      chooseQuant(entry("meta-llama/Llama-3.1-8B-Instruct"), memoryBudgets(hw), { contextLength: 4096 });
    expect(pickOn(machine({ gpus: [nvidia("NVIDIA GeForce RTX 3060", 12, 360)] }))?.install.quant).not.toBe("Q8_0");
  });

  it("hardware described without bandwidths gets the stated defaults", () => {
    const [cpu] = memoryBudgets(machine({ ram: { totalBytes: 16 * GiB, availableBytes: null } }));
    expect(cpu?.device).toMatchObject({ bandwidthGBs: 51.2, source: "default" });
    expect(memoryBudgets(MACHINES.smallCpu)[0]?.device).toMatchObject({ bandwidthGBs: 25.6, source: "default" });
  });
});

describe("measured beats estimated", () => {
  const qwen = entry("Qwen/Qwen3-1.7B");
  const q4 = quantOf(qwen, "Q4_K_M");

  it("a model measured here is shown at its measured speed, and says so", () => {
    const picks = recommend(index, MACHINES.smallCpu, {
      task: "chat",
      measured: (ref) => (ref === q4.ref ? 31 : undefined),
    });
    const row = picks.find((p) => p.install.ref === q4.ref);
    expect(row?.speed).toMatchObject({ tokensPerSecond: 31, source: "measured" });
    expect(row?.why).toMatch(/measured 31 tokens\/s here/);
  });

  it("two measured models re-fit the machine's constants; unmeasured models are estimated from them", () => {
    const budgets = memoryBudgets(MACHINES.smallCpu);
    const cpu = budgets[0] as MemoryBudget;
    const small = quantOf(entry("Qwen/Qwen2.5-0.5B-Instruct"), "Q4_K_M");
    // This machine runs twice as fast as its stated default bandwidth suggests.
    const device = cpu.device as BudgetDevice;
    const doubled = { ...cpu, device: { ...device, bandwidthGBs: device.bandwidthGBs * 2 } };
    const truth = (m: ModelEntry, quant: string) =>
      (estimateSpeed({ model: m, quant, contextLength: 200, budget: doubled }) as SpeedEstimate).tokensPerSecond;
    const runs = [
      { model: q4.ref, tokensPerSecond: truth(qwen, "Q4_K_M"), depth: 100, from: "bench" as const },
      {
        model: small.ref,
        tokensPerSecond: truth(entry("Qwen/Qwen2.5-0.5B-Instruct"), "Q4_K_M"),
        depth: 100,
        from: "bench" as const,
      },
    ];
    const { budgets: fitted, calibrations } = calibrateBudgets(budgets, runs, index);
    expect(calibrations).toMatchObject([{ runs: 2 }]);
    const llama = entry("meta-llama/Llama-3.2-3B-Instruct");
    const at = (budget: MemoryBudget | undefined) =>
      estimateSpeed({ model: llama, quant: "Q4_K_M", contextLength: 4096, budget: budget as MemoryBudget })
        ?.tokensPerSecond ?? 0;
    expect(Math.abs(at(fitted[0]) / at(doubled) - 1)).toBeLessThan(0.05);
    expect(at(cpu) / at(doubled)).toBeLessThan(0.7);
    // One measured model is not enough to re-fit.
    expect(calibrateBudgets(budgets, runs.slice(0, 1), index).calibrations).toEqual([]);
  });
});
