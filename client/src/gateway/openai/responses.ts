/**
 * The OpenAI Responses API over the same delegation as chat completions: a request's `input` items
 * become the agent layer's messages (function calls and their outputs paired by `call_id`), the
 * answer becomes a `response` object — a `message` output item with `output_text`, then one
 * `function_call` item per tool call — and, streamed, the event sequence the openai SDK's
 * `responses.stream()` accumulates: `response.created`, `response.in_progress`, per item
 * `output_item.added` … `output_item.done` (text as `output_text.delta`s, arguments as one
 * `function_call_arguments.delta`), then `response.completed` (`response.incomplete` when it hit
 * `max_output_tokens`). Every event carries its `sequence_number`; a failure after output went out is
 * an `error` event, which the SDK raises.
 */
import type { LlmSuccess } from "../../agent/delegate.ts";
import { validateOptions } from "../../agent/options.ts";
import type { ChatMessage, ToolCall, ToolChoice } from "../../runtimes/runtime.ts";
import { newToolCallId } from "../../runtimes/tool-calls.ts";
import { type Answerer, type ChatCall, effortThink } from "../chat-call.ts";
import type { GatewayFailure } from "../errors.ts";
import { answerHeaders, type EventWriter } from "../respond.ts";
import type { ResponsesItem, ResponsesPart, ResponsesRequest } from "./responses-schema.ts";
import { imageData } from "./to-call.ts";

export function responsesCall(body: ResponsesRequest): ChatCall {
  const messages: ChatMessage[] = body.instructions ? [{ role: "system", content: body.instructions }] : [];
  if (typeof body.input === "string") messages.push({ role: "user", content: body.input });
  else {
    const names = new Map<string, string>();
    for (const [i, item] of body.input.entries()) add(messages, item, i, names);
  }
  const format = body.text?.format;
  const tools = body.tools?.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    ...(t.parameters ? { parameters: t.parameters } : {}),
  }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice === undefined || choice === null ? undefined : typeof choice === "string" ? choice : { name: choice.name };
  const set = (value: unknown) => value !== undefined && value !== null;
  const think = effortThink(body.reasoning?.effort);
  return {
    model: body.model,
    fallbacks: body.fallbacks ?? [],
    messages,
    options: validateOptions({
      ...body.options,
      ...(set(body.temperature) ? { temperature: body.temperature } : {}),
      ...(set(body.top_p) ? { top_p: body.top_p } : {}),
      ...(set(body.max_output_tokens) ? { num_predict: body.max_output_tokens } : {}),
    }),
    ...(format?.type === "json_object" ? { format: "json" as const } : {}),
    ...(format?.type === "json_schema" ? { format: format.schema } : {}),
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(think !== undefined ? { think } : {}),
  };
}

/** One input item onto the conversation: calls join the assistant turn before them, outputs answer them. */
function add(messages: ChatMessage[], item: ResponsesItem, i: number, names: Map<string, string>): void {
  if (item.type === "reasoning") return;
  if (item.type === "function_call") {
    names.set(item.call_id, item.name);
    const call: ToolCall = { id: item.call_id, name: item.name, arguments: item.arguments };
    const last = messages.at(-1);
    if (last?.role === "assistant") last.toolCalls = [...(last.toolCalls ?? []), call];
    else messages.push({ role: "assistant", content: "", toolCalls: [call] });
    return;
  }
  if (item.type === "function_call_output") {
    const name = names.get(item.call_id);
    messages.push({
      role: "tool",
      content: textOf(item.output),
      toolCallId: item.call_id,
      ...(name ? { toolName: name } : {}),
    });
    return;
  }
  const role = item.role === "developer" ? "system" : item.role;
  const images =
    typeof item.content === "string"
      ? []
      : item.content.flatMap((p, j) =>
          p.type === "input_image" ? [imageData(p.image_url ?? "", `input[${i}].content[${j}]`)] : [],
        );
  messages.push({ role, content: textOf(item.content), ...(images.length ? { images } : {}) });
}

function textOf(content: string | readonly ResponsesPart[]): string {
  if (typeof content === "string") return content;
  return content
    .map((p) => (p.type === "input_text" || p.type === "output_text" ? p.text : p.type === "refusal" ? p.refusal : ""))
    .filter(Boolean)
    .join("\n");
}

const randomId = (prefix: string) => newToolCallId(prefix);

/** The output items of an answer, with the ids a stream already gave them. */
interface OutputIds {
  message: string;
  calls: string[];
}

export function newOutputIds(response?: LlmSuccess): OutputIds {
  return { message: randomId("msg_"), calls: (response?.toolCalls ?? []).map(() => randomId("fc_")) };
}

const messageItem = (id: string, text: string, status: "in_progress" | "completed") => ({
  type: "message",
  id,
  status,
  role: "assistant",
  content: status === "completed" ? [textPart(text)] : [],
});

const textPart = (text: string) => ({ type: "output_text", text, annotations: [], logprobs: [] });

