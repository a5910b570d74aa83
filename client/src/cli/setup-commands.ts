/**
 * `small-llm setup` (Ollama's or the embedded runtime's), `server start|stop|status|logs` and
 * `update-ollama`. Thin: the work is in provision/ and the update-ollama operation.
 */
import type { EventEmitter } from "node:events";
import { type Command, Option } from "commander";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { asPullProgress, type DownloadProgress } from "../provision/download.ts";
import { followLog, logTail, serverStatus, startServer, stopServer } from "../provision/lifecycle.ts";
import { toTag } from "../provision/releases.ts";
import { type SetupResult, setup } from "../provision/setup.ts";
import { planSetup } from "../provision/setup-decide.ts";
import { type EmbeddedSetupResult, planEmbeddedSetup, setupEmbedded } from "../provision/setup-embedded.ts";
import type { PullProgress } from "../runtimes/runtime.ts";
import type { Context } from "./context.ts";
import { positiveInt, positiveNumber } from "./parse.ts";
import { pullReporter } from "./progress.ts";
import { clean } from "./render.ts";
import { dryRunText, setupSummary, terminalConfirm } from "./setup-output.ts";
import { UsageError } from "./usage-error.ts";

/**
 * Progress for setup and update-ollama: the pull progress bar, fed first with the release
 * download's bytes, then (a new bar) with the model pull; each step's note ends the bar before it.
 */
function setupReporter(ctx: Context) {
  let bar: ReturnType<typeof pullReporter> | undefined;
  let phase: "download" | "pull" | undefined;
  const use = (next: "download" | "pull") => {
    if (phase !== next) bar?.stop();
    if (phase !== next) bar = pullReporter(ctx.io.stderr);
    phase = next;
    return bar as ReturnType<typeof pullReporter>;
  };
  if (ctx.json)
    return {
      onStep: undefined,
      onDownload: undefined,
      onDownloadProgress: undefined,
      onPull: undefined,
      stop: () => {},
    };
  return {
    onStep: (text: string) => {
      bar?.stop();
      bar = undefined;
      phase = undefined;
      ctx.info(text);
    },
    onDownload: (p: DownloadProgress) => use("download").onProgress(asPullProgress(p)),
    /** A download already in the pull progress shape (the update-ollama operation gives that). */
    onDownloadProgress: (p: PullProgress) => use("download").onProgress(p),
    onPull: (p: PullProgress) => use("pull").onProgress(p),
    stop: () => bar?.stop(),
  };
}

const versionArg = (value: string) => {
  try {
    return toTag(value);
  } catch (error) {
    throw new UsageError(`--version takes a release tag like v0.33.0: ${(error as Error).message}`);
  }
};

/**
 * `setup --version v0.33.0`: the root's `-V, --version` is read anywhere on the line (options are
 * global here), so it would print the CLI's version instead. The value after `setup … --version`.
 */
export function setupVersionArg(args: readonly string[]): string | undefined {
  const at = args.indexOf("setup");
  if (at === -1) return undefined;
  for (let i = at + 1; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === "--version") return args[i + 1] ?? "";
  }
  return undefined;
}

function shareVersionFlag(program: Command, argv: readonly string[]): void {
  const events = program as unknown as EventEmitter; // a Command is an EventEmitter
  const printVersion = events.listeners("option:version") as (() => void)[];
  events.removeAllListeners("option:version");
  events.on("option:version", () => {
    if (setupVersionArg(argv) === undefined) for (const listener of printVersion) listener();
  });
}

interface SetupCliOptions {
  model?: string | false;
  version?: string;
  force?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  minSpeed?: number;
}

