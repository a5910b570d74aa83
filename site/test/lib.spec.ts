/** The site's pure helpers: the machine in the URL, the home page's candidates, command wrapping, quant contexts. */

import { describe, expect, it } from "vitest";
import type { Hardware } from "../../client/src/hardware/detect-hardware.ts";
import { recommend } from "../../client/src/recommend/recommend.ts";
import type { ModelEntry } from "../../schema/index.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { commandParts } from "../src/lib/command-parts.ts";
import { machineBudget, machineFromParams, machineToParams, parseGb } from "../src/lib/machine.ts";
import { PICKS_PER_TIER, picksFor, type TierPicks, tierPicks } from "../src/lib/picks.ts";
import { memoryContexts } from "../src/lib/quants.ts";

const index = fixtureIndex();
const GiB = 1024 ** 3;
/** Any machine: recommend() is given the budget to plan for. */
const HARDWARE: Hardware = {
  platform: "linux",
  arch: "x64",
  cpu: { model: null, cores: 8 },
  ram: { totalBytes: 16 * GiB, availableBytes: null },
  gpus: [],
  unifiedMemory: false,
};

describe("the machine in the URL", () => {
  it("round-trips kind and size, and reads the old ?hw=<profile> links", () => {
    const params = machineToParams({ kind: "unified", gb: 24 }, new URLSearchParams("q=qwen&hw=gpu-4gb"));
    expect(params.toString()).toBe("q=qwen&kind=unified&gb=24");
    expect(machineFromParams(params)).toEqual({ kind: "unified", gb: 24 });
    expect(machineFromParams(new URLSearchParams("hw=gpu-8gb"), index.profiles)).toEqual({ kind: "gpu", gb: 8 });
  });

  it("names no machine for a kind or size it does not know", () => {
    for (const q of [
      "kind=tpu&gb=8",
      "kind=gpu&gb=0",
      "kind=gpu&gb=-4",
      "kind=gpu&gb=2000",
      "kind=gpu&gb=8GB",
      "kind=gpu",
    ]) {
      expect(machineFromParams(new URLSearchParams(q)), q).toBeUndefined();
    }
    expect(parseGb("7.5")).toBe(7.5);
  });

  it("budgets a machine with the index profiles' own rule", () => {
    for (const p of index.profiles) {
      expect(machineBudget({ kind: p.kind, gb: p.memoryBytes / GiB }).usableBytes, p.id).toBe(p.usableBytes);
    }
    expect(machineBudget({ kind: "cpu", gb: 2 }).usableBytes).toBe(0);
  });
});

