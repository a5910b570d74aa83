/**
 * Which models a call tries, in order, and why: a per-call `model` or `chain` wins; then the first
 * routing rule of the config that matches the call; then the task's pinned chain; else the chain
 * derived from what is installed (tasks.ts). The task's and the config's fallbacks (e.g. a cloud
 * model) go last. Entries are index ids, Ollama refs, `cloud:<name>` or `{ runtime, model }`.
 */

import { existsSync } from "node:fs";
import type { Index } from "../../../schema/index.ts";
import { findModel } from "../catalog/find-model.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { isGgufPath, parseRef } from "../runtimes/embedded/refs.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { installedRef } from "../runtimes/resolve-target.ts";
import type { InstalledModel, Runtime } from "../runtimes/runtime.ts";
import type { AgentRuntimes } from "./agent-runtimes.ts";
import type { AgentConfig, ChainEntrySpec } from "./config.ts";
import { type Candidate, type Derivation, deriveChain, maxContextHere, type TaskName } from "./tasks.ts";

/** One link of a chain: a model on a runtime, or a config entry that cannot be reached. */
export interface ChainLink extends Omit<Candidate, "runtime"> {
  runtime?: Runtime;
  /** Why it cannot be tried (an unknown cloud name, a runtime this build cannot reach). */
  unusable?: { code: string; message: string };
  /** Where the link came from: `call`, `route`, `config`, `derived`, `fallback`. */
  source: string;
}

export interface ChainInput {
  task: TaskName;
  model?: string | undefined;
  chain?: readonly ChainEntrySpec[] | undefined;
  config: AgentConfig;
  runtimes: AgentRuntimes;
  index: Index | undefined;
  budgets: readonly MemoryBudget[];
  contextTokens: number;
  promptTokens: number;
  format: boolean;
  images: boolean;
  /** What each reachable local runtime has installed. */
  installed: { runtime: Runtime; models: InstalledModel[] }[];
  measured?: ReadonlyMap<string, number>;
  explain?: boolean;
  /** Installed models made on this machine: kept out of a derived chain. */
  madeHere?: ReadonlySet<string>;
  /** The task's speed floor from config.json. */
  minTokensPerSecond?: number;
}

export interface ResolvedChain {
  links: ChainLink[];
  source: string;
  derivation?: Derivation;
}

const label = (e: ChainEntrySpec) => (typeof e === "string" ? e : `${e.runtime}:${e.model}`);

function routeChain(input: ChainInput): ChainEntrySpec[] | undefined {
  for (const route of input.config.routes ?? []) {
    const w = route.when;
    if (w.task !== undefined && w.task !== input.task) continue;
    if (w.minPromptTokens !== undefined && input.promptTokens < w.minPromptTokens) continue;
    if (w.maxPromptTokens !== undefined && input.promptTokens > w.maxPromptTokens) continue;
    if (w.format !== undefined && w.format !== input.format) continue;
    if (w.images !== undefined && w.images !== input.images) continue;
    return route.chain;
  }
  return undefined;
}

