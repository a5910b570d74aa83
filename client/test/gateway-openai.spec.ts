/**
 * The gateway driven by the official `openai` SDK against the Ollama and LM Studio emulators: chat
 * whole and streamed (its own stream accumulator, which enforces finish reasons, roles and tool-call
 * deltas), tools round trips, JSON-schema output, embeddings (base64 by default), the models list,
 * the SDK's error classes, and fallback before the first token versus an error after it.
 */
import OpenAI, { APIError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LARGE, SMALL } from "../../test/helpers/agent-fixtures.ts";
import {
  EMBED,
  type GatewayFixture,
  LM_CHAT,
  LM_EMBED,
  startGatewayFixture,
} from "../../test/helpers/gateway-fixture.ts";
import { fakeEmbedding } from "../../test/helpers/model-behaviour.ts";

let gw: GatewayFixture;
let oa: OpenAI;
const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const chats = () => gw.ollama.requests.filter((r) => r.path === "/api/chat");

beforeAll(async () => {
  gw = await startGatewayFixture();
  oa = new OpenAI({ baseURL: gw.base, apiKey: "local" });
});
afterAll(() => gw?.close());
beforeEach(() => {
  gw.ollama.faults.length = 0;
  gw.lmstudio.faults.length = 0;
});

describe("chat completions", () => {
  it("answers whole, naming the model and runtime that answered, with usage", async () => {
    const { data, response } = await oa.chat.completions
      .create({ model: SMALL, messages: [{ role: "user", content: "hello there" }], temperature: 0.2, max_tokens: 50 })
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe(SMALL);
    expect(data.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: expect.stringContaining("hello there"),
    });
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
    expect(response.headers.get("x-small-llm-model")).toBe(SMALL);
    expect(response.headers.get("x-small-llm-runtime")).toBe("ollama");
    expect(response.headers.get("x-small-llm-attempts")).toBe("1");
    expect(chats().at(-1)?.body).toMatchObject({ options: { temperature: 0.2, num_predict: 50 } });
  });

  it("streams chunks the SDK's accumulator accepts: one id, role first, a finish chunk, usage, [DONE]", async () => {
    const stream = oa.chat.completions.stream({
      model: "task/analysis",
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "stream me" }] },
      ],
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on("chunk", (c) => chunks.push(c));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toContain("stream me");
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.model).toBe(LARGE); // analysis: the largest chat model that fits
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(chunks.filter((c) => c.choices[0]?.delta.role)).toHaveLength(1);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    // The developer turn reached Ollama as a system turn.
    expect((chats().at(-1)?.body as { messages: unknown[] }).messages[0]).toEqual({
      role: "system",
      content: "Be brief.",
    });
  });

  it("runs a tools round trip on Ollama: call with id and JSON-text arguments, then the result answered", async () => {
    const first = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [WEATHER],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(first.choices[0]?.message.content).toBeNull();
    expect(call?.id).toMatch(/^call_/);
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: `Hello from ${SMALL}` });
    const second = await oa.chat.completions.create({
      model: SMALL,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        first.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessageParam,
        { role: "tool", tool_call_id: call.id, content: "18°C and sunny" },
      ],
      tools: [WEATHER],
    });
    expect(second.choices[0]?.message.content).toBe(`The get_weather tool (call ${call.id}) said: 18°C and sunny`);
    const sent = (chats().at(-1)?.body as { messages: Record<string, unknown>[] }).messages;
    expect(sent[1]?.tool_calls).toEqual([
      { id: call.id, function: { name: "get_weather", arguments: { city: `Hello from ${SMALL}` } } },
    ]);
    expect(sent[2]).toMatchObject({ role: "tool", tool_call_id: call.id, tool_name: "get_weather" });
  });

  it("streams a tool call from an OpenAI-compatible runtime that the SDK accumulates", async () => {
    const final = await oa.chat.completions
      .stream({
        model: `lmstudio/${LM_CHAT}`,
        messages: [{ role: "user", content: "weather?" }],
        tools: [WEATHER],
        tool_choice: "required",
      })
      .finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: `Hello from ${LM_CHAT}` });
    const upstream = gw.lmstudio.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)?.body;
    expect(upstream).toMatchObject({ tool_choice: "required", tools: [WEATHER] });
  });

  it("response_format json_schema becomes Ollama's format and the answer matches the schema", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, temperature: { type: "number" } },
      required: ["city", "temperature"],
    };
    const r = await oa.chat.completions.create({
      model: "Qwen/Qwen2.5-0.5B-Instruct",
      messages: [{ role: "user", content: "Paris weather as JSON" }],
      response_format: { type: "json_schema", json_schema: { name: "weather", schema, strict: true } },
    });
    expect(JSON.parse(r.choices[0]?.message.content ?? "")).toEqual({ city: `Hello from ${SMALL}`, temperature: 1 });
    expect(chats().at(-1)?.body).toMatchObject({ format: schema, model: SMALL });
    const json = await oa.chat.completions.create({
      model: `lmstudio/${LM_CHAT}`,
      messages: [{ role: "user", content: "JSON please" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(json.choices[0]?.message.content ?? "")).toEqual({ answer: `Hello from ${LM_CHAT}` });
  });

  it("rides Ollama options along, checked as `run` checks them", async () => {
    await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "x" }],
      // @ts-expect-error: the gateway's own field
      options: { num_ctx: 8192, top_k: 20 },
      seed: 7,
      stop: "END",
    });
    expect(chats().at(-1)?.body).toMatchObject({ options: { num_ctx: 8192, top_k: 20, seed: 7, stop: ["END"] } });
    const bad = await oa.chat.completions
      // @ts-expect-error: the gateway's own field
      .create({ model: SMALL, messages: [{ role: "user", content: "x" }], options: { tempurature: 0.2 } })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.code).toBe("invalid-option");
    expect(bad.message).toContain('did you mean "temperature"');
  });
});

