/** Commands that drive the local runtime: install, update, run, list, rm, status. */
import { readFileSync } from "node:fs";
import type { Index } from "../../../schema/index.ts";
import { appendUsageSync, type UsageRecord } from "../agent/metrics.ts";
import { parseOptionPairs } from "../agent/options.ts";
import { bytes } from "../core/format.ts";
import { CancelledError } from "../errors/index.ts";
import type { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { installedRef, resolveRef, withIndexIds } from "../runtimes/resolve-target.ts";
import { runModel } from "../runtimes/run-model.ts";
import type { PullProgress } from "../runtimes/runtime.ts";
import type { Context } from "./context.ts";
import { describeOtherRuntimes, otherRuntimes } from "./other-runtimes.ts";
import { preflightPull } from "./preflight-check.ts";
import { pullReporter } from "./progress.ts";
import { clean, table } from "./render.ts";
import { UsageError } from "./usage-error.ts";

interface Env {
  runtime: OllamaDriver;
  index: Index | undefined;
}

/** Run a pull with a progress display that always ends its line, and says how to resume when cut short. */
async function withProgress<T>(
  quiet: boolean,
  ref: string,
  fn: (onProgress: ((p: PullProgress) => void) | undefined) => Promise<T>,
): Promise<T> {
  const progress = quiet ? undefined : pullReporter();
  try {
    return await fn(progress?.onProgress);
  } catch (error) {
    if (error instanceof CancelledError)
      throw new CancelledError(`pulling ${ref} (run the same command again to resume it)`, { cause: error });
    throw error;
  } finally {
    progress?.stop();
  }
}

export async function installCommand(
  { runtime, index }: Env,
  target: string,
  options: { quant?: string; force?: boolean },
  ctx: Context,
) {
  const { ref } = resolveRef(target, index, options.quant);
  await preflightPull({ runtime, index }, ref, options.force, ctx.signal);
  const installed = await withProgress(ctx.json, ref, (onProgress) =>
    runtime.install(ref, { onProgress, signal: ctx.signal }),
  );
  const [shown] = withIndexIds(index, [installed]);
  if (ctx.json) return ctx.print(JSON.stringify(shown, null, 2));
  ctx.print(
    `installed ${clean(installed.name)} (${bytes(installed.sizeBytes)}, digest ${installed.digest.slice(0, 12)})`,
  );
}

export async function updateCommand(
  { runtime, index }: Env,
  target: string | undefined,
  options: { all?: boolean },
  ctx: Context,
) {
  if (!target && !options.all) throw new UsageError("say which model to update, or --all");
  const results = await withProgress(ctx.json, target ?? "every model", async (onProgress) => {
    if (options.all) return runtime.updateAll({ onProgress, signal: ctx.signal });
    const ref = installedRef(target as string, index, await runtime.list({ signal: ctx.signal }));
    return [await runtime.update(ref, { onProgress, signal: ctx.signal })];
  });
  if (ctx.json) return ctx.print(JSON.stringify(results, null, 2));
  if (!results.length) ctx.print("no models installed");
  for (const r of results) {
    ctx.print(
      r.changed
        ? `updated ${clean(r.ref)}: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`
        : `${clean(r.ref)} is up to date (${r.to.slice(0, 12)})`,
    );
  }
}

/** `--option temperature=0.2` → `{ temperature: 0.2 }`: typed and checked (agent/options.ts), a typo names the right option. */
export function parseOptions(pairs: string[]): Record<string, unknown> {
  return parseOptionPairs(pairs);
}

export async function runCommand(
  { runtime, index }: Env,
  target: string,
  words: string[],
  options: { system?: string; option?: string[]; quant?: string; pull?: boolean; force?: boolean },
  ctx: Context,
) {
  let prompt = words.join(" ");
  if (!prompt) {
    if (process.stdin.isTTY) throw new UsageError("give a prompt, or pipe one on stdin");
    prompt = readFileSync(0, "utf8").trim();
  }
  if (!prompt) throw new UsageError("the prompt is empty");
  const modelOptions = parseOptions(options.option ?? []);
  const installed = await runtime.list({ signal: ctx.signal });
  const ref = options.quant ? resolveRef(target, index, options.quant).ref : installedRef(target, index, installed);
  if (options.pull !== false) await preflightPull({ runtime, index }, ref, options.force, ctx.signal);
  const started = performance.now();
  const record = (outcome: Partial<UsageRecord>) =>
    appendUsageSync({
      v: 1,
      ts: new Date().toISOString(),
      kind: "run",
      model: ref,
      runtime: runtime.kind,
      side: "local",
      latencyMs: Math.round(performance.now() - started),
      success: false,
      attempts: [],
      ...outcome,
    });
  const result = await withProgress(false, ref, (onProgress) =>
    runModel(runtime, ref, prompt, {
      ...(options.system ? { system: options.system } : {}),
      options: modelOptions,
      pull: options.pull !== false,
      asTyped: target,
      onProgress,
      signal: ctx.signal,
      ...(ctx.json ? {} : { onToken: (t: string) => process.stdout.write(t) }),
    }),
  ).catch((error: Error & { code?: string }) => {
    record({ error: error.code ?? "error", attempts: [{ model: ref, outcome: error.code ?? "error", ms: 0 }] });
    throw error;
  });
  record({
    success: true,
    ttftMs: result.latencyMs,
    ...(result.promptTokens !== undefined ? { promptTokens: result.promptTokens } : {}),
    ...(result.outputTokens !== undefined ? { outputTokens: result.outputTokens } : {}),
    ...(result.tokensPerSecond !== undefined ? { tokensPerSecond: result.tokensPerSecond } : {}),
    attempts: [{ model: ref, outcome: "ok", ms: result.totalMs }],
  });
  if (ctx.json) return ctx.print(JSON.stringify(result, null, 2));
  process.stdout.write("\n");
  // The rate is Ollama's own (eval_count / eval_duration): generation alone, without load or prompt time.
  const rate = result.tokensPerSecond ? `, generating at ${result.tokensPerSecond.toFixed(1)} tokens/s` : "";
  ctx.info(
    `${result.outputTokens ?? "?"} tokens in ${(result.totalMs / 1000).toFixed(1)} s (first token after ${result.latencyMs} ms${rate})`,
  );
}

export async function listCommand({ runtime, index }: Env, ctx: Context) {
  const models = withIndexIds(index, await runtime.list({ signal: ctx.signal }));
  if (ctx.json) return ctx.print(JSON.stringify(models, null, 2));
  if (!models.length) return ctx.print("no models installed — try `small-llm recommend`");
  ctx.print(
    table(
      ["NAME", "SIZE", "QUANT", "DIGEST", "INDEX ID"],
      models.map((m) => [m.name, bytes(m.sizeBytes), m.quant ?? "–", m.digest.slice(0, 12), m.indexId ?? "–"]),
    ),
  );
}

export async function removeCommand({ runtime, index }: Env, target: string, ctx: Context) {
  const ref = installedRef(target, index, await runtime.list({ signal: ctx.signal }));
  await runtime.remove(ref, { signal: ctx.signal });
  if (ctx.json) return ctx.print(JSON.stringify({ removed: ref }));
  ctx.print(`removed ${clean(ref)}`);
}

/** Exit status for scripts: with --check, 3 when Ollama does not answer. */
export async function statusCommand(
  { runtime }: Env,
  options: { start?: boolean; check?: boolean },
  ctx: Context,
): Promise<number> {
  let started = false;
  // The other runtimes are probed while Ollama is asked, so status stays as fast as its slowest probe.
  const others = otherRuntimes(runtime.host, ctx.signal);
  others.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  if (options.start) started = (await runtime.ensureRunning({ signal: ctx.signal })).started;
  const status = await runtime.status({ signal: ctx.signal });
  const exit = options.check && !status.reachable ? 3 : 0;
  if (ctx.json) {
    ctx.print(JSON.stringify({ ...status, started, runtimes: await others }, null, 2));
    return exit;
  }
  if (!status.reachable) {
    ctx.print(
      `Ollama at ${status.host}: not running${status.binary ? ` (installed at ${status.binary}; \`small-llm status --start\` starts it)` : " and not installed (`small-llm setup` installs it)"}`,
    );
    for (const line of describeOtherRuntimes(await others)) ctx.print(line);
    return exit;
  }
  ctx.print(
    `Ollama ${clean(status.version ?? "?")} at ${status.host}${started ? " (started now)" : ""}, ${status.models.length} model${status.models.length === 1 ? "" : "s"} installed`,
  );
  for (const m of status.running) {
    const where =
      m.vramBytes === 0
        ? "CPU"
        : m.vramBytes >= m.sizeBytes
          ? "GPU"
          : `${Math.round((m.vramBytes / m.sizeBytes) * 100)} % GPU`;
    ctx.print(`  running: ${clean(m.name)} (${bytes(m.sizeBytes)}, ${where})`);
  }
  for (const line of describeOtherRuntimes(await others)) ctx.print(line);
  return exit;
}
