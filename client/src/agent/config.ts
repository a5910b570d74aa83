/**
 * The user's `<config>/config.json` for the agent layer: pinned chains and options per task,
 * runtimes' base URLs, cloud models on OpenAI-compatible endpoints (the key is read from the env
 * var the config names, never stored in it), routing rules, retry/cooldown knobs, metrics and the
 * price the savings estimate compares against. Validated with zod; an error names the field, says
 * what it takes and where the file is. A missing file is an empty config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors/index.ts";
import { paths } from "../paths.ts";
import { validateOptions } from "./options.ts";
import { TASK_NAMES } from "./tasks.ts";

const url = () =>
  z
    .string()
    .refine((s) => /^https?:\/\/[^\s/]+/.test(s), "must be an http:// or https:// URL")
    .describe("Base URL");

/** A chain entry: an index id or Ollama ref, `cloud:<name>`, or a model on another runtime. */
const ChainEntry = z.union([
  z.string().min(1),
  z.strictObject({
    runtime: z.string().min(1).describe("A key of `runtimes` (e.g. lmstudio) or `ollama`"),
    model: z.string().min(1),
  }),
]);

const Options = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  try {
    validateOptions(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
  }
});

const Cloud = z.strictObject({
  baseUrl: url().describe("OpenAI-compatible base URL, e.g. https://api.openai.com/v1"),
  model: z.string().min(1),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be the NAME of an environment variable holding the key, not the key")
    .optional(),
  inputUsdPerMTok: z.number().nonnegative().optional(),
  outputUsdPerMTok: z.number().nonnegative().optional(),
});

const TaskConfig = z.strictObject({
  chain: z.array(ChainEntry).min(1).optional().describe("Models to try in order, instead of the derived chain"),
  options: Options.optional(),
  system: z.string().optional(),
  /** Tried after the chain, e.g. ["cloud:openai"]. */
  fallback: z.array(ChainEntry).optional(),
  /** The speed a model must reach here to go before slower ones (default: 10 tokens/s for `heavy`, 8 for the rest). */
  minTokensPerSecond: z.number().positive().optional(),
});

const Route = z.strictObject({
  when: z.strictObject({
    task: z.string().optional(),
    minPromptTokens: z.number().int().nonnegative().optional(),
    maxPromptTokens: z.number().int().nonnegative().optional(),
    format: z.boolean().optional().describe("true: only calls that ask for JSON"),
    images: z.boolean().optional(),
  }),
  chain: z.array(ChainEntry).min(1),
});

export const AgentConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  runtimes: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, "runtime names are lower-case words like lmstudio"), url())
    .optional()
    .describe("Base URLs: { ollama: 'http://127.0.0.1:11434', lmstudio: 'http://127.0.0.1:1234/v1' }"),
  cloud: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "cloud names are lower-case words"), Cloud).optional(),
  tasks: z.record(z.string(), TaskConfig).optional(),
  /** Named chains a caller asks for by name: the gateway's and MCP's `model`, e.g. { "my-coder": [...] }. */
  chains: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "chain names are words like my-coder (letters, digits, . _ -)"),
      z.array(ChainEntry).min(1),
    )
    .optional(),
  options: z
    .record(z.string().min(1), Options)
    .optional()
    .describe(
      "Ollama options per model, keyed by index id (Qwen/Qwen3-1.7B) or runtime name (hf.co/…:Q4_K_M, llama3.2); a task's and a call's options go on top",
    ),
  /** Apply `options` and `tasks.<task>.options` (default true); false keeps only each call's own. */
  applyOptions: z.boolean().optional(),
  /** Appended to every chain (after per-task fallbacks), e.g. ["cloud:openai"]. */
  fallback: z.array(ChainEntry).optional(),
  routes: z.array(Route).optional(),
  /** Use OpenAI-compatible servers found on their default ports (default true). */
  detect: z.boolean().optional(),
  /** Put the in-process llama.cpp runtime in the derived chains even before a model is installed for it (default: only once one is). */
  embedded: z.boolean().optional(),
  retries: z.number().int().min(0).max(10).optional(),
  retryDelayMs: z.number().int().min(0).max(60_000).optional(),
  cooldownMs: z.number().int().min(0).max(3_600_000).optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** The context Ollama gives a model when no num_ctx is sent (OLLAMA_CONTEXT_LENGTH; 4096 on small machines). */
  defaultContext: z.number().int().positive().optional(),
  metrics: z.strictObject({ enabled: z.boolean().optional(), logContent: z.boolean().optional() }).optional(),
  pricing: z
    .strictObject({
      model: z.string().min(1),
      inputUsdPerMTok: z.number().nonnegative(),
      outputUsdPerMTok: z.number().nonnegative(),
      source: z.string().min(1),
      asOf: z.string().min(1),
    })
    .optional(),
});

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type ChainEntrySpec = z.infer<typeof ChainEntry>;
export type CloudConfig = z.infer<typeof Cloud>;

export const configFile = (env: NodeJS.ProcessEnv = process.env) => join(paths(env).config, "config.json");

/** Validate a parsed config; errors list every bad field as `path: problem`. */
export function parseConfig(value: unknown, where = "config.json"): AgentConfig {
  const result = AgentConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".") || "(top level)"}: ${i.message}`);
    throw new ConfigError(`${where} is not valid:\n${problems.join("\n")}\nFix it (or move it away) and run again.`);
  }
  const tasks = Object.keys(result.data.tasks ?? {}).filter((t) => !TASK_NAMES.includes(t as never));
  if (tasks.length)
    throw new ConfigError(
      `${where}: unknown task ${tasks.map((t) => `"${t}"`).join(", ")} under "tasks"; tasks are ${TASK_NAMES.join(", ")}.`,
    );
  for (const entry of [
    ...(result.data.fallback ?? []),
    ...Object.values(result.data.tasks ?? {}).flatMap((t) => [...(t.chain ?? []), ...(t.fallback ?? [])]),
    ...(result.data.routes ?? []).flatMap((r) => r.chain),
    ...Object.values(result.data.chains ?? {}).flat(),
  ]) {
    if (typeof entry === "string" && entry.startsWith("cloud:") && !result.data.cloud?.[entry.slice(6)])
      throw new ConfigError(
        `${where}: "${entry}" names no entry of "cloud" (has: ${Object.keys(result.data.cloud ?? {}).join(", ") || "none"}).`,
      );
    if (typeof entry === "object" && entry.runtime !== "ollama" && !result.data.runtimes?.[entry.runtime])
      throw new ConfigError(`${where}: runtime "${entry.runtime}" has no base URL under "runtimes".`);
  }
  return result.data;
}

/** Read `<config>/config.json` (or `file`); no file is an empty config, a broken one a ConfigError. */
export function loadConfig(file: string = configFile()): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}). Fix it and run again.`);
  }
  return parseConfig(value, file);
}
