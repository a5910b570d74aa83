/**
 * `options` (every Ollama option: type, range, default and what it does — the same sentence the
 * validation errors use), `ps` (what is loaded in memory, Ollama's `/api/ps`) and `stop MODEL`
 * (unload it now). Parse, call, render.
 */
import type { Command } from "commander";
import { bytes } from "../core/format.ts";
import { isGgufPath } from "../operations/refs.ts";
import { OLLAMA_OPTIONS, type OptionSpec } from "../runtimes/ollama/options.ts";
import type { Context } from "./context.ts";
import { clean, table } from "./render.ts";

const TYPE: Record<OptionSpec["kind"], string> = {
  integer: "integer",
  number: "number",
  boolean: "true/false",
  "string[]": "text (repeat for several)",
};

function range(spec: OptionSpec): string | undefined {
  if (spec.min !== undefined && spec.max !== undefined) return `${spec.min}–${spec.max}`;
  if (spec.min !== undefined) return `≥ ${spec.min}`;
  if (spec.max !== undefined) return `≤ ${spec.max}`;
  return undefined;
}

/** Every option as data: what `options --json` prints. */
export function optionRows() {
  return Object.entries(OLLAMA_OPTIONS as Record<string, OptionSpec>).map(([name, spec]) => ({
    name,
    type: spec.kind,
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    reloadsModel: Boolean(spec.load),
    retired: Boolean(spec.retired),
    help: spec.help,
  }));
}

function optionsCommand(ctx: Context): void {
  const rows = optionRows();
  if (ctx.json) {
    ctx.print(JSON.stringify(rows, null, 2));
    return;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = [
    "Ollama model options: `--option name=value` on run, chat and ask; `options` in config.json and the API.",
    "",
  ];
  for (const r of rows) {
    const spec = (OLLAMA_OPTIONS as Record<string, OptionSpec>)[r.name] as OptionSpec;
    const facts = [
      TYPE[spec.kind],
      range(spec),
      spec.default !== undefined ? `default ${String(spec.default)}` : undefined,
      spec.load ? "changing it reloads the model" : undefined,
      spec.retired ? "retired: current Ollama ignores it (accepted, with a warning)" : undefined,
    ].filter(Boolean);
    lines.push(`${r.name.padEnd(width)}  ${facts.join(", ")}`, `${" ".repeat(width + 2)}${spec.help}`);
  }
  ctx.print(lines.join("\n"));
}

/** `in 4 min (14:32)`, `in 2.0 h (16:05)`, `forever`; a time already past is `stopping…`, as Ollama says. */
function until(expiresAt: string, forever: boolean, now = Date.now()): string {
  if (forever) return "forever (until stopped)";
  const at = Date.parse(expiresAt);
  if (!Number.isFinite(at)) return clean(expiresAt);
  if (at <= now) return "stopping…";
  const s = Math.max(0, Math.round((at - now) / 1000));
  const rel = s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
  const clock = new Date(at).toTimeString().slice(0, 5);
  return `in ${rel} (${clock})`;
}

async function psCommand(ctx: Context): Promise<void> {
  const rows = await (await ctx.operations({ start: false })).loaded(ctx.signal);
  if (ctx.json) return ctx.print(JSON.stringify(rows, null, 2));
  if (!rows.length && ctx.runtimeKind === "embedded")
    return ctx.print(
      "no models loaded: the embedded runtime loads a model inside the command that runs it and frees it when that ends (`serve` and `mcp` keep theirs between calls)",
    );
  if (!rows.length) return ctx.print("no models loaded in memory (`small-llm run` or `chat` loads one)");
  ctx.print(
    table(
      ["NAME", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"],
      rows.map((m) => [
        m.name,
        bytes(m.sizeBytes),
        m.processor,
        m.contextLength ? String(m.contextLength) : "–",
        until(m.expiresAt, m.forever),
      ]),
      { width: ctx.columns },
    ),
  );
}

async function stopCommand(model: string, ctx: Context): Promise<void> {
  const result = await (await ctx.operations({ start: false, model })).stop({ model }, ctx.signal);
  if (ctx.json) return ctx.print(JSON.stringify(result));
  // The embedded runtime's models live in the process that loaded them: this one never holds any.
  const embedded = ctx.runtimeKind === "embedded" || isGgufPath(model);
  ctx.print(
    result.wasLoaded
      ? `stopped ${clean(result.model)}: unloaded from memory`
      : embedded
        ? `${clean(result.model)} is not loaded in this process; a running \`small-llm serve\` or \`mcp\` holds its own models: stop it there (POST /api/stop on serve) or end that process`
        : `${clean(result.model)} was not loaded; nothing to stop (\`small-llm ps\` lists what is)`,
  );
}

export function registerEverydayCommands(program: Command, ctx: Context): void {
  program
    .command("options")
    .description("every Ollama model option: its type, range, default and what it does")
    .action(() => optionsCommand(ctx));
  program
    .command("ps")
    .description("models loaded in memory now: size, CPU/GPU split, context, until when")
    .action(() => psCommand(ctx));
  program
    .command("stop <model>")
    .description("unload a model from memory now (it stays installed)")
    .action((model: string) => stopCommand(model, ctx));
}
