/**
 * Messages answers as the Anthropic SDK and Claude Code parse them (../shared/reference/gateway.md
 * §B.2–B.3): text, then `tool_use` blocks (input an object; arguments a small model wrote as broken
 * JSON become `{}`, as llama.cpp does), `stop_reason` `tool_use` / `max_tokens` / `end_turn`. Streamed:
 * every event named (`event:` lines: the SDK dispatches on them), `message_start` first, blocks
 * indexed 0, 1, 2… in order with a start, deltas and a stop, tool input only through one
 * `input_json_delta`, then `message_delta` with the stop reason and usage, and `message_stop`. A
 * failure after the stream began is an `error` event. A thinking model's thoughts, when the client
 * asked for them (`thinking`), come first as a `thinking` block with an empty signature (as Ollama's
 * and llama.cpp's endpoints send it: nothing here signs).
 */
import type { LlmSuccess } from "../../agent/delegate.ts";
import { argumentsObject } from "../../runtimes/tool-calls.ts";
import type { Answerer } from "../chat-call.ts";
import { anthropicErrorBody, type GatewayFailure } from "../errors.ts";
import { answerHeaders, type EventWriter } from "../respond.ts";

export function stopReason(response: LlmSuccess): "end_turn" | "max_tokens" | "tool_use" {
  if (response.toolCalls?.length) return "tool_use";
  return response.doneReason === "length" ? "max_tokens" : "end_turn";
}

const toolUses = (response: LlmSuccess) =>
  (response.toolCalls ?? []).map((c) => ({
    type: "tool_use" as const,
    id: c.id,
    name: c.name,
    input: argumentsObject(c.arguments) ?? {},
  }));

export function message(id: string, response: LlmSuccess) {
  return {
    id,
    type: "message",
    role: "assistant",
    model: response.model,
    content: [
      ...(response.thinking ? [{ type: "thinking" as const, thinking: response.thinking, signature: "" }] : []),
      ...(response.text ? [{ type: "text" as const, text: response.text }] : []),
      ...toolUses(response),
    ],
    stop_reason: stopReason(response),
    stop_sequence: null,
    usage: { input_tokens: response.promptTokens, output_tokens: response.outputTokens },
  };
}

/** One streamed message: events as tokens come, then the end or an error event. */
export class MessageStream {
  /** Index of the open content block, or of the next one: thinking (when any), text, then tool uses. */
  private blocks = 0;
  private current: "thinking" | "text" | undefined;

  constructor(
    private readonly out: EventWriter,
    private readonly id: string,
    private readonly requestId: string,
  ) {}

  private event(type: string, data: Record<string, unknown>) {
    this.out.send({ type, ...data }, type);
  }

  private open(who: Answerer) {
    if (this.out.started) return;
    this.out.start(answerHeaders(who, "anthropic", this.requestId));
    this.event("message_start", {
      message: {
        id: this.id,
        type: "message",
        role: "assistant",
        model: who.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The prompt's token count is known only at the end; message_delta carries it.
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  token(text: string, who: Answerer): void {
    this.block("text", who);
    this.event("content_block_delta", { index: this.blocks, delta: { type: "text_delta", text } });
  }

  thinking(text: string, who: Answerer): void {
    this.block("thinking", who);
    this.event("content_block_delta", { index: this.blocks, delta: { type: "thinking_delta", thinking: text } });
  }

  /** The block the next delta goes to, opened (and the one before it closed) when it changes. */
  private block(type: "thinking" | "text", who: Answerer) {
    this.open(who);
    if (this.current === type) return;
    this.close();
    const content_block = type === "text" ? { type, text: "" } : { type, thinking: "", signature: "" };
    this.event("content_block_start", { index: this.blocks, content_block });
    this.current = type;
  }

  private close() {
    if (!this.current) return;
    if (this.current === "thinking")
      this.event("content_block_delta", { index: this.blocks, delta: { type: "signature_delta", signature: "" } });
    this.event("content_block_stop", { index: this.blocks });
    this.blocks++;
    this.current = undefined;
  }

  finish(response: LlmSuccess, who: Answerer): void {
    this.open(who);
    this.close();
    for (const use of toolUses(response)) {
      const index = this.blocks++;
      this.event("content_block_start", { index, content_block: { ...use, input: {} } });
      this.event("content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(use.input) },
      });
      this.event("content_block_stop", { index });
    }
    this.event("message_delta", {
      delta: { stop_reason: stopReason(response), stop_sequence: null },
      usage: { input_tokens: response.promptTokens, output_tokens: response.outputTokens },
    });
    this.event("message_stop", {});
    this.out.end();
  }

  fail(failure: GatewayFailure): void {
    // The same error object a whole answer carries (overloaded_error only for 529: Claude Code retries it).
    const { error } = anthropicErrorBody(failure, this.requestId);
    this.event("error", { error });
    this.out.end();
  }
}
