/**
 * `delegate()`: hand a prompt to the right local model and get back one `LlmResponse`, whatever
 * happened. The chain comes from resolve-chain.ts; each link is tried by attempt.ts (retries,
 * timeout, answer checks); failed links fall through to the next; models that misbehaved cool
 * down. When nothing of the chain is installed, `pull: true` installs its first model (never
 * silently: the response says so). A model failure never throws — only misuse does (an unknown
 * task or option, a bad config, an empty prompt).
 */
import type { Index } from "../../../schema/index.ts";
import type { SmallLlmError } from "../errors/index.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import type { DetectOptions } from "../runtimes/detect.ts";
import {
  type ChatMessage,
  droppedNote,
  type ProgressOptions,
  type RunResult,
  type Runtime,
  type RuntimeKind,
  type Think,
  type ToolCall,
  type ToolChoice,
  type ToolSpec,
} from "../runtimes/runtime.ts";
import type { OpenAIRuntimeFactory } from "./agent-runtimes.ts";
import { tryLink } from "./attempt.ts";
import type { AgentConfig, ChainEntrySpec } from "./config.ts";
import { modelOptions } from "./config-options.ts";
import { type ContextPlan, OLLAMA_DEFAULT_CONTEXT } from "./context-size.ts";
import { DEFAULT_COOLDOWN_MS, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY_MS } from "./cooldowns.ts";
import { usageRecord, whyNothing } from "./delegate-result.ts";
import { type Attempt, appendUsage, contentLogging } from "./metrics.ts";
import { retiredWarning } from "./options.ts";
import { planDelegation } from "./plan.ts";
import type { ChainLink } from "./resolve-chain.ts";
import { Router } from "./router.ts";
import type { TaskName } from "./tasks.ts";

export interface DelegateOptions {
  /** quick, coding, analysis, translation, creative, reasoning, vision, heavy (default: quick). */
  task?: TaskName | string;
  /** Exactly this model (index id or Ollama ref): a chain of one. */
  model?: string;
  /** Exactly these models, in order; wins over the config. */
  chain?: ChainEntrySpec[];
  system?: string;
  /** Ollama options (temperature, num_ctx, …), checked: an unknown name or wrong type throws InvalidOptionError. */
  options?: Record<string, unknown>;
  /** `"json"` or a JSON Schema: the answer must parse (and match), or the next model is tried. */
  format?: "json" | Record<string, unknown>;
  /** Retries of transient failures per model (default 2). */
  retries?: number;
  /** Per attempt (default 120 000 ms). */
  timeoutMs?: number;
  /** Install the chain's first model when none is installed (default false: the library never pulls silently). */
  pull?: boolean;
  signal?: AbortSignal;
  /** Tokens as they stream. A failed attempt's tokens come too: `onAttempt` says when one failed. */
  onToken?: (text: string) => void;
  /**
   * Let a thinking model think before it answers (Ollama's `think`: true or an effort level). Default
   * false: a delegation wants the answer, and thinking spends num_predict and time before it (Ollama
   * thinks whenever `think` is not sent). A model that cannot think answers without it (a note says so).
   */
  think?: Think;
  /** Its thinking as it streams; the whole of it is `thinking` of the success. */
  onThinking?: (text: string) => void;
  onAttempt?: (attempt: Attempt) => void;
  /** Called as each attempt starts, before any of its tokens: which model the next tokens come from. */
  onAttemptStart?: (attempt: { model: string; runtime: RuntimeKind; side: "local" | "cloud" }) => void;
  /**
   * Whether a failure after some of an attempt's tokens went to `onToken` may still retry or fall
   * back (default true, for callers that discard them). A caller that passed them on, such as a
   * gateway streaming to its client, says false: the call then ends with that failure.
   */
  fallbackAfterTokens?: boolean;
  /**
   * Tokens of the context kept free for the answer when sizing num_ctx (default: num_predict, else
   * 1024). A gateway whose clients send a high max_tokens as a mere ceiling (Claude Code: 32000)
   * keeps num_predict as that ceiling without raising the context for all of it.
   */
  answerReserve?: number;
  /**
   * When every model's answer failed the checks (a refusal, a loop, JSON off the schema), return the
   * last of them as the success, with a note, instead of a failure (default false). A gateway does:
   * its clients judge answers themselves, and a refusal is an answer.
   */
  keepLastAnswer?: boolean;
  /** Tools the model may call; the calls come back in `toolCalls` of the success. */
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  /** Called before pulling, and with the pull's progress. */
  onPull?: (ref: string) => void;
  onProgress?: ProgressOptions["onProgress"];
  /** Runtimes to use instead of Ollama at OLLAMA_HOST and the config's (tests, apps). */
  runtimes?: Runtime[];
  /** The index to use instead of getIndex(). */
  index?: Index;
  /** The config instead of `<config>/config.json`. */
  config?: AgentConfig;
  hardware?: Hardware;
  /** Builds OpenAI-compatible runtimes for the config's `runtimes` and `cloud` entries. */
  openAIRuntime?: OpenAIRuntimeFactory;
  /** Also use the OpenAI-compatible servers found on their default ports (default true; never with `runtimes`; SMALL_LLM_DETECT=0 turns it off). */
  detect?: boolean | DetectOptions;
  /** Write a metrics line (default true; SMALL_LLM_METRICS=0 turns it off everywhere). */
  metrics?: boolean;
  /** Measured speed by ref (default: from `<state>/bench.jsonl`). */
  measured?: ReadonlyMap<string, number>;
}

