/** The agent layer's pure parts: options, answer checks, context sizing, config, fallback decisions, chains. */
import { describe, expect, it } from "vitest";
import { agentIndex, machine } from "../../test/helpers/agent-fixtures.ts";
import { checkAnswer, repetitionLoop } from "../src/agent/answer-checks.ts";
import { hardwareFingerprint, stat } from "../src/agent/bench.ts";
import { parseConfig } from "../src/agent/config.ts";
import { estimateTokens, planContext } from "../src/agent/context-size.ts";
import {
  nearestOption,
  OLLAMA_OPTIONS,
  parseOptionPairs,
  retiredWarning,
  validateOptions,
} from "../src/agent/options.ts";
import { deriveChain } from "../src/agent/tasks.ts";
import { memoryBudgets } from "../src/core/budgets.ts";
import {
  CancelledError,
  ConfigError,
  ConnectionDroppedError,
  failover,
  InvalidOptionError,
  ModelNotInstalledError,
  OllamaError,
  OllamaServerDownError,
  OutOfMemoryError,
  RuntimeBusyError,
  RuntimeServerError,
} from "../src/errors/index.ts";
import type { InstalledModel, Runtime } from "../src/runtimes/runtime.ts";

describe("Ollama options", () => {
  it("takes all 27 options the seed lists, current and retired; a retired one is a warning, not an error", () => {
    const seed =
      "num_keep seed num_predict top_k top_p min_p typical_p repeat_last_n temperature repeat_penalty presence_penalty " +
      "frequency_penalty mirostat mirostat_tau mirostat_eta penalize_newline stop numa num_ctx num_batch num_gpu main_gpu " +
      "low_vram vocab_only use_mmap use_mlock num_thread";
    const names = seed.split(" ");
    expect(names).toHaveLength(27);
    const kinds = Object.fromEntries(names.map((n) => [n, OLLAMA_OPTIONS[n as keyof typeof OLLAMA_OPTIONS].kind]));
    const value = (kind: string) => (kind === "boolean" ? true : kind === "string[]" ? ["END"] : 1);
    const all = Object.fromEntries(names.map((n) => [n, value(kinds[n] as string)]));
    expect(Object.keys(validateOptions(all))).toHaveLength(27);
    expect(retiredWarning({ numa: true, low_vram: true, temperature: 0 })).toBe(
      "current Ollama ignores numa, low_vram (earlier releases read them); sent anyway",
    );
    expect(retiredWarning({ temperature: 0 })).toBeUndefined();
    expect(() => validateOptions({ toString: 1 })).toThrow(InvalidOptionError);
  });

  it("converts CLI strings to each option's type", () => {
    expect(
      parseOptionPairs(["temperature=0.2", "num_ctx=8192", "use_mmap=false", "stop=###", "stop=END", "seed=-1"]),
    ).toEqual({ temperature: 0.2, num_ctx: 8192, use_mmap: false, stop: ["###", "END"], seed: -1 });
  });
  it("names the nearest option for a typo, and the expected type for a wrong value", () => {
    expect(nearestOption("tempurature")).toBe("temperature");
    expect(nearestOption("num-ctx")).toBe("num_ctx");
    expect(nearestOption("zzzzzz")).toBeUndefined();
    expect(() => parseOptionPairs(["tempurature=1"])).toThrow(/did you mean "temperature"/);
    expect(() => parseOptionPairs(["num_ctx=1.5"])).toThrow('option "num_ctx" must be an integer, not 1.5');
    expect(() => parseOptionPairs(["use_mmap=maybe"])).toThrow('option "use_mmap" must be a boolean, not "maybe"');
    expect(() => parseOptionPairs(["top_p=1.5"])).toThrow('option "top_p" must be 0–1, not 1.5');
    expect(() => parseOptionPairs(["temperature"])).toThrow(InvalidOptionError);
    expect(() => validateOptions({ stop: [1] })).toThrow("a string or a list of strings");
    expect(validateOptions({ stop: "x", top_k: 40 })).toEqual({ stop: ["x"], top_k: 40 });
  });
});

