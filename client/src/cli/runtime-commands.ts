/** Commands that drive the local runtime: install, update, run, list, rm, status. Parse, call the operation, render. */
import { type Command, InvalidArgumentError } from "commander";
import { parseOptionPairs } from "../agent/options.ts";
import { bytes } from "../core/format.ts";
import { CancelledError } from "../errors/index.ts";
import { processorSplit, type StatusReport } from "../operations/index.ts";
import { runtimeTargetsFromEnv } from "../runtimes/detect.ts";
import type { EmbeddedStatus } from "../runtimes/embedded/runtime.ts";
import { withIndexIds } from "../runtimes/resolve-target.ts";
import type { InstalledModel, PullProgress, Think } from "../runtimes/runtime.ts";
import type { Context } from "./context.ts";
import { describeOtherRuntimes, type OtherRuntime } from "./other-runtimes.ts";
import { collect, parseFormat } from "./parse.ts";
import { pullReporter } from "./progress.ts";
import { clean, table } from "./render.ts";
import { UsageError } from "./usage-error.ts";

/**
 * Run a pull with a progress display that always ends its line. A pull cut short says the same
 * command resumes it; an answer cut short (Ctrl-C while the model writes) says it was stopped.
 */
export async function withProgress<T>(
  ctx: Context,
  quiet: boolean,
  ref: string,
  fn: (onProgress: ((p: PullProgress) => void) | undefined) => Promise<T>,
): Promise<T> {
  const progress = quiet ? undefined : pullReporter(ctx.io.stderr);
  try {
    return await fn(progress?.onProgress);
  } catch (error) {
    if (error instanceof CancelledError && error.phase === "pull")
      throw new CancelledError(`pulling ${ref} (run the same command again to resume it)`, { cause: error });
    throw error;
  } finally {
    progress?.stop();
  }
}

export async function installCommand(target: string, options: { quant?: string; force?: boolean }, ctx: Context) {
  const ops = await ctx.operations({ model: target });
  const installed = await withProgress(ctx, ctx.json, target, (onProgress) =>
    ops.install({ model: target, quant: options.quant, force: options.force }, { onProgress, signal: ctx.signal }),
  );
  if (ctx.json) return ctx.print(JSON.stringify(installed, null, 2));
  ctx.print(
    `installed ${clean(installed.name)} (${bytes(installed.sizeBytes)}${installed.digest ? `, digest ${installed.digest.slice(0, 12)}` : ""})`,
  );
}

export async function updateCommand(target: string | undefined, options: { all?: boolean }, ctx: Context) {
  if (!target && !options.all) throw new UsageError("say which model to update, or --all");
  const ops = await ctx.operations({ model: target });
  const results = await withProgress(ctx, ctx.json, target ?? "every model", (onProgress) =>
    ops.update(options.all ? { all: true } : { model: target }, { onProgress, signal: ctx.signal }),
  );
  if (ctx.json) return ctx.print(JSON.stringify(results, null, 2));
  if (!results.length) ctx.print("no models installed");
  for (const r of results) {
    if (r.skipped) continue;
    ctx.print(
      r.changed
        ? `updated ${clean(r.ref)}: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`
        : `${clean(r.ref)} is up to date (${r.to.slice(0, 12)})`,
    );
  }
  // At the end, together: what could not be re-pulled, and why that is no fault of the others.
  const skipped = results.filter((r) => r.skipped);
  if (skipped.length) {
    ctx.print(
      `could not re-pull ${skipped.length} model${skipped.length === 1 ? "" : "s"}; left as ${skipped.length === 1 ? "it is" : "they are"} ` +
        "(created on this machine, or no longer in their registry):",
    );
    for (const r of skipped) ctx.print(`  ${clean(r.ref)}`);
  }
}

export interface RunCliOptions {
  system?: string;
  option?: string[];
  quant?: string;
  pull?: boolean;
  force?: boolean;
  format?: string;
  think?: Think;
}

