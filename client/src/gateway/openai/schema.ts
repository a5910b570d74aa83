/**
 * OpenAI request bodies as clients send them (../shared/reference/gateway.md §A): the fields the
 * gateway reads, checked; fields it has no use for (`user`, `store`, `metadata`, `logprobs`, …) are
 * dropped, as the SDKs add new ones faster than servers learn them. `null` is accepted wherever
 * clients send it for "not set". Our own additions: `options` (Ollama options, checked as `run`
 * checks them) and `fallbacks` (LiteLLM's per-request fallbacks).
 */
import { z } from "zod";

const name = z.string().min(1).max(256);
const text = z.string().max(16 * 1024 * 1024);

const TextPart = z.object({ type: z.literal("text"), text });
const ImagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({ url: z.string().min(1), detail: z.string().nullish() }),
});
/** A refusal part in an assistant turn the client echoes back. */
const RefusalPart = z.object({ type: z.literal("refusal"), refusal: text });

const ToolCallIn = z.object({
  id: z.string().min(1).max(256),
  type: z.literal("function").optional(),
  function: z.object({
    name,
    // A string of JSON, as OpenAI sends it; an object from clients that skip the stringify.
    arguments: z.union([text, z.record(z.string(), z.unknown())]),
  }),
});

const Message = z.discriminatedUnion("role", [
  z.object({
    role: z.enum(["system", "developer"]),
    content: z.union([text, z.array(TextPart)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal("user"),
    content: z.union([text, z.array(z.discriminatedUnion("type", [TextPart, ImagePart])).max(256)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal("assistant"),
    content: z.union([text, z.array(z.discriminatedUnion("type", [TextPart, RefusalPart]))]).nullish(),
    tool_calls: z.array(ToolCallIn).max(256).nullish(),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal("tool"),
    content: z.union([text, z.array(TextPart)]),
    tool_call_id: z.string().min(1).max(256),
  }),
]);
export type OpenAIMessage = z.infer<typeof Message>;

const Tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name,
    description: z.string().max(100_000).nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const ToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name }) }),
]);

const ResponseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().min(1).max(256),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
      description: z.string().nullish(),
    }),
  }),
]);

/** How hard a thinking model thinks: OpenAI's values, and Ollama's `max`. */
export const Effort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
export const Think = z.union([z.boolean(), z.enum(["low", "medium", "high"])]);

/** LiteLLM's per-request fallbacks: model names, or `{ model }` objects. */
export const Fallbacks = z
  .array(
    z.union([z.string().min(1).max(300), z.object({ model: z.string().min(1).max(300) }).transform((f) => f.model)]),
  )
  .max(20);

export const ChatCompletionRequest = z.object({
  model: z.string().min(1).max(300),
  messages: z.array(Message).min(1).max(10_000),
  tools: z.array(Tool).max(512).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: ResponseFormat.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  n: z.literal(1, { message: "only one choice per request (n: 1) is supported" }).nullish(),
  reasoning_effort: Effort.nullish(),
  /** Ollama's own field, for clients that send it through. */
  think: Think.nullish(),
  options: z.record(z.string(), z.unknown()).nullish(),
  fallbacks: Fallbacks.nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const EmbeddingRequest = z.object({
  model: z.string().min(1).max(300),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1).max(2048),
    // Token arrays are valid OpenAI input, but the runtimes here take text.
    z.array(z.number()).min(1),
    z.array(z.array(z.number())).min(1),
  ]),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().min(1).max(65_536).nullish(),
  user: z.string().nullish(),
});
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>;
