/**
 * The gateway's Anthropic Messages API driven by the official `@anthropic-ai/sdk` (version
 * 2026-10-21, Bearer auth) and by raw requests as older SDKs and Claude Code send them (x-api-key,
 * 2023-06-01, the un-prefixed path): messages, the streaming event sequence, tool use round trips,
 * count_tokens, the models page, errors in Anthropic's shape, and claude-* names.
 */
import Anthropic, { APIError, BadRequestError, NotFoundError, ServiceUnavailableError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type GatewayFixture, LM_CHAT, startGatewayFixture } from "../../test/helpers/gateway-fixture.ts";

let gw: GatewayFixture;
let an: Anthropic;
const WEATHER = {
  name: "get_weather",
  description: "Current weather in a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};
const chats = () => gw.ollama.requests.filter((r) => r.path === "/api/chat");
const sentMessages = () => (chats().at(-1)?.body as { messages: Record<string, unknown>[] }).messages;

beforeAll(async () => {
  gw = await startGatewayFixture();
  an = new Anthropic({ baseURL: gw.api.url, apiKey: "local", maxRetries: 2 });
});
afterAll(() => gw?.close());
beforeEach(() => {
  gw.ollama.faults.length = 0;
});

describe("messages", () => {
  it("answers with a text block, end_turn, usage and the answering model", async () => {
    const { data, response } = await an.messages
      .create({
        model: SMALL,
        max_tokens: 64,
        system: "Be brief.",
        messages: [{ role: "user", content: "hello there" }],
        stop_sequences: ["END"],
      })
      .withResponse();
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: SMALL,
      stop_reason: "end_turn",
      content: [{ type: "text", text: expect.stringContaining("hello there") }],
    });
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect(response.headers.get("x-small-llm-model")).toBe(SMALL);
    expect(chats().at(-1)?.body).toMatchObject({ options: { num_predict: 64, stop: ["END"] } });
    expect(sentMessages()[0]).toEqual({ role: "system", content: "Be brief." });
  });

  it("keeps a high max_tokens as the limit without sizing the context for all of it", async () => {
    // The SDK streams calls this large, as Claude Code does.
    await an.messages
      .stream({ model: SMALL, max_tokens: 32_000, messages: [{ role: "user", content: "short" }] })
      .finalMessage();
    const options = (chats().at(-1)?.body as { options: { num_predict: number; num_ctx?: number } }).options;
    expect(options.num_predict).toBe(32_000);
    expect(options.num_ctx ?? 4096).toBeLessThanOrEqual(8192);
  });

  it("streams the event sequence the SDK's MessageStream accepts", async () => {
    const stream = an.messages.stream({
      model: SMALL,
      max_tokens: 64,
      messages: [{ role: "user", content: "stream it" }],
    });
    const types: string[] = [];
    stream.on("streamEvent", (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: "text", text: `Hello from ${SMALL}. You said: stream it` }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(types[0]).toBe("message_start");
    expect(types[1]).toBe("content_block_start");
    expect(types.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
  });

  it("runs a tool use round trip: tool_use with an input object, tool_result answered", async () => {
    const first = await an.messages.create({
      model: SMALL,
      max_tokens: 128,
      tools: [WEATHER],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use");
    expect(use).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: `Hello from ${SMALL}` } });
    if (use?.type !== "tool_use") throw new Error("expected tool_use");
    const second = await an.messages.create({
      model: SMALL,
      max_tokens: 128,
      tools: [WEATHER],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: "18°C" }] },
            { type: "text", text: "Thanks!" },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: `The get_weather tool (call ${use.id}) said: 18°C` }]);
    expect(second.stop_reason).toBe("end_turn");
    // The result went to Ollama as a tool turn (with the tool's name) before the user's text.
    const sent = sentMessages();
    expect(sent[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: use.id, function: { name: "get_weather" } }],
    });
    expect(sent[2]).toEqual({ role: "tool", content: "18°C", tool_call_id: use.id, tool_name: "get_weather" });
    expect(sent[3]).toEqual({ role: "user", content: "Thanks!" });
  });

  it("streams a tool_use block whose input arrives as input_json_delta", async () => {
    const final = await an.messages
      .stream({
        model: `lmstudio/${LM_CHAT}`,
        max_tokens: 128,
        tools: [WEATHER],
        tool_choice: { type: "tool", name: "get_weather" },
        messages: [{ role: "user", content: "weather?" }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toEqual([
      expect.objectContaining({ type: "tool_use", name: "get_weather", input: { city: `Hello from ${LM_CHAT}` } }),
    ]);
    const upstream = gw.lmstudio.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)?.body;
    expect(upstream).toMatchObject({ tool_choice: { type: "function", function: { name: "get_weather" } } });
  });

  it("passes base64 images to the model; refuses image URLs", async () => {
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    await an.messages.create({
      model: SMALL,
      max_tokens: 16,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
            { type: "text", text: "what is this?" },
          ],
        },
      ],
    });
    expect(sentMessages().at(-1)).toEqual({ role: "user", content: "what is this?", images: [png] });
    const url = await an.messages
      .create({
        model: SMALL,
        max_tokens: 16,
        messages: [
          { role: "user", content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }] },
        ],
      })
      .catch((e) => e);
    expect(url).toBeInstanceOf(BadRequestError);
    expect(url.error.error.type).toBe("invalid_request_error");
  });

  it("counts tokens and maps claude-* names to the router's choice", async () => {
    const count = await an.messages.countTokens({
      model: SMALL,
      messages: [{ role: "user", content: "count these words please" }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    const r = await an.messages.create({
      model: "claude-haiku-4-5-20251001",
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(r.model).toBe(SMALL); // quick: the smallest chat model
  });

  it("lists models in Anthropic's page shape", async () => {
    const ids: string[] = [];
    for await (const m of an.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining([SMALL, "auto", "task/coding"]));
  });
});

describe("errors and older clients", () => {
  it("errors come in Anthropic's shape with the SDK's classes; a spent chain is not retried", async () => {
    const unknown = await an.messages
      .create({ model: "nope:1b", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.error).toMatchObject({
      type: "error",
      error: { type: "not_found_error" },
      request_id: expect.any(String),
    });
    const bad = await an.messages
      .create({ model: SMALL, messages: [{ role: "user", content: "x" }] } as never)
      .catch((e) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.message).toContain("max_tokens");
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 99, kind: "busy" });
    const before = chats().length;
    const down = await an.messages
      .create({ model: SMALL, max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(down).toBeInstanceOf(ServiceUnavailableError);
    expect(chats().length - before).toBe(3);
  });

  it("leaves out server tools' blocks, and refuses a document a local model would not read", async () => {
    const send = (messages: unknown) =>
      fetch(`${gw.api.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "local", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: SMALL, max_tokens: 16, messages }),
      });
    const searched = await send([
      { role: "user", content: "news?" },
      {
        role: "assistant",
        content: [
          { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "news" } },
          { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
          { type: "text", text: "Nothing new." },
        ],
      },
      { role: "user", content: "thanks" },
    ]);
    expect(searched.status).toBe(200);
    expect(sentMessages()).toEqual([
      { role: "user", content: "news?" },
      { role: "assistant", content: "Nothing new." },
      { role: "user", content: "thanks" },
    ]);
    const pdf = await send([
      {
        role: "user",
        content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } }],
      },
    ]);
    expect(pdf.status).toBe(400);
    expect((await pdf.json()).error.message).toContain('"document" blocks are not read');
  });

  it("a failure after the stream began is an error event the SDK raises", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "error-line", afterLines: 2 });
    const stream = an.messages.stream({ model: SMALL, max_tokens: 64, messages: [{ role: "user", content: "x y z" }] });
    let text = "";
    stream.on("text", (t) => {
      text += t;
    });
    const error = await stream.finalMessage().catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toContain("llama runner process has terminated");
    expect(text).toBe("Hello from ");
  });

  it("accepts x-api-key with anthropic-version 2023-06-01 and Bearer with 2026-10-21, on /v1/messages and /messages", async () => {
    const guarded = await startGatewayFixture({ token: "k3y-for-claude-code" });
    try {
      const send = (path: string, headers: Record<string, string>) =>
        fetch(`${guarded.api.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({
            model: SMALL,
            max_tokens: 16,
            messages: [{ role: "user", content: "hi" }],
            temperature: 0.3,
          }),
        });
      const old = await send("/v1/messages", { "x-api-key": "k3y-for-claude-code", "anthropic-version": "2023-06-01" });
      expect(old.status).toBe(200);
      expect((await old.json()).stop_reason).toBe("end_turn");
      const bare = await send("/messages", { "x-api-key": "k3y-for-claude-code", "anthropic-version": "2023-06-01" });
      expect(bare.status).toBe(200);
      const wrong = await send("/v1/messages", { "x-api-key": "nope", "anthropic-version": "2023-06-01" });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
      const sdk = new Anthropic({ baseURL: guarded.api.url, apiKey: "k3y-for-claude-code" });
      const r = await sdk.messages.create({ model: SMALL, max_tokens: 8, messages: [{ role: "user", content: "hi" }] });
      expect(r.type).toBe("message");
    } finally {
      await guarded.close();
    }
  });
});