interface ResponseBase {
  /** The whole call, fallbacks included. */
  latencyMs: number;
  attempts: Attempt[];
  task: TaskName;
  /** The model that was pulled first because none of the chain was installed. */
  pulled?: string;
  /** Things the caller should know (a pull, a cut prompt, unreachable runtimes). */
  notes: string[];
}

/** A model answered, and the answer passed the checks. */
export interface LlmSuccess extends ResponseBase {
  success: true;
  error?: never;
  text: string;
  model: string;
  runtime: string;
  /** Time to first token of the answer returned, measured by the client (Ollama reports none). */
  ttftMs: number;
  promptTokens: number;
  outputTokens: number;
  /** eval_count / eval_duration of the answering model. */
  tokensPerSecond: number;
  /** The answering call's duration as the runtime reports it (Ollama `total_duration`), when it does. */
  runtimeMs?: number;
  /** Which side answered: local, or a cloud endpoint of the config. */
  side: "local" | "cloud";
  indexId?: string;
  /** The num_ctx sent when the default context was too small for the prompt. */
  numCtx?: number;
  /** Set when the prompt did not fit and the runtime cut it: says how. */
  truncated?: string;
  /** The calls of the caller's tools the model made, when it was given `tools`. */
  toolCalls?: ToolCall[];
  /** What a thinking model thought first, when `think` asked for it. */
  thinking?: string;
  /** Why the answer ended, as the runtime says (`stop`, `length`, `tool_calls`…), when it does. */
  doneReason?: string;
}

/** No model of the chain gave a usable answer: why (the most useful of the failures), and every attempt. */
export interface LlmFailure extends ResponseBase {
  success: false;
  error: { code: string; message: string };
  // None of a success's figures: a caller may read them without narrowing, and gets undefined.
  text?: never;
  model?: never;
  runtime?: never;
  side?: never;
  ttftMs?: never;
  promptTokens?: never;
  outputTokens?: never;
  tokensPerSecond?: never;
  indexId?: never;
  numCtx?: never;
  truncated?: never;
  runtimeMs?: never;
  toolCalls?: never;
  thinking?: never;
  doneReason?: never;
}

export type LlmResponse = LlmSuccess | LlmFailure;

let defaultInstance: Router | undefined;

/** The Router `delegate()` uses: one per process, made on first use. */
export function defaultRouter(): Router {
  defaultInstance ??= new Router();
  return defaultInstance;
}

/** Forget every cooldown of the default Router (a long-running app after fixing its runtime; tests). */
export function resetCooldowns(): void {
  defaultRouter().cooldowns.clear();
}

/**
 * Hand a prompt to the right local model and get back one `LlmResponse`, whatever happened, on the
 * default Router. A server, or an app that wants its own cooldowns and caches, makes a `Router`.
 */
export function delegate(input: string | ChatMessage[], options: DelegateOptions = {}): Promise<LlmResponse> {
  return defaultRouter().delegate(input, options);
}

