import { afterEach, describe, expect, it } from "vitest";
import { FLAVOURS } from "../../test/openai-emulator/flavours.ts";
import {
  type OpenAIEmulator,
  type OpenAIEmulatorOptions,
  startOpenAIEmulator,
} from "../../test/openai-emulator/server.ts";
import {
  ApiKeyError,
  CancelledError,
  ConnectionDroppedError,
  ContextTooLongError,
  ModelNotInstalledError,
  OutOfMemoryError,
  RuntimeBusyError,
  RuntimeError,
  RuntimeUnreachableError,
  TimeoutError,
  UnsupportedError,
} from "../src/errors/index.ts";
import { OpenAICompatibleRuntime, splitBaseUrl } from "../src/runtimes/openai-compatible/runtime.ts";

const MODEL = "qwen2.5-0.5b-instruct";
let emulator: OpenAIEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: OpenAIEmulatorOptions) {
  emulator = await startOpenAIEmulator({ tokenDelayMs: 0, ...options });
  const runtime = new OpenAICompatibleRuntime({
    kind: options.flavour,
    baseUrl: emulator.url,
    ...(emulator.apiKey ? { apiKey: emulator.apiKey } : {}),
  });
  return { emulator, runtime };
}

describe("every flavour", () => {
  for (const flavour of FLAVOURS) {
    it(`${flavour}: lists its models and streams a chat with usage`, async () => {
      const { runtime, emulator } = await start({ flavour });
      expect((await runtime.list()).map((m) => m.name)).toEqual([MODEL]);
      const tokens: string[] = [];
      const result = await runtime.chat(MODEL, [{ role: "user", content: "hi there" }], {
        system: "be brief",
        onToken: (t) => tokens.push(t),
      });
      expect(result.text).toBe(`Hello from ${MODEL}. You said: hi there`);
      expect(tokens.join("")).toBe(result.text);
      expect(tokens.length).toBeGreaterThan(3);
      expect(result).toMatchObject({ model: MODEL, runtime: flavour, doneReason: "stop", outputTokens: 7 });
      expect(result.promptTokens).toBeGreaterThan(0);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.totalMs).toBeGreaterThanOrEqual(result.latencyMs);
      const body = emulator.requests.find((r) => r.path === "/v1/chat/completions")?.body as Record<string, unknown>;
      expect(body).toMatchObject({
        model: MODEL,
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hi there" },
        ],
      });
    });
  }

  it("maps each runtime's own timing fields", async () => {
    const llama = await (await start({ flavour: "llamacpp" })).runtime.generate(MODEL, "hi");
    expect(llama).toMatchObject({
      tokensPerSecond: 50,
      promptTokensPerSecond: expect.any(Number),
      speedSource: "runtime",
    });
    expect(llama.runtimeMs).toBeCloseTo(12.5 + 6 * 20); // six tokens: "Hello from <model>. You said: hi"
    await emulator?.close();
    const lms = await (await start({ flavour: "lmstudio" })).runtime.generate(MODEL, "hi");
    expect(lms).toMatchObject({ tokensPerSecond: 40, speedSource: "runtime" });
    await emulator?.close();
    const local = await start({ flavour: "localai" });
    const localResult = await local.runtime.generate(MODEL, "hi");
    expect(local.emulator.requests.at(-1)?.headers["extra-usage"]).toBe("true");
    expect(localResult.tokensPerSecond).toBeCloseTo(40); // 6 tokens in 150 ms of timing_token_generation
    expect(localResult.speedSource).toBe("runtime");
  });

  it("measures the speed itself when the runtime reports none (vLLM)", async () => {
    const { runtime } = await start({ flavour: "vllm", tokenDelayMs: 5 });
    const result = await runtime.generate(MODEL, "hi");
    expect(result.speedSource).toBe("client");
    expect(result.tokensPerSecond).toBeGreaterThan(0);
  });
});

