/**
 * What a `model` may name, and the chain it becomes: an installed runtime model as that runtime
 * names it, an index id (its installed quant, else its default install — pulled only when the
 * server was started with `--pull`), a provider-prefixed name as LiteLLM and agent frameworks write
 * it (`ollama/…`, `lm_studio/…`, `openai/…` for a cloud model of config.json, `local_…`), a virtual
 * model (`auto`, `task/<task>`, a chain named in config.json), and a request's own `fallbacks`.
 * Prompts only ever go where the Router's runtimes are (the user's Ollama, config.json, servers
 * fingerprinted on loopback); a cloud model only where config.json names it.
 */

import { existsSync } from "node:fs";
import type { AgentRuntimes } from "../agent/agent-runtimes.ts";
import type { AgentConfig, ChainEntrySpec } from "../agent/config.ts";
import type { DelegateOptions } from "../agent/delegate.ts";
import type { Router } from "../agent/router.ts";
import { TASK_NAMES, type TaskName } from "../agent/tasks.ts";
import { findModel } from "../catalog/find-model.ts";
import { InvalidArgumentError, ModelNotInstalledError, UnknownModelError } from "../errors/index.ts";
import { isGgufPath, parseRef } from "../runtimes/embedded/refs.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import type { InstalledModel, Runtime } from "../runtimes/runtime.ts";

/** LiteLLM's provider prefixes (and the runtimes' own names) → the name a chain entry uses. */
const PROVIDERS: Record<string, string> = {
  ollama: "ollama",
  ollama_chat: "ollama",
  llamacpp: "llamacpp",
  llama_cpp: "llamacpp",
  lm_studio: "lmstudio",
  lmstudio: "lmstudio",
  vllm: "vllm",
  hosted_vllm: "vllm",
  jan: "jan",
  localai: "localai",
  embedded: "embedded",
};

/** What a request's `model` (and `fallbacks`) became: a task's chain, or exactly these models. */
export interface Selection {
  task?: TaskName;
  chain?: ChainEntrySpec[];
  /** config.json with the request's fallbacks after the task's chain. */
  config?: AgentConfig;
}

export interface NameContext {
  router: Router;
  config: AgentConfig;
  /** What the server adds to every delegation (tests inject runtimes). */
  defaults?: Partial<DelegateOptions> | undefined;
  /** The server may pull an index id's model (`serve --pull`). */
  pull: boolean;
  /** The request carries images: `auto` then means the vision task. */
  images?: boolean;
  /** Map unknown `claude-…` names to `auto` (Claude Code asks for its own model names, e.g. for haiku). */
  claudeNames?: boolean;
  signal?: AbortSignal | undefined;
}

type Resolved = { task: TaskName | undefined } | { chain: ChainEntrySpec[] };

/** The delegation options for `model` and `fallbacks`; an unknown name throws (404), a misused one too (400). */
export async function selectModels(model: string, fallbacks: readonly string[], ctx: NameContext): Promise<Selection> {
  const here = await lookup(ctx);
  const primary = resolveName(model.trim(), ctx, here);
  const extra = fallbacks.map((name, i) => {
    const r = resolveName(name.trim(), ctx, here, `fallbacks[${i}]`);
    if (!("chain" in r))
      throw new InvalidArgumentError(`fallbacks[${i}]: "${clip(name)}" is a virtual model; fallbacks name models`);
    return r.chain;
  });
  if ("chain" in primary) return { chain: [...primary.chain, ...extra.flat()] };
  const task = primary.task;
  if (!extra.length) return task ? { task } : {};
  // The request's fallbacks go right after the task's chain, before the config's own fallbacks.
  const name = task ?? "quick";
  const taskConfig = ctx.config.tasks?.[name];
  const config: AgentConfig = {
    ...ctx.config,
    tasks: {
      ...ctx.config.tasks,
      [name]: { ...taskConfig, fallback: [...extra.flat(), ...(taskConfig?.fallback ?? [])] },
    },
  };
  return { ...(task ? { task } : {}), config };
}

interface Here {
  runtimes: AgentRuntimes;
  installed: Map<Runtime, InstalledModel[]>;
  /** Why a runtime listed nothing: it is down (a name it may have cannot be told apart from a typo). */
  down: Map<Runtime, Error>;
  index: Awaited<ReturnType<Router["index"]>>;
}

/** The runtimes and what each has installed (a runtime that is down has nothing), and the index. */
async function lookup(ctx: NameContext): Promise<Here> {
  const { router, signal } = ctx;
  const [runtimes, index] = await Promise.all([
    router.runtimes(ctx.config, ctx.defaults ?? {}, signal),
    ctx.defaults?.index ? Promise.resolve(ctx.defaults.index) : router.index(signal),
  ]);
  const down = new Map<Runtime, Error>();
  const lists = await Promise.all(
    runtimes.local.map((r) =>
      router.installed(r, signal).catch((error) => {
        if (signal?.aborted) throw error;
        down.set(r, error as Error);
        return [] as InstalledModel[];
      }),
    ),
  );
  return { runtimes, installed: new Map(runtimes.local.map((r, i) => [r, lists[i] ?? []])), down, index };
}

