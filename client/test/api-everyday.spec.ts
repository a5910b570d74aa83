/**
 * The HTTP API's everyday routes (`small-llm serve`), in process against the Ollama emulator and a
 * releases server: a chat turn, ps and stop, updating Ollama, `update` of all models going on past
 * a model made here, run with think and a retired option, and an unknown model answered 404 — not
 * a 200 whose stream ends in an error (Ollama's pull says `pulling manifest` before it says no).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type ReleaseServer, startReleaseServer } from "../../test/ollama-releases/server.ts";
import { parseConfig } from "../src/agent/config.ts";
import type { Hardware } from "../src/hardware/detect-hardware.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";

const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const THINKER = "qwen3:0.6b";
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
let indexServer: IndexServer;
let releases: ReleaseServer;
let api: ApiServer;
const saved = { ...process.env };

const post = (path: string, body: unknown) =>
  fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
async function events(res: Response): Promise<{ type: string; [k: string]: unknown }[]> {
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  process.env.SMALL_LLM_STATE_DIR = mkdtempSync(join(tmpdir(), "sli-api-day-"));
  // No `ollama` binary on this PATH: update-ollama describes, it does not look for one elsewhere.
  process.env.PATH = mkdtempSync(join(tmpdir(), "sli-nopath-"));
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000), ggufModel(THINKER, 200_000_000, { thinking: true })],
    chunkBytes: 1e9,
    lineDelayMs: 0,
    vramShare: 0,
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  releases = await startReleaseServer([{ tag: "v0.34.0", assets: [] }]);
  process.env.SMALL_LLM_OLLAMA_RELEASES = releases.apiBase;
  const runtime = new OllamaDriver({ host: emulator.hostPort });
  api = await startApiServer({
    port: 0,
    runtime,
    index: { urls: [indexServer.url], cacheDir: mkdtempSync(join(tmpdir(), "sli-api-day-")) },
    hardware: async () => HARDWARE,
    others: false,
    delegate: { runtimes: [runtime], config: parseConfig({}) },
  });
  await runtime.install(QWEN);
  await runtime.install(THINKER);
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([api?.close(), emulator?.close(), indexServer?.close(), releases?.close()]);
});

describe("everyday routes", () => {
  it("POST /api/run and /api/install with a model no registry has answer 404, before anything streams", async () => {
    for (const [path, body] of [
      ["/api/run", { model: "nobody/no-such-model", prompt: "hi" }],
      ["/api/install", { model: "nobody/no-such-model" }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect((await res.json()).error).toMatchObject({ code: "unknown-model" });
    }
  });

  it("POST /api/run passes think on, streams the thinking, and warns of retired options in its result", async () => {
    const list = await events(
      await post("/api/run", { model: THINKER, prompt: "why?", think: true, options: { mirostat: 1 } }),
    );
    expect(
      list
        .filter((e) => e.type === "thinking")
        .map((e) => e.text)
        .join(""),
    ).toBe("Thinking about: why? ");
    const done = list.at(-1) as { type: string; result: { text: string; thinking: string; warnings: string[] } };
    expect(done.type).toBe("done");
    expect(done.result).toMatchObject({ thinking: "Thinking about: why? ", text: expect.stringContaining("why?") });
    expect(done.result.warnings).toEqual(["current Ollama ignores mirostat (earlier releases read it); sent anyway"]);
  });

  it("POST /api/chat: a turn with its history, streamed; a bad option is a 400", async () => {
    const list = await events(
      await post("/api/chat", {
        model: "Qwen/Qwen2.5-0.5B-Instruct",
        messages: [
          { role: "user", content: "hello" },
          { role: "assistant", content: "hi!" },
          { role: "user", content: "again" },
        ],
        options: { temperature: 0.1 },
      }),
    );
    expect(list.filter((e) => e.type === "token").length).toBeGreaterThan(2);
    expect(list.at(-1)).toMatchObject({ type: "done", result: { text: expect.stringContaining("hello hi! again") } });
    const sent = emulator.requests.filter((r) => r.path === "/api/chat").at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: QWEN, options: { temperature: 0.1 } });
    const bad = await post("/api/chat", { messages: [{ role: "user", content: "x" }], options: { tempurature: 1 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid-option");
  });

  it("GET /api/ps lists what is loaded with its processor split; POST /api/stop unloads it", async () => {
    await post("/api/run", { model: QWEN, prompt: "load me" }).then((r) => r.text());
    const ps = await (await fetch(`${api.url}/api/ps`)).json();
    expect(ps).toContainEqual(
      expect.objectContaining({ name: QWEN, processor: "100% CPU", indexId: "Qwen/Qwen2.5-0.5B-Instruct" }),
    );
    const stop = await post("/api/stop", { model: "Qwen/Qwen2.5-0.5B-Instruct" });
    expect(await stop.json()).toEqual({ model: QWEN, wasLoaded: true });
    const after = (await (await fetch(`${api.url}/api/ps`)).json()) as { name: string }[];
    expect(after.map((m) => m.name)).not.toContain(QWEN);
  });

  it("POST /api/ollama/update {check} compares with the latest release and says how this Ollama updates", async () => {
    const list = await events(await post("/api/ollama/update", { check: true }));
    expect(list.at(-1)).toMatchObject({
      type: "done",
      result: { latest: "0.34.0", installed: "0.33.0", updateAvailable: true, updated: false, managed: false },
    });
    expect(releases.requests.map((r) => r.path)).toContain("/repos/ollama/ollama/releases/latest");
  });

  it("POST /api/update {all} goes on past a model made here, and reports it", async () => {
    await fetch(`${emulator.url}/api/create`, {
      method: "POST",
      body: JSON.stringify({ model: "pirate", from: QWEN, system: "Arr." }),
    }).then((r) => r.text());
    const list = await events(await post("/api/update", { all: true }));
    const done = list.at(-1) as {
      type: string;
      results: { ref: string; changed: boolean; skipped?: { code: string } }[];
    };
    expect(done.type).toBe("done");
    expect(done.results.find((r) => r.ref === "pirate:latest")).toMatchObject({
      changed: false,
      skipped: { code: "unknown-model" },
    });
    expect(done.results.find((r) => r.ref === QWEN)).toMatchObject({ changed: false });
    expect(done.results.find((r) => r.ref === QWEN)?.skipped).toBeUndefined();
  });
});
