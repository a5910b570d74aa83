#!/usr/bin/env node
/**
 * `small-llm`: browse the small-llm-index catalogue and install, update and run its models on a
 * local Ollama. Exit codes: 0 ok · 1 error · 2 usage · 3 Ollama not installed or not running ·
 * 4 unknown model · 5 disk full · 6 pull interrupted · 7 no index available · 8 Ollama too old ·
 * 130 interrupted.
 */
import { Command, CommanderError, Option } from "commander";
import { getIndex, type IndexResult } from "../index-source/get-index.ts";
import { indexUrls } from "../index-source/urls.ts";
import { OllamaDriver } from "../ollama/driver.ts";
import { modelsCommand, type Out, recommendCommand, refreshOutput, showCommand } from "./catalog-commands.ts";
import {
  installCommand,
  listCommand,
  removeCommand,
  runCommand,
  statusCommand,
  updateCommand,
} from "./ollama-commands.ts";

interface Globals {
  indexUrl?: string[];
  offline?: boolean;
  json?: boolean;
  start?: boolean;
}

const program = new Command("small-llm")
  .description("Small open LLMs from the small-llm-index catalogue, on your local Ollama.")
  .version("0.1.0")
  .option(
    "--index-url <url...>",
    "index URL(s) to fetch, in order (default: $SMALL_LLM_INDEX_URL or the published mirrors)",
  )
  .option("--offline", "never use the network for the index (cache, then the bundled snapshot)")
  .option("--json", "machine-readable output on stdout")
  .option("--no-start", "do not start `ollama serve` when it is installed but not running")
  .addHelpText(
    "after",
    "\nEnvironment: SMALL_LLM_INDEX_URL, SMALL_LLM_CACHE_DIR, OLLAMA_HOST.\n" +
      "Exit codes: 0 ok, 1 error, 2 usage, 3 Ollama not installed/running, 4 unknown model, 5 disk full,\n" +
      "6 pull interrupted, 7 no index available, 8 Ollama too old, 130 interrupted.",
  )
  .showHelpAfterError()
  .exitOverride();

const globals = () => program.opts<Globals>();
const out = (): Out => ({
  json: Boolean(globals().json),
  print: (text) => process.stdout.write(`${text}\n`),
  info: (text) => process.stderr.write(`${text}\n`),
});
const loadIndex = (refresh = false): Promise<IndexResult> =>
  getIndex({ urls: globals().indexUrl ?? indexUrls(), offline: Boolean(globals().offline), refresh });
/**
 * Ollama commands resolve index ids, but work with raw refs when no index can be had. When the
 * server is down but Ollama is installed here, it is started first (unless --no-start).
 */
async function driver(options: { start?: boolean } = {}): Promise<OllamaDriver> {
  const index = await loadIndex().catch(() => undefined);
  const d = new OllamaDriver(index ? { index: index.index } : {});
  if (options.start !== false && globals().start !== false) {
    const started = await d.ensureServer();
    if (started.started) process.stderr.write(`started \`ollama serve\` (log: ${started.logFile})\n`);
  }
  return d;
}

program
  .command("models")
  .description("list the models in the index")
  .option("--tier <tier>", "sub-1b or 1b-8b")
  .option("--fits <what>", "only models that fit: auto (this machine), a profile id, or GB of memory")
  .option("--task <task>", "chat, code, reasoning, math, tools, vision, multilingual, base")
  .option("--search <words>", "match the id or base model")
  .addOption(
    new Option("--sort <key>", "order").choices(["downloads", "params", "newest", "name"]).default("downloads"),
  )
  .option("--limit <n>", "show at most n")
  .action(async (options) => modelsCommand(await loadIndex(), options, out()));

program
  .command("show <id>")
  .description("everything the index knows about a model: quants, memory, lineage, install refs")
  .action(async (id) => showCommand(await loadIndex(), id, out()));

program
  .command("recommend")
  .description("the best models for this machine, with the quant that fits and why")
  .option("--tier <tier>", "sub-1b or 1b-8b")
  .option("--task <task>", "e.g. chat, code, reasoning")
  .option("--context <tokens>", "context length to plan for", "4096")
  .option("--fits <what>", "plan for a profile id or GB instead of this machine")
  .option("--limit <n>", "how many", "10")
  .action(async (options) => recommendCommand(await loadIndex(), options, out()));

program
  .command("install <model>")
  .description("pull a model into Ollama: an index id (its default quant) or an Ollama ref")
  .option("--quant <quant>", "a quant from `small-llm show <id>`, e.g. Q8_0")
  .action(async (model, options) => installCommand(await driver(), model, options, out()));

program
  .command("update [model]")
  .description("re-pull a model (or --all) and report whether it changed")
  .option("--all", "every installed model")
  .action(async (model, options) => updateCommand(await driver(), model, options, out()));

program
  .command("run <model> [prompt...]")
  .description("run a prompt (or stdin), streaming the answer; installs the model first if needed")
  .option("--system <text>", "system prompt")
  .option("--option <key=value...>", "Ollama model options, e.g. temperature=0.2 num_ctx=8192")
  .option("--quant <quant>", "which quant to install and run")
  .option("--no-pull", "fail instead of installing a missing model")
  .action(async (model, words, options) => runCommand(await driver(), model, words, options, out()));

program
  .command("list")
  .description("models installed in Ollama")
  .action(async () => listCommand(await driver(), out()));

program
  .command("rm <model>")
  .description("remove a model from Ollama")
  .action(async (model) => removeCommand(await driver(), model, out()));

program
  .command("status")
  .description("is Ollama installed and running; which version; what is installed")
  .option("--start", "start `ollama serve` if it is installed but not running")
  .action(async (options) => statusCommand(await driver({ start: false }), options, out()));

program
  .command("refresh")
  .description("fetch the index now, ignoring the cache's age")
  .action(async () => refreshOutput(await loadIndex(true), out()));

process.on("SIGINT", () => process.exit(130));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const e = error as Error & { exitCode?: number };
  process.stderr.write(`small-llm: ${e.message}\n`);
  process.exit(typeof e.exitCode === "number" ? e.exitCode : 1);
}
