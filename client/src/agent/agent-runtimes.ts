/**
 * The runtimes a delegation may use: the ones the caller injected, else Ollama at the config's base
 * URL (or OLLAMA_HOST), the other local servers the config names, and the cloud endpoints of the
 * config. What lives longer than a call (detection, installed lists) is the Router's.
 */

import {
  type DetectedRuntime,
  type DetectOptions,
  runtimeTargetsFromEnv,
  scanDefaultPorts,
} from "../runtimes/detect.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { isLocal } from "../runtimes/ollama/host.ts";
import { KINDS, type OpenAIKind } from "../runtimes/openai-compatible/kinds.ts";
import { OpenAICompatibleRuntime } from "../runtimes/openai-compatible/runtime.ts";
import type { Runtime } from "../runtimes/runtime.ts";
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

/**
 * Add detected OpenAI-compatible servers to the runtimes a delegation may use. A prompt goes only
 * where the user has a runtime: a detected server counts once it is fingerprinted as a runtime we
 * know (not a generic "something OpenAI-shaped") and it is on this machine. A server the config
 * already names is not added twice.
 */
export function addDetected(runtimes: AgentRuntimes, found: readonly DetectedRuntime[]): void {
  const known = new Set(runtimes.local.map((r) => r.host.replace(/\/+$/, "").replace(/\/v1$/, "")));
  for (const d of found) {
    if (d.kind === "ollama" || d.kind === "openai" || known.has(d.baseUrl) || !isLocal(d.baseUrl)) continue;
    runtimes.local.push(d.runtime);
    known.add(d.baseUrl);
    if (!runtimes.byName.has(d.kind)) runtimes.byName.set(d.kind, d.runtime);
  }
}

/**
 * Where a delegation may look for other servers, as `status` looks: SMALL_LLM_RUNTIMES, and the
 * default ports unless SMALL_LLM_SCAN_DEFAULT_PORTS=0. Undefined when SMALL_LLM_DETECT=0 says not to
 * look, unless the caller asked for detection itself (`force`).
 */
export function detectionTargets(
  env: NodeJS.ProcessEnv = process.env,
  force = false,
): Pick<DetectOptions, "hosts" | "defaults"> | undefined {
  if (!force && /^(0|false|no|off)$/i.test((env.SMALL_LLM_DETECT ?? "").trim())) return undefined;
  return {
    hosts: runtimeTargetsFromEnv(env.SMALL_LLM_RUNTIMES),
    defaults: scanDefaultPorts(env.SMALL_LLM_SCAN_DEFAULT_PORTS),
  };
}
