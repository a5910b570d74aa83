/**
 * One chat request of either API, run through the agent layer: its `model` (and `fallbacks`)
 * resolved to a chain, then `delegate()` with retries, fallback and answer checks, and one usage
 * line. Streamed requests get each token as it comes, with the model it comes from; once a token
 * went out, a failure ends the call instead of falling back (the client cannot take tokens back).
 */
import { randomBytes } from "node:crypto";
import type { AgentConfig } from "../agent/config.ts";
import type { DelegateOptions, LlmSuccess } from "../agent/delegate.ts";
import { usageRecord } from "../agent/delegate-result.ts";
import { appendUsage, contentLogging } from "../agent/metrics.ts";
import type { OllamaOptions } from "../agent/options.ts";
import type { Router } from "../agent/router.ts";
import type { ChatMessage, RuntimeKind, Think, ToolChoice, ToolSpec } from "../runtimes/runtime.ts";
import { delegationFailure, type GatewayFailure, type Redact, redactor, thrownFailure } from "./errors.ts";
import { selectModels } from "./model-names.ts";

/** What every gateway route runs against: the server's Router, what it adds to each delegation, `--pull`. */
export interface GatewayContext {
  router: Router;
  defaults: Partial<DelegateOptions>;
  pull: boolean;
  /** A line for the terminal running `serve` (each pull a request starts). */
  log?: ((line: string) => void) | undefined;
}

/** A chat request of either API, in the agent layer's terms. */
export interface ChatCall {
  model: string;
  fallbacks: string[];
  messages: ChatMessage[];
  options: OllamaOptions;
  format?: "json" | Record<string, unknown> | undefined;
  tools?: ToolSpec[] | undefined;
  toolChoice?: ToolChoice | undefined;
  /** What the client asked of a thinking model; not asked, it answers without thinking. */
  think?: Think | undefined;
}

/**
 * An OpenAI `reasoning_effort` (or Responses `reasoning.effort`) as Ollama's `think`, mapped as
 * Ollama's own /v1 maps it: `none` is off, `minimal` the lowest level, `xhigh` the highest.
 */
export function effortThink(effort: string | null | undefined): Think | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (effort === "none") return false;
  if (effort === "minimal" || effort === "low") return "low";
  return effort === "medium" ? "medium" : "high";
}

/** The model an answer (or the tokens being streamed) comes from, and how many model calls it took. */
export interface Answerer {
  model: string;
  runtime: RuntimeKind | string;
  side: "local" | "cloud";
  attempts: number;
}

export interface ChatHooks {
  signal: AbortSignal;
  /** Streaming: each token as it comes, with the model it comes from. */
  onToken?: ((text: string, who: Answerer) => void) | undefined;
  /** Streaming: a thinking model's thoughts as they come, when the client asked for them. */
  onThinking?: ((text: string, who: Answerer) => void) | undefined;
  /** Claude Code asks for its own model names (`claude-haiku-…`): those mean `auto`. */
  claudeNames?: boolean;
}

/**
 * What came of a chat. `record` writes its usage line: the route calls it once the answer is out,
 * so the client never waits on the file system.
 */
export type ChatOutcome = { record: () => Promise<void> } & (
  | { ok: true; response: LlmSuccess; who: Answerer }
  | { ok: false; failure: GatewayFailure; who?: Answerer | undefined }
);

const nothing = async () => {};

/**
 * The most of the context kept for the answer. Clients send max_tokens as a ceiling (Claude Code
 * 32000, the Anthropic API requires one): it stays the generation limit, but sizing num_ctx for all
 * of it would reload a small model with a context many times what the answer will take.
 */
export const MAX_ANSWER_RESERVE = 4096;

/** The config of this request: the server's injected one, else config.json as it is now. */
export function configOf(ctx: GatewayContext): AgentConfig {
  return ctx.defaults.config ?? ctx.router.config();
}