describe("options", () => {
  it("passes OpenAI parameters through and says which options it could not send", async () => {
    const { runtime, emulator } = await start({ flavour: "llamacpp" });
    const result = await runtime.generate(MODEL, "count to ten", {
      options: {
        temperature: 0.2,
        top_p: 0.9,
        num_predict: 2,
        seed: 7,
        stop: ["\n"],
        presence_penalty: 0.1,
        frequency_penalty: 0.2,
        top_k: 20,
        num_ctx: 8192,
      },
      format: "json",
    });
    const body = emulator.requests.at(-1)?.body;
    expect(body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 2,
      seed: 7,
      stop: ["\n"],
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      top_k: 20,
      response_format: { type: "json_object" },
    });
    expect(body).not.toHaveProperty("num_ctx");
    expect(result.droppedOptions).toEqual(["num_ctx"]);
    expect(result).toMatchObject({ doneReason: "length", outputTokens: 2 });
  });

  it("sends no sampling extensions to a cloud endpoint, and a JSON Schema as json_schema", async () => {
    const { runtime, emulator } = await start({ flavour: "openai" });
    const schema = { type: "object", properties: { answer: { type: "string" } } };
    const result = await runtime.generate(MODEL, "hi", { options: { top_k: 20, temperature: 0 }, format: schema });
    expect(emulator.requests.at(-1)?.body).toMatchObject({
      temperature: 0,
      response_format: { type: "json_schema", json_schema: { name: "answer", schema } },
    });
    expect(emulator.requests.at(-1)?.body).not.toHaveProperty("top_k");
    expect(result.droppedOptions).toEqual(["top_k"]);
    expect(JSON.parse(result.text)).toEqual({ answer: `Hello from ${MODEL}` });
  });

  it("sends images as data URLs", async () => {
    const { runtime, emulator } = await start({ flavour: "llamacpp" });
    await runtime.chat(MODEL, [{ role: "user", content: "what is this?", images: ["iVBORw0KGgo="] }]);
    expect((emulator.requests.at(-1)?.body as { messages: unknown[] }).messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "what is this?" },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    });
  });
});