describe("answer checks", () => {
  it("flags empty answers, short refusals and loops, and passes normal text", async () => {
    expect((await checkAnswer({ text: "  \n" }))?.kind).toBe("empty");
    expect((await checkAnswer({ text: "I'm sorry, but I can't help with that." }))?.kind).toBe("refusal");
    expect((await checkAnswer({ text: "I cannot assist with this request." }))?.kind).toBe("refusal");
    const longPolite = `I'm sorry, but I can't resist adding detail. ${"Here is the full answer with the steps. ".repeat(12)}`;
    expect(repetitionLoop("Paris is the capital of France. It has many museums and a river.")).toBeUndefined();
    expect(repetitionLoop(`${"the the ".repeat(40)}`)?.unit).toMatch(/the/);
    expect(await checkAnswer({ text: "The answer is 42." })).toBeUndefined();
    expect((await checkAnswer({ text: longPolite }))?.kind).toBe("repetition");
  });
  it("checks JSON against the format, with the path of the first problem", async () => {
    const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] };
    expect(await checkAnswer({ text: '{"n": 3}', format: schema })).toBeUndefined();
    expect((await checkAnswer({ text: "{oops", format: "json" }))?.message).toMatch(/not valid JSON/);
    expect((await checkAnswer({ text: '{"n": "three"}', format: schema }))?.message).toMatch(/does not match.*#\/n/);
    // Valid by JSON's grammar, yet no number: it would parse to Infinity, which "integer" lets by.
    expect((await checkAnswer({ text: '{"n": 88e+7003}', format: schema }))?.message).toMatch(/too large/);
  });
});

describe("context sizing", () => {
  it("estimates tokens on the high side and raises num_ctx only when needed", () => {
    expect(estimateTokens("x".repeat(3000))).toBe(1008);
    expect(planContext({ promptTokens: 1000 })).toEqual({ promptTokens: 1000, neededTokens: 2024 });
    expect(planContext({ promptTokens: 5000, maxContext: 32768 }).numCtx).toBe(6144);
    expect(planContext({ promptTokens: 5000, numPredict: 4000, maxContext: 32768 }).numCtx).toBe(9216);
    const capped = planContext({ promptTokens: 20000, maxContext: 8192 });
    expect(capped.numCtx).toBe(8192);
    expect(capped.truncation).toMatch(/at most 8192/);
    expect(planContext({ promptTokens: 5000, numCtx: 2048 }).truncation).toMatch(/num_ctx 2048 you set/);
  });
});

describe("config", () => {
  it("accepts a full config and names every bad field", () => {
    const config = parseConfig({
      runtimes: { ollama: "http://127.0.0.1:11434", lmstudio: "http://127.0.0.1:1234/v1" },
      cloud: { openai: { baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKeyEnv: "OPENAI_API_KEY" } },
      tasks: { coding: { chain: ["Qwen/Qwen2.5-Coder-1.5B-Instruct", "cloud:openai"], options: { temperature: 0.2 } } },
      routes: [{ when: { minPromptTokens: 8000 }, chain: ["cloud:openai"] }],
      retries: 1,
    });
    expect(config.tasks?.coding?.chain).toHaveLength(2);
    expect(() => parseConfig({ tasks: { coding: { options: { tempurature: 1 } } } })).toThrow(
      /tasks\.coding\.options: .*did you mean "temperature"/,
    );
    expect(() => parseConfig({ tasks: { kodeing: {} } })).toThrow(/unknown task "kodeing"/);
    expect(() => parseConfig({ fallback: ["cloud:nope"] })).toThrow(/"cloud:nope" names no entry of "cloud"/);
    expect(() =>
      parseConfig({ cloud: { x: { baseUrl: "https://x", model: "m", apiKeyEnv: "sk-abc123-secret" } } }),
    ).toThrow(/the NAME of an environment variable/);
    expect(() => parseConfig({ retrys: 2 })).toThrow(ConfigError);
  });
});

