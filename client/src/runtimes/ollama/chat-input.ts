/**
 * What native `/api/chat` and `/api/embed` take and give beyond plain text: messages with images,
 * tool calls (arguments as objects) and tool results (with the call's name and id), the tools the
 * model may call, and embeddings checked before anyone reads them.
 */

import type { ChatMessage, GenerateOptions } from "../runtime.ts";
import { argumentsObject, toolsFor } from "../tool-calls.ts";
import type { NativeMessage } from "./protocol.ts";

/** The messages (system prompt first) and tools of a chat request. */
export function chatInput(messages: ChatMessage[], options: GenerateOptions): Record<string, unknown> {
  const all = options.system ? [{ role: "system" as const, content: options.system }, ...messages] : messages;
  // Native tool calling has no tool_choice: `none` sends no tools, a named tool only that one.
  const tools = toolsFor(options.tools, options.toolChoice);
  return {
    messages: all.map(nativeMessage),
    ...(tools ? { tools: tools.map((t) => ({ type: "function", function: t })) } : {}),
  };
}

/** A message as native `/api/chat` takes it. Plain text turns are sent exactly as before tools existed. */
export function nativeMessage(m: ChatMessage): NativeMessage {
  const out: NativeMessage = { role: m.role, content: m.content };
  if (m.images?.length) out.images = m.images;
  if (m.toolCalls?.length)
    out.tool_calls = m.toolCalls.map((c) => ({
      id: c.id,
      // Ollama takes only an object; arguments a model wrote as broken JSON cannot go back as they were.
      function: { name: c.name, arguments: argumentsObject(c.arguments) ?? {} },
    }));
  if (m.toolName) out.tool_name = m.toolName;
  if (m.toolCallId) out.tool_call_id = m.toolCallId;
  return out;
}

/** `count` vectors of numbers, or undefined when the answer is anything else. */
export function vectors(value: unknown, count: number): number[][] | undefined {
  if (!Array.isArray(value) || value.length !== count) return undefined;
  for (const v of value) if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) return undefined;
  return value as number[][];
}
