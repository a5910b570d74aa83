/**
 * OpenAI Responses request bodies (`POST /v1/responses`), as the openai SDK's `responses.create`
 * and the frameworks on it (the Agents SDK, the AI SDK's default OpenAI provider, Codex-style
 * clients) send them: `input` as text or items — messages with `input_text`/`input_image` parts,
 * `function_call` items the model made and `function_call_output` items that answer them —,
 * `instructions`, flat function tools, `text.format`, `max_output_tokens`, `reasoning.effort` (as
 * Ollama's `think`; the thoughts themselves are not returned). The gateway keeps no
 * state: `previous_response_id` and server-side conversations are refused with what to send instead.
 * Fields it has no use for (`store`, `metadata`, `include`, …) are dropped.
 */
import { z } from "zod";
import { Effort, Fallbacks } from "./schema.ts";

const name = z.string().min(1).max(256);
const text = z.string().max(16 * 1024 * 1024);

const InputText = z.object({ type: z.literal("input_text"), text });
/** Assistant turns echoed back carry the model's own parts. */
const OutputText = z.object({ type: z.literal("output_text"), text });
const Refusal = z.object({ type: z.literal("refusal"), refusal: text });
const InputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
const Part = z.discriminatedUnion("type", [InputText, OutputText, Refusal, InputImage]);
export type ResponsesPart = z.infer<typeof Part>;

const MessageItem = z.object({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([text, z.array(Part).max(256)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const FunctionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1).max(256),
  name,
  arguments: text,
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const FunctionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1).max(256),
  // A string, or content parts (text the tool returned).
  output: z.union([text, z.array(Part).max(256)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

/** A reasoning item a client echoes back: nothing here reads it. */
const ReasoningItem = z.object({ type: z.literal("reasoning") }).passthrough();

const Item = z.union([FunctionCallItem, FunctionCallOutputItem, ReasoningItem, MessageItem]);
export type ResponsesItem = z.infer<typeof Item>;

const FunctionTool = z.object({
  type: z.literal("function"),
  name,
  description: z.string().max(100_000).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** A built-in tool (web_search, file_search, …) is OpenAI's to run: said so, by its type. */
const Tool = z
  .object({ type: z.string() })
  .passthrough()
  .superRefine((t, ctx) => {
    if (t.type !== "function")
      ctx.addIssue({
        code: "custom",
        message: `${t.type.slice(0, 64)} is a built-in tool of OpenAI's: only function tools are served here`,
      });
  })
  .pipe(FunctionTool);

const ToolChoice = z.union([z.enum(["none", "auto", "required"]), z.object({ type: z.literal("function"), name })]);

const TextFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string().min(1).max(256),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  }),
]);

export const ResponsesRequest = z.object({
  model: z.string().min(1).max(300),
  input: z.union([text, z.array(Item).min(1).max(10_000)]),
  instructions: text.nullish(),
  tools: z.array(Tool).max(512).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.object({ format: TextFormat.nullish() }).nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  reasoning: z.object({ effort: Effort.nullish() }).nullish(),
  previous_response_id: z
    .null({
      message:
        "previous_response_id is not supported: this gateway stores no responses; send the whole conversation in input (as with store: false)",
    })
    .optional(),
  conversation: z.null({ message: "conversation is not supported: send the whole conversation in input" }).optional(),
  options: z.record(z.string(), z.unknown()).nullish(),
  fallbacks: Fallbacks.nullish(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;
