/** Every route of `small-llm serve`'s API, in process, against the Ollama emulator and an index server. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { rawRequest } from "../../test/helpers/raw-request.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { parseConfig } from "../src/agent/config.ts";
import { ERROR_CODES, statusFor } from "../src/errors/index.ts";
import type { Hardware } from "../src/hardware/detect-hardware.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";

const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const QWEN_Q8 = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0";
const LLAMA = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";
const GiB = 1024 ** 3;
const HARDWARE: Hardware = {
  platform: "linux",
  arch: "x64",
  cpu: { model: "Test CPU", cores: 4 },
  ram: { totalBytes: 16 * GiB, availableBytes: 12 * GiB },
  gpus: [],
  unifiedMemory: false,
};

let emulator: OllamaEmulator;
let lmstudio: OpenAIEmulator;
let indexServer: IndexServer;
let api: ApiServer;
/** The signal of every request the driver sent to Ollama, to see a disconnect reach the pull. */
const upstreamSignals: { url: string; signal: AbortSignal | undefined }[] = [];

const index = sampleIndex([
  ...sampleIndex().models,
  sampleModel({
    id: "tiny/NoGguf-0.1B",
    name: "NoGguf-0.1B",
    author: "tiny",
    downloads: 5,
    install: [],
    fit: [],
    variants: [],
  }),
]);

