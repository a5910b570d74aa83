/**
 * `small-llm`: browse the small-llm-index catalogue and install, update and run its models on a
 * local Ollama. A thin adapter over the operations: parsing, rendering and exit codes live here.
 * `main(argv, io)` runs one command line and resolves to its exit code, in this process; bin.ts
 * wires it to the real process (streams, Ctrl-C, the exit status).
 */
import { Command, CommanderError, Option } from "commander";
import { SORTS } from "../core/query-models.ts";
import { exitCodeFor } from "../errors/index.ts";
import { OLLAMA_OPTIONS } from "../runtimes/ollama/options.ts";
import { VERSION } from "../version.ts";
import { registerAgentCommands } from "./agent-commands.ts";
import { modelsCommand, recommendCommand, refreshOutput, showCommand } from "./catalog-commands.ts";
import { registerChatCommand } from "./chat-command.ts";
import { createContext, type Globals } from "./context.ts";
import { registerEverydayCommands } from "./everyday-commands.ts";
import { EXIT_HELP } from "./exit-codes.ts";
import type { CliIo } from "./io.ts";
import { collect, oneOf, positiveInt, positiveNumber, TASKS } from "./parse.ts";
import { registerPublishCommands } from "./publish-commands.ts";
import { registerReviewCommand } from "./review-command.ts";
import {
  generationOptions,
  installCommand,
  listCommand,
  removeCommand,
  runCommand,
  statusCommand,
  updateCommand,
} from "./runtime-commands.ts";
import { registerServeCommands } from "./serve-commands.ts";
import { registerSetupCommands } from "./setup-commands.ts";

export type { CliIo } from "./io.ts";

/** What `--fits` takes, and the usable-memory rule behind it (the README says the same). */
const FITS_HELP =
  "plan for another machine: a profile id (gpu-8gb, apple-16gb, cpu-16gb), any size of any kind " +
  "(gpu-10gb, apple-18gb, cpu-12gb) or GB of GPU memory (16); usable memory is VRAM − 1 GiB on a GPU, " +
  "2/3 of Apple unified memory, min(80 %, RAM − 2 GiB) on a CPU";

const THINK_VALUES = /^(true|false|on|off|low|medium|high)$/i;

/** The commands that take `--think [level]`. */
const THINKING_COMMANDS = new Set(["run", "chat", "ask", "delegate"]);

/**
 * `--think` takes an optional level, so `run m --think "why?"` would read the prompt as the level:
 * a `--think` not followed by a level is made `--think=true`, and the words after it stay the prompt.
 * Other commands are left as typed, so an error names the option as the user wrote it.
 */
