/**
 * `small-llm mcp`, the built CLI spawned over stdio and driven by the MCP SDK's own client, against
 * the Ollama emulator and an index server: every tool, progress notifications, tool errors with
 * codes, and nothing but JSON-RPC on stdout.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type ReleaseServer, startReleaseServer } from "../../test/ollama-releases/server.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
let emulator: OllamaEmulator;
let indexServer: IndexServer;
let client: Client;
let releases: ReleaseServer;
let env: Record<string, string>;

type Result = Awaited<ReturnType<Client["callTool"]>>;
const data = (r: Result) =>
  r.structuredContent as Record<string, unknown> & { error?: { code: string; message: string } };
const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000), ggufModel("hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M", 2e9)],
    chunkBytes: 20_000_000,
    lineDelayMs: 0,
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  releases = await startReleaseServer([{ tag: "v0.34.0", assets: [] }]);
  env = {
    SMALL_LLM_OLLAMA_RELEASES: releases.apiBase,
    ...getDefaultEnvironment(),
    SMALL_LLM_INDEX_URL: indexServer.url,
    SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-mcp-")),
    OLLAMA_HOST: emulator.hostPort,
    PATH: mkdtempSync(join(tmpdir(), "sli-nopath-")),
    SMALL_LLM_SCAN_DEFAULT_PORTS: "0",
    HF_ENDPOINT: "http://127.0.0.1:9", // no Hub: publish_model's dry run works offline
    HF_TOKEN: "",
    SMALL_LLM_DETECT: "0",
    SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-mcp-state-")),
    SMALL_LLM_CONFIG_DIR: mkdtempSync(join(tmpdir(), "sli-mcp-config-")),
  };
  client = new Client({ name: "small-llm-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp"], env, stderr: "pipe" }),
  );
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await indexServer?.close();
  await releases?.close();
});

describe("small-llm mcp", () => {
  it("lists its tools, each with a description and an input schema", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "delegate",
        "install_local_model",
        "list_installed",
        "list_models",
        "loaded_models",
        "publish_model",
        "recommend_model",
        "remove_model",
        "runtime_status",
        "stop_model",
        "update_model",
        "update_ollama",
      ].sort(),
    );
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe("object");
      // Every tool says whether it changes anything, so a client can ask before it does.
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe("boolean");
    }
    const hints = (name: string) => tools.find((t) => t.name === name)?.annotations;
    expect(hints("list_models")).toMatchObject({ readOnlyHint: true });
    expect(hints("remove_model")).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints("publish_model")).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
    const list = tools.find((t) => t.name === "list_models");
    expect(Object.keys(list?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["tier", "task", "search", "fits", "installable", "sort", "limit"]),
    );
  });

  it("list_models filters as the CLI does, and a bad tier is a tool error with its code", async () => {
    const all = data(await call("list_models"));
    expect((all.models as { id: string }[]).map((m) => m.id)).toEqual([
      "Qwen/Qwen2.5-0.5B-Instruct",
      "meta-llama/Llama-3.2-3B-Instruct",
    ]);
    const fits = data(await call("list_models", { fits: "2" }));
    expect((fits.models as { id: string; bestFit: { quant: string } }[]).map((m) => [m.id, m.bestFit.quant])).toEqual([
      ["Qwen/Qwen2.5-0.5B-Instruct", "Q4_K_M"],
    ]);
    const bad = await call("list_models", { tier: "9b" });
    expect(bad.isError).toBe(true);
    expect(data(bad).error?.code).toBe("invalid-argument");
    expect(JSON.parse((bad.content as { text: string }[])[0]?.text ?? "{}").error.message).toContain("sub-1b");
  });

  it("recommend_model plans for this machine or for the hardware named", async () => {
    const r = data(await call("recommend_model", { fits: "2" }));
    expect(r.plannedFor).toMatchObject({ fits: "2" });
    expect((r.recommendations as { id: string; ref: string }[]).map((x) => [x.id, x.ref])).toEqual([
      ["Qwen/Qwen2.5-0.5B-Instruct", QWEN],
    ]);
    expect((r.recommendations as object[])[0]).toMatchObject({
      tokensPerSecond: expect.any(Number),
      source: expect.stringMatching(/^(estimated|measured)$/),
    });
    const slow = data(await call("recommend_model", { fits: "2", minSpeed: 5000 }));
    expect((slow.recommendations as { usable: boolean }[])[0]?.usable).toBe(false);
    expect(data(await call("recommend_model")).hardware).toMatchObject({ platform: process.platform });
  });

  it("install_local_model reports growing progress through MCP notifications, then the model", async () => {
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const r = await client.callTool(
      { name: "install_local_model", arguments: { model: "Qwen/Qwen2.5-0.5B-Instruct" } },
      { onprogress: (p) => seen.push(p) },
    );
    expect(r.isError).toBeFalsy();
    expect(data(r).installed).toMatchObject({ name: QWEN, indexId: "Qwen/Qwen2.5-0.5B-Instruct" });
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.progress).toBeGreaterThan(seen[i - 1]?.progress ?? 0);
    expect(seen.at(-1)?.progress).toBe(seen.at(-1)?.total);
    expect(seen[0]?.message).toContain("pulling");
  });

  it("list_installed and runtime_status see it, with its index id", async () => {
    const installed = data(await call("list_installed")).models as { name: string; indexId: string }[];
    expect(installed.map((m) => [m.name, m.indexId])).toEqual([[QWEN, "Qwen/Qwen2.5-0.5B-Instruct"]]);
    const status = data(await call("runtime_status"));
    expect((status.runtimes as { reachable: boolean; version: string }[])[0]).toMatchObject({
      reachable: true,
      version: "0.33.0",
    });
    expect(status.index).toMatchObject({ version: "2026-11-23.3f9a1c2b" });
  });

  it("delegate answers with the LlmResponse, and a model that cannot answer is a tool error saying why", async () => {
    const r = await call("delegate", { prompt: "summarise this", model: "Qwen/Qwen2.5-0.5B-Instruct" });
    expect(r.isError).toBeFalsy();
    expect(data(r)).toMatchObject({
      success: true,
      runtime: "ollama",
      text: expect.stringContaining("summarise this"),
    });
    expect(data(r).tokensPerSecond).toBeGreaterThan(0);
    const quick = await call("delegate", { prompt: "hi", task: "quick" });
    expect(data(quick)).toMatchObject({ success: true, model: QWEN });
    const missing = await call("delegate", { prompt: "hi", model: "meta-llama/Llama-3.2-3B-Instruct" });
    expect(missing.isError).toBe(true);
    expect(data(missing)).toMatchObject({ success: false, error: { code: expect.any(String) } });
  });

  it("delegate takes the gateway's model forms: auto, task/<task>, ollama/<ref>, local_<ref>", async () => {
    for (const model of ["auto", "task/quick", `ollama/${QWEN}`, `local_${QWEN}`]) {
      const r = await call("delegate", { prompt: "hi", model });
      expect(data(r), model).toMatchObject({ success: true, model: QWEN });
    }
    // A name that is no model here fails inside the delegation, with the same response as before.
    const unknown = await call("delegate", { prompt: "hi", model: "nope:1b" });
    expect(unknown.isError).toBe(true);
    expect(data(unknown)).toMatchObject({ success: false, error: { code: expect.any(String) } });
  });

  it("loaded_models says what delegate loaded and where it sits; stop_model unloads it", async () => {
    const loaded = data(await call("loaded_models")).models as { name: string; processor: string }[];
    expect(loaded).toContainEqual(expect.objectContaining({ name: QWEN, processor: "100% GPU" }));
    expect(data(await call("stop_model", { model: "Qwen/Qwen2.5-0.5B-Instruct" }))).toEqual({
      model: QWEN,
      wasLoaded: true,
    });
    expect(data(await call("loaded_models")).models).toEqual([]);
  });

  it("update_ollama compares with the latest release (check) and says how this Ollama updates", async () => {
    const r = await call("update_ollama", { check: true });
    expect(r.isError).toBeFalsy();
    expect(data(r)).toMatchObject({ latest: "0.34.0", installed: "0.33.0", updateAvailable: true, updated: false });
  });

  it("update_model says whether the model changed, and with all: true goes on past a model made here", async () => {
    const same = data(await call("update_model", { model: "Qwen/Qwen2.5-0.5B-Instruct" }));
    expect(same.results).toMatchObject([{ ref: QWEN, changed: false }]);
    emulator.republish(QWEN, "new-build");
    await fetch(`${emulator.url}/api/create`, {
      method: "POST",
      body: JSON.stringify({ model: "pirate", from: QWEN, system: "Arr." }),
    }).then((r) => r.text());
    const changed = data(await call("update_model", { all: true }));
    expect(changed.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ref: QWEN, changed: true }),
        expect.objectContaining({
          ref: "pirate:latest",
          changed: false,
          skipped: expect.objectContaining({ code: "unknown-model" }),
        }),
      ]),
    );
    await fetch(`${emulator.url}/api/delete`, { method: "DELETE", body: JSON.stringify({ model: "pirate" }) });
  });

  it("install_local_model of an unknown model, or with Ollama faults, is a tool error with the code", async () => {
    const unknown = await call("install_local_model", { model: "not a model!" });
    expect(unknown.isError).toBe(true);
    expect(data(unknown).error?.code).toBe("invalid-model-name");
    emulator.faults.push({ path: "/api/pull", times: 1, kind: "disk-full", afterLines: 2 });
    const full = await call("install_local_model", { model: "meta-llama/Llama-3.2-3B-Instruct" });
    expect(data(full).error?.code).toBe("disk-full");
  });

  it("remove_model removes it", async () => {
    expect(data(await call("remove_model", { model: "Qwen/Qwen2.5-0.5B-Instruct" }))).toEqual({ removed: QWEN });
    expect(data(await call("list_installed")).models).toEqual([]);
  });
});

describe("small-llm mcp's stdout", () => {
  it("carries nothing but JSON-RPC messages", async () => {
    const child = spawn(process.execPath, [CLI, "mcp"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    let wake = () => {};
    child.stdout.on("data", (d) => {
      stdout += d;
      wake();
    });
    const lines = (n: number) =>
      new Promise<void>((resolve) => {
        wake = () => {
          if (stdout.split("\n").filter(Boolean).length >= n) resolve();
        };
        wake();
      });
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    await lines(1);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_models", arguments: { limit: 1 } } });
    await lines(2);
    child.stdin.end();
    await new Promise((r) => child.on("close", r));
    const messages = stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const m of messages) expect(m.jsonrpc).toBe("2.0");
    expect(messages.find((m) => m.id === 2)?.result.structuredContent.models).toHaveLength(1);
    expect(stderr).toContain("small-llm mcp: serving on stdio");
  });

  it("publish_model dry-runs an adapter offline, saying it could not compare and every file would be sent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sli-mcp-lora-"));
    writeFileSync(
      join(dir, "adapter_config.json"),
      JSON.stringify({ base_model_name_or_path: "Qwen/Qwen2.5-0.5B-Instruct", peft_type: "LORA", r: 8 }),
    );
    writeFileSync(join(dir, "adapter_model.safetensors"), Buffer.alloc(4096, 1));
    const r = data(await call("publish_model", { path: dir, repo: "alice/mcp-lora", dryRun: true }));
    expect(r).toMatchObject({ repo: "alice/mcp-lora", kind: "adapter", dryRun: true, compared: false });
    expect((r.upload as { path: string }[]).map((f) => f.path).sort()).toEqual([
      "README.md",
      "adapter_config.json",
      "adapter_model.safetensors",
    ]);
    expect(JSON.stringify(r.notes)).toMatch(/could not compare with the remote/);
  });

  it("publish_model refuses a folder that is not a model, as a tool error with its code", async () => {
    const r = await call("publish_model", { path: mkdtempSync(join(tmpdir(), "sli-mcp-empty-")), repo: "alice/x" });
    expect(r.isError).toBe(true);
    expect((r.structuredContent as { error: { code: string } }).error.code).toBe("not-a-model");
  });
});