export async function runChat(ctx: GatewayContext, call: ChatCall, hooks: ChatHooks): Promise<ChatOutcome> {
  const started = performance.now();
  let redact: Redact = (t) => t;
  let who: Answerer | undefined;
  try {
    const config = configOf(ctx);
    redact = redactor(config);
    const select = (images: boolean) =>
      selectModels(call.model, call.fallbacks, {
        router: ctx.router,
        config,
        defaults: ctx.defaults,
        pull: ctx.pull,
        images,
        claudeNames: hooks.claudeNames ?? false,
        signal: hooks.signal,
      }).catch(async (error) => {
        // A name that is no model here is a call that failed: one usage line, as `ask` writes for it.
        await recordUnknown(ctx, config, call.model, error, started);
        throw error;
      });
    // The delegation writes no line itself: this one is written after the answer went out.
    const metrics = ctx.defaults.metrics !== false;
    let tries = 0;
    const { onToken, onThinking } = hooks;
    const delegate = (selection: Awaited<ReturnType<typeof select>>, messages: ChatMessage[]) =>
      ctx.router.delegate(messages, {
        ...ctx.defaults,
        ...selection,
        config: selection.config ?? config,
        options: call.options,
        ...((call.options.num_predict ?? 0) > MAX_ANSWER_RESERVE ? { answerReserve: MAX_ANSWER_RESERVE } : {}),
        ...(call.format !== undefined ? { format: call.format } : {}),
        ...(call.tools?.length ? { tools: call.tools } : {}),
        ...(call.toolChoice ? { toolChoice: call.toolChoice } : {}),
        ...(call.think !== undefined ? { think: call.think } : {}),
        pull: ctx.pull,
        ...(ctx.log
          ? { onPull: (ref: string) => ctx.log?.(`pulling ${ref} for a request for "${call.model}" (serve --pull)`) }
          : {}),
        signal: hooks.signal,
        // A refusal or an off-schema answer is still an answer to a client of these APIs: after the
        // fallbacks, the last one is returned (with a 200), never a 503.
        keepLastAnswer: true,
        metrics: false,
        fallbackAfterTokens: !onToken,
        onAttemptStart: (a) => {
          who = { ...a, attempts: ++tries };
        },
        ...(onToken ? { onToken: (text: string) => onToken(text, who as Answerer) } : {}),
        ...(onThinking ? { onThinking: (text: string) => onThinking(text, who as Answerer) } : {}),
      });
    const images = call.messages.some((m) => m.images?.length);
    const selection = await select(images);
    let response = await delegate(selection, call.messages);
    // `auto` (or a claude-… name) with an image somewhere in the conversation asks for a vision
    // model; with none installed, the conversation goes on without its images rather than failing.
    const virtual = call.model === "auto" || Boolean(hooks.claudeNames && /^claude-/i.test(call.model));
    if (!response.success && response.error.code === "no-model" && images && virtual && selection.task === "vision") {
      response = await delegate(await select(false), withoutImages(call.messages));
      response.notes.push("no vision model is installed here: the images of the conversation were left out");
    }
    const record = async () => {
      if (!metrics) return;
      const content = contentLogging(process.env, config.metrics?.logContent) ? call.messages : undefined;
      await appendUsage(usageRecord(response, content), { enabled: config.metrics?.enabled });
    };
    if (!response.success) return { ok: false, failure: delegationFailure(response, redact), who, record };
    return {
      ok: true,
      response,
      who: { model: response.model, runtime: response.runtime, side: response.side, attempts: Math.max(tries, 1) },
      record,
    };
  } catch (error) {
    return { ok: false, failure: thrownFailure(error, redact), who, record: nothing };
  }
}

async function recordUnknown(
  ctx: GatewayContext,
  config: AgentConfig,
  model: string,
  error: unknown,
  started: number,
): Promise<void> {
  const code = (error as { code?: unknown })?.code;
  if (ctx.defaults.metrics === false || typeof code !== "string" || !/model|installable|quant/.test(code)) return;
  await appendUsage(
    {
      v: 1,
      ts: new Date().toISOString(),
      kind: "delegate",
      model: model.slice(0, 300),
      runtime: "",
      side: "local",
      latencyMs: Math.round(performance.now() - started),
      success: false,
      error: code,
      attempts: [],
    },
    { enabled: config.metrics?.enabled },
  );
}

function withoutImages(messages: ChatMessage[]): ChatMessage[] {
  return messages.map(({ images: _, ...m }) => m);
}

/** `chatcmpl-…`, `msg_…`, `req_…`: unique enough for a client to tell answers apart. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString("base64url")}`;
}