/** The options of a generation, `run` and `chat` alike. */
export function generationOptions(command: Command): Command {
  return command
    .option("--system <text>", "system prompt")
    .option(
      "--option <key=value>",
      "an Ollama model option, e.g. temperature=0.2 (repeat for more; `small-llm options`)",
      collect,
    )
    .option("--format <json|schema>", "answer in JSON: `json`, a JSON Schema file, or inline schema")
    .option(
      "--think [level]",
      "how a thinking model thinks before it answers (shown on stderr): low, medium, high; false turns it off (default: as the model does)",
      parseThink,
    )
    .option("--quant <quant>", "which quant to install and run")
    .option("--no-pull", "fail instead of installing a missing model")
    .option("--force", "pull even when the disk or memory check says it will not fit");
}

/** `--think` alone is on; `--think low|medium|high` a level; `--think false` turns a thinking model's thinking off. */
export function parseThink(value: string): Think {
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "on") return true;
  if (v === "false" || v === "off") return false;
  if (v === "low" || v === "medium" || v === "high") return v;
  throw new InvalidArgumentError(`--think takes low, medium, high or false (or nothing: on), not "${value}".`);
}

/** A thinking model's thoughts, on stderr (the answer alone goes to stdout), framed as Ollama frames them. */
export function thinkingPrinter(ctx: Context): { onThinking: (t: string) => void; end: () => void } {
  let open = false;
  return {
    onThinking: (t) => {
      if (!open) ctx.io.stderr.write("Thinking…\n");
      open = true;
      ctx.io.stderr.write(clean(t));
    },
    end: () => {
      if (open) ctx.io.stderr.write("\n…done thinking.\n\n");
      open = false;
    },
  };
}

export async function runCommand(target: string, words: string[], options: RunCliOptions, ctx: Context) {
  let prompt = words.join(" ");
  if (!prompt) {
    if (ctx.io.stdin.isTTY) throw new UsageError("give a prompt, or pipe one on stdin");
    prompt = await ctx.stdinText();
  }
  if (!prompt) throw new UsageError("the prompt is empty");
  // Checked before anything starts: a typo in an option names the right one.
  const modelOptions = parseOptionPairs(options.option ?? []);
  const format = parseFormat(options.format);
  const ops = await ctx.operations({ model: target });
  const thinking = thinkingPrinter(ctx);
  let answering = false;
  // Answer text on the current line: a warning that arrives now (options the runtime left out, known
  // only once it answered) starts a line of its own instead of landing mid-answer on a terminal.
  let open = false;
  const result = await withProgress(ctx, false, target, (onProgress) =>
    ops.run(
      {
        model: target,
        prompt,
        ...(options.system ? { system: options.system } : {}),
        options: modelOptions,
        ...(format ? { format } : {}),
        ...(options.think !== undefined ? { think: options.think } : {}),
        ...(options.quant ? { quant: options.quant } : {}),
        pull: options.pull !== false,
        ...(options.force ? { force: true } : {}),
      },
      {
        onProgress,
        signal: ctx.signal,
        onWarning: (w) => {
          if (open) ctx.write("\n");
          open = false;
          ctx.info(`warning: ${w}`);
        },
        ...(ctx.json
          ? {}
          : {
              onThinking: thinking.onThinking,
              onToken: (t: string) => {
                thinking.end();
                answering = true;
                open = true;
                ctx.write(clean(t));
              },
            }),
      },
    ),
  ).finally(() => {
    thinking.end();
    if (answering && ctx.signal.aborted) ctx.write("\n");
  });
  if (ctx.json) return ctx.print(JSON.stringify(result, null, 2));
  if (open || !answering) ctx.write("\n");
  // The rate is Ollama's own (eval_count / eval_duration): generation alone, without load or prompt time.
  const rate = result.tokensPerSecond ? `, generating at ${result.tokensPerSecond.toFixed(1)} tokens/s` : "";
  ctx.info(
    `${result.outputTokens ?? "?"} tokens in ${(result.totalMs / 1000).toFixed(1)} s (first token after ${result.latencyMs} ms${rate})`,
  );
}

