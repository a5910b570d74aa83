/**
 * Ask: hand a prompt (or a conversation) to the agent layer — the task's chain of installed models,
 * with retries, fallback and answer checks — on the adapter's Router. A model failure is in the
 * response, never thrown; only misuse throws (an unknown task or option, an empty prompt).
 */
import { z } from "zod";
import type { DelegateOptions, LlmResponse } from "../agent/delegate.ts";
import type { Attempt } from "../agent/metrics.ts";
import { TASK_NAMES } from "../agent/tasks.ts";
import type { ChatMessage } from "../runtimes/runtime.ts";
import { type CallHooks, type OperationContext, parseInput } from "./context.ts";
import { generationFields } from "./run.ts";

export const Message = z.strictObject({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string().max(1_000_000),
  images: z.array(z.string()).max(16).optional().describe("Base64-encoded images, for vision models"),
});

const ChainEntry = z.union([
  z.string().min(1).max(300),
  z.strictObject({ runtime: z.string().min(1), model: z.string().min(1) }),
]);

export const AskInput = z
  .strictObject({
    prompt: z.string().min(1).max(1_000_000).optional().describe("The whole prompt, with any text it is about"),
    messages: z.array(Message).min(1).max(1000).optional().describe("A conversation instead of a prompt"),
    task: z
      .enum(TASK_NAMES)
      .optional()
      .describe("quick (default), coding, analysis, translation, creative, reasoning or vision"),
    model: z.string().min(1).max(300).optional().describe("Use exactly this model instead of the task's chain"),
    chain: z.array(ChainEntry).min(1).max(20).optional().describe("Exactly these models, in order"),
    system: z.string().max(100_000).optional().describe("A system prompt"),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Ollama options, e.g. { temperature: 0.2, num_ctx: 8192 }"),
    format: z
      .union([z.literal("json"), z.record(z.string(), z.unknown())])
      .optional()
      .describe('"json", or a JSON Schema the answer must follow (else the next model is tried)'),
    retries: z.number().int().min(0).max(10).optional().describe("Retries of transient failures per model (default 2)"),
    timeoutMs: z.number().int().positive().max(3_600_000).optional().describe("Per attempt (default 120000)"),
    pull: z.boolean().optional().describe("Install the chain's first model when none is installed (default false)"),
    think: generationFields.think.describe(
      "Let a thinking model think first (true, or low/medium/high); default false: the answer alone, sooner",
    ),
  })
  .refine((b) => (b.prompt === undefined) !== (b.messages === undefined), "give either prompt or messages");
export type AskInput = z.input<typeof AskInput>;

export interface AskHooks extends CallHooks {
  /** A failed attempt's tokens were streamed too: this says to discard them. */
  onAttempt?: ((attempt: Attempt) => void) | undefined;
  onPull?: ((ref: string) => void) | undefined;
  /** A thinking model's thoughts as they come, when `think` asked for them. */
  onThinking?: ((text: string) => void) | undefined;
  /** What the adapter adds to every call (tests inject runtimes, a config). */
  defaults?: Partial<DelegateOptions> | undefined;
}

export async function ask(ctx: OperationContext, raw: AskInput, hooks: AskHooks = {}): Promise<LlmResponse> {
  const { prompt, messages, ...rest } = parseInput(AskInput, raw, ctx);
  const input: string | ChatMessage[] = prompt ?? (messages as ChatMessage[]);
  return ctx.router.delegate(input, {
    ...hooks.defaults,
    ...rest,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onToken ? { onToken: hooks.onToken } : {}),
    ...(hooks.onThinking ? { onThinking: hooks.onThinking } : {}),
    ...(hooks.onAttempt ? { onAttempt: hooks.onAttempt } : {}),
    ...(hooks.onPull ? { onPull: hooks.onPull } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  });
}