function resolveName(name: string, ctx: NameContext, here: Here, field = "model"): Resolved {
  if (!name) throw new InvalidArgumentError(`${field} is empty: name a model (GET /v1/models lists them) or "auto"`);
  if (name === "auto") return { task: ctx.images ? "vision" : undefined };
  if (name.startsWith("task/")) {
    const task = name.slice(5);
    if ((TASK_NAMES as readonly string[]).includes(task)) return { task: task as TaskName };
    throw unknown(name, `there is no task "${clip(task)}"; tasks are ${TASK_NAMES.join(", ")}`);
  }
  const chain = ctx.config.chains?.[name];
  if (chain) return { chain };
  // A GGUF file on this machine, named by an unmistakable path, runs in the server's own process.
  if (/^(\/|\.\.?\/|~\/|file:)/.test(name) && isGgufPath(name)) {
    const file = parseRef(name);
    if (file.kind === "path" && !existsSync(file.path))
      throw new UnknownModelError(name, `no GGUF file at ${file.path}`, { code: "model-file-missing" });
    return { chain: [{ runtime: "embedded", model: name }] };
  }
  if (name.startsWith("cloud:")) return { chain: [cloudEntry(name.slice(6), name, ctx)] };
  // A name Ollama has installed means that model, whatever it looks like (`jan/my-model` is an Ollama user's).
  const exact = installedOnOllama(name, here);
  if (exact) return { chain: [exact] };
  const slash = name.indexOf("/");
  const head = slash > 0 ? name.slice(0, slash) : "";
  const rest = name.slice(slash + 1);
  if (head === "openai") return { chain: [cloudByModel(rest, name, ctx)] };
  const provider = PROVIDERS[head] ?? (ctx.config.runtimes?.[head] ? head : undefined);
  if (provider === "ollama") {
    const entry = indexEntry(rest, ctx, here) ?? installedOnOllama(rest, here);
    return { chain: [entry ?? unknownOn("Ollama", name, here)] };
  }
  if (provider) return { chain: [onRuntime(provider, rest, name, here)] };
  const plain = name.startsWith("local_") ? name.slice(6) : name;
  // Only an index id is ever pulled (`--pull`): an agent's default (`llama3.2`, `gpt-4o-mini`) or a
  // typo never starts a download.
  const found = indexEntry(plain, ctx, here) ?? installedOnOllama(plain, here) ?? onOtherRuntime(plain, here);
  if (found) return { chain: [found] };
  if (ctx.claudeNames && /^claude-/i.test(name)) return { task: ctx.images ? "vision" : undefined }; // as `auto`
  throw unknownAnywhere(name, here);
}

const ollamaOf = (here: Here) =>
  here.runtimes.byName.get("ollama") ?? here.runtimes.local.find((r) => r.kind === "ollama");

const ollamaModels = (here: Here): InstalledModel[] => {
  const ollama = ollamaOf(here);
  return (ollama && here.installed.get(ollama)) ?? [];
};

/**
 * An index id: on Ollama, its installed quant (else its default install, which the delegation pulls
 * when the server may). Not installed without `--pull` is a 404 that says how to get it.
 */
function indexEntry(name: string, ctx: NameContext, here: Here): ChainEntrySpec | undefined {
  const entry = findModel(here.index, name);
  if (!entry) return undefined;
  if (!entry.install.length)
    throw new UnknownModelError(entry.id, "the index has no GGUF build of it for Ollama yet", {
      code: "not-installable",
    });
  // Installed on Ollama, or as a GGUF of the embedded runtime: the chain finds which.
  const models = [...here.installed.values()].flat();
  if (entry.install.some((t) => models.some((m) => sameModel(m.name, t.ref)))) return entry.id;
  if (ctx.pull && ollamaOf(here)) return entry.id;
  throwIfOllamaDown(here);
  throw new ModelNotInstalledError(
    entry.id,
    `\`small-llm install ${entry.id}\`, or restart the gateway with \`small-llm serve --pull\` so that requests may pull it`,
  );
}

/** An Ollama ref Ollama has installed (`qwen3:0.6b`, `hf.co/…:Q4_K_M`; `llama3.2` means `:latest`). */
function installedOnOllama(name: string, here: Here): ChainEntrySpec | undefined {
  return ollamaModels(here).some((m) => sameModel(m.name, name)) ? name : undefined;
}