export async function listCommand(ctx: Context) {
  let models: InstalledModel[];
  try {
    // Without --runtime: Ollama's models, and the embedded runtime's GGUFs beside them when there are any.
    const ops = await ctx.operations();
    models = await ops.listInstalled(ctx.signal, { andEmbedded: !ctx.runtimeChosen });
  } catch (error) {
    // Ollama down is no reason to hide what the embedded runtime can run.
    const embedded = ctx.runtimeChosen ? [] : await ctx.router.embedded().list();
    if (!embedded.length) throw error;
    ctx.info(`note: ${(error as Error).message}`);
    models = withIndexIds(
      await ctx.router.index(ctx.signal),
      embedded.map((m) => ({ ...m, runtime: "embedded" as const })),
    );
  }
  if (ctx.json) return ctx.print(JSON.stringify(models, null, 2));
  if (!models.length)
    return ctx.print(
      ctx.runtimeKind === "embedded"
        ? "no models installed for the embedded runtime — `small-llm install --runtime embedded <id>` downloads one (`small-llm recommend` lists what fits), or run a .gguf file by its path"
        : "no models installed — try `small-llm recommend`",
    );
  const several = models.some((m) => m.runtime);
  ctx.print(
    table(
      ["NAME", "SIZE", "QUANT", "DIGEST", "INDEX ID", ...(several ? ["RUNTIME"] : [])],
      models.map((m) => [
        m.name,
        // A cloud model's few hundred bytes are a stub: Ollama prints "-" too.
        m.remote ? "- (cloud)" : bytes(m.sizeBytes),
        m.quant ?? "–",
        m.digest.slice(0, 12),
        m.indexId ?? "–",
        ...(several ? [m.runtime ?? "–"] : []),
      ]),
      { width: ctx.columns },
    ),
  );
}

export async function removeCommand(target: string, ctx: Context) {
  const { removed } = await (await ctx.operations({ model: target })).remove({ model: target }, ctx.signal);
  if (ctx.json) return ctx.print(JSON.stringify({ removed }));
  ctx.print(`removed ${clean(removed)}`);
}

/** Exit status for scripts: with --check, 3 when Ollama does not answer. */
export async function statusCommand(options: { start?: boolean; check?: boolean }, ctx: Context): Promise<number> {
  runtimeTargetsFromEnv(); // a mistake in SMALL_LLM_RUNTIMES fails the command before anything is probed
  const ops = await ctx.operations({ start: false });
  const started = options.start ? (await ops.context.runtime.ensureRunning({ signal: ctx.signal })).started : false;
  const status = await ops.status({ signal: ctx.signal });
  const exit = options.check && !status.reachable ? 3 : 0;
  if (ctx.json) {
    ctx.print(JSON.stringify({ ...status, started }, null, 2));
    return exit;
  }
  const others = Array.isArray(status.others) ? (status.others as OtherRuntime[]) : [];
  if (!status.reachable) {
    ctx.print(
      `Ollama at ${status.host}: not running${status.binary ? ` (installed at ${status.binary}; \`small-llm status --start\` starts it)` : " and not installed (`small-llm setup` installs it)"}`,
    );
    for (const line of describeOtherRuntimes(others)) ctx.print(line);
    ctx.print(describeEmbedded(status.runtimes));
    return exit;
  }
  ctx.print(
    `Ollama ${clean(status.version ?? "?")} at ${status.host}${started ? " (started now)" : ""}, ${status.models.length} model${status.models.length === 1 ? "" : "s"} installed`,
  );
  for (const m of status.running)
    ctx.print(`  running: ${clean(m.name)} (${bytes(m.sizeBytes)}, ${processorSplit(m.sizeBytes, m.vramBytes)})`);
  for (const line of describeOtherRuntimes(others)) ctx.print(line);
  ctx.print(describeEmbedded(status.runtimes));
  return exit;
}

/** One line on the in-process llama.cpp runtime: the binary it runs and its models, or why it cannot. */
function describeEmbedded(runtimes: StatusReport["runtimes"]): string {
  const embedded = runtimes.find((r) => r.kind === "embedded") as EmbeddedStatus | undefined;
  if (!embedded) return "Embedded llama.cpp: not looked at";
  const models = `${embedded.models.length} model${embedded.models.length === 1 ? "" : "s"} in ${embedded.modelsDir}`;
  if (!embedded.engine.available) return `Embedded llama.cpp: not available — ${clean(embedded.engine.reason ?? "")}`;
  return `Embedded llama.cpp: ${clean(embedded.binary ?? "available")}, ${models}`;
}