export function registerSetupCommands(program: Command, ctx: Context): void {
  shareVersionFlag(program, ctx.argv);
  program.addHelpText(
    "after",
    "Setup: SMALL_LLM_OLLAMA_RELEASES (a GitHub-releases API for Ollama; default api.github.com/repos/ollama/ollama/releases).",
  );
  program
    .command("setup")
    .description("get a running Ollama and a model: reuse, start, or download it (no root needed), then pull a model")
    .option("--model <id|ref>", "the model to pull (default: the best chat model at a usable speed on this machine)")
    .option("--no-model", "pull no model")
    .addOption(
      new Option("--version <vX.Y.Z>", "the Ollama release to download if one is needed (default: latest)").argParser(
        versionArg,
      ),
    )
    .option("--force", "pull even when the disk or memory check says it will not fit")
    .option("--yes", "pull the pick without asking, even above 2 GB")
    .option("--dry-run", "say what setup would download, start and pull, and do nothing")
    .option(
      "--min-speed <tokens/s>",
      "tokens/s the picked model must reach here (default 8)",
      positiveNumber("--min-speed"),
    )
    .allowExcessArguments()
    .action(async (options: SetupCliOptions, command: Command) => {
      const spaced = setupVersionArg(ctx.argv);
      if (spaced === "") throw new UsageError("--version takes a release tag like v0.33.0");
      const extra = command.args.filter((a) => a !== spaced);
      if (extra.length) throw new UsageError(`setup takes no arguments, not "${extra.join(" ")}"`);
      const version = options.version ?? (spaced ? versionArg(spaced) : undefined);
      const common = {
        ...(typeof options.model === "string" ? { model: options.model } : {}),
        noModel: options.model === false,
        version,
        yes: options.yes,
        minSpeed: options.minSpeed,
        index: () => ctx.loadIndex().then((r) => r.index),
        measured: (hardware: Hardware) => ctx.router.measuredHere(hardware),
        signal: ctx.signal,
      };
      const embedded = ctx.runtimeKind === "embedded";
      if (options.dryRun) {
        const asking = { ...common, confirm: terminalConfirm(ctx) }; // whether a real run could ask, never called
        const plan = embedded ? await planEmbeddedSetup(ctx.router.embedded(), asking) : await planSetup(asking);
        ctx.print(ctx.json ? JSON.stringify(plan, null, 2) : dryRunText(plan));
        return;
      }
      const progress = setupReporter(ctx);
      let result: SetupResult | EmbeddedSetupResult;
      try {
        const run = {
          ...common,
          force: options.force,
          confirm: terminalConfirm(ctx),
          onStep: progress.onStep,
          onDownload: progress.onDownload,
          onPull: progress.onPull,
        };
        result = embedded ? await setupEmbedded(ctx.router.embedded(), run) : await setup(run);
      } finally {
        progress.stop();
      }
      ctx.print(ctx.json ? JSON.stringify(result, null, 2) : setupSummary(result));
    });

  const server = program.command("server").description("the Ollama server small-llm starts: start, stop, status, logs");
  server
    .command("start")
    .description("start `ollama serve` (detached, logging to the state dir) unless a server already answers")
    .action(async () => {
      const started = await startServer({ signal: ctx.signal });
      const state = await serverStatus({ signal: ctx.signal });
      if (ctx.json) return ctx.print(JSON.stringify({ ...state, started: started.started }, null, 2));
      ctx.print(
        started.started
          ? `started Ollama ${clean(state.version ?? "")} at ${state.url} (pid ${started.pid}, log: ${started.logFile})`
          : `Ollama ${clean(state.version ?? "")} is already running at ${state.url}${state.pid ? ` (pid ${state.pid})` : ""}`,
      );
    });
  server
    .command("stop")
    .description("stop the server small-llm started (never one started some other way)")
    .action(async () => {
      const result = await stopServer({ signal: ctx.signal });
      ctx.print(ctx.json ? JSON.stringify(result, null, 2) : result.message);
    });
  server
    .command("status")
    .description("is the server running, which version, and did small-llm start it")
    .action(async () => {
      const s = await serverStatus({ signal: ctx.signal });
      if (ctx.json) return ctx.print(JSON.stringify(s, null, 2));
      if (!s.running)
        return ctx.print(
          `no Ollama server at ${s.url}${s.binary ? ` (installed: ${s.binary}; \`small-llm server start\`)` : " (`small-llm setup` installs one)"}`,
        );
      ctx.print(
        `Ollama ${clean(s.version ?? "?")} at ${s.url}: ${s.managedByUs ? `started by small-llm (pid ${s.pid}), log ${s.logFile}` : `not started by small-llm (${s.owner})`}`,
      );
    });
  server
    .command("logs")
    .description("the end of the server's log; -f keeps following it")
    .option("-f, --follow", "keep printing what is appended (Ctrl-C to stop)")
    .option("-n, --lines <n>", "how many lines", positiveInt("--lines"), 50)
    .action(async (options: { follow?: boolean; lines: number }) => {
      const text = logTail(options.lines);
      if (text) ctx.print(text);
      else if (!options.follow) ctx.info(`no log yet (${(await serverStatus()).logFile})`);
      if (options.follow) {
        await followLog(ctx.write, ctx.signal);
      }
    });

  program
    .command("update-ollama")
    .description("update this tool's own Ollama to the latest release (or say how a system install updates)")
    .option("--check", "only say whether an update is available")
    .action(async (options: { check?: boolean }) => {
      const progress = setupReporter(ctx);
      const ops = await ctx.operations({ start: false });
      let r: Awaited<ReturnType<typeof ops.updateOllama>>;
      try {
        // The same operation the dashboard, the API and MCP call.
        r = await ops.updateOllama(
          { ...(options.check ? { check: true } : {}) },
          { signal: ctx.signal, onStep: progress.onStep, onProgress: progress.onDownloadProgress },
        );
      } finally {
        progress.stop();
      }
      if (ctx.json) return ctx.print(JSON.stringify(r, null, 2));
      const latest = `the latest release is ${clean(r.latest)}`;
      if (r.system) {
        ctx.print(
          `Ollama ${clean(r.installed ?? "")} at ${r.system.binary} is managed by ${r.system.managedBy}, not small-llm; ${latest}${r.updateAvailable ? " (update available)" : ""}.`,
        );
        return ctx.print(`To update it: ${r.system.update}`);
      }
      if (r.remote)
        return ctx.print(
          r.updateAvailable
            ? `The Ollama server answering (${clean(r.installed ?? "?")}) is not one small-llm installed on this machine: update it where it runs (${latest}).`
            : `The Ollama server answering (${clean(r.installed ?? "version unknown")}) is not one small-llm installed on this machine, so small-llm does not update it; ${latest}.`,
        );
      if (!r.managed) return ctx.print(`Ollama is not installed; ${latest}. \`small-llm setup\` installs it.`);
      if (r.updated)
        return ctx.print(
          `updated Ollama ${clean(r.installed ?? "")} → ${clean(r.latest)}${r.restarted ? " and restarted the server" : ""}`,
        );
      if (r.updateAvailable)
        return ctx.print(
          `Ollama ${clean(r.installed ?? "")} is installed; ${latest}: \`small-llm update-ollama\` updates it.`,
        );
      ctx.print(`Ollama ${clean(r.installed ?? "")} is up to date (${latest}).`);
    });
}
