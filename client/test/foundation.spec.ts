/**
 * The seams every adapter stands on: one operations layer (the CLI, the HTTP API and MCP refuse a
 * pull the disk cannot hold with the same words), and a Router per server whose shared loads are
 * never poisoned by one caller's cancel.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRegistry, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { Router } from "../src/agent/router.ts";
import { createMcpServer } from "../src/mcp/mcp-tools.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";

const base = sampleModel();
const HUGE_REF = "hf.co/example/Huge-Disk-GGUF:Q4_K_M";
const huge = sampleModel({
  id: "example/Huge-Disk-Instruct",
  install: [{ ...(base.install[0] as (typeof base.install)[0]), ref: HUGE_REF, fileBytes: 5e15 }],
});

describe("one pre-flight, whichever adapter asks", () => {
  let emulator: OllamaEmulator;
  let index: IndexServer;
  let api: ApiServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    emulator = await startOllamaEmulator({ registry: [ggufModel(HUGE_REF, 1000)], lineDelayMs: 0 });
    index = await startIndexServer(JSON.stringify(sampleIndex([base, huge])));
    env = {
      OLLAMA_HOST: emulator.hostPort,
      SMALL_LLM_INDEX_URL: index.url,
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-found-")),
      SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-found-state-")),
    };
    api = await startApiServer({
      port: 0,
      runtime: new OllamaDriver({ host: emulator.url }),
      index: { urls: [index.url], cacheDir: env.SMALL_LLM_CACHE_DIR },
      others: false,
    });
  });
  afterAll(async () => {
    await api.close();
    await emulator.close();
    await index.close();
  });

  it("refuses a model the disk cannot hold on the CLI, over HTTP and over MCP, in the same words", async () => {
    const cli = await cliInProcess(["install", huge.id], { env });
    expect(cli.code).toBe(5);
    const said = (cli.stderr.split("\n").find((l) => l.startsWith("small-llm: ")) ?? "").replace(/^small-llm: /, "");
    expect(said).toMatch(/^not enough disk space for hf\.co\/example\/Huge-Disk-GGUF:Q4_K_M: it needs 5500 TB/);

    const http = await fetch(`${api.url}/api/install`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: huge.id }),
    });
    expect(http.status).toBe(507);
    expect((await http.json()).error).toEqual({ code: "not-enough-disk", message: said });

    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createMcpServer({
      runtime: new OllamaDriver({ host: emulator.url }),
      router: new Router({ index: { urls: [index.url], cacheDir: env.SMALL_LLM_CACHE_DIR } }),
    });
    await server.connect(serverSide);
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(clientSide);
    const tool = await client.callTool({ name: "install_local_model", arguments: { model: huge.id } });
    expect(tool.isError).toBe(true);
    expect(tool.structuredContent).toEqual({ error: { code: "not-enough-disk", message: said } });
    await client.close();

    expect(emulator.installed()).toEqual([]); // nothing was pulled anywhere
  });
});

describe("a Router per server", () => {
  it("a cancelled delegation leaves the index to the next call on the same server", async () => {
    const emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
    const driver = new OllamaDriver({ host: emulator.url });
    await driver.install(SMALL);
    // The index answers after 3 s: the first call gives up long before that.
    const model = sampleModel({
      id: "org/Small-Instruct",
      install: [{ ...(base.install[0] as (typeof base.install)[0]), ref: SMALL }],
    });
    const slow = await startIndexServer(JSON.stringify(sampleIndex([model])), "slow");
    const api = await startApiServer({
      port: 0,
      runtime: driver,
      index: { urls: [slow.url], cacheDir: mkdtempSync(join(tmpdir(), "sli-router-")) },
      others: false,
      delegate: { runtimes: [driver], hardware: machine, config: { retryDelayMs: 1 }, metrics: false },
    });
    const ask = (signal?: AbortSignal) =>
      fetch(`${api.url}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "hello", model: SMALL }),
        ...(signal ? { signal } : {}),
      });
    try {
      await expect(ask(AbortSignal.timeout(200))).rejects.toThrow();
      const events = (await (await ask()).text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const done = events.at(-1);
      expect(done.type).toBe("done");
      expect(done.response).toMatchObject({ success: true, model: SMALL, indexId: "org/Small-Instruct" });
    } finally {
      await api.close();
      await slow.close();
      await emulator.close();
    }
  });

  it("two Routers keep their own cooldowns", () => {
    const a = new Router();
    const b = new Router();
    a.cooldowns.coolDown("http://h", "m", 60_000);
    expect(a.cooldowns.remaining("http://h", "M")).toBeGreaterThan(0);
    expect(b.cooldowns.remaining("http://h", "m")).toBe(0);
  });

  it("sends prompts only where the user said: SMALL_LLM_RUNTIMES is looked at, the default ports only if allowed", async () => {
    const lmstudio = await startOpenAIEmulator({ flavour: "lmstudio", models: ["qwen2.5-0.5b-instruct"] });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { SMALL_LLM_RUNTIMES: lmstudio.url, SMALL_LLM_SCAN_DEFAULT_PORTS: "0" });
      delete process.env.SMALL_LLM_DETECT;
      const found = await new Router().runtimes({});
      expect(found.local.map((r) => r.kind)).toEqual(["ollama", "lmstudio"]);
      process.env.SMALL_LLM_DETECT = "0";
      expect((await new Router().runtimes({})).local.map((r) => r.kind)).toEqual(["ollama"]);
    } finally {
      process.env = saved;
      await lmstudio.close();
    }
  });
});
