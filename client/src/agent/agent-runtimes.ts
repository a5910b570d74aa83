/**
 * The runtimes a delegation may use: the ones the caller injected, else Ollama at the config's base
 * URL (or OLLAMA_HOST), the other local servers the config names, and the cloud endpoints of the
 * config. Installed-model lists are cached for a second per runtime so back-to-back calls do not
 * each pay a round trip; a pull or a "not installed" answer drops the cache.
 */

import { type DetectedRuntime, type DetectOptions, detectRuntimes } from "../runtimes/detect.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { KINDS, type OpenAIKind } from "../runtimes/openai-compatible/kinds.ts";
import { OpenAICompatibleRuntime } from "../runtimes/openai-compatible/runtime.ts";
import type { InstalledModel, Runtime } from "../runtimes/runtime.ts";
import type { AgentConfig } from "./config.ts";

/** Builds an OpenAI-compatible runtime (local server or cloud endpoint) from a base URL. */
export type OpenAIRuntimeFactory = (spec: {
  name: string;
  baseUrl: string;
  apiKeyEnv?: string | undefined;
  cloud: boolean;
}) => Runtime | undefined;

/**
 * The default factory: the OpenAI-compatible runtime, of the kind its config name says (`lmstudio`,
 * `llamacpp`, `vllm`, `jan`, `localai`), else a generic endpoint; a cloud entry is always generic.
 */
export const openAICompatible: OpenAIRuntimeFactory = ({ name, baseUrl, apiKeyEnv, cloud }) => {
  const kind: OpenAIKind = !cloud && name in KINDS ? (name as OpenAIKind) : "openai";
  return new OpenAICompatibleRuntime({ kind, baseUrl, name, ...(apiKeyEnv ? { apiKeyEnv } : {}) });
};

export interface AgentRuntimes {
  /** Local runtimes, Ollama first. */
  local: Runtime[];
  /** By the name a chain entry uses: `ollama`, `lmstudio`, … */
  byName: Map<string, Runtime>;
  /** Cloud endpoints by their config name, with the model each serves. */
  clouds: Map<string, { runtime: Runtime; model: string }>;
  /** Config entries that could not be made into a runtime, and why. */
  missing: Map<string, string>;
}

export function agentRuntimes(
  config: AgentConfig,
  injected: readonly Runtime[] | undefined,
  factory: OpenAIRuntimeFactory = openAICompatible,
): AgentRuntimes {
  const byName = new Map<string, Runtime>();
  const clouds = new Map<string, { runtime: Runtime; model: string }>();
  const missing = new Map<string, string>();
  const local: Runtime[] = [];
  if (injected?.length) {
    for (const r of injected) {
      local.push(r);
      const name = (r as { name?: unknown }).name;
      if (!byName.has(r.kind)) byName.set(r.kind, r);
      if (typeof name === "string" && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), r);
    }
  } else {
    const ollama = new OllamaDriver(config.runtimes?.ollama ? { host: config.runtimes.ollama } : {});
    local.push(ollama);
    byName.set("ollama", ollama);
    for (const [name, baseUrl] of Object.entries(config.runtimes ?? {})) {
      if (name === "ollama") continue;
      const runtime = factory?.({ name, baseUrl, cloud: false });
      if (runtime) {
        local.push(runtime);
        byName.set(name, runtime);
      } else missing.set(name, "this build has no OpenAI-compatible runtime to reach it");
    }
  }
  for (const [name, cloud] of Object.entries(config.cloud ?? {})) {
    const runtime = factory?.({ name, baseUrl: cloud.baseUrl, apiKeyEnv: cloud.apiKeyEnv, cloud: true });
    if (runtime) clouds.set(name, { runtime, model: cloud.model });
    else missing.set(`cloud:${name}`, "this build has no OpenAI-compatible runtime to reach it");
  }
  return { local, byName, clouds, missing };
}

const DETECT_TTL_MS = 60_000;
let detectedOnce: { at: number; found: Promise<DetectedRuntime[]> } | undefined;

/**
 * Add the OpenAI-compatible servers that answer on their default ports (LM Studio, llama.cpp,
 * vLLM, Jan, LocalAI) to the runtimes, once a minute per process. Off with `detect: false` or
 * SMALL_LLM_DETECT=0; never for injected runtimes. A server the config already names is not added twice.
 */
export async function addDetected(
  runtimes: AgentRuntimes,
  options: DetectOptions = {},
  signal?: AbortSignal,
): Promise<void> {
  if (!detectedOnce || performance.now() - detectedOnce.at > DETECT_TTL_MS) {
    const found = detectRuntimes({ ollama: false, ...options, ...(signal ? { signal } : {}) }).catch(() => []);
    detectedOnce = { at: performance.now(), found };
  }
  const known = new Set(runtimes.local.map((r) => r.host.replace(/\/+$/, "").replace(/\/v1$/, "")));
  for (const d of await detectedOnce.found) {
    if (d.kind === "ollama" || known.has(d.baseUrl)) continue;
    runtimes.local.push(d.runtime);
    if (!runtimes.byName.has(d.kind)) runtimes.byName.set(d.kind, d.runtime);
  }
}

/** Forget what detection found (tests; an app after starting a server). */
export const forgetDetected = () => {
  detectedOnce = undefined;
};

const LIST_TTL_MS = 1000;
const lists = new WeakMap<Runtime, { at: number; models: Promise<InstalledModel[]> }>();

/** The runtime's installed models, at most a second old. A failed list is not cached. */
export function installedOn(runtime: Runtime, signal?: AbortSignal): Promise<InstalledModel[]> {
  const cached = lists.get(runtime);
  if (cached && performance.now() - cached.at < LIST_TTL_MS) return cached.models;
  const models = runtime.list({ signal });
  lists.set(runtime, { at: performance.now(), models });
  models.catch(() => lists.delete(runtime));
  return models;
}

export const forgetInstalled = (runtime: Runtime) => lists.delete(runtime);