export async function runDelegation(
  router: Router,
  input: string | ChatMessage[],
  options: DelegateOptions,
): Promise<LlmResponse> {
  const started = performance.now();
  const plan = await planDelegation(router, input, options);
  const { task, config, prepared, promptTokens, down, resolved } = plan;
  const notes: string[] = [];
  const attempts: Attempt[] = [];
  for (const d of down) notes.push(`${d.runtime.kind} at ${d.runtime.host} is not reachable: ${d.error.message}`);
  for (const [name, why] of plan.runtimes.missing) notes.push(`${name} from config.json is not used: ${why}`);
  const settings = {
    messages: prepared.messages,
    system: prepared.system,
    options: prepared.options,
    format: prepared.format,
    retries: options.retries ?? config.retries ?? DEFAULT_RETRIES,
    retryDelayMs: config.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    cooldownMs: config.cooldownMs ?? DEFAULT_COOLDOWN_MS,
    timeoutMs: options.timeoutMs ?? config.timeoutMs ?? 120_000,
    defaultContext: config.defaultContext ?? OLLAMA_DEFAULT_CONTEXT,
    promptTokens,
    signal: options.signal,
    onToken: options.onToken,
    think: options.think ?? false,
    onThinking: options.onThinking,
    onAttempt: options.onAttempt,
    onAttemptStart: options.onAttemptStart,
    fallbackAfterTokens: options.fallbackAfterTokens ?? true,
    answerReserve: options.answerReserve,
    tools: options.tools,
    toolChoice: options.toolChoice,
    cooldowns: router.cooldowns,
    modelOptions: (link: ChainLink) => modelOptions(config, { ref: link.ref, indexId: link.indexId }),
  };
  const retired = retiredWarning(prepared.options);
  // A chain entry that names nothing usable is said up front, whatever the other entries do.
  for (const link of resolved.links)
    if (link.unusable) notes.push(`chain entry "${link.ref}" is not used: ${link.unusable.message}`);
  const downHosts = new Set(down.map((d) => d.runtime.host));
  let links = resolved.links;
  let pulled: string | undefined;
  const runnable = (l: ChainLink) => l.runtime && !l.unusable && l.installed && !downHosts.has(l.runtime.host);
  if (!links.some(runnable) && options.pull) {
    const first =
      resolved.derivation?.pull ??
      links.find((l) => l.runtime?.capabilities.install && !l.unusable && !downHosts.has(l.runtime.host));
    if (first?.runtime && !downHosts.has(first.runtime.host)) {
      options.onPull?.(first.ref);
      const t = performance.now();
      try {
        await first.runtime.install(first.ref, { onProgress: options.onProgress, signal: options.signal });
        router.forgetInstalled(first.runtime);
        pulled = first.ref;
        notes.push(`pulled ${first.ref}: no model of the chain was installed`);
        attempts.push({
          model: first.ref,
          runtime: first.runtime.kind,
          outcome: "pulled",
          ms: Math.round(performance.now() - t),
        });
        const link = { ...first, installed: true, source: "pulled" } as ChainLink;
        links = [link, ...links.filter((l) => l.ref !== first.ref)];
      } catch (error) {
        const e = error as SmallLlmError;
        attempts.push({
          model: first.ref,
          runtime: first.runtime.kind,
          outcome: e.code ?? "error",
          ms: Math.round(performance.now() - t),
          detail: e.message,
        });
        return finish(failure(e.code ?? "error", `pulling ${first.ref} failed: ${e.message}`));
      }
    }
  }

  let lastError: { code: string; message: string } | undefined;
  let lastRejected:
    | { link: ChainLink; runtime: Runtime; outcome: { result: RunResult; plan: ContextPlan; why: string } }
    | undefined;
  const cooled: ChainLink[] = [];
  const order = [...links];
  for (let i = 0; i < order.length; i++) {
    const link = order[i] as ChainLink;
    const runtime = link.runtime;
    if (link.unusable || !runtime) {
      attempts.push({
        model: link.ref,
        outcome: link.unusable?.code ?? "unsupported",
        ms: 0,
        detail: link.unusable?.message,
      });
      lastError ??= link.unusable;
      continue;
    }
    if (downHosts.has(runtime.host)) {
      attempts.push({
        model: link.ref,
        runtime: runtime.kind,
        outcome: "skipped",
        ms: 0,
        detail: `${runtime.kind} at ${runtime.host} is down`,
      });
      continue;
    }
    if (!link.installed) {
      attempts.push({ model: link.ref, runtime: runtime.kind, outcome: "model-not-installed", ms: 0 });
      continue;
    }
    const wait = router.cooldowns.remaining(runtime.host, link.ref);
    if (wait > 0 && !cooled.includes(link)) {
      attempts.push({
        model: link.ref,
        runtime: runtime.kind,
        outcome: "cooling-down",
        ms: 0,
        detail: `failed recently (cooling down ${Math.ceil(wait / 1000)} s more); tried last`,
      });
      // Tried again last, if every other link fails: better a model that failed a moment ago than no answer.
      cooled.push(link);
      order.push(link);
      continue;
    }
    const outcome = await tryLink(link, settings, attempts);
    if (outcome.ok) return finish(success(link, runtime, outcome));
    if (outcome.rejected)
      lastRejected = { link, runtime, outcome: { ...outcome.rejected, why: outcome.error.message } };
    lastError = { code: outcome.error.code ?? "error", message: outcome.error.message };
    if (outcome.error.code === "model-not-installed") router.forgetInstalled(runtime);
    // A cancel, or a failure after tokens went out: that one failure is the whole story.
    if (outcome.decision === "stop") return finish(failure(lastError.code, lastError.message));
    if (outcome.decision === "skip-runtime") downHosts.add(runtime.host);
  }
  if (options.keepLastAnswer && lastRejected) {
    const { link, runtime, outcome } = lastRejected;
    notes.push(`every answer failed the checks; this one is returned as it is (${outcome.why})`);
    return finish(success(link, runtime, outcome));
  }
  return finish(failure(...whyNothing(attempts, links, down, lastError, task, resolved, Boolean(options.pull))));

  function success(
    link: ChainLink,
    runtime: Runtime,
    outcome: { result: RunResult; plan: ContextPlan; thoughtless?: boolean },
  ): LlmSuccess {
    const r = outcome.result;
    if (outcome.plan.numCtx) notes.push(`raised num_ctx to ${outcome.plan.numCtx} for a ~${promptTokens}-token prompt`);
    if (outcome.plan.truncation) notes.push(outcome.plan.truncation);
    if (outcome.thoughtless) notes.push(`${r.model} does not think before answering: it answered without thinking`);
    // Only Ollama is sent options as they are; the other runtimes say what they left out.
    if (retired && runtime.kind === "ollama") notes.push(retired);
    if (r.droppedOptions?.length) notes.push(droppedNote(runtime.kind, r.droppedOptions));
    return {
      text: r.text,
      model: r.model,
      runtime: runtime.kind,
      success: true,
      latencyMs: 0,
      ttftMs: r.latencyMs,
      promptTokens: r.promptTokens ?? promptTokens,
      outputTokens: r.outputTokens ?? 0,
      tokensPerSecond: r.tokensPerSecond ?? 0,
      attempts,
      task,
      side: link.side,
      notes,
      ...(r.runtimeMs !== undefined ? { runtimeMs: r.runtimeMs } : {}),
      ...(r.toolCalls?.length ? { toolCalls: r.toolCalls } : {}),
      ...(r.thinking ? { thinking: r.thinking } : {}),
      ...(r.doneReason ? { doneReason: r.doneReason } : {}),
      ...(link.indexId ? { indexId: link.indexId } : {}),
      ...(outcome.plan.numCtx ? { numCtx: outcome.plan.numCtx } : {}),
      ...(outcome.plan.truncation ? { truncated: outcome.plan.truncation } : {}),
      ...(pulled ? { pulled } : {}),
    };
  }

  function failure(code: string, message: string): LlmFailure {
    return {
      success: false,
      error: { code, message },
      latencyMs: 0,
      attempts,
      task,
      notes,
      ...(pulled ? { pulled } : {}),
    };
  }

  async function finish(response: LlmResponse): Promise<LlmResponse> {
    response.latencyMs = Math.round(performance.now() - started);
    if (options.metrics !== false) {
      const content = contentLogging(process.env, config.metrics?.logContent);
      const record = usageRecord(response, content ? prepared.messages : undefined);
      await appendUsage(record, { enabled: config.metrics?.enabled });
    }
    return response;
  }
}
