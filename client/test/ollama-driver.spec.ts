import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeOllamaBinDir, randomPort } from "../../test/helpers/fake-ollama.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import {
  CancelledError,
  DiskFullError,
  ModelNotInstalledError,
  OllamaNotInstalledError,
  OllamaServerDownError,
  OllamaVersionError,
  PullInterruptedError,
  RuntimeServerError,
  UnknownModelError,
} from "../src/errors/index.ts";
import { processorSplit } from "../src/operations/loaded.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { installedRef, resolveRef, withIndexIds } from "../src/runtimes/resolve-target.ts";
import { runModel } from "../src/runtimes/run-model.ts";
import type { PullProgress } from "../src/runtimes/runtime.ts";

const index = sampleIndex();
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const QWEN_Q8 = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0";
let emulator: OllamaEmulator;
let driver: OllamaDriver;
/** What the CLI does: resolve an index id (or take a raw ref), then hand the runtime a ref. */
const install = async (
  idOrRef: string,
  options: { quant?: string; onProgress?: (p: PullProgress) => void; signal?: AbortSignal } = {},
) => driver.install(resolveRef(idOrRef, index, options.quant).ref, options);

beforeEach(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000), ggufModel(QWEN_Q8, 500_000_000), ggufModel("llama3.2", 2_000_000_000)],
    chunkBytes: 50_000_000,
    lineDelayMs: 0,
  });
  driver = new OllamaDriver({ host: emulator.hostPort });
});
afterEach(async () => {
  await emulator.close();
});

