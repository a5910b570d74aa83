/**
 * An OpenAI chat-completions request → the agent layer's call: `developer` turns become system
 * turns; text parts are joined; images (data: URLs) ride on their message as base64; tool calls
 * keep their ids and JSON-text arguments; a tool result carries its call's id and the tool's name
 * (looked up from the call, for Ollama versions that match by name). Sampling fields become Ollama
 * options, checked together with the request's own `options` as `run` checks them.
 */
import { validateOptions } from "../../agent/options.ts";
import { InvalidArgumentError } from "../../errors/index.ts";
import type { ChatMessage, ToolChoice } from "../../runtimes/runtime.ts";
import { argumentsText } from "../../runtimes/tool-calls.ts";
import { type ChatCall, effortThink } from "../chat-call.ts";
import type { ChatCompletionRequest, OpenAIMessage } from "./schema.ts";

export function chatCall(body: ChatCompletionRequest): ChatCall {
  const names = new Map<string, string>();
  const messages = body.messages.map((m, i) => toMessage(m, i, names));
  const format =
    body.response_format?.type === "json_object"
      ? "json"
      : body.response_format?.type === "json_schema"
        ? (body.response_format.json_schema.schema ?? "json")
        : undefined;
  const tools = body.tools?.map((t) => ({
    name: t.function.name,
    ...(t.function.description ? { description: t.function.description } : {}),
    ...(t.function.parameters ? { parameters: t.function.parameters } : {}),
  }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice === undefined || choice === null
      ? undefined
      : typeof choice === "string"
        ? choice
        : { name: choice.function.name };
  return {
    model: body.model,
    fallbacks: body.fallbacks ?? [],
    messages,
    options: chatOptions(body),
    ...(format !== undefined ? { format } : {}),
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...thinkOf(body),
  };
}

function thinkOf(body: ChatCompletionRequest): Pick<ChatCall, "think"> {
  const think = body.think ?? effortThink(body.reasoning_effort);
  return think === undefined || think === null ? {} : { think };
}

/** The sampling fields as Ollama options; a field of the request wins over the same one in `options`. */
function chatOptions(body: ChatCompletionRequest) {
  const set = (value: unknown) => value !== undefined && value !== null;
  const predict = body.max_completion_tokens ?? body.max_tokens;
  const stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  return validateOptions({
    ...body.options,
    ...(set(body.temperature) ? { temperature: body.temperature } : {}),
    ...(set(body.top_p) ? { top_p: body.top_p } : {}),
    ...(set(predict) ? { num_predict: predict } : {}),
    ...(stop?.length ? { stop } : {}),
    ...(set(body.seed) ? { seed: body.seed } : {}),
    ...(set(body.presence_penalty) ? { presence_penalty: body.presence_penalty } : {}),
    ...(set(body.frequency_penalty) ? { frequency_penalty: body.frequency_penalty } : {}),
  });
}

type Part = { type: string; text?: string; refusal?: string; image_url?: { url: string } };

function toMessage(m: OpenAIMessage, i: number, names: Map<string, string>): ChatMessage {
  switch (m.role) {
    case "system":
    case "developer":
      return { role: "system", content: textOf(m.content) };
    case "user": {
      const images =
        typeof m.content === "string"
          ? []
          : (m.content as Part[]).flatMap((p, j) =>
              p.type === "image_url" ? [imageData(p.image_url?.url ?? "", `messages[${i}].content[${j}]`)] : [],
            );
      return { role: "user", content: textOf(m.content), ...(images.length ? { images } : {}) };
    }
    case "assistant": {
      const calls = (m.tool_calls ?? []).map((c) => {
        names.set(c.id, c.function.name);
        return { id: c.id, name: c.function.name, arguments: argumentsText(c.function.arguments) };
      });
      return { role: "assistant", content: textOf(m.content ?? ""), ...(calls.length ? { toolCalls: calls } : {}) };
    }
    case "tool": {
      const name = names.get(m.tool_call_id);
      return {
        role: "tool",
        content: textOf(m.content),
        toolCallId: m.tool_call_id,
        ...(name ? { toolName: name } : {}),
      };
    }
  }
}

/** A string, or the text of the text (and refusal) parts joined. */
function textOf(content: string | readonly Part[]): string {
  if (typeof content === "string") return content;
  return content
    .map((p) => (p.type === "text" ? (p.text ?? "") : p.type === "refusal" ? (p.refusal ?? "") : ""))
    .filter(Boolean)
    .join("\n");
}

/**
 * `data:image/png;base64,…` → the base64; a web URL is refused (the gateway fetches nothing on a
 * client's behalf). `where` names the part in the request (`messages[0].content[1]`).
 */
export function imageData(url: string, where: string): string {
  const m = /^data:(?:image\/[a-z0-9.+-]+)?;base64,(.*)$/is.exec(url.trim());
  if (m?.[1] && /^[A-Za-z0-9+/=\s]+$/.test(m[1])) return m[1].replace(/\s+/g, "");
  throw new InvalidArgumentError(
    `${where}: images must be inline data URLs (data:image/png;base64,…); the gateway does not fetch ${/^https?:/i.test(url) ? "web URLs" : "other URLs"}`,
  );
}
