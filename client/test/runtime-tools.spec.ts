/**
 * Tools, tool results, images and embeddings through both runtimes, against the emulators: what
 * goes out (native Ollama shapes, OpenAI shapes) and what comes back (ToolCall with an id and JSON
 * text, in order), including Ollama servers older than 0.12.10 that give calls no id.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fakeEmbedding } from "../../test/helpers/model-behaviour.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { OpenAICompatibleRuntime } from "../src/runtimes/openai-compatible/runtime.ts";
import type { ChatMessage, ToolSpec } from "../src/runtimes/runtime.ts";
import { argumentsObject, toolsFor } from "../src/runtimes/tool-calls.ts";

const MODEL = "qwen3:0.6b";
const WEATHER: ToolSpec = {
  name: "get_weather",
  description: "Weather in a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" }, days: { type: "integer" } },
    required: ["city"],
  },
};
const OTHER: ToolSpec = { name: "get_time", parameters: { type: "object", properties: {} } };

let ollama: OllamaEmulator | undefined;
let server: OpenAIEmulator | undefined;
afterEach(async () => {
  await ollama?.close();
  await server?.close();
  ollama = server = undefined;
});

async function driver(options: { toolCallIds?: boolean; noTools?: boolean } = {}) {
  ollama = await startOllamaEmulator({
    registry: [ggufModel(MODEL, 1_000_000, options.noTools ? { noTools: true } : {})],
    lineDelayMs: 0,
    ...(options.toolCallIds === false ? { toolCallIds: false } : {}),
  });
  const d = new OllamaDriver({ host: ollama.url });
  await d.install(MODEL);
  return d;
}

const chatBody = (e: OllamaEmulator) =>
  e.requests.filter((r) => r.path === "/api/chat").at(-1)?.body as Record<string, unknown>;

describe("Ollama native tool calling", () => {
  it("sends tools as functions and returns the call with its id and JSON-text arguments", async () => {
    const d = await driver();
    const r = await d.chat(MODEL, [{ role: "user", content: "weather in Paris?" }], { tools: [WEATHER] });
    expect(r.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: "get_weather", arguments: expect.any(String) },
    ]);
    expect(JSON.parse(r.toolCalls?.[0]?.arguments ?? "")).toEqual({ city: `Hello from ${MODEL}`, days: 1 });
    expect(r.text).toBe("");
    expect(chatBody(ollama as OllamaEmulator).tools).toEqual([{ type: "function", function: WEATHER }]);
  });

  it("makes up ids when the server gives none (Ollama before 0.12.10)", async () => {
    const d = await driver({ toolCallIds: false });
    const a = await d.chat(MODEL, [{ role: "user", content: "x" }], { tools: [WEATHER] });
    const b = await d.chat(MODEL, [{ role: "user", content: "x" }], { tools: [WEATHER] });
    expect(a.toolCalls?.[0]?.id).toMatch(/^call_[a-z0-9]{24}$/);
    expect(a.toolCalls?.[0]?.id).not.toBe(b.toolCalls?.[0]?.id);
  });

  it("sends a history's calls with object arguments and results with the tool's name and call id", async () => {
    const d = await driver();
    const history: ChatMessage[] = [
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
      },
      { role: "tool", content: "18°C", toolCallId: "call_1", toolName: "get_weather" },
    ];
    const r = await d.chat(MODEL, history, { tools: [WEATHER] });
    expect(r.text).toBe("The get_weather tool (call call_1) said: 18°C");
    expect(r.toolCalls).toBeUndefined();
    const sent = chatBody(ollama as OllamaEmulator).messages as Record<string, unknown>[];
    expect(sent[1]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ id: "call_1", function: { name: "get_weather", arguments: { city: "Paris" } } }],
    });
    expect(sent[2]).toEqual({ role: "tool", content: "18°C", tool_name: "get_weather", tool_call_id: "call_1" });
  });

  it("tool_choice none sends no tools; a named tool sends only that one; plain turns are sent as before", async () => {
    const d = await driver();
    await d.chat(MODEL, [{ role: "user", content: "hi" }], { tools: [WEATHER, OTHER], toolChoice: "none" });
    expect(chatBody(ollama as OllamaEmulator)).not.toHaveProperty("tools");
    expect(chatBody(ollama as OllamaEmulator).messages).toEqual([{ role: "user", content: "hi" }]);
    await d.chat(MODEL, [{ role: "user", content: "hi" }], {
      tools: [WEATHER, OTHER],
      toolChoice: { name: "get_time" },
    });
    expect(chatBody(ollama as OllamaEmulator).tools).toEqual([{ type: "function", function: OTHER }]);
  });

  it("a model without tool support is an unsupported error", async () => {
    const d = await driver({ noTools: true });
    await expect(d.chat(MODEL, [{ role: "user", content: "x" }], { tools: [WEATHER] })).rejects.toMatchObject({
      code: "unsupported",
      message: expect.stringContaining("does not support tools"),
    });
  });

  it("embeds through /api/embed, one vector per input, with dimensions", async () => {
    const d = await driver();
    const r = await d.embed(MODEL, ["a", "b c"], { dimensions: 4 });
    expect(r.embeddings).toEqual([fakeEmbedding(`${MODEL}`, "a", 4), fakeEmbedding(MODEL, "b c", 4)]);
    expect(r.promptTokens).toBe(3);
    await expect(d.embed("missing:1b", ["a"])).rejects.toMatchObject({ code: "model-not-installed" });
  });
});

describe("OpenAI-compatible tool calling", () => {
  const runtime = async () => {
    server = await startOpenAIEmulator({ flavour: "llamacpp", models: ["m"], tokenDelayMs: 0 });
    return new OpenAICompatibleRuntime({ kind: "llamacpp", baseUrl: server.url });
  };
  const lastBody = () =>
    server?.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)?.body as Record<string, unknown>;

  it("collects a call streamed as id + name, then argument fragments", async () => {
    const rt = await runtime();
    const r = await rt.chat("m", [{ role: "user", content: "weather?" }], { tools: [WEATHER], toolChoice: "required" });
    expect(r.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_emu/), name: "get_weather", arguments: expect.any(String) },
    ]);
    expect(argumentsObject(r.toolCalls?.[0]?.arguments ?? "")).toEqual({ city: "Hello from m", days: 1 });
    expect(r.doneReason).toBe("tool_calls");
    expect(lastBody().tools).toEqual([{ type: "function", function: WEATHER }]);
    expect(lastBody().tool_choice).toBe("required");
  });

  it("sends no tool_choice unless chosen, and a history in OpenAI's shapes (content null beside calls)", async () => {
    const rt = await runtime();
    const r = await rt.chat(
      "m",
      [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: "",
          toolCalls: [{ id: "c9", name: "get_weather", arguments: '{"city":"Oslo"}' }],
        },
        { role: "tool", content: "-3°C", toolCallId: "c9", toolName: "get_weather" },
      ],
      { tools: [WEATHER] },
    );
    expect(r.text).toBe("The tool tool (call c9) said: -3°C");
    expect(lastBody()).not.toHaveProperty("tool_choice");
    expect((lastBody().messages as unknown[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c9", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      },
      { role: "tool", content: "-3°C", tool_call_id: "c9" },
    ]);
  });

  it("reads calls from a server that answers the whole completion at once", async () => {
    const rt = await runtime();
    server?.faults.push({ kind: "ignore-stream", times: 1 });
    const r = await rt.chat("m", [{ role: "user", content: "x" }], {
      tools: [WEATHER],
      toolChoice: { name: "get_weather" },
    });
    expect(r.toolCalls?.[0]).toMatchObject({ name: "get_weather" });
    expect(lastBody().tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
  });

  it("embeds through /v1/embeddings as floats", async () => {
    const rt = await runtime();
    const r = await rt.embed("m", ["x", "y"]);
    expect(r.embeddings).toEqual([fakeEmbedding("m", "x"), fakeEmbedding("m", "y")]);
    expect(r.promptTokens).toBe(2);
    const body = server?.requests.find((q) => q.path === "/v1/embeddings")?.body;
    expect(body).toMatchObject({ model: "m", input: ["x", "y"], encoding_format: "float" });
  });
});

describe("tool-call helpers", () => {
  it("toolsFor narrows by the choice; argumentsObject reads only JSON objects", () => {
    expect(toolsFor([WEATHER, OTHER], "auto")).toHaveLength(2);
    expect(toolsFor([WEATHER, OTHER], "required")).toHaveLength(2);
    expect(toolsFor([WEATHER], "none")).toBeUndefined();
    expect(toolsFor([], "auto")).toBeUndefined();
    expect(argumentsObject('{"a":1}')).toEqual({ a: 1 });
    expect(argumentsObject("")).toEqual({});
    expect(argumentsObject("[1]")).toBeUndefined();
    expect(argumentsObject('{"a":')).toBeUndefined();
  });
});
