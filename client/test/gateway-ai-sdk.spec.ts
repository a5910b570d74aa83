/**
 * The gateway driven by the Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`), as JS apps use it:
 * generateText and streamText on Ollama and on an OpenAI-compatible runtime, a tool executed by the
 * SDK across two steps, structured output, and a stream that falls back before its first token.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, isStepCount, Output, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LARGE, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type GatewayFixture, LM_CHAT, startGatewayFixture } from "../../test/helpers/gateway-fixture.ts";

let gw: GatewayFixture;
let provider: ReturnType<typeof createOpenAICompatible>;

beforeAll(async () => {
  gw = await startGatewayFixture();
  provider = createOpenAICompatible({
    name: "gw",
    baseURL: gw.base,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
});
afterAll(() => gw?.close());

const weather = tool({
  description: "Current weather in a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 18 }),
});

describe("Vercel AI SDK", () => {
  it("generateText on Ollama: text, usage, finish reason, the answering model in the headers", async () => {
    const r = await generateText({ model: provider(SMALL), prompt: "hello ai sdk", maxOutputTokens: 100 });
    expect(r.text).toBe(`Hello from ${SMALL}. You said: hello ai sdk`);
    expect(r.finishReason).toBe("stop");
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    expect(r.response.headers?.["x-small-llm-model"]).toBe(SMALL);
    const sent = gw.ollama.requests.filter((q) => q.path === "/api/chat").at(-1)?.body;
    expect(sent).toMatchObject({ options: { num_predict: 100 } });
  });

  it("streamText on an OpenAI-compatible runtime streams every token", async () => {
    const result = streamText({ model: provider(`lmstudio/${LM_CHAT}`), prompt: "stream from lm studio" });
    const parts: string[] = [];
    for await (const t of result.textStream) parts.push(t);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join("")).toBe(`Hello from ${LM_CHAT}. You said: stream from lm studio`);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(await result.finishReason).toBe("stop");
  });

  for (const model of [SMALL, `lmstudio/${LM_CHAT}`])
    it(`runs a tool the SDK executes, then answers from its result (${model.startsWith("lm") ? "OpenAI-compatible" : "Ollama"})`, async () => {
      const r = await generateText({
        model: provider(model),
        prompt: "What is the weather in Paris?",
        tools: { weather },
        stopWhen: isStepCount(3),
      });
      expect(r.steps).toHaveLength(2);
      expect(r.steps[0]?.toolCalls[0]).toMatchObject({ toolName: "weather", input: { city: expect.any(String) } });
      expect(r.steps[0]?.toolResults[0]?.output).toMatchObject({ celsius: 18 });
      expect(r.text).toMatch(/tool \(call .+\) said: .*"celsius":18/);
    });

  it("structured output with a JSON schema", async () => {
    const r = await generateText({
      model: provider(SMALL),
      prompt: "a city as JSON",
      output: Output.object({ schema: z.object({ name: z.string(), population: z.number() }) }),
    });
    expect(r.output).toEqual({ name: `Hello from ${SMALL}`, population: 1 });
  });

  it("a stream whose first model fails before any token falls back (fallbacks through providerOptions)", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "error-line", afterLines: 0 });
    const result = streamText({
      model: provider(SMALL),
      prompt: "fall back",
      providerOptions: { gw: { fallbacks: [LARGE] } },
    });
    let text = "";
    for await (const t of result.textStream) text += t;
    expect(text).toBe(`Hello from ${LARGE}. You said: fall back`);
    expect((await result.response).modelId).toBe(LARGE);
  });
});
