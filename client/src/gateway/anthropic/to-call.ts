/**
 * An Anthropic Messages request → the agent layer's call. The system prompt (a string or text
 * blocks, top-level or as `system` turns) leads; a user turn's `tool_result` blocks become `tool`
 * turns placed before its text (as Ollama's own converter does), each with the id and name of the
 * call it answers; an assistant turn's `tool_use` blocks become tool calls (input → JSON text);
 * images must be base64 (the gateway fetches nothing); earlier thinking is not shown to the model.
 */
import { validateOptions } from "../../agent/options.ts";
import { InvalidArgumentError } from "../../errors/index.ts";
import type { ChatMessage, ToolChoice, ToolSpec } from "../../runtimes/runtime.ts";
import type { ChatCall } from "../chat-call.ts";
import type { AnthropicMessage, Block, CountTokensRequest, MessagesRequest } from "./schema.ts";

/** Blocks that carry content the model would have to read. */
const CONTENT_BLOCKS = new Set(["document", "search_result", "container_upload"]);

export function messagesCall(body: MessagesRequest | CountTokensRequest): ChatCall {
  const names = new Map<string, string>();
  const messages: ChatMessage[] = [];
  const system = typeof body.system === "string" ? body.system : (body.system ?? []).map((b) => b.text).join("\n");
  if (system) messages.push({ role: "system", content: system });
  body.messages.forEach((m, i) => {
    messages.push(...toMessages(m, i, names));
  });
  const tools: ToolSpec[] = (body.tools ?? [])
    .filter((t) => !t.type || t.type === "custom")
    .map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema ?? { type: "object", properties: {} },
    }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined = !choice
    ? undefined
    : choice.type === "any"
      ? "required"
      : choice.type === "tool"
        ? { name: choice.name ?? "" }
        : choice.type;
  if (typeof toolChoice === "object" && !toolChoice.name)
    throw new InvalidArgumentError('tool_choice: {"type": "tool"} needs the tool\'s "name"');
  return {
    model: body.model,
    fallbacks: body.fallbacks ?? [],
    messages,
    options: "max_tokens" in body ? messagesOptions(body) : validateOptions(body.options ?? {}),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...("thinking" in body && body.thinking ? { think: body.thinking.type !== "disabled" } : {}),
  };
}

function messagesOptions(body: MessagesRequest) {
  const set = (value: unknown) => value !== undefined && value !== null;
  return validateOptions({
    ...body.options,
    num_predict: body.max_tokens,
    ...(body.stop_sequences?.length ? { stop: body.stop_sequences } : {}),
    ...(set(body.temperature) ? { temperature: body.temperature } : {}),
    ...(set(body.top_p) ? { top_p: body.top_p } : {}),
    ...(set(body.top_k) ? { top_k: body.top_k } : {}),
  });
}

function toMessages(m: AnthropicMessage, i: number, names: Map<string, string>): ChatMessage[] {
  if (typeof m.content === "string") return [{ role: m.role, content: m.content }];
  const text: string[] = [];
  const images: string[] = [];
  const calls: NonNullable<ChatMessage["toolCalls"]> = [];
  const results: ChatMessage[] = [];
  m.content.forEach((block: Block, j) => {
    switch (block.type) {
      case "text":
        text.push(block.text);
        break;
      case "image":
        images.push(imageData(block, i, j));
        break;
      case "tool_use":
        names.set(block.id, block.name);
        calls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        break;
      case "tool_result": {
        const parts = typeof block.content === "string" ? [] : (block.content ?? []);
        const said =
          typeof block.content === "string"
            ? block.content
            : parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
        const pictures = parts.flatMap((p, k) => (p.type === "image" ? [imageData(p, i, k)] : []));
        const name = names.get(block.tool_use_id);
        results.push({
          role: "tool",
          content: block.is_error ? `Error: ${said}` : said,
          toolCallId: block.tool_use_id,
          ...(name ? { toolName: name } : {}),
          ...(pictures.length ? { images: pictures } : {}),
        });
        break;
      }
      case "other":
        // A document's or search result's content is what the question is about: refuse rather than answer without it.
        if (CONTENT_BLOCKS.has(block.was))
          throw new InvalidArgumentError(
            `messages[${i}].content[${j}]: "${block.was}" blocks are not read by the local models here; send their text as a text block`,
          );
        break; // a server tool's call or result: it ran at Anthropic, nothing for a local model
      default:
        break; // thinking: the model's own earlier reasoning, not part of what it is shown
    }
  });
  const out: ChatMessage[] = [...results];
  const content = text.join("\n");
  if (content || images.length || calls.length || !results.length)
    out.push({
      role: m.role,
      content,
      ...(images.length ? { images } : {}),
      ...(calls.length ? { toolCalls: calls } : {}),
    });
  return out;
}

function imageData(block: Extract<Block, { type: "image" }>, i: number, j: number): string {
  const source = block.source;
  if (source.type === "base64" && /^[A-Za-z0-9+/=\s]*$/.test(source.data)) return source.data.replace(/\s+/g, "");
  throw new InvalidArgumentError(
    `messages[${i}].content[${j}]: images must be sent as base64 (source.type "base64"); the gateway does not fetch URLs`,
  );
}