const callItem = (id: string, call: ToolCall, status: "in_progress" | "completed") => ({
  type: "function_call",
  id,
  call_id: call.id,
  name: call.name,
  arguments: status === "completed" ? call.arguments : "",
  status,
});

/** A text item, unless the answer is tool calls alone. */
const hasText = (response: LlmSuccess) => Boolean(response.text) || !response.toolCalls?.length;

function outputOf(response: LlmSuccess, ids: OutputIds) {
  return [
    ...(hasText(response) ? [messageItem(ids.message, response.text, "completed")] : []),
    ...(response.toolCalls ?? []).map((c, i) => callItem(ids.calls[i] ?? randomId("fc_"), c, "completed")),
  ];
}

/** The `response` object: `completed`, or `incomplete` when the answer ran into `max_output_tokens`. */
export function responseObject(
  id: string,
  created: number,
  request: ResponsesRequest,
  model: string,
  answer?: { response: LlmSuccess; ids: OutputIds },
) {
  const incomplete = answer?.response.doneReason === "length";
  const usage = answer && {
    input_tokens: answer.response.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: answer.response.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: answer.response.promptTokens + answer.response.outputTokens,
  };
  return {
    id,
    object: "response",
    created_at: created,
    status: !answer ? "in_progress" : incomplete ? "incomplete" : "completed",
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model,
    output: answer ? outputOf(answer.response, answer.ids) : [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: "disabled",
    usage: usage ?? null,
    user: null,
    metadata: {},
  };
}

/** One streamed response: lifecycle events, the text item as tokens come, the call items, the end. */
export class ResponseEventStream {
  private sequence = 0;
  private model = "";
  private readonly ids = newOutputIds();
  private text = "";
  private textOpen = false;

  constructor(
    private readonly out: EventWriter,
    private readonly id: string,
    private readonly created: number,
    private readonly request: ResponsesRequest,
    private readonly requestId: string,
  ) {}

  private event(type: string, fields: Record<string, unknown>) {
    this.out.send({ type, sequence_number: this.sequence++, ...fields }, type);
  }

  /** Headers and the lifecycle's start go out with the first output: they name the model answering. */
  private open(who: Answerer) {
    if (this.out.started) return;
    this.model = who.model;
    this.out.start(answerHeaders(who, "openai", this.requestId));
    const response = responseObject(this.id, this.created, this.request, this.model);
    this.event("response.created", { response });
    this.event("response.in_progress", { response });
  }

  private openText() {
    if (this.textOpen) return;
    this.textOpen = true;
    this.event("response.output_item.added", {
      output_index: 0,
      item: messageItem(this.ids.message, "", "in_progress"),
    });
    this.event("response.content_part.added", {
      item_id: this.ids.message,
      output_index: 0,
      content_index: 0,
      part: textPart(""),
    });
  }

  token(text: string, who: Answerer): void {
    this.open(who);
    this.openText();
    this.text += text;
    this.event("response.output_text.delta", {
      item_id: this.ids.message,
      output_index: 0,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
  }

  /** The answer is complete: close the text item, send each call item, then the final response. */
  finish(response: LlmSuccess, who: Answerer): void {
    this.open(who);
    const withText = hasText(response);
    if (withText) {
      // Nothing streamed (a fallback answered whole, or the text came with the calls): it goes out now.
      if (!this.textOpen) this.token(response.text, who);
      const ref = { item_id: this.ids.message, output_index: 0, content_index: 0 };
      this.event("response.output_text.done", { ...ref, text: this.text, logprobs: [] });
      this.event("response.content_part.done", { ...ref, part: textPart(this.text) });
      this.event("response.output_item.done", {
        output_index: 0,
        item: messageItem(this.ids.message, this.text, "completed"),
      });
    }
    const calls = response.toolCalls ?? [];
    for (const [i, call] of calls.entries()) {
      const id = randomId("fc_");
      this.ids.calls.push(id);
      const index = (withText ? 1 : 0) + i;
      this.event("response.output_item.added", { output_index: index, item: callItem(id, call, "in_progress") });
      this.event("response.function_call_arguments.delta", { item_id: id, output_index: index, delta: call.arguments });
      this.event("response.function_call_arguments.done", {
        item_id: id,
        output_index: index,
        name: call.name,
        arguments: call.arguments,
      });
      this.event("response.output_item.done", { output_index: index, item: callItem(id, call, "completed") });
    }
    const final = responseObject(this.id, this.created, this.request, this.model, {
      response: { ...response, text: withText ? this.text : response.text },
      ids: this.ids,
    });
    this.event(final.status === "incomplete" ? "response.incomplete" : "response.completed", { response: final });
    this.out.end();
  }

  /** A failure after output went out: an `error` event (the SDK raises it), and the stream ends. */
  fail(failure: GatewayFailure): void {
    this.event("error", { code: failure.code, message: failure.message, param: failure.param ?? null });
    this.out.end();
  }
}