describe("install", () => {
  it("resolves an index id to its default ref and streams progress in Ollama's order", async () => {
    const events: PullProgress[] = [];
    const installed = await install("Qwen/Qwen2.5-0.5B-Instruct", { onProgress: (p) => events.push(p) });
    expect(installed).toMatchObject({ name: QWEN, quant: "Q4_K_M" });
    expect(withIndexIds(index, [installed])[0]?.indexId).toBe("Qwen/Qwen2.5-0.5B-Instruct");
    expect(installed.digest).toMatch(/^[0-9a-f]{64}$/);
    const statuses = [...new Set(events.map((e) => e.status.replace(/[0-9a-f]{12}$/, "<layer>")))];
    expect(statuses).toEqual([
      "pulling manifest",
      "pulling <layer>",
      "verifying sha256 digest",
      "writing manifest",
      "success",
    ]);
    const weights = events.filter((e) => e.total === 300_000_000);
    expect(weights[0]?.completed).toBeUndefined(); // Ollama omits completed while it is 0
    expect(weights.at(-1)?.completed).toBe(300_000_000);
    expect(emulator.requests.find((r) => r.path === "/api/pull")?.body).toMatchObject({ stream: true });
  });

  it("installs a chosen quant, and takes raw Ollama refs as they are", async () => {
    expect((await install("Qwen/Qwen2.5-0.5B-Instruct", { quant: "q8_0" })).name).toBe(QWEN_Q8);
    expect((await install("llama3.2")).name).toBe("llama3.2:latest");
  });

  it("says which quants exist when asked for one that does not", async () => {
    await expect(install("Qwen/Qwen2.5-0.5B-Instruct", { quant: "Q2_K" })).rejects.toThrow(
      /no Q2_K build; available: Q4_K_M, Q8_0/,
    );
  });

  it("reports an unknown model (an error line after HTTP 200) as UnknownModelError", async () => {
    const error = await driver.install("hf.co/nobody/nothing-GGUF:Q4_K_M").catch((e) => e);
    expect(error).toBeInstanceOf(UnknownModelError);
    expect(error.code).toBe("unknown-model");
  });

  it("rejects a name with shell characters before it reaches Ollama", async () => {
    await expect(install("qwen; rm -rf ~")).rejects.toBeInstanceOf(UnknownModelError);
    expect(emulator.requests.filter((r) => r.path === "/api/pull")).toHaveLength(0);
  });

  it("turns no space left on device into DiskFullError, saying what to do", async () => {
    emulator.faults.push({ path: "/api/pull", times: 1, kind: "disk-full", afterLines: 3 });
    const error = await driver.install(QWEN).catch((e) => e);
    expect(error).toBeInstanceOf(DiskFullError);
    expect(error.message).toMatch(/no space left on device[\s\S]*Free space/);
    expect(error.code).toBe("disk-full");
  });

  it("turns a stream cut mid-pull into PullInterruptedError, and a re-run resumes", async () => {
    emulator.faults.push({ path: "/api/pull", times: 1, kind: "cut", afterLines: 4 });
    const error = await driver.install(QWEN).catch((e) => e);
    expect(error).toBeInstanceOf(PullInterruptedError);
    expect(error.message).toContain("Run the same command again");
    const events: PullProgress[] = [];
    await driver.install(QWEN, { onProgress: (p) => events.push(p) });
    const firstWeights = events.find((e) => e.total === 300_000_000);
    expect(firstWeights?.completed).toBeGreaterThan(0); // resumed, not from zero
  });

  it("turns an error line mid-stream into PullInterruptedError", async () => {
    emulator.faults.push({
      path: "/api/pull",
      times: 1,
      kind: "error-line",
      afterLines: 3,
      message: "max retries exceeded: EOF",
    });
    await expect(driver.install(QWEN)).rejects.toThrow(/max retries exceeded: EOF/);
  });

  it("waits out a slow server", async () => {
    emulator.faults.push({ path: "/api/pull", times: 1, kind: "slow", delayMs: 500 });
    expect((await driver.install(QWEN)).name).toBe(QWEN);
  });

  it("surfaces an HTTP 500 with the server's message, as a transient server error", async () => {
    emulator.faults.push({ path: "/api/pull", times: 1, kind: "500", message: "registry unreachable" });
    const error = await driver.install(QWEN).catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeServerError);
    expect(error).toMatchObject({ code: "server-error", statusCode: 500 });
    expect(error.message).toContain("registry unreachable");
  });

  it("refuses hf.co refs on a server too old to pull them", async () => {
    const old = await startOllamaEmulator({ registry: [ggufModel(QWEN, 1000)], version: "0.3.6" });
    try {
      const error = await new OllamaDriver({ host: old.hostPort }).install(QWEN).catch((e) => e);
      expect(error).toBeInstanceOf(OllamaVersionError);
      expect(error.message).toMatch(/needs Ollama 0\.3\.13 or newer, but the server is 0\.3\.6/);
    } finally {
      await old.close();
    }
  });

  it("can be cancelled with an AbortSignal", async () => {
    const slow = await startOllamaEmulator({
      registry: [ggufModel(QWEN, 10_000_000_000)],
      chunkBytes: 1_000_000,
      lineDelayMs: 5,
    });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("stopped by the user")), 100);
      const error = await new OllamaDriver({ host: slow.hostPort })
        .install(QWEN, { signal: controller.signal })
        .catch((e) => e);
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.code).toBe("cancelled");
    } finally {
      await slow.close();
    }
  });
});

describe("update", () => {
  it("says unchanged when the digest is the same, and from → to when upstream changed", async () => {
    await driver.install(QWEN);
    const same = await driver.update(installedRef("Qwen/Qwen2.5-0.5B-Instruct", index, await driver.list()));
    expect(same).toMatchObject({ ref: QWEN, changed: false });
    emulator.republish(QWEN, "weights:v2");
    const changed = await driver.update(QWEN);
    expect(changed?.changed).toBe(true);
    expect(changed?.from).toBe(same?.to);
    expect(changed?.to).not.toBe(changed?.from);
  });

  it("updates every installed model with updateAll", async () => {
    await driver.install(QWEN);
    await driver.install("llama3.2");
    expect((await driver.updateAll()).map((r) => r.ref).sort()).toEqual([QWEN, "llama3.2:latest"]);
  });

  it("refuses to update what is not installed", async () => {
    await expect(driver.update(QWEN)).rejects.toThrow(/not installed/);
  });
});

