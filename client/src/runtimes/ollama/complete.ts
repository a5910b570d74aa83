/**
 * One answer from Ollama's native API (`/api/generate` or `/api/chat`), streamed: tokens and
 * thinking as they come, the client-measured time to the first of them, native tool calls, and the
 * final line's counts and durations (nanoseconds) as one RunResult. A cancel is a CancelledError of the answer.
 */
import { CancelledError } from "../../errors/index.ts";
import { StreamError } from "../../http/index.ts";
import type { GenerateOptions, RunResult, ToolCall } from "../runtime.ts";
import { toolCall } from "../tool-calls.ts";
import type { OllamaApi } from "./api.ts";
import type { GenerateChunk } from "./protocol.ts";

export interface CompleteCall {
  ref: string;
  path: "/api/generate" | "/api/chat";
  /** The route's own fields: `prompt` (and `system`), or `messages`. */
  input: Record<string, unknown>;
  options: GenerateOptions;
  /** Turns a failure into the typed error and throws it. */
  fail: (error: unknown) => never;
}

export async function complete(api: OllamaApi, call: CompleteCall): Promise<RunResult> {
  const { ref, path, input, options } = call;
  const started = performance.now();
  let first: number | undefined;
  let text = "";
  let thinking = "";
  let final: GenerateChunk | undefined;
  const toolCalls: ToolCall[] = [];
  const body = {
    model: ref,
    stream: true,
    ...input,
    ...(options.options ? { options: options.options } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {}),
    ...(options.think !== undefined ? { think: options.think } : {}),
  };
  try {
    for await (const chunk of api.stream<GenerateChunk>(path, body, options.signal)) {
      const thought = chunk.thinking ?? chunk.message?.thinking ?? "";
      if (thought) {
        first ??= performance.now();
        thinking += thought;
        options.onThinking?.(thought);
      }
      const piece = chunk.response ?? chunk.message?.content ?? "";
      if (piece) {
        first ??= performance.now();
        text += piece;
        options.onToken?.(piece);
      }
      // Native tool calls arrive whole, in one chunk or across several.
      const calls = chunk.message?.tool_calls;
      if (Array.isArray(calls))
        for (const call of calls) toolCalls.push(toolCall(call?.id, call?.function?.name, call?.function?.arguments));
      if (chunk.done) final = chunk;
    }
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError(`the answer from ${ref}`, { cause: error, phase: "answer" });
    call.fail(error);
  }
  // Ollama always ends an answer with a `done` line: a stream that stops before it was cut (as
  // ollama-js reads it too), and the text so far is not the whole answer.
  if (!final) call.fail(new StreamError(path, undefined));
  const end = performance.now();
  const ns = (n: number | undefined) => (n === undefined ? undefined : n / 1e6);
  const result: RunResult = {
    model: ref,
    runtime: "ollama",
    text,
    latencyMs: Math.round((first ?? end) - started),
    totalMs: Math.round(end - started),
  };
  if (thinking) result.thinking = thinking;
  if (final.done_reason) result.doneReason = final.done_reason;
  if (final.prompt_eval_count !== undefined) result.promptTokens = final.prompt_eval_count;
  if (final.eval_count !== undefined) result.outputTokens = final.eval_count;
  if (final.eval_count && final.eval_duration) result.tokensPerSecond = (final.eval_count / final.eval_duration) * 1e9;
  if (final.prompt_eval_count && final.prompt_eval_duration)
    result.promptTokensPerSecond = (final.prompt_eval_count / final.prompt_eval_duration) * 1e9;
  const load = ns(final.load_duration);
  if (load !== undefined) result.loadMs = load;
  const total = ns(final.total_duration);
  if (total !== undefined) result.runtimeMs = total;
  if (toolCalls.length) result.toolCalls = toolCalls;
  return result;
}
