/**
 * Anthropic Messages request bodies as the SDKs and Claude Code send them
 * (../shared/reference/gateway.md §B.1): content blocks (text, image, tool_use, tool_result,
 * thinking), tools with `input_schema`, `tool_choice`, `stop_sequences`, `max_tokens`. Fields the
 * gateway has no use for (`metadata`, `service_tier`, `cache_control`, …) are dropped.
 * `temperature`, `top_p` and `top_k` are read when sent (API version 2023-06-01; 2026-10-21 clients
 * no longer send them). Our additions, as in the OpenAI API: `options` and `fallbacks`.
 */
import { z } from "zod";
import { Fallbacks } from "../openai/schema.ts";

const text = z.string().max(16 * 1024 * 1024);

const TextBlock = z.object({ type: z.literal("text"), text });
const ImageBlock = z.object({
  type: z.literal("image"),
  source: z.discriminatedUnion("type", [
    z.object({ type: z.literal("base64"), media_type: z.string().max(100), data: text }),
    z.object({ type: z.literal("url"), url: z.string().max(8192) }),
  ]),
});
const ToolUseBlock = z.object({
  type: z.literal("tool_use"),
  id: z.string().min(1).max(256),
  name: z.string().min(1).max(256),
  input: z.record(z.string(), z.unknown()).nullish(),
});
const ToolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1).max(256),
  content: z.union([text, z.array(z.discriminatedUnion("type", [TextBlock, ImageBlock]))]).nullish(),
  is_error: z.boolean().nullish(),
});
/** Earlier reasoning the client sends back: not shown to a local model. */
const ThinkingBlock = z.object({ type: z.enum(["thinking", "redacted_thinking"]) });
/**
 * Any other kind of block (documents, server tools' calls and results, kinds newer than this
 * gateway), kept by name only: to-call.ts refuses those whose content a model would need and
 * leaves out those that only mean something at Anthropic.
 */
const OtherBlock = z.object({ type: z.literal("other"), was: z.string().max(100) });

const KNOWN = new Set(["text", "image", "tool_use", "tool_result", "thinking", "redacted_thinking"]);

export const Block = z.preprocess(
  (b) => {
    const type = (b as { type?: unknown } | null)?.type;
    return typeof type === "string" && !KNOWN.has(type) ? { type: "other", was: type } : b;
  },
  z.discriminatedUnion("type", [TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock, OtherBlock]),
);
export type Block = z.infer<typeof Block>;

const Message = z.object({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([text, z.array(Block).max(4096)]),
});
export type AnthropicMessage = z.infer<typeof Message>;

const Tool = z.object({
  // Server tools (web search, code execution…) have a `type` of their own: they run at Anthropic, so
  // a local model is not offered them (to-call.ts leaves them out).
  type: z.string().max(100).nullish(),
  name: z.string().min(1).max(256),
  description: z.string().max(100_000).nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
});

const ToolChoice = z.object({
  type: z.enum(["auto", "any", "tool", "none"]),
  name: z.string().min(1).max(256).nullish(),
  disable_parallel_tool_use: z.boolean().nullish(),
});

const fields = {
  model: z.string().min(1).max(300),
  messages: z.array(Message).min(1).max(10_000),
  system: z.union([text, z.array(TextBlock)]).nullish(),
  tools: z.array(Tool).max(512).nullish(),
  tool_choice: ToolChoice.nullish(),
  options: z.record(z.string(), z.unknown()).nullish(),
  fallbacks: Fallbacks.nullish(),
};

export const MessagesRequest = z.object({
  ...fields,
  /** Extended thinking: on (`enabled`, `adaptive`) lets a thinking model think; its budget is not enforced. */
  thinking: z
    .object({ type: z.string().max(32) })
    .passthrough()
    .nullish(),
  max_tokens: z.number().int().min(1),
  stop_sequences: z.array(z.string()).max(16).nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

export const CountTokensRequest = z.object(fields);
export type CountTokensRequest = z.infer<typeof CountTokensRequest>;