describe("run", () => {
  it("installs a missing model first, streams tokens, and reports latency and speed", async () => {
    const tokens: string[] = [];
    const result = await runModel(driver, resolveRef("Qwen/Qwen2.5-0.5B-Instruct", index).ref, "why is the sky blue?", {
      options: { temperature: 0.2 },
      onToken: (t) => tokens.push(t),
    });
    expect(emulator.installed()).toContain(QWEN);
    expect(tokens.join("")).toBe(result.text);
    expect(result.text).toContain("why is the sky blue?");
    expect(result).toMatchObject({ model: QWEN, doneReason: "stop", promptTokens: 5 });
    expect(result.outputTokens).toBe(tokens.length);
    expect(result.tokensPerSecond).toBeCloseTo(100, 5);
    const request = emulator.requests.find((r) => r.path === "/api/generate");
    expect(request?.body).toMatchObject({ model: QWEN, options: { temperature: 0.2 }, stream: true });
  });

  it("chats with messages and a system prompt, passing options through", async () => {
    await driver.install(QWEN);
    const result = await driver.chat(QWEN, [{ role: "user", content: "hi" }], {
      system: "be brief",
      options: { num_predict: 3 },
    });
    expect(result.doneReason).toBe("length");
    expect(result.outputTokens).toBe(3);
    const body = emulator.requests.find((r) => r.path === "/api/chat")?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
    ]);
  });

  it("does not install when told not to", async () => {
    const error = await runModel(driver, QWEN, "hi", { pull: false, asTyped: "Qwen/Qwen2.5-0.5B-Instruct" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ModelNotInstalledError);
    expect(error.message).toContain("small-llm install Qwen/Qwen2.5-0.5B-Instruct");
  });
});

describe("list, remove, status", () => {
  it("lists installed models with their index id, and removes them", async () => {
    await driver.install(QWEN);
    expect(withIndexIds(index, await driver.list())).toEqual([
      expect.objectContaining({ name: QWEN, indexId: "Qwen/Qwen2.5-0.5B-Instruct", sizeBytes: 300_000_220 + 487 }),
    ]);
    expect(await driver.remove(installedRef("Qwen/Qwen2.5-0.5B-Instruct", index, await driver.list()))).toBe(QWEN);
    expect(await driver.list()).toEqual([]);
    const error = await driver.remove(QWEN).catch((e) => e);
    expect(error).toBeInstanceOf(ModelNotInstalledError);
    expect(emulator.requests.filter((r) => r.path === "/api/delete").every((r) => r.method === "DELETE")).toBe(true);
  });

  it("unloads a loaded model before removing it, as `ollama rm` does", async () => {
    await driver.install(QWEN);
    await runModel(driver, QWEN, "hi");
    expect((await driver.loaded()).map((m) => m.name)).toEqual([QWEN]);
    const from = emulator.requests.length;
    await driver.remove(QWEN);
    // Ollama's delete leaves a loaded model in memory until keep_alive ends: the unload comes first.
    expect(
      emulator.requests
        .slice(from)
        .flatMap((r) => (r.path === "/api/ps" ? [] : [[r.path, (r.body as { keep_alive?: unknown })?.keep_alive]])),
    ).toEqual([
      ["/api/generate", 0],
      ["/api/delete", undefined],
    ]);
  });

  it("reports status, with what is loaded, and does not throw when the server is down", async () => {
    expect(await driver.status()).toMatchObject({ reachable: true, version: "0.33.0", models: [], running: [] });
    await runModel(driver, QWEN, "hi");
    expect((await driver.status()).running).toEqual([expect.objectContaining({ name: QWEN, vramBytes: 300_000_707 })]);
    const down = new OllamaDriver({ host: "127.0.0.1:9" });
    expect(await down.status()).toMatchObject({ reachable: false, host: "http://127.0.0.1:9" });
  });
});

