/**
 * Ollama-style run options and messages in, an OpenAI chat-completions request out. Options map
 * where the OpenAI API has a meaning for them (num_predict → max_tokens, format json →
 * response_format); sampling extensions go only to local servers, which accept them; the rest
 * (num_ctx and other load-time settings, fixed when the server started) are returned as
 * `dropped` so a caller can say so instead of pretending they applied.
 */
import type { ChatMessage, GenerateOptions } from "../runtime.ts";
import type { ChatCompletionMessage, ChatCompletionRequest, ContentPart, ToolChoiceParam } from "./protocol.ts";

const NUMBER_PARAMS = ["temperature", "top_p", "seed", "presence_penalty", "frequency_penalty"] as const;
const EXTENSIONS = ["top_k", "min_p", "typical_p", "repeat_penalty"] as const;

export interface RequestParts {
  request: ChatCompletionRequest;
  /** Option names that have no OpenAI-compatible meaning here and were not sent. */
  dropped: string[];
}

export function chatRequest(
  model: string,
  messages: ChatMessage[],
  options: GenerateOptions,
  samplingExtensions: boolean,
): RequestParts {
  const all = options.system ? [{ role: "system" as const, content: options.system }, ...messages] : messages;
  const request: ChatCompletionRequest = {
    model,
    messages: all.map(toMessage),
    stream: true,
    stream_options: { include_usage: true },
  };
  const dropped: string[] = [];
  const params = request as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(options.options ?? {})) {
    if (value === undefined) continue;
    if ((NUMBER_PARAMS as readonly string[]).includes(name) && typeof value === "number") params[name] = value;
    else if (name === "num_predict" && typeof value === "number") {
      if (value >= 0) request.max_tokens = value; // Ollama's -1 / -2 mean "no limit"
    } else if (name === "stop" && (typeof value === "string" || isStringArray(value))) request.stop = value;
    else if (samplingExtensions && (EXTENSIONS as readonly string[]).includes(name) && typeof value === "number")
      params[name] = value;
    else dropped.push(name);
  }
  if (options.format === "json") request.response_format = { type: "json_object" };
  else if (options.format)
    request.response_format = { type: "json_schema", json_schema: { name: "answer", schema: options.format } };
  if (options.tools?.length) {
    request.tools = options.tools.map((t) => ({ type: "function", function: t }));
    // Sent only when the caller chose: vLLM rejects `auto` unless started with a tool-call parser.
    if (options.toolChoice !== undefined) request.tool_choice = toolChoice(options.toolChoice);
  }
  return { request, dropped };
}

const toolChoice = (c: NonNullable<GenerateOptions["toolChoice"]>): ToolChoiceParam =>
  typeof c === "string" ? c : { type: "function", function: { name: c.name } };

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function toMessage(message: ChatMessage): ChatCompletionMessage {
  const out: ChatCompletionMessage = { role: message.role, content: message.content };
  if (message.images?.length) {
    const parts: ContentPart[] = [{ type: "text", text: message.content }];
    for (const image of message.images)
      parts.push({ type: "image_url", image_url: { url: `data:${imageType(image)};base64,${image}` } });
    out.content = parts;
  }
  if (message.toolCalls?.length) {
    out.tool_calls = message.toolCalls.map((c) => ({
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
    if (!message.content) out.content = null;
  }
  if (message.toolCallId) out.tool_call_id = message.toolCallId;
  return out;
}

/** The media type of a base64 image, from its first bytes (Ollama takes bare base64; OpenAI wants a data URL). */
function imageType(base64: string): string {
  if (base64.startsWith("iVBOR")) return "image/png";
  if (base64.startsWith("R0lGOD")) return "image/gif";
  if (base64.startsWith("UklGR")) return "image/webp";
  return "image/jpeg";
}