/** A pinned entry as a link: which runtime, which ref, whether it is installed there. */
function linkOf(entry: ChainEntrySpec, source: string, input: ChainInput): ChainLink {
  const base = { side: "local" as const, installed: false, source, why: `${source}: ${label(entry)}` };
  // A GGUF file named by path runs in process, whichever runtime is the default.
  if (typeof entry === "string" && isGgufPath(entry))
    return linkOf({ runtime: "embedded", model: entry }, source, input);
  if (typeof entry === "string" && entry.startsWith("cloud:")) {
    const name = entry.slice(6);
    const cloud = input.runtimes.clouds.get(name);
    if (!cloud)
      return {
        ...base,
        ref: entry,
        side: "cloud",
        unusable: {
          code: "unsupported",
          message: `${entry}: ${input.runtimes.missing.get(entry) ?? `no "${name}" under "cloud" in config.json`}`,
        },
      };
    return {
      ...base,
      ref: cloud.model,
      side: "cloud",
      installed: true,
      runtime: cloud.runtime,
      why: `${source}: cloud model ${cloud.model} (${name})`,
    };
  }
  if (typeof entry === "object" && entry.runtime !== "ollama") {
    const runtime = input.runtimes.byName.get(entry.runtime);
    if (!runtime)
      return {
        ...base,
        ref: entry.model,
        unusable: {
          code: "unsupported",
          message: `${entry.runtime}: ${input.runtimes.missing.get(entry.runtime) ?? "no such runtime in config.json"}`,
        },
      };
    const models = input.installed.find((i) => i.runtime === runtime)?.models;
    const file = runtime.kind === "embedded" && isGgufPath(entry.model) && ggufExists(entry.model);
    return {
      ...base,
      ref: entry.model,
      runtime,
      installed: file || (models ? models.some((m) => m.name === entry.model) : false),
    };
  }
  const ollama = input.runtimes.byName.get("ollama") ?? input.runtimes.local.find((r) => r.kind === "ollama");
  const name = typeof entry === "string" ? entry : entry.model;
  const models = input.installed.find((i) => i.runtime === ollama)?.models ?? [];
  let ref: string;
  try {
    ref = installedRef(name, input.index, models);
  } catch (error) {
    return {
      ...base,
      ref: name,
      unusable: { code: (error as { code?: string }).code ?? "unknown-model", message: (error as Error).message },
    };
  }
  const link: ChainLink = { ...base, ref, installed: models.some((m) => sameModel(m.name, ref)) };
  if (ollama) link.runtime = ollama;
  if (!link.installed) moveToEmbedded(link, name, input);
  const entryModel = input.index?.models.find((m) => m.install.some((t) => sameModel(t.ref, ref)));
  if (entryModel) {
    link.entry = entryModel;
    link.indexId = entryModel.id;
    const install = entryModel.install.find((t) => sameModel(t.ref, ref));
    if (install) {
      link.install = install;
      const max = input.budgets.length
        ? maxContextHere(entryModel, install.quant, input.budgets)
        : entryModel.contextLength;
      if (max !== undefined) link.maxContext = max;
    }
    link.paramsTotal = entryModel.params.total;
  }
  return link;
}

const ggufExists = (ref: string) => {
  const parsed = parseRef(ref);
  return parsed.kind === "path" && existsSync(parsed.path);
};

/**
 * An index id (or ref) Ollama does not have, but the embedded runtime does: run it there, with the
 * name the embedded runtime lists it under.
 */
function moveToEmbedded(link: ChainLink, name: string, input: ChainInput): void {
  const embedded = input.runtimes.local.find((r) => r.kind === "embedded");
  const models = input.installed.find((i) => i.runtime === embedded)?.models ?? [];
  const entry = findModel(input.index, name);
  const refs = entry ? entry.install.map((t) => t.ref) : [link.ref];
  const found = models.find((m) => refs.some((ref) => sameModel(m.name, ref)));
  if (!embedded || !found) return;
  link.runtime = embedded;
  link.ref = found.name;
  link.installed = true;
}

export function resolveChain(input: ChainInput): ResolvedChain {
  const taskConfig = input.config.tasks?.[input.task];
  const fallbacks = [...(taskConfig?.fallback ?? []), ...(input.config.fallback ?? [])].map((e) =>
    linkOf(e, "fallback", input),
  );
  const pinned: [string, readonly ChainEntrySpec[] | undefined][] = [
    ["call", input.model !== undefined ? [input.model] : input.chain],
    ["route", routeChain(input)],
    ["config", taskConfig?.chain],
  ];
  for (const [source, entries] of pinned) {
    // A per-call model or chain is exactly what was asked: no fallbacks are added to it.
    if (entries?.length) {
      const links = entries.map((e) => linkOf(e, source, input));
      return { links: source === "call" ? links : [...links, ...fallbacks], source };
    }
  }
  const derivation = deriveChain({
    task: input.task,
    installed: input.installed,
    ...(input.madeHere ? { madeHere: input.madeHere } : {}),
    ...(input.minTokensPerSecond !== undefined ? { minTokensPerSecond: input.minTokensPerSecond } : {}),
    index: input.index,
    budgets: input.budgets,
    contextTokens: input.contextTokens,
    ...(input.measured ? { measured: input.measured } : {}),
    ...(input.explain ? { explain: true } : {}),
  });
  const links: ChainLink[] = derivation.chain.map((c) => ({ ...c, source: "derived" }));
  const seen = new Set(links.map((l) => `${l.runtime?.host}|${l.ref}`));
  return {
    links: [...links, ...fallbacks.filter((f) => !seen.has(`${f.runtime?.host}|${f.ref}`))],
    source: "derived",
    derivation,
  };
}