describe("when Ollama is missing or down", () => {
  const originalPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  it("says how to install Ollama when it is not on PATH", async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), "sli-empty-path-"));
    const error = await new OllamaDriver({ host: "127.0.0.1:9" }).list().catch((e) => e);
    expect(error).toBeInstanceOf(OllamaNotInstalledError);
    expect(error.message).toContain("small-llm setup");
  });

  it("says to start the server when the binary is there", async () => {
    const bin = mkdtempSync(join(tmpdir(), "sli-bin-"));
    writeFileSync(join(bin, "ollama"), "#!/bin/sh\nexit 1\n");
    chmodSync(join(bin, "ollama"), 0o755);
    process.env.PATH = bin;
    const error = await new OllamaDriver({ host: "127.0.0.1:9" }).install(QWEN).catch((e) => e);
    expect(error).toBeInstanceOf(OllamaServerDownError);
    expect(error.message).toContain("small-llm server start");
  });

  it("starts `ollama serve` when installed but not running, and logs where it said", async () => {
    process.env.PATH = `${fakeOllamaBinDir()}:${originalPath}`;
    const port = randomPort();
    const stateDir = mkdtempSync(join(tmpdir(), "sli-serve-"));
    process.env.SMALL_LLM_STATE_DIR = stateDir;
    const local = new OllamaDriver({ host: `127.0.0.1:${port}` });
    const started = await local.ensureRunning({ timeoutMs: 30_000, pollMs: 200 });
    try {
      expect(started.started).toBe(true);
      expect(started.logFile).toBe(join(stateDir, "logs", "ollama.log"));
      expect(readFileSync(join(stateDir, "ollama.pid"), "utf8").trim()).toBe(String(started.pid));
      expect((await local.status()).reachable).toBe(true);
      expect((await local.ensureRunning()).started).toBe(false);
    } finally {
      if (started.pid) process.kill(started.pid);
    }
  });
});

