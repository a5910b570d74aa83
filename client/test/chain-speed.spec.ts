/**
 * `ask`'s chains by the same estimate as `recommend`: quick the fastest here, analysis/coding the
 * largest that still answers at a usable speed, slow models after usable ones; and the speeds
 * measured here (bench.jsonl for this hardware, local calls in usage.jsonl) that beat the estimate.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentIndex, CODER, LARGE, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { hardwareFingerprint } from "../src/agent/bench.ts";
import { benchRuns, measuredHere, metricsRuns } from "../src/agent/measured-runs.ts";
import { deriveChain } from "../src/agent/tasks.ts";
import { memoryBudgets } from "../src/core/budgets.ts";
import type { Hardware } from "../src/hardware/detect-hardware.ts";
import type { InstalledModel, Runtime } from "../src/runtimes/runtime.ts";

const runtime = {
  kind: "ollama",
  host: "http://x",
  capabilities: { install: true, start: true },
} as unknown as Runtime;
const installed = (...names: string[]): InstalledModel[] =>
  names.map((name) => ({ name, digest: "0".repeat(64), sizeBytes: 1e9, modifiedAt: "" }));
/** The agent tests' machine, but its RAM read at a third of the speed: the 3B falls below 8 tokens/s. */
const slow: Hardware = { ...machine, ram: { ...machine.ram, bandwidth: { gbs: 17, source: "stated", basis: "slow" } } };
const derive = (task: "quick" | "analysis" | "coding", hw: Hardware, measured?: Map<string, number>) =>
  deriveChain({
    task,
    installed: [{ runtime, models: installed(SMALL, LARGE, CODER) }],
    index: agentIndex(),
    budgets: memoryBudgets(hw),
    contextTokens: 4096,
    ...(measured ? { measured } : {}),
  });

describe("chains by usable speed", () => {
  it("analysis: the largest that answers at a usable speed; a model below the floor after the usable ones", () => {
    expect(derive("analysis", machine).chain.map((c) => c.ref)).toEqual([LARGE, CODER, SMALL]);
    const d = derive("analysis", slow);
    expect(d.chain.map((c) => c.ref)).toEqual([CODER, SMALL, LARGE]);
    expect(d.chain[2]?.why).toMatch(/~\d\.?\d* tokens\/s: below the 8 tokens\/s floor$/);
    expect(d.chain[0]?.why).toMatch(/^first: chat model \(1\.5B.*, ~[\d.]+ tokens\/s$/);
  });

  it("quick: the fastest, measured or estimated", () => {
    expect(derive("quick", machine).chain[0]?.ref).toBe(SMALL);
    // Measured here, the 1.5B coder is faster than the estimate says the 0.5B is.
    const d = derive("quick", machine, new Map([[CODER, 500]]));
    expect(d.chain[0]).toMatchObject({ ref: CODER, tokensPerSecond: 500, speedSource: "measured" });
    expect(d.chain[0]?.why).toMatch(/measured 500 tokens\/s$/);
  });

  it("coding: code models first, still usable first within them", () => {
    expect(derive("coding", slow).chain.map((c) => c.ref)).toEqual([CODER, SMALL, LARGE]);
  });

  it("the model to pull is usable here, with the quant recommend would choose", () => {
    const d = deriveChain({
      task: "analysis",
      installed: [{ runtime, models: [] }],
      index: agentIndex(),
      budgets: memoryBudgets(slow),
      contextTokens: 4096,
    });
    expect(d.pull).toMatchObject({ ref: CODER, speedSource: "estimated" });
    expect(d.pull?.why).toMatch(
      /^not installed; the task's first pick from the index \(1\.5B, Q4_K_M needs ~.*, ~[\d.]+ tokens\/s\)$/,
    );
  });
});

describe("speeds measured here", () => {
  const dir = mkdtempSync(join(tmpdir(), "sli-measured-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bench = join(dir, "bench.jsonl");
  const metrics = join(dir, "usage.jsonl");
  const fp = hardwareFingerprint(machine);
  const benchLine = (model: string, median: number, fingerprint = fp, memory?: object) =>
    JSON.stringify({
      v: 1,
      model,
      hardware: fingerprint,
      promptChars: 100,
      numPredict: 128,
      tokensPerSecond: { n: 3, mean: median, sd: 0, median },
      ...(memory ? { memory } : {}),
    });
  const call = (model: string, tps: number, extra: object = {}) =>
    JSON.stringify({
      v: 1,
      kind: "delegate",
      model,
      runtime: "ollama",
      side: "local",
      success: true,
      promptTokens: 300,
      outputTokens: 100,
      tokensPerSecond: tps,
      attempts: [],
      ...extra,
    });

  it("bench results of this hardware only, the latest per model, with where the model ran", () => {
    writeFileSync(
      bench,
      [
        benchLine(SMALL, 40),
        benchLine(SMALL, 50, undefined, { sizeBytes: 1000, vramBytes: 0 }),
        benchLine(LARGE, 99, { fingerprint: "another machine", summary: "" }),
        "{torn",
      ].join("\n"),
    );
    expect(benchRuns(machine, bench)).toEqual([
      { model: SMALL, tokensPerSecond: 50, depth: 89, vramShare: 0, from: "bench" },
    ]);
  });

  it("local calls that answered at length: the median per model; cloud, failed and short answers do not count", () => {
    writeFileSync(
      metrics,
      [
        call(CODER, 20),
        call(CODER, 30),
        call(CODER, 100),
        call(CODER, 999, { outputTokens: 5 }),
        call(CODER, 999, { success: false }),
        call("claude-sonnet", 80, { side: "cloud" }),
        call(SMALL, 10),
      ].join("\n"),
    );
    expect(metricsRuns(metrics)).toEqual([
      { model: CODER, tokensPerSecond: 30, depth: 350, from: "metrics" },
      { model: SMALL, tokensPerSecond: 10, depth: 350, from: "metrics" },
    ]);
    // A bench result beats the everyday calls for the same model.
    const here = measuredHere(machine, { bench, metrics });
    expect(here.speeds.get(SMALL.toLowerCase())).toBe(50);
    expect(here.speeds.get(CODER.toLowerCase())).toBe(30);
    expect(here.runs).toHaveLength(2);
  });
});