describe("fallback decisions", () => {
  it("retries transient errors, moves on from model errors, skips a dead runtime — all from the registry", () => {
    expect(failover(new RuntimeBusyError("busy")).fallback).toBe("retry");
    expect(failover(new RuntimeServerError("boom", 500)).fallback).toBe("retry");
    expect(failover(new OllamaError("bad", 400)).fallback).toBe("next");
    expect(failover(new OutOfMemoryError("oom"))).toMatchObject({ fallback: "next", cooldown: true });
    expect(failover(new ModelNotInstalledError("m", "x")).fallback).toBe("next");
    expect(failover(new OllamaServerDownError("h", "connect ECONNREFUSED")).fallback).toBe("skip-runtime");
    expect(failover(new ConnectionDroppedError("h"))).toMatchObject({ fallback: "retry", cooldown: true });
    expect(failover(new CancelledError("x")).fallback).toBe("stop");
    expect(failover(new Error("not ours"))).toMatchObject({ code: "error", fallback: "next", cooldown: false });
  });
});

describe("derived chains", () => {
  const runtime = {
    kind: "ollama",
    host: "http://x",
    capabilities: { install: true, start: true },
  } as unknown as Runtime;
  const model = (name: string, parameterSize?: string): InstalledModel => ({
    name,
    digest: "0".repeat(64),
    sizeBytes: 1e9,
    modifiedAt: "",
    ...(parameterSize ? { parameterSize } : {}),
  });
  it("uses index tags for known models and name hints for others; leaves out what cannot chat", () => {
    const d = deriveChain({
      task: "coding",
      installed: [
        {
          runtime,
          models: [
            model("llama3.2:3b", "3.2B"),
            model("qwen2.5-coder:7b", "7.6B"),
            model("nomic-embed-text:latest"),
            model("hf.co/example/Tiny-Base-GGUF:Q4_K_M"),
          ],
        },
      ],
      index: agentIndex(),
      budgets: memoryBudgets(machine),
      contextTokens: 4096,
    });
    expect(d.chain.map((c) => c.ref)).toEqual(["qwen2.5-coder:7b", "llama3.2:3b"]);
    expect(d.chain[0]?.why).toMatch(/^first: code model \(7\.6B/);
    expect(d.excluded.map((e) => e.why)).toEqual([
      "an embedding model, it does not chat",
      "a base model, not tuned to follow instructions",
    ]);
  });

  it("trusts Ollama's capabilities over names, and never picks a cloud model on its own", () => {
    const d = deriveChain({
      task: "quick",
      installed: [
        {
          runtime,
          models: [
            { ...model("gpt-oss:120b-cloud"), sizeBytes: 384, remote: "https://ollama.com:443" },
            { ...model("paraphrase-multilingual:latest"), capabilities: ["embedding"] },
            { ...model("my-embedder-chat:latest", "1B"), capabilities: ["completion", "vision"] },
            model("llama3.2:3b", "3.2B"),
          ],
        },
      ],
      index: agentIndex(),
      budgets: memoryBudgets(machine),
      contextTokens: 4096,
    });
    expect(d.chain.map((c) => c.ref)).toEqual(["my-embedder-chat:latest", "llama3.2:3b"]);
    expect(d.excluded).toEqual([
      {
        ref: "gpt-oss:120b-cloud",
        why: "a cloud model (answered at https://ollama.com:443): prompts would leave this machine, so it is used only where named",
      },
      { ref: "paraphrase-multilingual:latest", why: "an embedding model, it does not chat" },
    ]);
  });
});

describe("bench statistics", () => {
  it("mean ± sd and median, and a stable hardware fingerprint", () => {
    expect(stat([10, 20, 30])).toEqual({ n: 3, mean: 20, sd: 10, median: 20 });
    expect(stat([])).toBeUndefined();
    const a = hardwareFingerprint(machine);
    expect(hardwareFingerprint({ ...machine, ram: { ...machine.ram, availableBytes: 1 } })).toEqual(a);
    expect(hardwareFingerprint({ ...machine, arch: "arm64" }).fingerprint).not.toBe(a.fingerprint);
  });
});
