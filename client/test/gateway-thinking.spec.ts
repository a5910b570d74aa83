/**
 * Thinking models through the gateway (../shared/reference/gateway.md §C.3): Ollama thinks whenever
 * `think` is not sent, so the gateway sends `think: false` unless the client asked for reasoning
 * (`reasoning_effort`, Responses `reasoning.effort`, Anthropic `thinking`). Asked for, the thoughts
 * come back as OpenAI's `reasoning` and Anthropic's `thinking` block, whole and streamed; a model
 * that cannot think answers without it instead of failing.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRegistry, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type GatewayFixture, startGatewayFixture } from "../../test/helpers/gateway-fixture.ts";
import { ggufModel } from "../../test/ollama-emulator/server.ts";

const THINKER = "qwen3:0.6b";
let gw: GatewayFixture;
let oa: OpenAI;
let an: Anthropic;
const lastChat = () => gw.ollama.requests.filter((r) => r.path === "/api/chat").at(-1)?.body as Record<string, unknown>;

beforeAll(async () => {
  gw = await startGatewayFixture({
    ollama: { registry: [...agentRegistry(), ggufModel(THINKER, 1_000_000, { thinking: true })] },
    install: [SMALL, THINKER],
  });
  oa = new OpenAI({ baseURL: gw.base, apiKey: "local" });
  an = new Anthropic({ baseURL: gw.api.url, apiKey: "local" });
});
afterAll(() => gw?.close());

const ask = { role: "user" as const, content: "why is the sky blue?" };

describe("the OpenAI API", () => {
  it("does not let a thinking model think unless asked: think false goes to Ollama, no reasoning comes back", async () => {
    const data = await oa.chat.completions.create({ model: THINKER, messages: [ask] });
    expect(lastChat()).toMatchObject({ think: false });
    expect(data.choices[0]?.message.content).toContain("why is the sky blue?");
    expect(data.choices[0]?.message).not.toHaveProperty("reasoning");
  });

  it("maps reasoning_effort to think and returns the thoughts as reasoning, whole and streamed", async () => {
    const data = await oa.chat.completions.create({ model: THINKER, messages: [ask], reasoning_effort: "low" });
    expect(lastChat()).toMatchObject({ think: "low" });
    const message = data.choices[0]?.message as unknown as Record<string, unknown>;
    expect(message.reasoning).toContain("Thinking about");
    expect(message.content).not.toContain("Thinking about");

    const stream = await oa.chat.completions.create({
      model: THINKER,
      messages: [ask],
      reasoning_effort: "none",
      stream: true,
    });
    for await (const _ of stream);
    expect(lastChat()).toMatchObject({ think: false });

    let reasoning = "";
    let content = "";
    for await (const chunk of await oa.chat.completions.create({
      model: THINKER,
      messages: [ask],
      reasoning_effort: "high",
      stream: true,
    })) {
      const delta = chunk.choices[0]?.delta as { reasoning?: string; content?: string } | undefined;
      reasoning += delta?.reasoning ?? "";
      content += delta?.content ?? "";
    }
    expect(lastChat()).toMatchObject({ think: "high" });
    expect(reasoning).toContain("Thinking about");
    expect(content).toContain("why is the sky blue?");
    expect(content).not.toContain("Thinking about");
  });

  it("a model that cannot think, asked to, answers without thinking (no 400)", async () => {
    const data = await oa.chat.completions.create({ model: SMALL, messages: [ask], reasoning_effort: "medium" });
    expect(data.choices[0]?.message.content).toContain("why is the sky blue?");
    expect(lastChat()).toMatchObject({ think: false });
  });

  it("the Responses API maps reasoning.effort", async () => {
    const r = await oa.responses.create({ model: THINKER, input: "hi", reasoning: { effort: "medium" } });
    expect(lastChat()).toMatchObject({ think: "medium" });
    expect(r.output_text).toContain("hi");
    await oa.responses.create({ model: THINKER, input: "hi" });
    expect(lastChat()).toMatchObject({ think: false });
  });
});

describe("the Anthropic API", () => {
  it("thinks only with thinking enabled, and returns a thinking block before the text, whole and streamed", async () => {
    const plain = await an.messages.create({ model: THINKER, max_tokens: 256, messages: [ask] });
    expect(lastChat()).toMatchObject({ think: false });
    expect(plain.content.map((b) => b.type)).toEqual(["text"]);

    const thinking = { type: "enabled" as const, budget_tokens: 1024 };
    const whole = await an.messages.create({ model: THINKER, max_tokens: 2048, thinking, messages: [ask] });
    expect(lastChat()).toMatchObject({ think: true });
    expect(whole.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(whole.content[0]).toMatchObject({ type: "thinking", thinking: expect.stringContaining("Thinking about") });

    // The SDK's own accumulator checks the event sequence: block indexes, deltas of each block's type.
    const streamed = await an.messages
      .stream({ model: THINKER, max_tokens: 2048, thinking, messages: [ask] })
      .finalMessage();
    expect(streamed.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(streamed.content[0]).toMatchObject({
      thinking: whole.content[0]?.type === "thinking" ? whole.content[0].thinking : "",
    });
    expect(streamed.content[1]).toMatchObject({ type: "text", text: expect.stringContaining("why is the sky blue?") });
  });
});