async function json(path: string, init: RequestInit = {}) {
  const res = await fetch(`${api.url}${path}`, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function ndjson(res: Response): Promise<{ type: string; [k: string]: unknown }[]> {
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  // The usage log delegate() writes and /api/metrics reads (this file runs in its own process).
  process.env.SMALL_LLM_STATE_DIR = mkdtempSync(join(tmpdir(), "sli-api-state-"));
  emulator = await startOllamaEmulator({
    registry: [
      ggufModel(QWEN, 300_000_000),
      ggufModel(QWEN_Q8, 500_000_000),
      ggufModel(LLAMA, 200_000_000_000), // 200 GB in 1 MB lines: a pull that never ends on its own
    ],
    chunkBytes: 30_000_000,
    lineDelayMs: 0,
  });
  indexServer = await startIndexServer(JSON.stringify(index));
  lmstudio = await startOpenAIEmulator({ flavour: "lmstudio", models: ["qwen2.5-0.5b-instruct"], tokenDelayMs: 0 });
  const runtime = new OllamaDriver({
    host: emulator.hostPort,
    fetch: (input, init) => {
      upstreamSignals.push({ url: String(input), signal: init?.signal ?? undefined });
      return fetch(input, init);
    },
  });
  api = await startApiServer({
    port: 0,
    runtime,
    index: { urls: [indexServer.url], cacheDir: mkdtempSync(join(tmpdir(), "sli-api-")) },
    hardware: async () => HARDWARE,
    // Only the runtime the test starts: a real one on this machine's default ports must not leak in.
    others: { hosts: [lmstudio.url], defaults: false },
    // delegate() on the emulator only, with an empty config (not this machine's).
    delegate: { runtimes: [runtime], config: parseConfig({}) },
  });
});
afterAll(async () => {
  await api?.close();
  await lmstudio?.close();
  await emulator?.close();
  await indexServer?.close();
});

describe("catalogue routes", () => {
  it("GET /api/llm/models/small-tier: both tiers, most downloaded first, installable marked", async () => {
    const { status, body } = await json("/api/llm/models/small-tier");
    expect(status).toBe(200);
    expect(body.sub1B.map((m: { id: string }) => m.id)).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "tiny/NoGguf-0.1B"]);
    expect(body.sub1B.map((m: { installable: boolean }) => m.installable)).toEqual([true, false]);
    expect(body.small1Bto8B.map((m: { id: string }) => m.id)).toEqual(["meta-llama/Llama-3.2-3B-Instruct"]);
    expect(body.sub1B[0].install[0].ref).toBe(QWEN); // entries as in the index
    expect(body.lastUpdated).toBe("2026-11-23T06:00:00.000Z");
    expect(["network", "cache"]).toContain(body.source);
    expect(body.fellBack).toBeUndefined();
  });

  it("?refresh=1 asks the network, and says when it fell back to an older copy", async () => {
    const fresh = await json("/api/llm/models/small-tier?refresh=1");
    expect(fresh.body).toMatchObject({ source: "network", fellBack: false });
    indexServer.mode = "500";
    try {
      const fallen = await json("/api/llm/models/small-tier?refresh=1");
      expect(fallen.status).toBe(200);
      expect(fallen.body.fellBack).toBe(true);
      expect(fallen.body.source).toMatch(/cache/);
      expect(fallen.body.attempts.some((a: { error: string }) => /500/.test(a.error))).toBe(true);
    } finally {
      indexServer.mode = "ok";
    }
  });

  it("GET /api/models takes the CLI's filters as query parameters", async () => {
    const all = await json("/api/models");
    expect(all.body.map((m: { id: string }) => m.id)).toEqual([
      "Qwen/Qwen2.5-0.5B-Instruct",
      "meta-llama/Llama-3.2-3B-Instruct",
      "tiny/NoGguf-0.1B",
    ]);
    expect((await json("/api/models?tier=1b-8b")).body).toHaveLength(1);
    expect((await json("/api/models?installable=1")).body).toHaveLength(2);
    expect((await json("/api/models?task=tools")).body.map((m: { id: string }) => m.id)).toEqual([
      "meta-llama/Llama-3.2-3B-Instruct",
    ]);
    expect((await json("/api/models?search=llama%203b")).body).toHaveLength(1);
    expect((await json("/api/models?sort=params&limit=1")).body[0].id).toBe("meta-llama/Llama-3.2-3B-Instruct");
    const fits = await json("/api/models?fits=2");
    expect(fits.body.map((m: { id: string; bestFit: { quant: string } }) => [m.id, m.bestFit.quant])).toEqual([
      ["Qwen/Qwen2.5-0.5B-Instruct", "Q4_K_M"],
    ]);
  });

  it("GET /api/models rejects what it does not take with 400 and says what it takes", async () => {
    const tier = await json("/api/models?tier=9b");
    expect(tier.status).toBe(400);
    expect(tier.body.error).toEqual({ code: "invalid-argument", message: expect.stringContaining("sub-1b, 1b-8b") });
    expect((await json("/api/models?fits=lots")).body.error.message).toContain("profile id");
    expect((await json("/api/models?limit=0")).status).toBe(400);
    expect((await json("/api/models?task=dance")).status).toBe(400);
    const unknown = await json("/api/models?teir=sub-1b");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("unknown query parameter teir");
  });

  it("GET /api/models/{id}: the full entry, any case; 404 with a code for an unknown id", async () => {
    const found = await json("/api/models/qwen/qwen2.5-0.5b-instruct");
    expect(found.status).toBe(200);
    expect(found.body.id).toBe("Qwen/Qwen2.5-0.5B-Instruct");
    expect(found.body.fit).toHaveLength(2);
    const missing = await json("/api/models/nobody/nothing");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not-in-index");
  });

  it("GET /api/recommend: picks for the machine, or for a profile", async () => {
    const mine = await json("/api/recommend");
    expect(mine.status).toBe(200);
    expect(mine.body.hardware).toEqual(HARDWARE);
    expect(mine.body.plannedFor).toEqual({ fits: "auto" });
    expect(mine.body.recommendations.map((r: { id: string }) => r.id)).toContain("Qwen/Qwen2.5-0.5B-Instruct");
    expect(mine.body.recommendations[0]).toMatchObject({
      quant: expect.any(String),
      ref: expect.stringMatching(/^hf\.co\//),
      tokensPerSecond: expect.any(Number),
      // Estimated, unless this machine's own state dir holds a measurement of it.
      source: expect.stringMatching(/^(estimated|measured)$/),
      usable: true,
    });
    expect(mine.body.speed).toMatchObject({ minSpeed: 8, promptTokens: 2000, calibrations: [] });
    // A floor no model here reaches: every row is still listed, none counts as usable.
    const strict = await json("/api/recommend?minSpeed=5000");
    expect(strict.body.recommendations.length).toBe(mine.body.recommendations.length);
    expect(strict.body.recommendations.every((r: { usable: boolean }) => !r.usable)).toBe(true);
    expect((await json("/api/recommend?minSpeed=fast")).status).toBe(400);
    expect(mine.body.profiles.map((p: { id: string }) => p.id)).toContain("gpu-4gb");
    const small = await json("/api/recommend?fits=2&tier=sub-1b");
    expect(small.body.plannedFor.fits).toBe("2");
    expect(small.body.recommendations.map((r: { id: string; quant: string }) => [r.id, r.quant])).toEqual([
      ["Qwen/Qwen2.5-0.5B-Instruct", "Q4_K_M"],
    ]);
    expect((await json("/api/recommend?context=abc")).status).toBe(400);
  });
});

