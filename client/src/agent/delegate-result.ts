/**
 * What a finished delegation reports: the error to give when nothing answered (the most useful
 * of: the runtime is down, nothing is installed, the last failure), and the metrics line — which
 * holds the prompt and answer only when the user opted in.
 */
import { NoModelAvailableError, type SmallLlmError } from "../errors/index.ts";
import type { ChatMessage, Runtime } from "../runtimes/runtime.ts";
import type { LlmResponse } from "./delegate.ts";
import type { Attempt, UsageRecord } from "./metrics.ts";
import type { ChainLink, ResolvedChain } from "./resolve-chain.ts";
import type { TaskName } from "./tasks.ts";

/** The metrics line of a response; `content` (the messages) only when content logging is on. */
export function usageRecord(response: LlmResponse, content: ChatMessage[] | undefined): UsageRecord {
  const last = response.attempts[response.attempts.length - 1];
  const base = {
    v: 1 as const,
    ts: new Date().toISOString(),
    kind: "delegate" as const,
    task: response.task,
    latencyMs: response.latencyMs,
    attempts: response.attempts.map(({ model, outcome, ms }) => ({ model, outcome, ms })),
  };
  if (!response.success)
    return {
      ...base,
      model: last?.model ?? "(no model)",
      runtime: last?.runtime ?? "",
      // A failed cloud call counts as cloud, so the savings estimate never books it as local.
      side: last?.side ?? "local",
      success: false,
      error: response.error.code,
      ...(content ? { prompt: content } : {}),
    };
  return {
    ...base,
    model: response.model,
    runtime: response.runtime,
    side: response.side,
    success: true,
    ttftMs: response.ttftMs,
    promptTokens: response.promptTokens,
    outputTokens: response.outputTokens,
    tokensPerSecond: response.tokensPerSecond,
    ...(content ? { prompt: content, answer: response.text } : {}),
  };
}

/** The error of a call in which nothing answered: the most useful thing to tell the user. */
export function whyNothing(
  attempts: Attempt[],
  links: ChainLink[],
  down: { runtime: Runtime; error: SmallLlmError }[],
  lastError: { code: string; message: string } | undefined,
  task: TaskName,
  resolved: ResolvedChain,
  pulled: boolean,
): [string, string] {
  const tried = attempts.some(
    (a) => !["model-not-installed", "skipped", "unsupported", "cooling-down"].includes(a.outcome),
  );
  const downHosts = new Set(down.map((d) => d.runtime.host));
  if (!tried && down.length && links.every((l) => !l.runtime || downHosts.has(l.runtime.host))) {
    const first = down[0] as { error: SmallLlmError };
    return [first.error.code, first.error.message];
  }
  if (!tried && !lastError) {
    const names = links.map((l) => l.ref);
    const pick = resolved.derivation?.pull?.indexId ?? resolved.derivation?.pull?.ref ?? names[0];
    const error = new NoModelAvailableError(
      names.length
        ? `no model of the ${task} chain is installed (${names.join(", ")}). Install one with \`small-llm install ${links[0]?.indexId ?? names[0]}\`${pulled ? "" : ", or let it be pulled (`ask` without --no-pull, `delegate({ pull: true })`)"}.`
        : `no installed model can do the ${task} task on this machine${pick ? `. Install one with \`small-llm install ${pick}\`${pulled ? "" : ", or let it be pulled (`ask` without --no-pull, `delegate({ pull: true })`)"}` : "; see `small-llm recommend`"}.`,
    );
    return [error.code, error.message];
  }
  const last = lastError ?? { code: "error", message: "every model of the chain failed" };
  // One model the call named: its own failure, not a chain's.
  const only = resolved.source === "call" && links.length === 1 ? links[0]?.ref : undefined;
  if (only) return [last.code, last.message.includes(only) ? last.message : `${only}: ${last.message}`];
  return [last.code, `every model of the ${task} chain failed; the last: ${last.message}`];
}