/** A name another local runtime has installed, exactly as it lists it. */
function onOtherRuntime(name: string, here: Here): ChainEntrySpec | undefined {
  for (const runtime of here.runtimes.local) {
    if (runtime.kind === "ollama") continue;
    if (!here.installed.get(runtime)?.some((m) => m.name === name)) continue;
    const key = keyOf(runtime, here.runtimes);
    if (key) return { runtime: key, model: name };
  }
  return undefined;
}

/** `lm_studio/<model>` and the like: that runtime, which must be here and have the model. */
function onRuntime(provider: string, name: string, asked: string, here: Here): ChainEntrySpec {
  const runtime = here.runtimes.byName.get(provider);
  if (!runtime)
    throw unknown(
      asked,
      `no ${provider} server is configured or detected here; name it under "runtimes" in config.json, or list its address in SMALL_LLM_RUNTIMES`,
    );
  const models = here.installed.get(runtime) ?? [];
  if (models.some((m) => m.name === name)) return { runtime: provider, model: name };
  // llama-server serves one model and answers to any name: whatever the client calls it, that one.
  if (runtime.kind === "llamacpp" && models.length === 1)
    return { runtime: provider, model: (models[0] as InstalledModel).name };
  if (runtime.kind === "embedded")
    throw unknown(
      asked,
      `the embedded runtime has ${listOf(models)} installed (\`small-llm install --runtime embedded <id>\`), or name a .gguf file by its path`,
    );
  throw unknown(asked, `${provider} at ${runtime.host} has ${listOf(models)}`);
}

/** `cloud:<name>`: an entry of config.json's `cloud`. */
function cloudEntry(cloud: string, asked: string, ctx: NameContext): ChainEntrySpec {
  if (ctx.config.cloud?.[cloud]) return `cloud:${cloud}`;
  throw unknown(
    asked,
    `config.json has no "${clip(cloud)}" under "cloud" (has: ${Object.keys(ctx.config.cloud ?? {}).join(", ") || "none"})`,
  );
}

/** `openai/<model>`: the cloud entry of config.json serving that model (or named so); never a cloud the config does not name. */
function cloudByModel(model: string, asked: string, ctx: NameContext): ChainEntrySpec {
  const clouds = Object.entries(ctx.config.cloud ?? {});
  const hit = clouds.find(([, c]) => c.model === model) ?? clouds.find(([name]) => name === model);
  if (hit) return `cloud:${hit[0]}`;
  throw unknown(
    asked,
    `openai/ names a cloud model of config.json, and none serves "${clip(model)}" (add it under "cloud" with the NAME of the environment variable holding its key)`,
  );
}

/** The name a chain entry uses for this runtime (`ollama`, a config name, or a detected kind). */
export function keyOf(runtime: Runtime, runtimes: AgentRuntimes): string | undefined {
  for (const [key, r] of runtimes.byName) if (r === runtime) return key;
  return undefined;
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…` : s);

const listOf = (models: InstalledModel[]) =>
  models.length
    ? `only ${models
        .slice(0, 8)
        .map((m) => m.name)
        .join(", ")}${models.length > 8 ? ", …" : ""}`
    : "no models";

const unknown = (name: string, why: string) =>
  new UnknownModelError(clip(name), `${why}; GET /v1/models lists what is here`);

/** Ollama could not be asked what it has: that, not "not installed" or "unknown", is what to fix. */
function throwIfOllamaDown(here: Here): void {
  const ollama = ollamaOf(here);
  const error = ollama && here.down.get(ollama);
  if (error) throw error;
}

function unknownOn(where: string, name: string, here: Here): never {
  throwIfOllamaDown(here);
  throw unknown(name, `${where} has ${listOf(ollamaModels(here))}; install it with \`small-llm install <id or ref>\``);
}

function unknownAnywhere(name: string, here: Here): never {
  throwIfOllamaDown(here);
  const count = [...here.installed.values()].reduce((n, l) => n + l.length, 0);
  throw unknown(
    name,
    `no runtime here has a model of that name (${count} installed across ${here.runtimes.local.length} runtime${here.runtimes.local.length === 1 ? "" : "s"}), and it is not an index id, a task (task/coding) or a chain of config.json`,
  );
}

/**
 * For callers of `ask` (the MCP `delegate` tool): the task or chain a gateway `model` form names,
 * or undefined to pass the name on unchanged — a name that is no model here then fails inside the
 * delegation with the same response as it always did.
 */
export async function askSelection(
  model: string,
  ctx: NameContext,
): Promise<Pick<Selection, "task" | "chain"> | undefined> {
  try {
    const { task, chain } = await selectModels(model, [], ctx);
    return { ...(task ? { task } : {}), ...(chain ? { chain } : {}) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "unknown-model" || code === "model-not-installed" || code === "not-installable") return undefined;
    throw error;
  }
}