describe("fallback and failures", () => {
  it("streams usage on the finish chunk when include_usage was not asked", async () => {
    const stream = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "u" }],
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.filter((c) => c.choices.length === 0)).toEqual([]);
  });

  it("falls back when the first model fails before any token, streaming the next one's answer", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "error-line", afterLines: 0 });
    const { data: stream, response } = await oa.chat.completions
      .create({
        model: SMALL,
        messages: [{ role: "user", content: "fall" }],
        stream: true,
        fallbacks: [LARGE],
      } as never)
      .withResponse();
    let text = "";
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>)
      text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(`Hello from ${LARGE}. You said: fall`);
    expect(response.headers.get("x-small-llm-model")).toBe(LARGE);
    expect(response.headers.get("x-small-llm-attempts")).toBe("2");
  });

  it("an OpenAI-compatible runtime failing mid-stream before a token falls back too", async () => {
    gw.lmstudio.faults.push({ kind: "error-mid-stream", times: 1, afterTokens: 0 });
    const final = await oa.chat.completions
      .stream({ model: `lmstudio/${LM_CHAT}`, messages: [{ role: "user", content: "x" }], fallbacks: [SMALL] } as never)
      .finalChatCompletion();
    expect(final.model).toBe(SMALL);
  });

  it("a failure after tokens went out is an error the SDK raises, not a second answer", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "error-line", afterLines: 2 });
    const before = chats().length;
    const stream = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "break please" }],
      stream: true,
      fallbacks: [LARGE],
    } as never);
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>)
        text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toContain("llama runner process has terminated");
    expect(text).toBe(`Hello from `);
    expect(chats().length - before).toBe(1); // neither retried nor fallen back
  });

  it("answers with what the model said when no model passes the checks, and never checks JSON cut at max_tokens", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "refusal" });
    const refused = await oa.chat.completions.create({ model: SMALL, messages: [{ role: "user", content: "x" }] });
    expect(refused.choices[0]?.message.content).toBe("I'm sorry, but I can't help with that.");
    const before = chats().length;
    const cut = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "a JSON object please" }],
      response_format: { type: "json_object" },
      max_tokens: 2,
    });
    expect(cut.choices[0]?.finish_reason).toBe("length");
    expect(chats().length - before).toBe(1); // the next model would be cut at the same limit
  });

  it("a streamed answer that would fail its checks (a refusal) is the answer: complete, never glued to another model's", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "refusal" });
    const stream = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "x" }],
      stream: true,
      fallbacks: [LARGE],
    } as never);
    let text = "";
    let finish: string | null | undefined;
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish ??= chunk.choices[0]?.finish_reason;
    }
    expect(text).toBe("I'm sorry, but I can't help with that.");
    expect(finish).toBe("stop");
    // Whole, the same request falls back: nothing reached the client yet.
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "refusal" });
    const whole = await oa.chat.completions.create({
      model: SMALL,
      messages: [{ role: "user", content: "x" }],
      fallbacks: [LARGE],
    } as never);
    expect(whole.model).toBe(LARGE);
  });

  it("error classes: unknown model 404, bad request 400, every model failed 503 (not retried by the SDK)", async () => {
    const unknown = await oa.chat.completions
      .create({ model: "nope:1b", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.code).toBe("unknown-model");
    expect(unknown.param).toBe("model");
    const bad = await oa.chat.completions
      .create({ model: SMALL, messages: [{ role: "user", content: "x" }], n: 2 })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.message).toContain("n:");
    expect(bad.param).toBe("n"); // the field, as OpenAI names it
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 99, kind: "busy" });
    const before = chats().length;
    const down = await oa.chat.completions
      .create({ model: SMALL, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(down).toBeInstanceOf(InternalServerError);
    expect(down.status).toBe(503);
    expect(down.code).toBe("busy");
    expect(down.message).toMatch(/attempts: .*busy/);
    expect(down.headers.get("x-should-retry")).toBe("false");
    expect(chats().length - before).toBe(3); // the gateway's own retries (2), and no more from the SDK
  });
});

