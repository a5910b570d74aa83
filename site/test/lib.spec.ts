/** The site's pure helpers: the machine in the URL, the home page's candidates, command wrapping, quant contexts. */

import { bestFit, memoryAt, recommendScore } from "small-llm/core";
import { describe, expect, it } from "vitest";
import type { ModelEntry } from "../../schema/index.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { commandParts } from "../src/lib/command-parts.ts";
import { fitContext, machineBudget, machineFromParams, machineToParams, parseGb } from "../src/lib/machine.ts";
import { PICKS_PER_TIER, picksFor, tierPicks } from "../src/lib/picks.ts";
import { memoryContexts } from "../src/lib/quants.ts";

const index = fixtureIndex();
const GiB = 1024 ** 3;

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
  /** The answer without any pruning: every chat-capable entry of the tier, ranked. */
  function bruteForce(tier: string, usable: number) {
    const budget = { kind: "gpu" as const, label: "", usableBytes: usable };
    return index.models
      .filter((m) => m.tier === tier && !(m.tasks.includes("base") && !m.tasks.includes("chat")))
      .flatMap((m) => {
        const context = fitContext(m.contextLength);
        const sized = {
          ...m,
          contextLength: undefined,
          fit: m.install.flatMap((t) => {
            const memoryBytes = memoryAt(m, t.quant, context);
            return memoryBytes === undefined ? [] : [{ quant: t.quant, contextLength: 4096, memoryBytes, fits: [] }];
          }),
        };
        const fit = bestFit(sized, [budget], 4096);
        return fit ? [{ m, fit }] : [];
      })
      .sort((a, b) => recommendScore(b.m) - recommendScore(a.m) || (a.m.id < b.m.id ? -1 : 1));
  }

  it("keep few entries, yet give exactly the unpruned top list and count at every budget", () => {
    const tiers = tierPicks(index.models, index.tiers);
    for (const tier of tiers) {
      expect(tier.candidates.length).toBeLessThan(index.models.filter((m) => m.tier === tier.tier).length);
      for (let mb = 0; mb <= 20_000; mb += 50) {
        const usable = mb * 1e6;
        const { picks, total } = picksFor(tier, { kind: "gpu", label: "", usableBytes: usable });
        const expected = bruteForce(tier.tier, usable);
        expect(total, `${tier.tier} at ${mb} MB`).toBe(expected.length);
        expect(
          picks.map((p) => [p.row.id, p.fit.install.quant]),
          `${tier.tier} at ${mb} MB`,
        ).toEqual(expected.slice(0, PICKS_PER_TIER).map((e) => [e.m.id, e.fit.install.quant]));
      }
    }
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
