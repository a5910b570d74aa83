/**
 * Tool calls between the shapes runtimes speak: OpenAI writes the arguments as a JSON string,
 * Ollama and Anthropic as an object. A ToolCall keeps the model's text as written (a small model's
 * arguments are not always valid JSON); these helpers convert at each boundary and make up the ids
 * a runtime did not give (Ollama before 0.12.10 sends none; clients need one to answer a call).
 */
import { randomBytes } from "node:crypto";
import type { ToolCall, ToolChoice, ToolSpec } from "./runtime.ts";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `call_` + 24 random lower-case letters and digits (OpenAI's and Ollama's ids look alike). */
export function newToolCallId(prefix = "call_"): string {
  const bytes = randomBytes(24);
  let id = prefix;
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** The arguments as an object, or undefined when the text is not a JSON object. */
export function argumentsObject(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Arguments as a runtime sent them (an object, or already text) → the JSON text a ToolCall keeps. */
export function argumentsText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "{}";
  return JSON.stringify(value);
}

/**
 * The tools to send a runtime that cannot enforce a choice: none for `none`, only the named one for
 * `{ name }` (the model can then call nothing else), all of them otherwise.
 */
export function toolsFor(tools: ToolSpec[] | undefined, choice: ToolChoice | undefined): ToolSpec[] | undefined {
  if (!tools?.length || choice === "none") return undefined;
  if (typeof choice === "object") return tools.filter((t) => t.name === choice.name);
  return tools;
}

/** A ToolCall from whatever an upstream sent, with an id made up when it had none. */
export function toolCall(id: unknown, name: unknown, args: unknown): ToolCall {
  return {
    id: typeof id === "string" && id ? id : newToolCallId(),
    name: typeof name === "string" ? name : "",
    arguments: argumentsText(args),
  };
}
