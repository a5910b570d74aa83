/**
 * Chat-completion answers as the OpenAI SDKs parse them (../shared/reference/gateway.md §A.2–A.3):
 * `content: null` beside tool calls, arguments as JSON text, `finish_reason` `tool_calls` when the
 * model called tools (but `length` stays `length`), `usage` always. Streamed: the same `id` and
 * `created` on every chunk, `role` on the first, each tool call in one delta that carries its index,
 * id, type, name and arguments, a finish chunk of its own, the usage chunk (empty `choices`) when
 * asked (else usage rides on the finish chunk), then `data: [DONE]`. A failure after tokens went out is an in-band `{ "error": … }` event,
 * which the SDKs raise as an APIError. A thinking model's thoughts, when the client asked for them
 * (`reasoning_effort`), are `reasoning` beside `content`, as Ollama's own /v1 names them.
 */
import type { LlmSuccess } from "../../agent/delegate.ts";
import type { Answerer } from "../chat-call.ts";
import { type GatewayFailure, openAIErrorBody } from "../errors.ts";
import { answerHeaders, type EventWriter } from "../respond.ts";

export function finishReason(response: LlmSuccess): "stop" | "length" | "tool_calls" {
  if (response.doneReason === "length") return "length";
  return response.toolCalls?.length ? "tool_calls" : "stop";
}

function usage(response: LlmSuccess) {
  return {
    prompt_tokens: response.promptTokens,
    completion_tokens: response.outputTokens,
    total_tokens: response.promptTokens + response.outputTokens,
  };
}

const toolCalls = (response: LlmSuccess) =>
  response.toolCalls?.map((c) => ({
    id: c.id,
    type: "function" as const,
    function: { name: c.name, arguments: c.arguments },
  }));

export function completion(id: string, created: number, response: LlmSuccess) {
  const calls = toolCalls(response);
  return {
    id,
    object: "chat.completion",
    created,
    model: response.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: calls?.length && !response.text ? null : response.text,
          refusal: null,
          ...(response.thinking ? { reasoning: response.thinking } : {}),
          ...(calls?.length ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(response),
      },
    ],
    usage: usage(response),
  };
}

/** One streamed completion: chunks as tokens come, then the end or an in-band error. */
export class CompletionStream {
  private model = "";
  private sentRole = false;

  constructor(
    private readonly out: EventWriter,
    private readonly id: string,
    private readonly created: number,
    private readonly includeUsage: boolean,
    private readonly requestId: string,
  ) {}

  private chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
    this.out.send({
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });
  }

  /** Headers go out with the first token: they name the model it comes from. */
  private open(who: Answerer) {
    if (!this.out.started) {
      this.model = who.model;
      this.out.start(answerHeaders(who, "openai", this.requestId));
    }
  }

  token(text: string, who: Answerer): void {
    this.delta({ content: text }, who);
  }

  thinking(text: string, who: Answerer): void {
    this.delta({ reasoning: text }, who);
  }

  private delta(delta: Record<string, string>, who: Answerer) {
    this.open(who);
    this.chunk(this.sentRole ? delta : { role: "assistant", ...delta });
    this.sentRole = true;
  }

  /** The answer is complete: tool calls, the finish chunk, usage when asked, `[DONE]`. */
  finish(response: LlmSuccess, who: Answerer): void {
    this.open(who);
    if (!this.sentRole) {
      this.chunk({ role: "assistant", content: response.toolCalls?.length ? null : "" });
      this.sentRole = true;
    }
    const calls = toolCalls(response) ?? [];
    for (const [index, call] of calls.entries()) this.chunk({ tool_calls: [{ index, ...call }] });
    // Usage always: on its own chunk (empty choices) when asked, as OpenAI sends it; else on the
    // finish chunk, where clients that read usage from any chunk (the AI SDK) find it.
    this.chunk({}, finishReason(response), this.includeUsage ? {} : { usage: usage(response) });
    if (this.includeUsage)
      this.out.send({
        id: this.id,
        object: "chat.completion.chunk",
        created: this.created,
        model: this.model,
        choices: [],
        usage: usage(response),
      });
    this.out.send("[DONE]");
    this.out.end();
  }

  /** A failure after tokens went out: an error event, and the stream ends (no `[DONE]`: the answer is not complete). */
  fail(failure: GatewayFailure): void {
    this.out.send(openAIErrorBody(failure));
    this.out.end();
  }
}
