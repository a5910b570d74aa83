/** Hybrid routing: local first, a cloud model on an OpenAI-compatible endpoint last; other local runtimes; against both emulators. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentIndex, agentRegistry, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import type { AgentConfig } from "../src/agent/config.ts";
import { type DelegateOptions, defaultRouter, delegate, resetCooldowns } from "../src/agent/delegate.ts";
import { explainChain } from "../src/agent/explain.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { OpenAICompatibleRuntime } from "../src/runtimes/openai-compatible/runtime.ts";

const KEY_ENV = "SLI_TEST_CLOUD_KEY";
let ollama: OllamaEmulator;
let cloud: OpenAIEmulator;
let driver: OllamaDriver;

const cloudConfig = (extra: Partial<AgentConfig> = {}): AgentConfig => ({
  retryDelayMs: 1,
  cloud: { main: { baseUrl: `${cloud.url}/v1`, model: "gpt-test", apiKeyEnv: KEY_ENV } },
  ...extra,
});
const base = (config: AgentConfig): DelegateOptions => ({
  runtimes: [driver],
  index: agentIndex(),
  hardware: machine,
  config,
  metrics: false,
});

beforeEach(async () => {
  resetCooldowns();
  ollama = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  cloud = await startOpenAIEmulator({ flavour: "openai", models: ["gpt-test"], tokenDelayMs: 0 });
  driver = new OllamaDriver({ host: ollama.url });
  process.env[KEY_ENV] = cloud.apiKey;
});
afterEach(async () => {
  delete process.env[KEY_ENV];
  await ollama.close();
  await cloud.close();
});

describe("local first, the cloud only when local cannot", () => {
  it("a local answer never touches the cloud", async () => {
    await driver.install(SMALL);
    const r = await delegate("hi", base(cloudConfig({ fallback: ["cloud:main"] })));
    expect(r).toMatchObject({ success: true, model: SMALL, side: "local" });
    expect(cloud.requests.filter((q) => q.path === "/v1/chat/completions")).toHaveLength(0);
  });

  it("a bad local answer falls to the cloud model, with the key from the env var the config names", async () => {
    await driver.install(SMALL);
    ollama.faults.push({ path: "/api/chat", times: 1, kind: "empty" });
    const state = mkdtempSync(join(tmpdir(), "sli-hybrid-"));
    process.env.SMALL_LLM_STATE_DIR = state;
    try {
      const r = await delegate("hi", { ...base(cloudConfig({ fallback: ["cloud:main"] })), metrics: true });
      expect(r).toMatchObject({ success: true, model: "gpt-test", runtime: "openai", side: "cloud" });
      expect(r.text).toContain("Hello from gpt-test");
      expect(r.attempts.map((a) => [a.model, a.outcome])).toEqual([
        [SMALL, "bad-answer"],
        ["gpt-test", "ok"],
      ]);
      const request = cloud.requests.find((q) => q.path === "/v1/chat/completions");
      expect(request?.bearer).toBe(true);
      const line = readFileSync(join(state, "metrics", "usage.jsonl"), "utf8");
      expect(JSON.parse(line)).toMatchObject({ side: "cloud", model: "gpt-test", success: true });
      expect(line).not.toContain(cloud.apiKey as string);
    } finally {
      delete process.env.SMALL_LLM_STATE_DIR;
    }
  });

  it("a routing rule sends long prompts straight to the cloud", async () => {
    await driver.install(SMALL);
    const config = cloudConfig({ routes: [{ when: { minPromptTokens: 1000 }, chain: ["cloud:main"] }] });
    const long = await delegate(Array.from({ length: 1500 }, (_, i) => `w${i}`).join(" "), base(config));
    expect(long).toMatchObject({ success: true, side: "cloud", model: "gpt-test" });
    const short = await delegate("hi", base(config));
    expect(short).toMatchObject({ success: true, side: "local", model: SMALL });
    const explained = await explainChain("x".repeat(4000), { ...base(config) });
    expect(explained.source).toBe("route");
    expect(explained.lines[1]).toContain("a routing rule of config.json");
  });

  it("a cloud endpoint busy twice is retried; a missing key says which variable to set", async () => {
    cloud.faults.push({ kind: "busy", times: 2, status: 429 });
    const busy = await delegate("hi", base(cloudConfig({ tasks: { quick: { chain: ["cloud:main"] } } })));
    expect(busy.success).toBe(true);
    expect(busy.attempts.map((a) => a.outcome)).toEqual(["busy", "busy", "ok"]);
    delete process.env[KEY_ENV];
    const nokey = await delegate("hi", base(cloudConfig({ tasks: { quick: { chain: ["cloud:main"] } } })));
    expect(nokey.success).toBe(false);
    expect(nokey.error?.code).toBe("api-key-required");
    expect(nokey.error?.message).toContain(KEY_ENV);
  });
});

describe("other local runtimes", () => {
  it("a server found by detection joins the derived chain", async () => {
    const lmstudio = await startOpenAIEmulator({
      flavour: "lmstudio",
      models: ["qwen2.5-coder-7b-instruct"],
      tokenDelayMs: 0,
    });
    try {
      defaultRouter().forgetDetected();
      const r = await delegate("write code", {
        index: agentIndex(),
        hardware: machine,
        config: { retryDelayMs: 1, runtimes: { ollama: ollama.url } },
        detect: { defaults: false, hosts: [lmstudio.url] },
        metrics: false,
        task: "coding",
      });
      expect(r).toMatchObject({ success: true, runtime: "lmstudio", model: "qwen2.5-coder-7b-instruct" });
    } finally {
      defaultRouter().forgetDetected();
      await lmstudio.close();
    }
  });

  it("Ollama down: a model on LM Studio answers", async () => {
    const lmstudio = await startOpenAIEmulator({
      flavour: "lmstudio",
      models: ["qwen2.5-coder-7b-instruct"],
      tokenDelayMs: 0,
    });
    try {
      await ollama.close();
      const lm = new OpenAICompatibleRuntime({ kind: "lmstudio", baseUrl: lmstudio.url });
      const r = await delegate("write code", { ...base({ retryDelayMs: 1 }), runtimes: [driver, lm], task: "coding" });
      expect(r).toMatchObject({
        success: true,
        runtime: "lmstudio",
        model: "qwen2.5-coder-7b-instruct",
        side: "local",
      });
      expect(r.notes.join("\n")).toMatch(/ollama at .* is not reachable/);
      const e = await explainChain("x", { ...base({}), runtimes: [driver, lm], task: "coding" });
      expect(e.chain[0]?.why).toMatch(/code model/); // placed by its name: not in the index
    } finally {
      await lmstudio.close();
      ollama = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
    }
  });
});
