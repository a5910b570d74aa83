/** `ask`, `metrics`, `bench`: the agent layer on the command line. Thin: the work is in client/src/agent/. */
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { benchModels } from "../agent/bench.ts";
import { configFile } from "../agent/config.ts";
import type { LlmResponse } from "../agent/delegate.ts";
import { parseOptionPairs } from "../agent/options.ts";
import { checkTask } from "../agent/prepare.ts";
import { TASK_NAMES } from "../agent/tasks.ts";
import { CancelledError, ModelNotInstalledError } from "../errors/index.ts";
import { installedTarget, isGgufPath } from "../operations/refs.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import type { Think } from "../runtimes/runtime.ts";
import { renderBench, renderMetrics } from "./agent-render.ts";
import type { Context } from "./context.ts";
import { collect, parseFormat, positiveInt } from "./parse.ts";
import { pullReporter } from "./progress.ts";
import { clean } from "./render.ts";
import { parseThink, thinkingPrinter } from "./runtime-commands.ts";
import { UsageError } from "./usage-error.ts";

interface AskOptions {
  task?: string;
  model?: string;
  chain?: string;
  system?: string;
  option?: string[];
  format?: string;
  retries?: number;
  timeout?: number;
  pull?: boolean;
  explain?: boolean;
  image?: string[];
  think?: Think;
}

/** 0 allowed: `--retries 0` means try each model once. */
const wholeNumber = (what: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${what} takes a whole number, not "${value}".`);
  return Number(value);
};

async function readPrompt(words: string[], required: boolean, ctx: Context): Promise<string> {
  const prompt = words.join(" ") || (await ctx.stdinText());
  if (!prompt && required) throw new UsageError("give a prompt, or pipe one on stdin");
  return prompt;
}

/**
 * Start Ollama (at the config's base URL, or OLLAMA_HOST) when it is installed here but down.
 * Never fatal: delegate() reports an unreachable runtime in its response, with what to do, and
 * may still answer from another runtime or the cloud.
 */
async function startOllama(ctx: Context): Promise<void> {
  const config = ctx.router.config();
  const ollama = config.runtimes?.ollama ? new OllamaDriver({ host: config.runtimes.ollama }) : new OllamaDriver();
  try {
    const started = await ollama.ensureRunning({ signal: ctx.signal });
    if (started.started) ctx.info(`started \`ollama serve\` (pid ${started.pid}, log: ${started.logFile})`);
  } catch {
    // reported by the delegation
  }
}

/** `--image photo.png` → base64 for the vision task. */
function readImages(files: string[] | undefined): string[] {
  return (files ?? []).map((file) => {
    try {
      return readFileSync(file).toString("base64");
    } catch (error) {
      throw new UsageError(`--image: cannot read "${file}": ${(error as Error).message}`);
    }
  });
}

async function askCommand(words: string[], options: AskOptions, ctx: Context, start: boolean): Promise<void> {
  const task = checkTask(options.task);
  const modelOptions = parseOptionPairs(options.option ?? []);
  const format = parseFormat(options.format);
  const chain = options.chain
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const images = readImages(options.image);
  if (start && !options.explain) await startOllama(ctx);
  const call = {
    task,
    ...(options.model ? { model: options.model } : {}),
    ...(chain ? { chain } : {}),
    options: modelOptions,
    signal: ctx.signal,
  };
  if (options.explain) {
    const prompt = await readPrompt(words, false, ctx);
    const explained = await ctx.router.explain(prompt || "(no prompt given)", call);
    ctx.print(ctx.json ? JSON.stringify(explained, null, 2) : explained.lines.join("\n"));
    return;
  }
  const prompt = await readPrompt(words, true, ctx);
  const progress = ctx.json ? undefined : pullReporter(ctx.io.stderr);
  // On a terminal the answer streams as it comes; a failed attempt's text is then marked discarded.
  // Piped, only the checked final answer is printed, so scripts never see a rejected one.
  const live = !ctx.json && ctx.io.stdout.isTTY === true;
  let streamed = false;
  const thinking = thinkingPrinter(ctx);
  let response: LlmResponse;
  try {
    const ops = await ctx.operations({ start: false });
    response = await ops.ask(
      {
        ...(images.length ? { messages: [{ role: "user" as const, content: prompt, images }] } : { prompt }),
        task,
        ...(options.model ? { model: options.model } : {}),
        ...(chain ? { chain } : {}),
        ...(options.system ? { system: options.system } : {}),
        options: modelOptions,
        ...(format ? { format } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.timeout ? { timeoutMs: options.timeout } : {}),
        ...(options.think !== undefined ? { think: options.think } : {}),
        pull: options.pull !== false,
      },
      {
        signal: ctx.signal,
        onPull: (ref) =>
          ctx.info(`no model of the ${task} chain is installed: pulling ${clean(ref)} (--no-pull to skip)`),
        ...(progress ? { onProgress: progress.onProgress } : {}),
        ...(live
          ? {
              onToken: (t: string) => {
                thinking.end();
                streamed = true;
                ctx.write(clean(t));
              },
            }
          : {}),
        ...(ctx.json ? {} : { onThinking: thinking.onThinking }),
        onAttempt: (a) => {
          if (a.outcome === "ok" || a.outcome === "pulled" || ctx.json) return;
          if (streamed) ctx.write("\n");
          ctx.info(
            `  ${clean(a.model)}: ${a.outcome}${a.detail ? ` — ${clean(a.detail)}` : ""}${streamed ? " (the text above is discarded)" : ""}`,
          );
          streamed = false;
        },
      },
    );
  } finally {
    progress?.stop();
    thinking.end();
  }
  if (ctx.json) ctx.print(JSON.stringify(response, null, 2));
  else if (!response.success) for (const note of response.notes) ctx.info(`note: ${clean(note)}`);
  if (!response.success) {
    if (response.error?.code === "cancelled") throw new CancelledError("the question");
    // With --json the response is already on stdout; the error goes to stderr and sets the exit code.
    throw Object.assign(new Error(response.error?.message ?? "no model answered"), { code: response.error?.code });
  }
  if (!ctx.json) {
    if (streamed) ctx.write("\n");
    else ctx.print(response.text);
    for (const note of response.notes) ctx.info(`note: ${clean(note)}`);
    const rate = response.tokensPerSecond ? `, ${response.tokensPerSecond.toFixed(1)} tokens/s` : "";
    ctx.info(
      `answered by ${clean(response.model)} (${response.runtime}, ${response.side}) in ${(response.latencyMs / 1000).toFixed(1)} s — first token after ${response.ttftMs} ms, ${response.outputTokens} tokens${rate}`,
    );
  }
}

