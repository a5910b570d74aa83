/**
 * `small-llm publish` (a model, adapter or GGUF to the Hub), `small-llm modelfile` (export an
 * installed model's Modelfile) and `small-llm create` (a local Ollama model from a model, an index
 * id or a Modelfile). Thin: the library does the work; this parses, renders and reports progress.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { bytes } from "../core/format.ts";
import type { PublishResult } from "../publish/publish-model.ts";
import { checkModelName, createModel } from "../runtimes/ollama/create-model.ts";
import { exportModelfile } from "../runtimes/ollama/export-modelfile.ts";
import { type ModelfileCommand, parseModelfile, withOverrides } from "../runtimes/ollama/modelfile.ts";
import { installedRef, resolveRef } from "../runtimes/resolve-target.ts";
import type { Context } from "./context.ts";
import { collect } from "./parse.ts";
import { pullReporter } from "./progress.ts";
import { uploadReporter } from "./publish-progress.ts";
import { clean } from "./render.ts";
import { UsageError } from "./usage-error.ts";

const PUBLISH_HELP = `
HF_TOKEN must be a token with write access to the repo's owner (never printed); HF_ENDPOINT points at
another Hub. Exit codes besides the usual: 2 not a model folder or a bad repo id, 9 token missing,
read-only or not allowed there, 10 the Hub failed (run the same command again: it resumes).`;

export function registerPublishCommands(program: Command, ctx: Context): void {
  program
    .command("publish <path>")
    .description("publish a PEFT adapter, GGUF files or a transformers model to a Hugging Face model repo")
    .requiredOption("--repo <owner/name>", "the model repo (created when missing)")
    .option("--private", "create the repo private")
    .option("--base <id>", "the base model's Hub id (default: what adapter_config.json names)")
    .option("--license <id>", "a Hub license id, e.g. apache-2.0, mit, llama3.2, other")
    .option("--dry-run", "list what would be uploaded and print the card; send nothing (works offline)")
    .option("--template <file>", "GGUF only: an Ollama Go template file, uploaded as `template`")
    .option("--system <text>", "GGUF only: a system prompt, uploaded as `system`")
    .option("--param <key=value>", "GGUF only: an Ollama parameter for `params` (repeat for more)", collect)
    .addHelpText("after", PUBLISH_HELP)
    .action(async (path: string, options) => publishCommand(path, options, ctx));

  program
    .command("modelfile <model>")
    .description("the Modelfile of an installed model, FROM its name, to share or rebuild it")
    .option("--out <file>", "write it to a file instead of stdout")
    .action(async (model: string, options: { out?: string }) => {
      const { runtime, index } = await ctx.ollama();
      const ref = installedRef(model, index, await runtime.list({ signal: ctx.signal }));
      const text = await exportModelfile(runtime, ref, { signal: ctx.signal });
      if (options.out) {
        writeFileSync(options.out, text);
        ctx.info(`wrote the Modelfile of ${clean(ref)} to ${options.out}`);
      }
      if (ctx.json)
        ctx.print(
          JSON.stringify({ model: ref, modelfile: text, ...(options.out ? { out: options.out } : {}) }, null, 2),
        );
      else if (!options.out) ctx.write(text);
    });

  program
    .command("create <name>")
    .description("create a local Ollama model from a model (index id or Ollama ref) or a Modelfile")
    .requiredOption("--from <model|Modelfile>", "an index id, an Ollama ref, a Modelfile, or a safetensors/GGUF folder")
    .option("--system <text>", "system prompt")
    .option("--template <text>", "Go template for the prompt")
    .option("--param <key=value>", "a model parameter, e.g. temperature=0.2 or stop='<|im_end|>' (repeat)", collect)
    .option("--adapter <path>", "a LoRA adapter: a GGUF file or a safetensors folder, for the same base")
    .action(async (name: string, options) => createCommand(name, options, ctx));
}

async function publishCommand(
  path: string,
  options: {
    repo: string;
    private?: boolean;
    base?: string;
    license?: string;
    dryRun?: boolean;
    template?: string;
    system?: string;
    param?: string[];
  },
  ctx: Context,
) {
  let template: string | undefined;
  if (options.template !== undefined) {
    if (!existsSync(options.template) || !statSync(options.template).isFile())
      throw new UsageError(
        `--template takes the path of a file holding an Ollama Go template; ${options.template} is not one`,
      );
    template = readFileSync(options.template, "utf8");
  }
  const ollama =
    template !== undefined || options.system !== undefined || options.param?.length
      ? { template, system: options.system, params: options.param }
      : undefined;
  const { publishModel } = await import("../publish/publish-model.ts");
  const progress = ctx.json || options.dryRun ? undefined : uploadReporter(ctx.io.stderr);
  let result: PublishResult;
  try {
    result = await publishModel({
      path,
      repo: options.repo,
      private: options.private,
      base: options.base,
      license: options.license,
      dryRun: options.dryRun,
      ollama,
      signal: ctx.signal,
      onProgress: progress?.onEvent,
    });
  } finally {
    progress?.stop();
  }
  if (ctx.json) return ctx.print(JSON.stringify(result, null, 2));
  for (const note of result.notes) ctx.info(`note: ${note}`);
  const total = result.upload.reduce((s, f) => s + f.size, 0);
  const kind = { adapter: "PEFT adapter", gguf: "GGUF", transformers: "transformers model" }[result.kind];
  if (result.dryRun) {
    ctx.print(`dry run: nothing was sent. ${kind} → ${result.repo}`);
    ctx.print(
      result.upload.length
        ? `would upload ${result.upload.length} file(s), ${bytes(total)}${result.compared ? `; ${result.unchanged.length} unchanged` : ""}:`
        : `nothing to upload: ${result.repo} already has all ${result.unchanged.length} file(s)`,
    );
    for (const f of result.upload) ctx.print(`  ${clean(f.path)}  ${bytes(f.size)}`);
    if (result.card.text) ctx.print(`\n--- README.md (generated model card) ---\n${result.card.text}`);
    else
      ctx.print(
        result.card.source === "yours" ? "model card: your README.md" : "model card: the repo's README.md, kept",
      );
    return;
  }
  if (!result.upload.length)
    return ctx.print(`${result.repo} is up to date (${result.unchanged.length} files) — ${result.url}`);
  ctx.print(
    `published ${kind} to ${result.url}${result.created ? " (new repo)" : ""}: ${result.upload.length} file(s), ${bytes(total)}` +
      `${result.unchanged.length ? `, ${result.unchanged.length} unchanged` : ""}${result.commit ? ` — commit ${result.commit.oid.slice(0, 10)}` : ""}`,
  );
  if (result.kind === "gguf")
    ctx.print(
      `run it: ollama run hf.co/${result.repo}${result.quants[0] ? `:${result.quants.includes("Q4_K_M") ? "Q4_K_M" : result.quants[0]}` : ""}`,
    );
}

async function createCommand(
  name: string,
  options: { from: string; system?: string; template?: string; param?: string[]; adapter?: string },
  ctx: Context,
) {
  checkModelName(name);
  const { runtime, index } = await ctx.ollama();
  let commands: ModelfileCommand[];
  let dir = process.cwd();
  const from = options.from;
  if (existsSync(from) && statSync(from).isFile()) {
    commands = parseModelfile(readFileSync(from, "utf8"));
    dir = dirname(resolve(from));
  } else if (existsSync(from) && statSync(from).isDirectory()) {
    commands = [{ name: "model", args: resolve(from) }]; // a safetensors or GGUF folder, as FROM takes it
  } else {
    commands = [{ name: "model", args: from }];
  }
  // FROM a model name (not a local path): an index id becomes its Ollama ref, and a model not
  // installed yet is pulled first, with the usual progress and errors.
  for (const c of commands) {
    if (c.name !== "model" || existsSync(resolve(dir, c.args.replace(/^~(?=\/|$)/, homedir())))) continue;
    c.args = resolveRef(c.args, index).ref;
    if (await runtime.installed(c.args, { signal: ctx.signal })) continue;
    const pulling = ctx.json ? undefined : pullReporter(ctx.io.stderr);
    try {
      await runtime.install(c.args, { onProgress: pulling?.onProgress, signal: ctx.signal });
    } finally {
      pulling?.stop();
    }
  }
  commands = withOverrides(commands, {
    system: options.system,
    template: options.template,
    params: options.param,
    adapter: options.adapter === undefined ? undefined : resolve(options.adapter),
  });
  const reporter = ctx.json ? undefined : pullReporter(ctx.io.stderr);
  let made: Awaited<ReturnType<typeof createModel>>;
  try {
    made = await createModel(runtime, name, {
      commands,
      dir,
      signal: ctx.signal,
      onProgress: reporter?.onProgress,
      onWarning: (m) => ctx.info(`warning: ${m}`),
    });
  } finally {
    reporter?.stop();
  }
  if (ctx.json) return ctx.print(JSON.stringify(made, null, 2));
  ctx.print(`created ${clean(made.name)} (${bytes(made.sizeBytes)}, digest ${made.digest.slice(0, 12)})`);
  ctx.info(
    `run it: small-llm run ${clean(made.name)} "…"   share it: small-llm modelfile ${clean(made.name)} --out Modelfile`,
  );
}