describe("embeddings and models", () => {
  it("embeds with the SDK's default base64 encoding and with floats", async () => {
    const b64 = await oa.embeddings.create({ model: EMBED, input: ["alpha", "beta"] });
    const expected = ["alpha", "beta"].map((t) => fakeEmbedding(EMBED, t));
    expect(b64.data.map((d) => d.embedding)).toEqual(expected);
    expect(b64.data.map((d) => d.index)).toEqual([0, 1]);
    expect(b64.usage.prompt_tokens).toBe(2);
    const floats = await oa.embeddings.create({
      model: "nomic-embed-text",
      input: "alpha",
      encoding_format: "float",
      dimensions: 4,
    });
    expect(floats.data[0]?.embedding).toEqual(fakeEmbedding(EMBED, "alpha", 4));
    const other = await oa.embeddings.create({ model: `lmstudio/${LM_EMBED}`, input: "x" });
    expect(other.data[0]?.embedding).toEqual(fakeEmbedding(LM_EMBED, "x"));
    const virtual = await oa.embeddings.create({ model: "auto", input: "x" }).catch((e) => e);
    expect(virtual).toBeInstanceOf(BadRequestError);
    const tokens = await oa.embeddings.create({ model: EMBED, input: [1, 2, 3] }).catch((e) => e);
    expect(tokens).toBeInstanceOf(BadRequestError);
    await vi.waitFor(() => expect(gw.usage().filter((u) => u.kind === "embed")).toHaveLength(3));
  });

  it("lists every runtime's models and the virtual ones; retrieves one, or any name a chat takes", async () => {
    const ids = (await oa.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([SMALL, LARGE, EMBED, `lmstudio/${LM_CHAT}`, "auto", "task/coding", "task/quick"]),
    );
    expect((await oa.models.retrieve("task/coding")).owned_by).toBe("small-llm");
    expect(await oa.models.retrieve("nope").catch((e) => e)).toBeInstanceOf(NotFoundError);
    // Any name a chat takes is retrievable as itself: an index id, a provider-prefixed name.
    expect((await oa.models.retrieve("Qwen/Qwen2.5-0.5B-Instruct")).id).toBe("Qwen/Qwen2.5-0.5B-Instruct");
    expect((await oa.models.retrieve(`ollama/${SMALL}`)).id).toBe(`ollama/${SMALL}`);
  });

  it("a server with a token refuses a wrong key with the SDK's AuthenticationError", async () => {
    const guarded = await startGatewayFixture({ token: "s3cret-token-1234" });
    try {
      const wrong = new OpenAI({ baseURL: guarded.base, apiKey: "local" });
      expect(await wrong.models.list().catch((e) => e)).toBeInstanceOf(AuthenticationError);
      const right = new OpenAI({ baseURL: guarded.base, apiKey: "s3cret-token-1234" });
      expect((await right.models.list()).data.length).toBeGreaterThan(3);
    } finally {
      await guarded.close();
    }
  });
});