describe("the home page's candidates", () => {
  /** Every chat-capable entry of the tier as a candidate: the answer without any pruning. */
  const unpruned = (tier: string): TierPicks => {
    const models = index.models.filter((m) => m.tier === tier);
    const rows = models.flatMap((m) => tierPicks([m], [{ id: tier }], index.profiles)[0]?.candidates ?? []);
    return { tier, candidates: rows, smallest: tierPicks(models, [{ id: tier }])[0]?.smallest ?? [] };
  };
  const machines = (["gpu", "unified", "cpu"] as const).flatMap((kind) =>
    Array.from({ length: 64 }, (_, i) => ({ kind, gb: 0.5 + i * 0.5 })),
  );

  it("keep few entries, yet give exactly the unpruned top list and count on every machine", () => {
    const tiers = tierPicks(index.models, index.tiers, index.profiles);
    for (const tier of tiers) {
      const all = unpruned(tier.tier);
      expect(tier.candidates.length).toBeLessThan(all.candidates.length);
      for (const machine of machines) {
        const budget = machineBudget(machine, index.profiles);
        const got = picksFor(tier, budget);
        const want = picksFor(all, budget);
        const at = `${tier.tier} on ${machine.gb} GB ${machine.kind}`;
        expect(got.total, at).toBe(want.total);
        expect(
          got.picks.map((p) => [p.row.id, p.fit.install.quant]),
          at,
        ).toEqual(want.picks.map((p) => [p.row.id, p.fit.install.quant]));
      }
    }
  });

  it("rank as the client's recommend does: usable speed first, the same quants", () => {
    const tiers = tierPicks(index.models, index.tiers, index.profiles);
    for (const profile of index.profiles) {
      const machine = { kind: profile.kind, gb: profile.memoryBytes / GiB };
      const budget = machineBudget(machine, index.profiles);
      for (const tier of tiers) {
        const { picks } = picksFor(tier, budget);
        // The client at 4K context leaves out what cannot run 4K; the site judges those at their maximum.
        const client = recommend(index, HARDWARE, { tier: tier.tier, budget })
          .filter(
            (r) =>
              (r.model.contextLength ?? 4096) >= 4096 &&
              !(r.model.tasks.includes("base") && !r.model.tasks.includes("chat")),
          )
          .slice(0, PICKS_PER_TIER);
        const site = picks.filter((p) => {
          const m = index.models.find((x) => x.id === p.row.id);
          return (m?.contextLength ?? 4096) >= 4096;
        });
        expect(
          site.map((p) => [p.row.id, p.fit.install.quant]),
          `${tier.tier} on ${profile.id}`,
        ).toEqual(client.slice(0, site.length).map((r) => [r.model.id, r.install.quant]));
      }
    }
  });

  it("a CPU-only machine never leads with a model below the speed floor", () => {
    const tiers = tierPicks(index.models, index.tiers, index.profiles);
    for (const gb of [4, 8, 16, 32, 64]) {
      const budget = machineBudget({ kind: "cpu", gb }, index.profiles);
      for (const tier of tiers) {
        const [first] = picksFor(tier, budget).picks;
        if (first) expect(first.fit.usable, `${tier.tier} on ${gb} GB`).toBe(true);
        expect(first?.fit.speed?.tokensPerSecond ?? 8).toBeGreaterThanOrEqual(8);
      }
    }
    // On 8 GB the client once led with an 8B at Q4_K_M: now it is last, if listed at all.
    const big = picksFor(unpruned("1b-8b"), machineBudget({ kind: "cpu", gb: 8 }, index.profiles)).picks.filter(
      (p) => p.row.params.total > 7e9,
    );
    expect(big).toEqual([]);
  });

  it("judge a model whose maximum context is below 4K at its maximum", () => {
    const tiny = index.models.find((m) => m.id === "TinyLlama/TinyLlama-1.1B-Chat-v1.0") as ModelEntry;
    expect(tiny.contextLength).toBe(2048);
    const [tier] = tierPicks([tiny], [{ id: tiny.tier }]);
    expect(tier?.candidates[0]?.fit[0]?.memoryBytes).toBeLessThan(
      tiny.fit.find((f) => f.quant === tier?.candidates[0]?.fit[0]?.quant)?.memoryBytes ?? 0,
    );
  });
});

describe("commands on a narrow screen", () => {
  it("break after `/`, `:` and spaces, and lose nothing", () => {
    const command = "ollama run hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M";
    expect(commandParts(command)).toEqual([
      "ollama ",
      "run ",
      "hf.co/",
      "bartowski/",
      "Llama-3.2-1B-Instruct-GGUF:",
      "Q4_K_M",
    ]);
    expect(commandParts(command).join("")).toBe(command);
  });
});

describe("memory columns", () => {
  const byId = (id: string) => index.models.find((m) => m.id === id) as ModelEntry;
  it("stop at the model's maximum context, and fall back to that maximum when it is below every estimate", () => {
    expect(memoryContexts(byId("Qwen/Qwen3-4B"))).toEqual([4096, 32768]);
    expect(memoryContexts(byId("microsoft/Phi-3-mini-4k-instruct"))).toEqual([4096]);
    expect(memoryContexts(byId("TinyLlama/TinyLlama-1.1B-Chat-v1.0"))).toEqual([2048]);
  });
});
