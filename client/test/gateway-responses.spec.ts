/**
 * The gateway's OpenAI Responses API through the official openai SDK: `responses.create` whole,
 * streamed through the SDK's own accumulator (`responses.stream()` + `finalResponse()`, which
 * checks the event sequence, output indexes and item identities), a function-call round trip
 * (`function_call` out, `function_call_output` in, paired by `call_id`), JSON-schema text format,
 * `max_output_tokens` as an incomplete response, and the errors the SDK raises.
 */
import OpenAI, { BadRequestError, NotFoundError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LARGE, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type GatewayFixture, startGatewayFixture } from "../../test/helpers/gateway-fixture.ts";

let gw: GatewayFixture;
let oa: OpenAI;
const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Current weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};
const chats = () => gw.ollama.requests.filter((r) => r.path === "/api/chat");
const lastSent = () => (chats().at(-1)?.body ?? {}) as { messages: Record<string, unknown>[]; format?: unknown };

beforeAll(async () => {
  gw = await startGatewayFixture();
  oa = new OpenAI({ baseURL: gw.base, apiKey: "local" });
});
afterAll(() => gw?.close());
beforeEach(() => {
  gw.ollama.faults.length = 0;
});

describe("POST /v1/responses", () => {
  it("answers whole: a completed response with one output_text message, usage, the model that answered", async () => {
    const { data, response } = await oa.responses
      .create({ model: SMALL, instructions: "Be brief.", input: "hello there", temperature: 0.2 })
      .withResponse();
    expect(data.id).toMatch(/^resp_/);
    expect(data.object).toBe("response");
    expect(data.status).toBe("completed");
    expect(data.model).toBe(SMALL);
    expect(data.output_text).toContain("hello there");
    expect(data.output).toHaveLength(1);
    expect(data.output[0]).toMatchObject({ type: "message", role: "assistant", status: "completed" });
    expect(data.usage?.total_tokens).toBe((data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0));
    expect(response.headers.get("x-small-llm-runtime")).toBe("ollama");
    // The instructions are the system turn; the sampling field became an Ollama option.
    expect(lastSent().messages[0]).toEqual({ role: "system", content: "Be brief." });
    expect(chats().at(-1)?.body).toMatchObject({ options: { temperature: 0.2 } });
  });

  it("streams events the SDK's accumulator accepts, in order, numbered from 0", async () => {
    const stream = oa.responses.stream({
      model: "task/analysis",
      input: [{ role: "user", content: [{ type: "input_text", text: "stream me" }] }],
    });
    const events: { type: string; sequence_number: number }[] = [];
    stream.on("event", (e) => events.push(e));
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(final.model).toBe(LARGE);
    expect(final.output_text).toContain("stream me");
    const deltas = events.filter((e) => e.type === "response.output_text.delta") as unknown as { delta: string }[];
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.delta).join("")).toBe(final.output_text);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type).filter((t) => t !== "response.output_text.delta");
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
  });

  it("runs a function-call round trip: the call out with its call_id, its output back in, answered", async () => {
    const first = await oa.responses.create({ model: SMALL, input: "Weather in Paris?", tools: [WEATHER] });
    const call = first.output.find((o) => o.type === "function_call");
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(call).toMatchObject({ name: "get_weather", status: "completed", call_id: expect.stringMatching(/^call_/) });
    expect(call.id).toMatch(/^fc_/);
    expect(JSON.parse(call.arguments)).toEqual({ city: `Hello from ${SMALL}` });
    const second = await oa.responses.create({
      model: SMALL,
      input: [
        { role: "user", content: "Weather in Paris?" },
        call,
        { type: "function_call_output", call_id: call.call_id, output: "18°C and sunny" },
      ],
      tools: [WEATHER],
    });
    expect(second.output_text).toBe(`The get_weather tool (call ${call.call_id}) said: 18°C and sunny`);
    const sent = lastSent().messages;
    expect(sent[1]).toMatchObject({ role: "assistant", tool_calls: [{ id: call.call_id }] });
    expect(sent[2]).toMatchObject({ role: "tool", tool_call_id: call.call_id, tool_name: "get_weather" });

    // Streamed, the call is an output item of its own that the accumulator completes.
    const streamed = await oa.responses
      .stream({ model: SMALL, input: "Weather in Paris?", tools: [WEATHER] })
      .finalResponse();
    expect(streamed.output.find((o) => o.type === "function_call")).toMatchObject({ name: "get_weather" });
  });

  it("text.format json_schema becomes Ollama's format; max_output_tokens an incomplete response", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    await oa.responses.create({
      model: SMALL,
      input: "is it ok?",
      text: { format: { type: "json_schema", name: "verdict", schema, strict: true } },
    });
    expect(lastSent().format).toEqual(schema);
    const cut = await oa.responses.create({ model: SMALL, input: "a long story please", max_output_tokens: 2 });
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("says what it cannot do, as the SDK's errors: stored state, built-in tools, unknown models", async () => {
    const stored = await oa.responses
      .create({ model: SMALL, input: "again", previous_response_id: "resp_123" })
      .catch((e: unknown) => e);
    expect(stored).toBeInstanceOf(BadRequestError);
    expect((stored as Error).message).toMatch(/previous_response_id is not supported.*whole conversation in input/);
    const builtIn = await oa.responses
      .create({ model: SMALL, input: "search", tools: [{ type: "web_search_preview" }] })
      .catch((e: unknown) => e);
    expect(builtIn).toBeInstanceOf(BadRequestError);
    expect((builtIn as Error).message).toMatch(/only function tools/);
    const unknown = await oa.responses.create({ model: "nope:1b", input: "x" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });
});
