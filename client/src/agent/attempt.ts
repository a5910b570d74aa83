/**
 * One link of a chain, tried: size the context, call the runtime with a timeout, check the
 * answer, and retry transient failures with backoff. Returns the result or the error with what to
 * do next; never throws for a model failure.
 */
import { CancelledError, type Fallback, failover, ThinkingUnsupportedError, TimeoutError } from "../errors/index.ts";
import { backoffMs, wait } from "../http/index.ts";
import type { ChatMessage, RunResult, RuntimeKind, Think, ToolChoice, ToolSpec } from "../runtimes/runtime.ts";
import { checkAnswer } from "./answer-checks.ts";
import { type ContextPlan, planContext } from "./context-size.ts";
import type { Cooldowns } from "./cooldowns.ts";
import type { Attempt } from "./metrics.ts";
import type { OllamaOptions } from "./options.ts";
import type { ChainLink } from "./resolve-chain.ts";

export interface AttemptSettings {
  messages: ChatMessage[];
  system?: string | undefined;
  options: OllamaOptions;
  format?: "json" | Record<string, unknown> | undefined;
  retries: number;
  retryDelayMs: number;
  cooldownMs: number;
  timeoutMs: number;
  defaultContext?: number | undefined;
  promptTokens: number;
  signal?: AbortSignal | undefined;
  onToken?: ((text: string) => void) | undefined;
  /** Whether a thinking model thinks first. Sent always: Ollama turns thinking on when it is absent. */
  think: Think;
  onThinking?: ((text: string) => void) | undefined;
  onAttempt?: ((attempt: Attempt) => void) | undefined;
  onAttemptStart?: ((attempt: { model: string; runtime: RuntimeKind; side: "local" | "cloud" }) => void) | undefined;
  /** Tokens kept free for the answer when sizing the context (default: num_predict). */
  answerReserve?: number | undefined;
  /** false: a failure after tokens went out ends the call (they cannot be taken back). */
  fallbackAfterTokens: boolean;
  tools?: ToolSpec[] | undefined;
  toolChoice?: ToolChoice | undefined;
  cooldowns: Cooldowns;
  /** config.json's options for this link's model, under the task's and the call's (config-options.ts). */
  modelOptions?: ((link: ChainLink) => Record<string, unknown>) | undefined;
}

export type AttemptOutcome =
  | { ok: true; result: RunResult; plan: ContextPlan; thoughtless?: boolean }
  | {
      ok: false;
      error: Error & { code?: string };
      decision: Fallback;
      /** The answer the checks turned down (a refusal, a loop, JSON off the schema), when there was one. */
      rejected?: { result: RunResult; plan: ContextPlan } | undefined;
    };

/** Try one link, retrying transient errors; every try is pushed onto `attempts`. */
export async function tryLink(link: ChainLink, s: AttemptSettings, attempts: Attempt[]): Promise<AttemptOutcome> {
  const runtime = link.runtime;
  if (!runtime) throw new Error("tryLink needs a link with a runtime");
  const own = { ...s.modelOptions?.(link), ...s.options } as OllamaOptions;
  const plan = planContext({
    promptTokens: s.promptTokens,
    numPredict: s.answerReserve ?? own.num_predict,
    numCtx: own.num_ctx,
    defaultContext: link.side === "cloud" ? Number.MAX_SAFE_INTEGER : s.defaultContext,
    maxContext: link.maxContext,
  });
  const who = { model: link.ref, runtime: runtime.kind, ...(link.side === "cloud" ? { side: "cloud" as const } : {}) };
  // Ollama reads num_ctx; other runtimes ignore what they do not know.
  const options = plan.numCtx && runtime.kind === "ollama" ? { ...own, num_ctx: plan.numCtx } : own;
  let think = s.think;
  for (let retry = 0; ; retry++) {
    const started = performance.now();
    // A timer cleared when the attempt ends: AbortSignal.timeout would hold its signal for the whole
    // timeout, which a server answering many calls a second pays for in memory.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException(`no answer within ${s.timeoutMs} ms`, "TimeoutError")),
      s.timeoutMs,
    );
    timer.unref?.();
    const signal = s.signal ? AbortSignal.any([s.signal, timeout.signal]) : timeout.signal;
    let error: Error & { code?: string };
    let rejected: { result: RunResult; plan: ContextPlan } | undefined;
    let streamed = false;
    const onToken = s.onToken;
    s.onAttemptStart?.({ model: link.ref, runtime: runtime.kind, side: link.side });
    try {
      const result = await runtime.chat(link.ref, s.messages, {
        system: s.system,
        options: options as Record<string, unknown>,
        format: s.format,
        signal,
        think,
        ...(s.onThinking ? { onThinking: s.onThinking } : {}),
        ...(onToken
          ? {
              onToken: (text: string) => {
                streamed = true;
                onToken(text);
              },
            }
          : {}),
        ...(s.tools?.length ? { tools: s.tools, ...(s.toolChoice ? { toolChoice: s.toolChoice } : {}) } : {}),
      });
      // Tokens already passed on cannot be replaced by another model's: the answer stands as it is.
      const bad =
        streamed && !s.fallbackAfterTokens
          ? undefined
          : await checkAnswer({
              text: result.text,
              // Cut at num_predict, JSON is incomplete by the caller's own limit: another model would be cut too.
              format: result.doneReason === "length" ? undefined : s.format,
              toolCalls: result.toolCalls?.length ?? 0,
            });
      if (!bad) {
        record(attempts, s, { ...who, outcome: "ok", ms: elapsed(started) });
        return { ok: true, result, plan, ...(think !== s.think ? { thoughtless: true } : {}) };
      }
      rejected = { result, plan };
      error = bad;
    } catch (caught) {
      error = caught as Error & { code?: string };
      if (
        (error instanceof CancelledError || error instanceof TimeoutError) &&
        !s.signal?.aborted &&
        timeout.signal.aborted
      )
        error = new TimeoutError(`${link.ref} gave no complete answer within ${s.timeoutMs} ms`, { cause: caught });
    } finally {
      clearTimeout(timer);
    }
    // Asked to think, a model that cannot answers as it is (as Ollama's Anthropic endpoint does).
    if (error instanceof ThinkingUnsupportedError && think !== false) {
      think = false;
      retry--;
      continue;
    }
    const { code, fallback: decision, cooldown } = failover(error);
    record(attempts, s, {
      ...who,
      outcome: code,
      ms: elapsed(started),
      detail: error.message,
    });
    if (streamed && !s.fallbackAfterTokens) {
      if (cooldown) s.cooldowns.coolDown(runtime.host, link.ref, s.cooldownMs);
      return { ok: false, error, decision: "stop" };
    }
    if (decision === "retry" && retry < s.retries) {
      try {
        await wait(backoffMs(retry, { baseMs: s.retryDelayMs, maxMs: 30_000 }), s.signal, "the delegation");
        continue;
      } catch (cancelled) {
        return { ok: false, error: cancelled as CancelledError, decision: "stop" };
      }
    }
    if (cooldown) s.cooldowns.coolDown(runtime.host, link.ref, s.cooldownMs);
    return { ok: false, error, decision: decision === "retry" ? "next" : decision, rejected };
  }
}

const elapsed = (since: number) => Math.round(performance.now() - since);

function record(attempts: Attempt[], s: AttemptSettings, attempt: Attempt) {
  attempts.push(attempt);
  s.onAttempt?.(attempt);
}
