import { afterEach, describe, expect, it } from "vitest";
import { ggufModel, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import type { Flavour } from "../../test/openai-emulator/flavours.ts";
import { startOpenAIEmulator, startStrangerServer } from "../../test/openai-emulator/server.ts";
import { RuntimeTargetError } from "../src/errors/index.ts";
import { createRuntime } from "../src/runtimes/create-runtime.ts";
import { detectRuntimes, runtimeTargetsFromEnv, scanDefaultPorts } from "../src/runtimes/detect.ts";
import { identify, probeAnswers } from "../src/runtimes/fingerprint.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { OpenAICompatibleRuntime } from "../src/runtimes/openai-compatible/runtime.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  delete process.env.JAN_API_KEY;
});
async function emulate(flavour: Flavour, models = [`${flavour}-model`]) {
  const emulator = await startOpenAIEmulator({ flavour, models, tokenDelayMs: 0 });
  closers.push(emulator.close);
  return emulator;
}
/** Only the addresses a test names: a real runtime on this machine's default ports must not leak in. */
const only = { defaults: false, ollama: false, timeoutMs: 10_000 } as const;

describe("detectRuntimes", () => {
  it("tells every flavour apart by what it answers, with version and models", async () => {
    const emulators = await Promise.all((["llamacpp", "lmstudio", "vllm", "localai"] as const).map((f) => emulate(f)));
    const found = await detectRuntimes({ ...only, hosts: emulators.map((e) => e.url) });
    expect(found.map((r) => ({ kind: r.kind, baseUrl: r.baseUrl, version: r.version, models: r.models }))).toEqual([
      { kind: "llamacpp", baseUrl: emulators[0]?.url, version: "b6500-00dc805", models: ["llamacpp-model"] },
      { kind: "lmstudio", baseUrl: emulators[1]?.url, version: undefined, models: ["lmstudio-model"] },
      { kind: "vllm", baseUrl: emulators[2]?.url, version: "0.11.0", models: ["vllm-model"] },
      { kind: "localai", baseUrl: emulators[3]?.url, version: "v3.9.0", models: ["localai-model"] },
    ]);
    for (const r of found) expect(r.runtime).toBeInstanceOf(OpenAICompatibleRuntime);
    // What it returns is ready to use.
    const answer = await found[2]?.runtime.generate("vllm-model", "hi");
    expect(answer?.text).toBe("Hello from vllm-model. You said: hi");
  });

  it("finds Ollama at OLLAMA_HOST through the Ollama driver", async () => {
    const ollama = await startOllamaEmulator({ registry: [ggufModel("llama3.2", 1000)], lineDelayMs: 0 });
    closers.push(ollama.close);
    await new OllamaDriver({ host: ollama.hostPort }).install("llama3.2");
    const saved = process.env.OLLAMA_HOST;
    process.env.OLLAMA_HOST = ollama.hostPort;
    try {
      const [found] = await detectRuntimes({ defaults: false, timeoutMs: 10_000 });
      expect(found).toMatchObject({
        kind: "ollama",
        baseUrl: ollama.url,
        version: "0.33.0",
        models: ["llama3.2:latest"],
      });
      expect(found?.runtime).toBeInstanceOf(OllamaDriver);
    } finally {
      if (saved === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = saved;
    }
  });

  it("skips what is not a runtime: a web page, a catch-all JSON API, a closed port, a malformed address", async () => {
    const html = await startStrangerServer("html");
    const catchAll = await startStrangerServer("catch-all-json");
    closers.push(html.close, catchAll.close);
    const llama = await emulate("llamacpp");
    const found = await detectRuntimes({
      ...only,
      hosts: [html.url, catchAll.url, "http://127.0.0.1:9", "http://[bad", llama.url],
    });
    expect(found.map((r) => r.baseUrl)).toEqual([llama.url]);
  });

  it("a key-protected server is listed with what to set; with the key set, its models", async () => {
    const jan = await emulate("jan");
    const [without] = await detectRuntimes({ ...only, hosts: [{ baseUrl: jan.url, kind: "jan" }] });
    expect(without).toMatchObject({ kind: "jan", models: [], problem: { code: "api-key-required" } });
    expect(without?.problem?.message).toMatch(/needs an API key: set JAN_API_KEY/);
    process.env.JAN_API_KEY = "sk-emulator";
    const [withKey] = await detectRuntimes({ ...only, hosts: [{ baseUrl: `${jan.url}/v1/`, kind: "jan" }] });
    expect(withKey).toMatchObject({ baseUrl: jan.url, models: ["jan-model"] });
    expect(withKey?.problem).toBeUndefined();
  });

  it("vLLM with --api-key is still named by its public /version, and asks for VLLM_API_KEY", async () => {
    const guarded = await startOpenAIEmulator({ flavour: "vllm", apiKey: "sk-vllm" });
    closers.push(guarded.close);
    const [found] = await detectRuntimes({ ...only, hosts: [guarded.url] });
    expect(found).toMatchObject({ kind: "vllm", version: "0.11.0", models: [], problem: { code: "api-key-required" } });
    expect(found?.problem?.message).toMatch(/set VLLM_API_KEY/);
  });

  it("a server that does not answer in time is left out, and the scan still ends", async () => {
    const slow = await startOpenAIEmulator({
      flavour: "vllm",
      faults: [{ kind: "slow", path: "/v1/models", times: 1, delayMs: 5_000 }],
    });
    closers.push(slow.close);
    expect(await detectRuntimes({ ...only, timeoutMs: 300, hosts: [slow.url] })).toEqual([]);
  });

  it("a llama-server still loading its model is listed as loading", async () => {
    const loading = await startOpenAIEmulator({ flavour: "llamacpp", loading: true });
    closers.push(loading.close);
    const [found] = await detectRuntimes({ ...only, hosts: [loading.url] });
    expect(found).toMatchObject({ kind: "llamacpp", models: [], problem: { code: "busy" } });
    expect(found?.problem?.message).toMatch(/still loading its model/);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      detectRuntimes({ ...only, signal: controller.signal, hosts: ["http://127.0.0.1:9"] }),
    ).rejects.toThrow();
  });
});

