/**
 * What the agent layer offers a gateway: tools through delegate(), the answering model announced
 * before its tokens, no fallback once tokens went out (`fallbackAfterTokens: false`), named chains
 * in config.json, runtime objects reused between calls, and embedding calls kept out of the savings.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentIndex, agentRegistry, LARGE, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { parseConfig } from "../src/agent/config.ts";
import type { DelegateOptions } from "../src/agent/delegate.ts";
import { summarizeMetrics } from "../src/agent/metrics-summary.ts";
import { Router } from "../src/agent/router.ts";
import { ConfigError } from "../src/errors/index.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";

let emulator: OllamaEmulator;
let driver: OllamaDriver;
let router: Router;
const base = (): DelegateOptions => ({
  runtimes: [driver],
  index: agentIndex(),
  hardware: machine,
  config: { retryDelayMs: 1 },
  metrics: false,
});

beforeEach(async () => {
  emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  driver = new OllamaDriver({ host: emulator.url });
  for (const ref of [SMALL, LARGE]) await driver.install(ref);
  router = new Router();
});
afterEach(() => emulator.close());

describe("delegate() for a gateway", () => {
  it("passes tools and returns the calls, an answer with no text", async () => {
    const r = await router.delegate("weather?", {
      ...base(),
      model: SMALL,
      tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      toolChoice: "auto",
    });
    expect(r.success).toBe(true);
    expect(r.text).toBe("");
    expect(r.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: "get_weather", arguments: expect.any(String) },
    ]);
    expect(r.doneReason).toBe("stop");
  });

  it("says which model the next tokens come from before they come", async () => {
    emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "empty" });
    const events: string[] = [];
    const r = await router.delegate("hi", {
      ...base(),
      chain: [LARGE, SMALL],
      onAttemptStart: (a) => events.push(`start ${a.model} ${a.runtime} ${a.side}`),
      onToken: () => {
        if (events.at(-1) !== "token") events.push("token");
      },
    });
    expect(r.model).toBe(SMALL);
    expect(events).toEqual([`start ${LARGE} ollama local`, `start ${SMALL} ollama local`, "token"]);
  });

  it("a failure after tokens went out falls back by default, and ends the call with fallbackAfterTokens: false", async () => {
    const fault = () =>
      emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "error-line", afterLines: 2 });
    fault();
    const fell = await router.delegate("tell me", { ...base(), chain: [LARGE, SMALL], onToken: () => {} });
    expect(fell.model).toBe(SMALL);
    fault();
    let tokens = 0;
    const stopped = await router.delegate("tell me", {
      ...base(),
      chain: [LARGE, SMALL],
      fallbackAfterTokens: false,
      retries: 2,
      onToken: () => tokens++,
    });
    expect(stopped.success).toBe(false);
    expect(tokens).toBe(2);
    expect(stopped.error?.code).toBe("ollama-error");
    expect(stopped.attempts.map((a) => [a.model, a.outcome])).toEqual([[LARGE, "ollama-error"]]);
  });

  it("with fallbackAfterTokens: false, a failure before any token still falls back", async () => {
    emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "empty" });
    const r = await router.delegate("hi", {
      ...base(),
      chain: [LARGE, SMALL],
      fallbackAfterTokens: false,
      onToken: () => {},
    });
    expect(r.model).toBe(SMALL);
  });

  it("answerReserve sizes the context for less than num_predict", async () => {
    const sent = () =>
      (emulator.requests.filter((q) => q.path === "/api/chat").at(-1)?.body as { options: Record<string, number> })
        .options;
    await router.delegate("hi", { ...base(), model: SMALL, options: { num_predict: 20_000 } });
    expect(sent().num_ctx).toBe(20_480);
    await router.delegate("hi", { ...base(), model: SMALL, options: { num_predict: 20_000 }, answerReserve: 2048 });
    expect(sent()).toMatchObject({ num_predict: 20_000 });
    expect(sent().num_ctx ?? 4096).toBeLessThanOrEqual(4096);
  });

  it("reuses the runtimes the config names from call to call, so their model lists are shared", async () => {
    const own = new Router({ detect: false });
    const options: DelegateOptions = {
      index: agentIndex(),
      hardware: machine,
      config: { runtimes: { ollama: emulator.url } },
      metrics: false,
    };
    const before = emulator.requests.filter((q) => q.path === "/api/tags").length;
    expect((await own.delegate("a", { ...options, model: SMALL })).success).toBe(true);
    expect((await own.delegate("b", { ...options, model: SMALL })).success).toBe(true);
    expect(emulator.requests.filter((q) => q.path === "/api/tags").length - before).toBe(1);
  });
});

describe("config and metrics", () => {
  it("config.json may name chains; their entries are checked like every chain's", () => {
    expect(parseConfig({ chains: { "my-coder": ["Qwen/Qwen2.5-0.5B-Instruct", "qwen3:0.6b"] } }).chains).toEqual({
      "my-coder": ["Qwen/Qwen2.5-0.5B-Instruct", "qwen3:0.6b"],
    });
    expect(() => parseConfig({ chains: { x: ["cloud:nope"] } })).toThrow(ConfigError);
    expect(() => parseConfig({ chains: { "bad name": ["a"] } })).toThrow(/chains.bad name/);
  });

  it("embedding calls are counted but not priced as chat in the savings", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sli-embed-metrics-")), "usage.jsonl");
    const line = (kind: string) =>
      JSON.stringify({
        v: 1,
        ts: new Date().toISOString(),
        kind,
        model: "m",
        runtime: "ollama",
        side: "local",
        latencyMs: 5,
        promptTokens: 1000,
        outputTokens: kind === "embed" ? 0 : 10,
        success: true,
        attempts: [],
      });
    writeFileSync(file, `${line("delegate")}\n${line("embed")}\n`);
    const s = await summarizeMetrics({ file, by: "task" });
    expect(s.total.calls).toBe(2);
    expect(s.savings.promptTokens).toBe(1000);
    expect(s.groups.map((g) => g.key).sort()).toEqual(["(embed)", "(none)"]);
  });
});