describe("faults", () => {
  it("503 busy is a RuntimeBusyError, and the next call succeeds", async () => {
    const { runtime } = await start({ flavour: "llamacpp", faults: [{ kind: "busy", times: 1 }] });
    const error = await runtime.generate(MODEL, "hi").catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeBusyError);
    expect(error.code).toBe("busy");
    expect(error.message).toMatch(/is busy .*503.*Try again/);
    expect((await runtime.generate(MODEL, "hi")).text).toContain("Hello");
  });

  it("429 from a cloud endpoint is busy too", async () => {
    const { runtime } = await start({ flavour: "openai", faults: [{ kind: "busy", times: 1, status: 429 }] });
    await expect(runtime.generate(MODEL, "hi")).rejects.toBeInstanceOf(RuntimeBusyError);
  });

  it("an error event mid-stream keeps the tokens it sent and throws a typed error", async () => {
    const { runtime } = await start({
      flavour: "vllm",
      faults: [{ kind: "error-mid-stream", times: 1, afterTokens: 2 }],
    });
    const tokens: string[] = [];
    const error = await runtime.generate(MODEL, "hi", { onToken: (t) => tokens.push(t) }).catch((e) => e);
    expect(tokens).toEqual(["Hello ", "from "]);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/vLLM at .* failed mid-answer: llama_decode/);
  });

  it("an out-of-memory error mid-stream or as a 500 is OutOfMemoryError", async () => {
    const { runtime } = await start({
      flavour: "llamacpp",
      faults: [
        { kind: "oom", times: 1 },
        { kind: "error-mid-stream", times: 1, message: "CUDA error: out of memory" },
      ],
    });
    await expect(runtime.generate(MODEL, "hi")).rejects.toBeInstanceOf(OutOfMemoryError);
    await expect(runtime.generate(MODEL, "hi")).rejects.toBeInstanceOf(OutOfMemoryError);
  });

  it("a prompt over the context and an input the model cannot take are typed, in each server's words", async () => {
    const { runtime } = await start({
      flavour: "llamacpp",
      faults: [
        { kind: "status", times: 1, message: "the request exceeds the available context size, try increasing it" },
        { kind: "status", times: 1, message: "This model's maximum context length is 32768 tokens." },
        {
          kind: "status",
          times: 1,
          status: 500,
          message: "image input is not supported - hint: you may need to provide the mmproj",
        },
        { kind: "status", times: 1, message: "something else entirely" },
      ],
    });
    const context = await runtime.generate(MODEL, "hi").catch((e) => e);
    expect(context).toBeInstanceOf(ContextTooLongError);
    expect(context.code).toBe("context-too-long");
    expect(context.message).toMatch(/too long for .* Shorten it/);
    await expect(runtime.generate(MODEL, "hi")).rejects.toBeInstanceOf(ContextTooLongError);
    await expect(runtime.generate(MODEL, "hi")).rejects.toBeInstanceOf(UnsupportedError);
    const other = await runtime.generate(MODEL, "hi").catch((e) => e);
    expect(other).toBeInstanceOf(RuntimeError);
    expect(other).toMatchObject({ code: "runtime-error", statusCode: 400 });
    expect(other.message).toMatch(/llama-server at .* failed with 400: something else entirely/);
  });

  it("a cut connection is ConnectionDroppedError: transient, unlike a runtime that does not answer", async () => {
    const { runtime } = await start({ flavour: "lmstudio", faults: [{ kind: "cut", times: 1 }] });
    const error = await runtime.generate(MODEL, "hi").catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionDroppedError);
    expect(error.message).toMatch(/dropped in the middle of the answer/);
  });

  it("a server that ignores stream: true and answers JSON at once is read all the same", async () => {
    const { runtime } = await start({ flavour: "llamacpp", faults: [{ kind: "ignore-stream", times: 1 }] });
    const tokens: string[] = [];
    const result = await runtime.generate(MODEL, "hi", { onToken: (t) => tokens.push(t) });
    expect(result).toMatchObject({ text: `Hello from ${MODEL}. You said: hi`, doneReason: "stop", outputTokens: 6 });
    expect(tokens).toEqual([result.text]);
  });

  it("an empty answer is returned as such (the caller judges it)", async () => {
    const { runtime } = await start({ flavour: "jan", faults: [{ kind: "empty", times: 1 }] });
    expect(await runtime.generate(MODEL, "hi")).toMatchObject({ text: "", outputTokens: 0, doneReason: "stop" });
  });

  it("a slow answer is cut by the caller's timeout as TimeoutError, and an abort is CancelledError", async () => {
    const { runtime } = await start({ flavour: "localai", faults: [{ kind: "slow", times: 2, delayMs: 5000 }] });
    const timeout = await runtime.generate(MODEL, "hi", { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(runtime.generate(MODEL, "hi", { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it("an unknown model is ModelNotInstalledError with how to load it on that runtime", async () => {
    const { runtime } = await start({ flavour: "lmstudio" });
    const error = await runtime.generate("no-such-model", "hi").catch((e) => e);
    expect(error).toBeInstanceOf(ModelNotInstalledError);
    expect(error.message).toMatch(/no-such-model is not installed.*lms get no-such-model/);
  });

  it("a missing key names the variable to set; a wrong key says it was refused; the key is never printed", async () => {
    const emu = await startOpenAIEmulator({ flavour: "jan", apiKey: "sk-secret-123" });
    emulator = emu;
    delete process.env.JAN_API_KEY;
    const none = await new OpenAICompatibleRuntime({ kind: "jan", baseUrl: emu.url }).list().catch((e) => e);
    expect(none).toBeInstanceOf(ApiKeyError);
    expect(none.code).toBe("api-key-required");
    expect(none.message).toMatch(/needs an API key: set JAN_API_KEY/);
    const wrong = await new OpenAICompatibleRuntime({ kind: "jan", baseUrl: emu.url, apiKey: "sk-wrong-456" })
      .generate(MODEL, "hi")
      .catch((e) => e);
    expect(wrong).toBeInstanceOf(ApiKeyError);
    expect(wrong.message).toMatch(/refused the API key in JAN_API_KEY/);
    expect(JSON.stringify({ m: wrong.message, s: wrong.stack })).not.toContain("sk-wrong-456");
    process.env.MY_CLOUD_KEY = "sk-secret-123";
    try {
      const named = new OpenAICompatibleRuntime({ kind: "jan", baseUrl: `${emu.url}/v1`, apiKeyEnv: "MY_CLOUD_KEY" });
      expect((await named.list()).map((m) => m.name)).toEqual([MODEL]);
    } finally {
      delete process.env.MY_CLOUD_KEY;
    }
  });

  it("nothing listening is RuntimeUnreachableError; a server that is not OpenAI-compatible says so", async () => {
    const down = new OpenAICompatibleRuntime({ kind: "vllm", baseUrl: "http://127.0.0.1:9" });
    await expect(down.list()).rejects.toBeInstanceOf(RuntimeUnreachableError);
    expect(await down.status()).toMatchObject({ reachable: false, models: [] });
    const { emulator } = await start({ flavour: "vllm" });
    const wrongPath = new OpenAICompatibleRuntime({ kind: "vllm", baseUrl: `${emulator.url}/nothing` });
    const error = await wrongPath.list().catch((e) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/does not speak the OpenAI API/);
  });

  it("status says up or down, with the version where the runtime tells it", async () => {
    const { runtime } = await start({ flavour: "llamacpp" });
    expect(await runtime.status()).toMatchObject({
      kind: "llamacpp",
      reachable: true,
      version: "b6500-00dc805",
      models: [{ name: MODEL, sizeBytes: 397807936, modifiedAt: "2026-01-01T00:00:00.000Z" }],
      running: [],
    });
    expect(await runtime.ensureRunning()).toEqual({ started: false });
    await emulator?.close();
    const lms = await start({ flavour: "lmstudio" });
    expect((await lms.runtime.status()).version).toBeUndefined();
    await lms.emulator.close();
    await expect(lms.runtime.ensureRunning()).rejects.toBeInstanceOf(RuntimeUnreachableError);
  });

  it("takes a server address or an API root as the OpenAI SDKs do", () => {
    expect(splitBaseUrl("http://127.0.0.1:8080")).toEqual({ host: "http://127.0.0.1:8080", apiPath: "/v1" });
    expect(splitBaseUrl("localhost:1234")).toEqual({ host: "http://localhost:1234", apiPath: "/v1" });
    expect(splitBaseUrl("http://127.0.0.1:8080/v1/")).toEqual({ host: "http://127.0.0.1:8080", apiPath: "/v1" });
    expect(splitBaseUrl("https://api.example.com/openai/v1")).toEqual({
      host: "https://api.example.com/openai",
      apiPath: "/v1",
    });
    expect(splitBaseUrl("https://api.example.com/v1beta/openai/")).toEqual({
      host: "https://api.example.com/v1beta/openai",
      apiPath: "",
    });
  });

  it("install, update and remove are unsupported and say whose job it is", async () => {
    const { runtime } = await start({ flavour: "vllm" });
    expect(runtime.capabilities.install).toBe(false);
    const error = await runtime.install(MODEL).catch((e) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/vLLM .* cannot install models.*vllm serve/);
    await expect(runtime.update(MODEL)).rejects.toBeInstanceOf(UnsupportedError);
    await expect(runtime.remove(MODEL)).rejects.toBeInstanceOf(UnsupportedError);
  });
});