export function bareThink(argv: readonly string[]): string[] {
  // Global options may come first and take values (`--runtime embedded run …`): any word will do.
  if (!argv.some((arg) => THINKING_COMMANDS.has(arg))) return [...argv];
  const end = argv.indexOf("--"); // after `--` every word is the prompt's, `--think` included
  return argv.map((arg, i) =>
    arg === "--think" && (end === -1 || i < end) && !THINK_VALUES.test(argv[i + 1] ?? "") ? "--think=true" : arg,
  );
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command("small-llm")
    .description(
      "Small open LLMs from the small-llm-index catalogue, on your local Ollama or on llama.cpp in this process (--runtime embedded).",
    )
    .version(VERSION)
    .option(
      "--index-url <url>",
      "index URL to fetch; repeat for mirrors, tried in order (default: $SMALL_LLM_INDEX_URL or the published mirrors)",
      collect,
    )
    .option("--offline", "never use the network for the index (cache, then the bundled snapshot)")
    .option("--json", "machine-readable output on stdout")
    .option("--no-start", "do not start `ollama serve` when it is installed but not running")
    .addOption(
      new Option(
        "--runtime <kind>",
        "the runtime to manage and run models on: ollama (default), or embedded (llama.cpp in this process, no daemon; a .gguf path chooses it by itself)",
      ).choices(["ollama", "embedded"]),
    )
    .enablePositionalOptions(false)
    .addHelpText(
      "after",
      `\nEnvironment: SMALL_LLM_INDEX_URL, SMALL_LLM_CACHE_DIR, SMALL_LLM_STATE_DIR, SMALL_LLM_CONFIG_DIR, SMALL_LLM_MODELS_DIR, OLLAMA_HOST, HF_ENDPOINT, HF_TOKEN (the README lists the rest).\n${EXIT_HELP}`,
    )
    // Each command's help also shows the options every command takes (--runtime, --json, --offline…).
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => write(withOptionHint(text)),
    })
    // One line, not the whole help: the error above it is what to read.
    .showHelpAfterError("(add --help to see how to use it)")
    .exitOverride();

  const ctx = createContext(() => program.opts<Globals>(), io, argv);
  let exitCode = 0;

  const tierOption = () => new Option("--tier <tier>", "sub-1b or 1b-8b");
  const taskOption = () => new Option("--task <task>", TASKS.join(", ")).argParser(oneOf("--task", TASKS));

  program
    .command("models")
    .description("list the models in the index")
    .addOption(tierOption())
    .option(
      "--fits <what>",
      "only models that fit: auto (this machine), a profile id (gpu-8gb), any size of any kind (apple-18gb, cpu-12gb) or GB of GPU memory (16)",
    )
    .addOption(taskOption())
    .option("--search <words>", "words that must all match the id, name, author, base model or family")
    .option("--installable", "only models with a GGUF build Ollama can install")
    .addOption(new Option("--sort <key>", "order").choices(SORTS).default("downloads"))
    .option("--limit <n>", "show at most n", positiveInt("--limit"))
    .action((options) => modelsCommand(options, ctx));

  program
    .command("show <id>")
    .description("everything the index knows about a model: quants, memory, lineage, install refs")
    .action((id) => showCommand(id, ctx));

  program
    .command("recommend")
    .description("the best models for this machine at a usable speed, with the quant to run, its tokens/s and why")
    .addOption(tierOption())
    .addOption(taskOption())
    .option("--context <tokens>", "context length to plan for", positiveInt("--context"), 4096)
    .option("--fits <what>", FITS_HELP)
    .option(
      "--min-speed <tokens/s>",
      "tokens/s a model must reach to count as usable; slower ones are listed last (default 8)",
      positiveNumber("--min-speed"),
    )
    .option("--limit <n>", "how many", positiveInt("--limit"), 10)
    .action((options) => recommendCommand(options, ctx));

  program
    .command("install <model>")
    .description(
      "pull a model into Ollama (with --runtime embedded: download its GGUF): an index id (its default quant) or a ref",
    )
    .option("--quant <quant>", "a quant from `small-llm show <id>`, e.g. Q8_0")
    .option("--force", "pull even when the disk or memory check says it will not fit")
    .action((model, options) => installCommand(model, options, ctx));

  program
    .command("update [model]")
    .description("re-pull a model (or --all) and report whether it changed")
    .option("--all", "every installed model")
    .action((model, options) => updateCommand(model, options, ctx));

  generationOptions(
    program
      .command("run <model> [prompt...]")
      .description("run a prompt (or stdin), streaming the answer; installs the model first if needed"),
  ).action((model, words, options) => runCommand(model, words, options, ctx));

  program
    .command("list")
    .description("models installed: Ollama's, and the embedded runtime's GGUFs beside them")
    .action(() => listCommand(ctx));

  program
    .command("rm <model>")
    .description("remove a model from Ollama (or a GGUF of the embedded runtime)")
    .action((model) => removeCommand(model, ctx));

  program
    .command("status")
    .description(
      "is Ollama installed and running; which version; what is installed; the other runtimes and the embedded one",
    )
    .option("--start", "start `ollama serve` if it is installed but not running")
    .option("--check", "exit 3 when Ollama does not answer (for scripts)")
    .action(async (options) => {
      exitCode = await statusCommand(options, ctx);
    });

  program
    .command("refresh")
    .description("fetch the index now, ignoring the cache's age")
    .action(async () => refreshOutput(await ctx.loadIndex(true), ctx));

  registerChatCommand(program, ctx, (code) => {
    exitCode = code;
  });
  registerEverydayCommands(program, ctx);
  registerReviewCommand(program, ctx, (code) => {
    exitCode = code;
  });
  registerServeCommands(program, ctx);
  registerPublishCommands(program, ctx);
  registerAgentCommands(program, ctx);
  registerSetupCommands(program, ctx);

  try {
    await program.parseAsync(bareThink(argv), { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = (error as Error).message ?? String(error);
    const interrupted = io.signal.aborted;
    io.stderr.write(`${interrupted ? "\n" : ""}small-llm: ${message}\n`);
    return interrupted ? 130 : exitCodeFor(error);
  } finally {
    await ctx.close();
  }
}

/** `--temperature 0.2` is how Ollama users reach for a model option: name the flag that takes it. */
function withOptionHint(text: string): string {
  const name = /unknown option '--([a-z_]+)'/.exec(text)?.[1];
  if (!name || !(name in OLLAMA_OPTIONS)) return text;
  return `${text.trimEnd()}\n(model options go through --option: --option ${name}=VALUE; \`small-llm options\` lists them)\n`;
}
