/**
 * Run a prompt on a model by the name a person gives (index id or runtime ref): an index id runs
 * whichever of its quants is installed, a missing model is pulled first (after the pre-flight)
 * unless the caller said not to, and every run is one line in the usage metrics (no prompt text).
 */
import { z } from "zod";
import { appendUsage, type UsageRecord } from "../agent/metrics.ts";
import { validateOptions } from "../agent/options.ts";
import { runModel as runOnRuntime } from "../runtimes/run-model.ts";
import type { RunResult } from "../runtimes/runtime.ts";
import { type CallHooks, type OperationContext, parseInput } from "./context.ts";
import { modelName, preflightPull } from "./models.ts";
import { installedTarget, installTarget } from "./refs.ts";

export const RunInput = z.strictObject({
  model: modelName,
  prompt: z.string().min(1).max(1_000_000).describe("The prompt"),
  system: z.string().max(100_000).optional().describe("A system prompt"),
  options: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Ollama options, e.g. { temperature: 0.2, num_ctx: 8192 } (`small-llm options` lists them)"),
  format: z
    .union([z.literal("json"), z.record(z.string(), z.unknown())])
    .optional()
    .describe('"json", or a JSON Schema the answer must follow'),
  quant: z.string().trim().min(1).max(40).optional().describe("Which quant to install and run"),
  pull: z.boolean().optional().describe("Install the model first when it is missing (default true)"),
  force: z.boolean().optional().describe("Pull even when the pre-flight says it will not fit"),
});
export type RunInput = z.input<typeof RunInput>;

export async function runModel(ctx: OperationContext, raw: RunInput, hooks: CallHooks = {}): Promise<RunResult> {
  const input = parseInput(RunInput, raw, ctx);
  const options = validateOptions(input.options);
  const { signal } = hooks;
  const index = await ctx.router.index(signal);
  const target = input.quant ? installTarget(ctx.runtime, input.model, index, input.quant) : undefined;
  const ref = target?.ref ?? installedTarget(ctx.runtime, input.model, index, await ctx.runtime.list({ signal }));
  const pull = input.pull !== false;
  if (pull && !input.force) await preflightPull(ctx, index, ref, signal);
  const started = performance.now();
  const enabled = ctx.router.config().metrics?.enabled;
  const record = (outcome: Partial<UsageRecord>) =>
    appendUsage(
      {
        v: 1,
        ts: new Date().toISOString(),
        kind: "run",
        model: ref,
        runtime: ctx.runtime.kind,
        side: "local",
        latencyMs: Math.round(performance.now() - started),
        success: false,
        attempts: [],
        ...outcome,
      },
      { enabled },
    );
  let result: RunResult;
  try {
    result = await runOnRuntime(ctx.runtime, ref, input.prompt, {
      ...(input.system ? { system: input.system } : {}),
      options: options as Record<string, unknown>,
      ...(input.format ? { format: input.format } : {}),
      pull,
      asTyped: input.model,
      onProgress: hooks.onProgress,
      onToken: hooks.onToken,
      signal,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "error";
    await record({ error: code, attempts: [{ model: ref, outcome: code, ms: 0 }] });
    throw error;
  }
  if (pull) ctx.router.forgetInstalled(ctx.runtime);
  await record({
    success: true,
    ttftMs: result.latencyMs,
    ...(result.promptTokens !== undefined ? { promptTokens: result.promptTokens } : {}),
    ...(result.outputTokens !== undefined ? { outputTokens: result.outputTokens } : {}),
    ...(result.tokensPerSecond !== undefined ? { tokensPerSecond: result.tokensPerSecond } : {}),
    attempts: [{ model: ref, outcome: "ok", ms: result.totalMs }],
  });
  return result;
}