describe("answers as real Ollama versions give them (../shared/reference/ollama-api.md)", () => {
  /** A server answering each path with the given status and body. */
  async function answering(routes: Record<string, [number, string]>) {
    const { createServer } = await import("node:http");
    const { listenLocal } = await import("../../test/helpers/listen.ts");
    const server = createServer((req, res) => {
      req.resume();
      const [status, body] = routes[req.url ?? ""] ?? [404, "404 page not found"];
      const json = body.startsWith("{");
      res.writeHead(status, { "content-type": json ? "application/json; charset=utf-8" : "text/plain" });
      res.end(body);
    });
    const { port, close } = await listenLocal(server);
    return { driver: new OllamaDriver({ host: `127.0.0.1:${port}` }), close };
  }

  it("reads an empty list sent as null (Ollama before 0.1.39) and fields Go would zero", async () => {
    const { driver, close } = await answering({
      "/api/tags": [200, '{"models":null}'],
      "/api/ps": [200, '{"models":[{"name":"qwen3:0.6b","model":"qwen3:0.6b","size":523000000}]}'],
    });
    try {
      expect(await driver.list()).toEqual([]);
      const [loaded] = await driver.loaded();
      expect(loaded).toMatchObject({ name: "qwen3:0.6b", vramBytes: 0, expiresAt: "0001-01-01T00:00:00Z" });
    } finally {
      await close();
    }
  });

  it("keeps Ollama's capabilities and marks its cloud models (remote_host)", async () => {
    const tags = {
      models: [
        { name: "gpt-oss:120b-cloud", digest: "a".repeat(64), size: 384, modified_at: "2026-01-01T00:00:00Z" },
        {
          name: "nomic-embed-text:latest",
          digest: "b".repeat(64),
          size: 274302450,
          modified_at: "2026-01-01T00:00:00Z",
        },
      ].map((m, i) =>
        i === 0
          ? { ...m, remote_model: "gpt-oss:120b", remote_host: "https://ollama.com:443", capabilities: ["completion"] }
          : { ...m, capabilities: ["embedding"] },
      ),
    };
    const { driver, close } = await answering({ "/api/tags": [200, JSON.stringify(tags)] });
    try {
      expect(await driver.list()).toMatchObject([
        { name: "gpt-oss:120b-cloud", remote: "https://ollama.com:443", capabilities: ["completion"] },
        { name: "nomic-embed-text:latest", capabilities: ["embedding"] },
      ]);
    } finally {
      await close();
    }
  });

  it("says an endpoint this Ollama lacks needs a newer one, and a 500 without JSON is a server error, not 'not Ollama'", async () => {
    const { driver, close } = await answering({
      "/api/tags": [500, "Internal Server Error"],
      "/api/version": [200, '{"version":"0.1.30"}'],
    });
    try {
      const old = (await driver.loaded().catch((e: unknown) => e)) as Error & { code?: string };
      expect(old).toMatchObject({ code: "ollama-too-old" });
      expect(old.message).toMatch(/GET \/api\/ps needs a newer Ollama than the one at .*404 page not found/);
      const failing = (await driver.list().catch((e: unknown) => e)) as Error & { code?: string };
      expect(failing).toMatchObject({ code: "server-error" });
      expect(failing.message).toContain("HTTP 500");
    } finally {
      await close();
    }
  });

  it("an answer whose stream ends before Ollama's done line is a dropped connection, not a complete answer", async () => {
    const lines = `${JSON.stringify({ model: "qwen3:0.6b", response: "Half an ans", done: false })}\n`;
    const { driver, close } = await answering({ "/api/generate": [200, lines] });
    try {
      const e = (await driver.generate("qwen3:0.6b", "hi").catch((error: unknown) => error)) as { code?: string };
      expect(e).toMatchObject({ code: "connection-dropped" });
    } finally {
      await close();
    }
  });

  it.each([
    ['The specified tag is not a valid quantization scheme. Please use another tag or "latest"', "no-such-quant"],
    [
      "The specified tag is a sharded GGUF, which is not supported by Ollama. Please use a smaller quant.",
      "not-installable",
    ],
  ])("the Hub's refusal of an hf.co tag (%s) is a model error of its own", async (said, code) => {
    const line = JSON.stringify({ error: `pull model manifest: 400: ${said}` });
    const { driver, close } = await answering({
      "/api/pull": [200, line],
      "/api/version": [200, '{"version":"0.12.0"}'],
    });
    try {
      const e = await driver.install("hf.co/lab/Model-GGUF:Q9_X").catch((error: unknown) => error);
      expect(e).toMatchObject({ code });
    } finally {
      await close();
    }
  });

  it("words where a loaded model sits as `ollama ps` does", () => {
    expect(processorSplit(1000, 0)).toBe("100% CPU");
    expect(processorSplit(1000, 1000)).toBe("100% GPU");
    expect(processorSplit(1000, 250)).toBe("75%/25% CPU/GPU");
    expect(processorSplit(1000, 1200)).toBe("Unknown");
    expect(processorSplit(0, 10)).toBe("Unknown");
  });

  it("words a pull that needs a newer Ollama (412) as a sentence", async () => {
    const line = '{"error":"pull model manifest: 412: this model requires a newer version of Ollama"}';
    const { driver, close } = await answering({
      "/api/pull": [200, line],
      "/api/version": [200, '{"version":"0.5.0"}'],
    });
    try {
      const e = (await driver.install("qwen3:0.6b").catch((error: unknown) => error)) as Error & { code?: string };
      expect(e).toMatchObject({ code: "ollama-too-old" });
      expect(e.message).toMatch(
        /^qwen3:0\.6b needs a newer Ollama than the one at http:\/\/127\.0\.0\.1:\d+\. Update it/,
      );
    } finally {
      await close();
    }
  });
});

describe("servers that answer with less", () => {
  it("a server without /api/version is still Ollama, of unknown version", async () => {
    const { createServer } = await import("node:http");
    const { listenLocal } = await import("../../test/helpers/listen.ts");
    const server = createServer((req, res) => {
      if (req.url === "/api/tags") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"models":[]}');
      }
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 page not found");
    });
    const { port, close } = await listenLocal(server);
    try {
      const minimal = new OllamaDriver({ host: `127.0.0.1:${port}` });
      const status = await minimal.status();
      expect(status).toMatchObject({ reachable: true, models: [] });
      expect(status.version).toBeUndefined();
    } finally {
      await close();
    }
  });
});