describe("runtime routes", () => {
  it("GET /api/status: the runtime, the hardware, the index and its age", async () => {
    const { status, body } = await json("/api/status");
    expect(status).toBe(200);
    expect(body.runtimes[0]).toMatchObject({ kind: "ollama", reachable: true, version: "0.33.0" });
    expect(body.hardware).toEqual(HARDWARE);
    expect(body.index).toMatchObject({ version: index.version, models: 3, source: expect.any(String) });
    expect(body.index.ageMs).toBeGreaterThanOrEqual(0);
    expect(body.others).toEqual([
      expect.objectContaining({ kind: "lmstudio", baseUrl: lmstudio.url, models: ["qwen2.5-0.5b-instruct"] }),
    ]);
  });

  it("POST /api/install streams NDJSON progress, then what was installed, with its index id", async () => {
    const res = await post("/api/install", { model: "Qwen/Qwen2.5-0.5B-Instruct" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const events = await ndjson(res);
    const progress = events.filter((e) => e.type === "progress");
    expect(progress.some((e) => typeof e.completed === "number" && typeof e.total === "number")).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: "done",
      installed: { name: QWEN, indexId: "Qwen/Qwen2.5-0.5B-Instruct" },
    });
    const installed = await json("/api/installed");
    expect(installed.body.map((m: { name: string; indexId: string }) => [m.name, m.indexId])).toEqual([
      [QWEN, "Qwen/Qwen2.5-0.5B-Instruct"],
    ]);
  });

  it("POST /api/install streams server-sent events when asked for text/event-stream", async () => {
    const res = await post(
      "/api/install",
      { model: "Qwen/Qwen2.5-0.5B-Instruct", quant: "Q8_0" },
      { accept: "text/event-stream" },
    );
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text).toMatch(/^event: progress\ndata: \{/);
    expect(text).toContain(`event: done\ndata: {"installed":{"name":"${QWEN_Q8}"`);
  });

  it("POST /api/install: an unknown model is a 404 before anything streams; bad bodies are 400/413/415", async () => {
    const unknown = await post("/api/install", { model: "nobody/nothing:Q4_K_M!" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("invalid-model-name");
    const noGguf = await post("/api/install", { model: "tiny/NoGguf-0.1B" });
    expect(noGguf.status).toBe(404);
    expect((await noGguf.json()).error.message).toContain("no GGUF build");
    const missing = await post("/api/install", { quant: "Q8_0" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({
      code: "invalid-body",
      message: expect.stringContaining("model"),
    });
    const extra = await post("/api/install", { model: "Qwen/Qwen2.5-0.5B-Instruct", fast: true });
    expect(extra.status).toBe(400);
    const notJson = await fetch(`${api.url}/api/install`, { method: "POST", body: "model=x" });
    expect(notJson.status).toBe(415);
    const broken = await fetch(`${api.url}/api/install`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    const huge = await post("/api/install", { model: "x".repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe("body-too-large");
  });

  it("POST /api/install: a disk that fills mid-pull ends the stream with a disk-full error event", async () => {
    emulator.faults.push({ path: "/api/pull", model: QWEN, times: 1, kind: "disk-full", afterLines: 2 });
    await fetch(`${api.url}/api/installed/${encodeURIComponent(QWEN)}`, { method: "DELETE" });
    emulator.republish(QWEN, "disk-full-build");
    const events = await ndjson(await post("/api/install", { model: "Qwen/Qwen2.5-0.5B-Instruct" }));
    expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "disk-full" } });
    expect(String((events.at(-1)?.error as { message: string }).message)).toContain("no space left on device");
  });

  it("POST /api/install is cancelled upstream when the client disconnects", async () => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/install`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: LLAMA }),
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!seen.includes('"completed"')) seen += new TextDecoder().decode((await reader.read()).value);
    const pull = upstreamSignals.filter((s) => s.url.endsWith("/api/pull")).at(-1);
    expect(pull?.signal?.aborted).toBe(false);
    controller.abort();
    await expect.poll(() => pull?.signal?.aborted, { timeout: 30_000 }).toBe(true);
  });

  it("POST /api/update says whether anything changed", async () => {
    await (await post("/api/install", { model: "Qwen/Qwen2.5-0.5B-Instruct" })).text();
    const same = await ndjson(await post("/api/update", { model: "Qwen/Qwen2.5-0.5B-Instruct" }));
    expect(same.at(-1)).toMatchObject({ type: "done", results: [{ ref: QWEN, changed: false }] });
    emulator.republish(QWEN, "a-new-build");
    const changed = await ndjson(await post("/api/update", { model: QWEN }));
    const [result] = changed.at(-1)?.results as { changed: boolean; from: string; to: string }[];
    expect(result?.changed).toBe(true);
    expect(result?.from).not.toBe(result?.to);
    const none = await post("/api/update", {});
    expect(none.status).toBe(400);
    const notInstalled = await post("/api/update", { model: "meta-llama/Llama-3.2-3B-Instruct" });
    expect(notInstalled.status).toBe(404);
  });

  it("POST /api/run streams the answer's tokens, then the stats", async () => {
    const events = await ndjson(await post("/api/run", { model: "Qwen/Qwen2.5-0.5B-Instruct", prompt: "hi there" }));
    const tokens = events.filter((e) => e.type === "token").map((e) => e.text);
    expect(tokens.length).toBeGreaterThan(1);
    const done = events.at(-1) as { type: string; result: { text: string; tokensPerSecond: number; model: string } };
    expect(done.type).toBe("done");
    expect(tokens.join("")).toBe(done.result.text);
    expect(done.result.text).toContain("You said: hi there");
    expect(done.result.tokensPerSecond).toBeGreaterThan(0);
  });

  it("POST /api/ask delegates, streaming tokens, then the LlmResponse; GET /api/metrics counts it", async () => {
    // Runs of the earlier tests are in the log too: every call is one line, whichever route made it.
    const before = (await json("/api/metrics")).body;
    const events = await ndjson(await post("/api/ask", { prompt: "hello there", model: "Qwen/Qwen2.5-0.5B-Instruct" }));
    const done = events.at(-1) as {
      type: string;
      response: { success: boolean; text: string; model: string; tokensPerSecond: number };
    };
    expect(done.type).toBe("done");
    expect(done.response.success).toBe(true);
    expect(done.response.text).toContain("You said: hello there");
    expect(
      events
        .filter((e) => e.type === "token")
        .map((e) => e.text)
        .join(""),
    ).toContain(done.response.text);
    expect(done.response.tokensPerSecond).toBeGreaterThan(0);
    const chat = await ndjson(
      await post("/api/ask", { messages: [{ role: "user", content: "as chat" }], task: "quick", model: QWEN }),
    );
    expect((chat.at(-1) as unknown as { response: { text: string } }).response.text).toContain("as chat");
    const metrics = (await json("/api/metrics?by=model")).body;
    expect(metrics.total.calls).toBe(before.total.calls + 2);
    expect(metrics.total.successes).toBe(before.total.successes + 2);
    expect(metrics.by).toBe("model");
    expect((await json("/api/metrics?by=day")).status).toBe(400);
  });

  it("POST /api/ask: misuse is a 400 before anything streams; a model that fails is a response with success false", async () => {
    const both = await post("/api/ask", { prompt: "x", messages: [{ role: "user", content: "x" }] });
    expect(both.status).toBe(400);
    const task = await post("/api/ask", { prompt: "x", task: "dancing" });
    expect(task.status).toBe(400);
    const option = await post("/api/ask", { prompt: "x", model: QWEN, options: { temprature: 0.2 } });
    expect(option.status).toBe(400);
    expect((await option.json()).error.code).toBe("invalid-option");
    const missing = await ndjson(await post("/api/ask", { prompt: "x", model: "meta-llama/Llama-3.2-3B-Instruct" }));
    const done = missing.at(-1) as { type: string; response: { success: boolean; error: { code: string } } };
    expect(done.type).toBe("done");
    expect(done.response.success).toBe(false);
    expect(done.response.error.code).toEqual(expect.any(String));
  });

  it("DELETE /api/installed/{name} removes an index id's installed quant", async () => {
    const before = (await json("/api/installed")).body.map((m: { name: string }) => m.name);
    expect(before).toContain(QWEN);
    const removed = await json(`/api/installed/${encodeURIComponent(QWEN_Q8)}`, { method: "DELETE" });
    expect(removed).toMatchObject({ status: 200, body: { removed: QWEN_Q8 } });
    const byId = await json("/api/installed/Qwen/Qwen2.5-0.5B-Instruct", { method: "DELETE" });
    expect(byId.body).toEqual({ removed: QWEN });
    expect((await json("/api/installed")).body).toEqual([]);
  });

  it("a route answers 405 to another method, and unknown paths are JSON 404s", async () => {
    const wrong = await json("/api/install");
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe("method-not-allowed");
    const nothing = await json("/api/nothing");
    expect(nothing).toMatchObject({ status: 404, body: { error: { code: "not-found" } } });
  });
});

describe("when Ollama is down", () => {
  it("runtime routes answer 503 with the runtime's code; status still answers", async () => {
    const down = await startApiServer({
      port: 0,
      runtime: new OllamaDriver({ host: "127.0.0.1:9" }),
      index: { urls: [indexServer.url], cacheDir: mkdtempSync(join(tmpdir(), "sli-api-down-")) },
      hardware: async () => HARDWARE,
      others: false,
    });
    try {
      const installed = await fetch(`${down.url}/api/installed`);
      expect(installed.status).toBe(503);
      expect(["ollama-not-installed", "ollama-server-down"]).toContain((await installed.json()).error.code);
      const install = await fetch(`${down.url}/api/install`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "Qwen/Qwen2.5-0.5B-Instruct" }),
      });
      expect(install.status).toBe(503);
      const status = await (await fetch(`${down.url}/api/status`)).json();
      expect(status.runtimes[0].reachable).toBe(false);
    } finally {
      await down.close();
    }
  });
});

describe("the dashboard's files", () => {
  it("are served with a CSP that allows nothing but this server", async () => {
    const page = await rawRequest(`${api.url}/`, { headers: { host: new URL(api.url).host } });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.text).toContain("<title>Local models");
    expect(page.headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    const script = await fetch(`${api.url}/app.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).not.toMatch(/\.innerHTML\s*=/);
  });
});

describe("starting", () => {
  it("says so when the port is taken, naming --port", async () => {
    await expect(
      startApiServer({ port: api.port, runtime: new OllamaDriver({ host: "127.0.0.1:9" }) }),
    ).rejects.toMatchObject({
      code: "port-in-use",
      message: expect.stringContaining("--port"),
    });
  });
});

describe("error statuses", () => {
  it("every stable code has an HTTP status and an exit code, from one registry", () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(Number.isInteger(spec.exit), code).toBe(true);
    }
    expect(statusFor("unknown-model")).toBe(404);
    expect(statusFor("not-in-index")).toBe(404);
    expect(statusFor("disk-full")).toBe(507);
    expect(statusFor("ollama-server-down")).toBe(503);
    expect(statusFor("something-new")).toBe(500);
  });
});

