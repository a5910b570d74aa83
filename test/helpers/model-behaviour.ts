/**
 * What the emulated models "do" beyond echoing the prompt, shared by the Ollama and the
 * OpenAI-compatible emulators: fill a JSON Schema (structured output, tool arguments), call the
 * first tool offered unless the conversation just gave a tool's result, and compute an embedding
 * that is deterministic (a test can compute the expected vector itself).
 */
import { createHash } from "node:crypto";

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };

/** A value that satisfies a (simple) JSON Schema, as a constrained model's answer would. */
export function fromSchema(schema: Schema, name: string): unknown {
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fromSchema(v, name)]));
    case "array":
      return schema.items ? [fromSchema(schema.items, name)] : [];
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return `Hello from ${name}`;
  }
}

interface ToolDef {
  type?: string;
  function?: { name?: string; parameters?: Schema };
}

/** The last tool result since the model's last turn (a user may add words after it, as Anthropic turns do). */
function latestResult(messages: unknown): { content?: unknown; tool_name?: string; tool_call_id?: string } | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string };
    if (m?.role === "assistant") return undefined;
    if (m?.role === "tool") return m as never;
  }
  return undefined;
}

/**
 * The tool call a model makes: the first tool offered, arguments filled from its schema — unless
 * it was just given a tool's result, which it then answers in words.
 */
export function toolCallFor(
  tools: unknown,
  messages: unknown,
  model: string,
): { name: string; arguments: Record<string, unknown> } | undefined {
  if (!Array.isArray(tools) || !tools.length || latestResult(messages)) return undefined;
  const tool = tools[0] as ToolDef;
  const name = tool.function?.name ?? "tool";
  const args = fromSchema(tool.function?.parameters ?? { type: "object" }, model);
  return { name, arguments: (args && typeof args === "object" ? args : {}) as Record<string, unknown> };
}

/** The answer to a tool's result: says which call it answered and what the tool said. */
export function toolResultAnswer(messages: unknown): string | undefined {
  const result = latestResult(messages);
  if (!result) return undefined;
  const said = typeof result.content === "string" ? result.content : JSON.stringify(result.content);
  return `The ${result.tool_name ?? "tool"} tool (call ${result.tool_call_id ?? "?"}) said: ${said}`;
}

/** A deterministic unit-free vector for a text: `dims` floats in [-1, 1) from a hash of model and text. */
export function fakeEmbedding(model: string, text: string, dims = 8): number[] {
  const out: number[] = [];
  let block = 0;
  while (out.length < dims) {
    const hash = createHash("sha256").update(`${model}|${text}|${block++}`).digest();
    for (let i = 0; i + 1 < hash.length && out.length < dims; i += 2)
      out.push(Math.fround((hash.readUInt16LE(i) - 32768) / 32768));
  }
  return out;
}