describe("identify", () => {
  it("names a key-protected OpenAI-compatible server Jan only where Jan listens, otherwise a generic endpoint", async () => {
    const jan = await emulate("jan");
    const answers = await probeAnswers(jan.url, AbortSignal.timeout(10_000));
    expect(identify(answers, { port: "1337" })?.kind).toBe("jan");
    expect(identify(answers, { port: "1234" })?.kind).toBe("lmstudio"); // LM Studio with API tokens on
    expect(identify(answers, { port: "8080" })?.kind).toBe("openai");
    const cloud = await emulate("openai");
    expect(identify(await probeAnswers(cloud.url, AbortSignal.timeout(10_000)))?.kind).toBe("openai");
  });

  it("LM Studio's 200-with-an-error answers to unknown routes are not taken for llama.cpp or LocalAI", async () => {
    const lms = await emulate("lmstudio");
    const answers = await probeAnswers(lms.url, AbortSignal.timeout(10_000));
    expect(answers["/props"]?.status).toBe(200);
    expect(answers["/.well-known/localai.json"]?.status).toBe(200);
    expect(identify(answers)?.kind).toBe("lmstudio");
  });
});

describe("SMALL_LLM_RUNTIMES and SMALL_LLM_SCAN_DEFAULT_PORTS", () => {
  it("reads URLs, optionally kind=url, separated by commas or spaces", () => {
    expect(runtimeTargetsFromEnv(" http://a:1, jan=http://b:2  lmstudio=http://c:3,")).toEqual([
      { baseUrl: "http://a:1" },
      { baseUrl: "http://b:2", kind: "jan" },
      { baseUrl: "http://c:3", kind: "lmstudio" },
    ]);
    expect(runtimeTargetsFromEnv(undefined)).toEqual([]);
    expect(runtimeTargetsFromEnv("")).toEqual([]);
  });

  it("an unknown kind is an error that lists the kinds", () => {
    expect(() => runtimeTargetsFromEnv("llama=http://a:1")).toThrow(RuntimeTargetError);
    expect(() => runtimeTargetsFromEnv("llama=http://a:1")).toThrow(
      /"llama" is not a runtime kind; use one of .*llamacpp/,
    );
  });

  it("scans the default ports unless told 0/false/no/off", () => {
    expect(scanDefaultPorts(undefined)).toBe(true);
    expect(scanDefaultPorts("1")).toBe(true);
    for (const off of ["0", "false", "NO", " off "]) expect(scanDefaultPorts(off)).toBe(false);
  });
});

describe("createRuntime", () => {
  it("gives Ollama the driver and every other kind the OpenAI-compatible runtime, ready to call", async () => {
    expect(createRuntime({ baseUrl: "127.0.0.1:11434", kind: "ollama" })).toBeInstanceOf(OllamaDriver);
    const lms = await emulate("lmstudio");
    const runtime = createRuntime({ baseUrl: lms.url, kind: "lmstudio" });
    expect(runtime).toMatchObject({ kind: "lmstudio", host: lms.url, capabilities: { install: false } });
    expect((await runtime.chat("lmstudio-model", [{ role: "user", content: "hi" }])).text).toContain("Hello");
    expect(() => createRuntime({ baseUrl: lms.url, kind: "kobold" as never })).toThrow(
      /"kobold" is not a runtime kind/,
    );
  });
});
