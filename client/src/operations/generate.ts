/**
 * What `run` and a `chat` turn share: the name a person gave resolved to a runtime ref (index id →
 * whichever of its quants is installed, else its default), the pre-flight before a pull, the
 * config's options for that model under the call's own, the warning for options current Ollama
 * ignores, and one usage-metrics line per call (never the text).
 */
import { modelOptions } from "../agent/config-options.ts";
import { appendUsage, type UsageRecord } from "../agent/metrics.ts";
import { retiredWarning, validateOptions } from "../agent/options.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import { runModel as runOnRuntime } from "../runtimes/run-model.ts";
import { type ChatMessage, droppedNote, type RunResult, type Think } from "../runtimes/runtime.ts";
import { type CallHooks, forModel, type OperationContext } from "./context.ts";
import { preflightPull } from "./models.ts";
import { installedTarget, installTarget, isGgufPath } from "./refs.ts";
import { withSuggestions } from "./suggest.ts";

export interface GenerateSpec {
  kind: "run" | "chat";
  /** As the caller named it: an index id or a runtime ref. */
  model: string;
  quant?: string | undefined;
  options?: Record<string, unknown> | undefined;
  system?: string | undefined;
  format?: "json" | Record<string, unknown> | undefined;
  think?: Think | undefined;
  pull?: boolean | undefined;
  force?: boolean | undefined;
}

/** A run's result, with what the caller was warned of. */
export type GenerateResult = RunResult & { warnings?: string[] };

export interface GenerateHooks extends CallHooks {
  onThinking?: ((text: string) => void) | undefined;
}

export async function generate(
  adapterCtx: OperationContext,
  spec: GenerateSpec,
  content: string | ChatMessage[],
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  const ctx = forModel(adapterCtx, spec.model);
  const { signal } = hooks;
  const index = await ctx.router.index(signal);
  // The quant asked for, else whichever quant of an index id is installed. A GGUF file is one quant.
  const quant = isGgufPath(spec.model) ? undefined : spec.quant;
  const ref = quant
    ? installTarget(ctx.runtime, spec.model, index, quant).ref
    : installedTarget(ctx.runtime, spec.model, index, await ctx.router.installed(ctx.runtime, signal));
  const config = ctx.router.config();
  const configured = modelOptions(config, { ref, indexId: ownerOf(index, ref)?.id });
  const options = validateOptions({ ...configured, ...spec.options });
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    hooks.onWarning?.(text);
  };
  if (spec.quant && isGgufPath(spec.model))
    warn(`quant ${spec.quant} is not applied: ${spec.model} is a GGUF file, one quant already`);
  // Only Ollama receives options as they are; the others say what they left out (below).
  const retired = ctx.runtime.kind === "ollama" ? retiredWarning(options) : undefined;
  if (retired) warn(retired);
  const pull = spec.pull !== false;
  if (pull && !spec.force) await preflightPull(ctx, index, ref, signal);
  const started = performance.now();
  const record = (outcome: Partial<UsageRecord>) =>
    appendUsage(
      {
        v: 1,
        ts: new Date().toISOString(),
        kind: spec.kind,
        model: ref,
        runtime: ctx.runtime.kind,
        side: "local",
        latencyMs: Math.round(performance.now() - started),
        success: false,
        attempts: [],
        ...outcome,
      },
      {
        enabled: config.metrics?.enabled,
        onError: (e) => warn(`usage not recorded: ${e.message}`),
      },
    );
  let result: RunResult;
  try {
    result = await runOnRuntime(ctx.runtime, ref, content, {
      ...(spec.system ? { system: spec.system } : {}),
      options: options as Record<string, unknown>,
      ...(spec.format ? { format: spec.format } : {}),
      ...(spec.think !== undefined ? { think: spec.think } : {}),
      pull,
      asTyped: spec.model,
      onProgress: hooks.onProgress,
      onToken: hooks.onToken,
      onThinking: hooks.onThinking,
      signal,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "error";
    await record({ error: code, attempts: [{ model: ref, outcome: code, ms: 0 }] });
    throw withSuggestions(error, spec.model, index);
  } finally {
    if (pull) ctx.router.forgetInstalled(ctx.runtime);
  }
  if (result.droppedOptions?.length) warn(droppedNote(ctx.runtime.kind, result.droppedOptions));
  await record({
    success: true,
    ttftMs: result.latencyMs,
    ...(result.promptTokens !== undefined ? { promptTokens: result.promptTokens } : {}),
    ...(result.outputTokens !== undefined ? { outputTokens: result.outputTokens } : {}),
    ...(result.tokensPerSecond !== undefined ? { tokensPerSecond: result.tokensPerSecond } : {}),
    attempts: [{ model: ref, outcome: "ok", ms: result.totalMs }],
  });
  return warnings.length ? { ...result, warnings } : result;
}