export function registerAgentCommands(program: Command, ctx: Context) {
  program
    .command("ask [prompt...]")
    .alias("delegate")
    .description("delegate a prompt to the best local model for a task, falling back along the chain")
    .addOption(new Option("--task <task>", TASK_NAMES.join(", ")).default("quick"))
    .option("--model <id|ref>", "exactly this model (an index id or Ollama ref)")
    .option("--chain <list>", "exactly these models, comma-separated, in order")
    .option("--system <text>", "system prompt")
    .option("--image <file>", "an image for the vision task (repeat for more)", collect)
    .option("--option <key=value>", "an Ollama option, e.g. temperature=0.2 (repeat for more)", collect)
    .option("--format <json|schema>", "the answer must be JSON: `json`, a JSON Schema file, or inline schema")
    .option(
      "--think [level]",
      "let a thinking model think first (thoughts on stderr): low, medium, high; without it, it answers at once",
      parseThink,
    )
    .option("--retries <n>", "retries of transient failures per model (default 2)", wholeNumber("--retries"))
    .option("--timeout <ms>", "per model attempt (default 120000)", positiveInt("--timeout"))
    .option("--no-pull", "do not install the chain's first model when none is installed")
    .option("--explain", "show the chain for this task and why, without running it")
    .addHelpText(
      "after",
      `\nConfig: ${configFile()} (SMALL_LLM_CONFIG_DIR) pins chains, options, runtimes, cloud models and routes.\n` +
        "Exit codes as for every command, plus 2 unknown task or bad --option, 4 no model available, 15 only bad answers.",
    )
    .action(async (words: string[], options: AskOptions) => {
      await askCommand(words, options, ctx, program.opts<{ start?: boolean }>().start !== false);
    });

  program
    .command("metrics")
    .description("usage of run and ask: calls, success, tokens, latency and speed per model, and a savings estimate")
    .option("--days <n>", "only the last n days", positiveInt("--days"))
    .addOption(new Option("--by <key>", "group by").choices(["model", "task"]).default("model"))
    .action(async (options: { days?: number; by: "model" | "task" }) => {
      const { summarizeMetrics } = await import("../agent/metrics-summary.ts");
      const config = ctx.router.config();
      const summary = await summarizeMetrics({ days: options.days, by: options.by, price: config.pricing });
      if (ctx.json) return ctx.print(JSON.stringify(summary, null, 2));
      ctx.print(renderMetrics(summary));
    });

  program
    .command("bench [models...]")
    .description("measure load time, time to first token and tokens/s of installed models, one at a time")
    .option("--runs <n>", "warm runs per model", positiveInt("--runs"), 3)
    .option("--prompt <text>", "the prompt (default: a short coding task)")
    .option("--context <tokens>", "num_ctx to load the model with", positiveInt("--context"), 4096)
    .action(async (models: string[], options: { runs: number; prompt?: string; context: number }) => {
      const { runtime } = (await ctx.operations({ model: models[0] })).context;
      const index = await ctx.router.index(ctx.signal);
      const installed = await runtime.list({ signal: ctx.signal });
      const refs = models.map((m) => installedTarget(runtime, m, index, installed));
      for (const ref of refs)
        if (!isGgufPath(ref) && !installed.some((m) => sameModel(m.name, ref)))
          throw new ModelNotInstalledError(
            ref,
            `small-llm install ${runtime.kind === "embedded" ? "--runtime embedded " : ""}${ref}`,
          );
      const results = await benchModels({
        runtime,
        ...(refs.length ? { models: refs } : {}),
        runs: options.runs,
        ...(options.prompt ? { prompt: options.prompt } : {}),
        context: options.context,
        hardware: await ctx.router.hardware(),
        signal: ctx.signal,
        onRun: (p) => {
          const r = p.result;
          const gen = r.tokensPerSecond ? `${r.tokensPerSecond.toFixed(1)} tok/s` : "– tok/s";
          const pp = r.promptTokensPerSecond ? `prompt ${r.promptTokensPerSecond.toFixed(0)} tok/s, ` : "";
          ctx.info(
            p.cold
              ? `${clean(p.model)} cold: load ${r.loadMs !== undefined ? `${(r.loadMs / 1000).toFixed(2)} s` : "?"}, total ${(r.totalMs / 1000).toFixed(2)} s`
              : `${clean(p.model)} run ${p.run}/${p.of}: first token ${r.latencyMs} ms, ${pp}${gen}, total ${(r.totalMs / 1000).toFixed(2)} s`,
          );
        },
      });
      if (!results.length) return ctx.print("no models installed — `small-llm install <id>` first");
      if (ctx.json) ctx.print(JSON.stringify(results, null, 2));
      else ctx.print(renderBench(results));
      if (ctx.signal.aborted) throw new CancelledError("the benchmark (what was measured is saved)");
    });
}