describe("POST /api/publish", () => {
  it("dry-runs an adapter offline, streaming the result, and refuses a folder that is not a model", async () => {
    const saved = { endpoint: process.env.HF_ENDPOINT, token: process.env.HF_TOKEN };
    process.env.HF_ENDPOINT = "http://127.0.0.1:9";
    delete process.env.HF_TOKEN;
    try {
      const dir = mkdtempSync(join(tmpdir(), "sli-api-lora-"));
      writeFileSync(
        join(dir, "adapter_config.json"),
        JSON.stringify({ base_model_name_or_path: "Qwen/Qwen2.5-0.5B-Instruct" }),
      );
      writeFileSync(join(dir, "adapter_model.safetensors"), Buffer.alloc(4096, 1));
      const res = await post("/api/publish", { path: dir, repo: "alice/api-lora", dryRun: true });
      expect(res.status).toBe(200);
      const events = await ndjson(res);
      expect(events.at(-1)).toMatchObject({ type: "done", result: { kind: "adapter", dryRun: true, compared: false } });
      const bad = await post("/api/publish", { path: mkdtempSync(join(tmpdir(), "sli-api-empty-")), repo: "alice/x" });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect((await bad.json()).error.code).toBe("not-a-model");
      const invalid = await post("/api/publish", { path: dir, repo: "alice/x", token: "hf_smuggled" });
      expect(invalid.status).toBe(400);
    } finally {
      if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved.endpoint;
      if (saved.token !== undefined) process.env.HF_TOKEN = saved.token;
    }
  });
});
