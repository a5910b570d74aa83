/**
 * Token counts and speeds from whatever the runtime reported, into the common RunResult fields:
 * OpenAI `usage` for counts; llama.cpp `timings`, LM Studio `stats` and LocalAI `timing_*` for
 * speeds. Where the runtime reports no timing (vLLM, cloud endpoints), the generation rate is
 * measured by the client between the first and the last token, and says so in `speedSource`.
 */
import type { RunResult } from "../runtime.ts";
import type { ChatCompletionChunk, LlamaCppTimings, LmStudioStats, Usage } from "./protocol.ts";

export interface Reported {
  usage?: Usage;
  timings?: LlamaCppTimings;
  stats?: LmStudioStats;
}

/** Keep the latest of each report seen in the stream (usage comes on the last chunk, with empty choices). */
export function collect(reported: Reported, chunk: ChatCompletionChunk): void {
  if (chunk.usage && typeof chunk.usage === "object") reported.usage = chunk.usage;
  if (chunk.timings && typeof chunk.timings === "object") reported.timings = chunk.timings;
  if (chunk.stats && typeof chunk.stats === "object") reported.stats = chunk.stats;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

export interface ClientTimes {
  /** performance.now() of the first and last token, when there were tokens. */
  firstTokenAt?: number | undefined;
  lastTokenAt?: number | undefined;
}

export type SpeedSource = "runtime" | "client";

export type UsageFields = Pick<
  RunResult,
  "promptTokens" | "outputTokens" | "tokensPerSecond" | "promptTokensPerSecond" | "loadMs" | "runtimeMs"
> & { speedSource?: SpeedSource };

export function usageFields(reported: Reported, times: ClientTimes): UsageFields {
  const { usage, timings, stats } = reported;
  const out: UsageFields = {};
  const promptTokens = num(usage?.prompt_tokens) ?? num(timings?.prompt_n) ?? num(stats?.input_tokens);
  const outputTokens = num(usage?.completion_tokens) ?? num(timings?.predicted_n) ?? num(stats?.total_output_tokens);
  if (promptTokens !== undefined) out.promptTokens = promptTokens;
  if (outputTokens !== undefined) out.outputTokens = outputTokens;

  const genMs = num(timings?.predicted_ms) ?? num(usage?.timing_token_generation);
  const promptMs = num(timings?.prompt_ms) ?? num(usage?.timing_prompt_processing);
  const rate =
    num(timings?.predicted_per_second) ??
    num(stats?.tokens_per_second) ??
    (outputTokens && genMs ? (outputTokens / genMs) * 1000 : undefined);
  const promptRate =
    num(timings?.prompt_per_second) ?? (promptTokens && promptMs ? (promptTokens / promptMs) * 1000 : undefined);
  if (rate !== undefined) {
    out.tokensPerSecond = rate;
    out.speedSource = "runtime";
  } else if (outputTokens && outputTokens > 1 && times.firstTokenAt !== undefined && times.lastTokenAt !== undefined) {
    const ms = times.lastTokenAt - times.firstTokenAt;
    // The first token's time is latency, so n tokens give n-1 intervals of generation.
    if (ms > 0) {
      out.tokensPerSecond = ((outputTokens - 1) / ms) * 1000;
      out.speedSource = "client";
    }
  }
  if (promptRate !== undefined) out.promptTokensPerSecond = promptRate;
  const load = num(stats?.model_load_time_seconds);
  if (load !== undefined) out.loadMs = load * 1000;
  if (genMs !== undefined && promptMs !== undefined) out.runtimeMs = genMs + promptMs;
  else if (num(stats?.generation_time) !== undefined)
    out.runtimeMs = ((num(stats?.generation_time) ?? 0) + (num(stats?.time_to_first_token) ?? 0)) * 1000;
  return out;
}
