/**
 * Find the local runtimes that answer: Ollama (at OLLAMA_HOST, through the OllamaDriver) and
 * OpenAI-compatible servers on their default ports — llama.cpp 8080 and 9931, LM Studio 1234,
 * vLLM 8000, Jan 1337, LocalAI 8080 — plus any addresses the caller adds. All addresses are
 * probed at once with one short deadline, each told apart by what it answers (fingerprint.ts),
 * and each found runtime comes back ready to use behind the Runtime interface.
 */
import { RuntimeTargetError, SmallLlmError } from "../errors/index.ts";
import { identify, probeAnswers } from "./fingerprint.ts";
import { OllamaDriver } from "./ollama/driver.ts";
import { ollamaBaseUrl } from "./ollama/host.ts";
import { OpenAICompatibleRuntime } from "./openai-compatible/runtime.ts";
import type { Runtime, ServerKind } from "./runtime.ts";

/** The OpenAI-compatible servers' default addresses (8080 is shared by llama.cpp and LocalAI). */
export const DEFAULT_RUNTIME_URLS = [8080, 9931, 1234, 8000, 1337].map((port) => `http://127.0.0.1:${port}`);

export interface RuntimeTarget {
  baseUrl: string;
  /** The kind, when the caller knows it; it is still checked that something OpenAI-compatible answers. */
  kind?: ServerKind;
  /** The environment variable holding this server's API key (default: the runtime's own, e.g. JAN_API_KEY). */
  apiKeyEnv?: string;
}

export interface DetectOptions {
  signal?: AbortSignal | undefined;
  /** The deadline for all probes together (default 1500 ms: loopback answers in a few). */
  timeoutMs?: number | undefined;
  /** More addresses to probe, beside the defaults. */
  hosts?: (string | RuntimeTarget)[] | undefined;
  /** Probe the default ports (default true). */
  defaults?: boolean | undefined;
  /** Probe Ollama at OLLAMA_HOST (default true); `status` turns it off because it asks Ollama itself. */
  ollama?: boolean | undefined;
  fetch?: typeof fetch;
}

export interface DetectedRuntime {
  kind: ServerKind;
  baseUrl: string;
  version?: string;
  models: string[];
  runtime: Runtime;
  /** Why the models could not be listed (a key is needed or refused), when they could not. */
  problem?: { code: string; message: string };
}

export async function detectRuntimes(options: DetectOptions = {}): Promise<DetectedRuntime[]> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 1500);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const targets = new Map<string, RuntimeTarget>();
  const add = (t: string | RuntimeTarget) => {
    const target = typeof t === "string" ? { baseUrl: t } : t;
    const baseUrl = normalise(target.baseUrl);
    if (!targets.has(baseUrl)) targets.set(baseUrl, { ...target, baseUrl });
  };
  if (options.ollama !== false) add({ baseUrl: ollamaBaseUrl(), kind: "ollama" });
  for (const host of options.hosts ?? []) add(host);
  if (options.defaults !== false) for (const url of DEFAULT_RUNTIME_URLS) add(url);
  const found = await Promise.all([...targets.values()].map((t) => probeTarget(t, signal, options.fetch)));
  options.signal?.throwIfAborted();
  return found.filter((r): r is DetectedRuntime => r !== undefined);
}

/** `localhost:1234`, `http://host:8000/v1/` → `http://localhost:1234`, `http://host:8000`. */
function normalise(url: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  return withScheme.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** What answers at one address, or undefined when nothing (or nothing we know) does. */
export async function probeTarget(
  target: RuntimeTarget,
  signal: AbortSignal,
  fetchImpl?: typeof fetch,
): Promise<DetectedRuntime | undefined> {
  let port: string;
  try {
    const url = new URL(target.baseUrl);
    port = url.port || (url.protocol === "https:" ? "443" : "80");
  } catch {
    return undefined; // a malformed extra address finds nothing rather than failing the whole scan
  }
  const answers = await probeAnswers(target.baseUrl, signal, fetchImpl);
  const print = identify(answers, { hint: target.kind, port });
  if (!print) return undefined;
  const baseUrl = target.baseUrl;
  if (print.kind === "ollama") {
    const runtime = new OllamaDriver({ host: baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    const [version, models] = await Promise.all([
      runtime.version({ signal }).catch(() => undefined),
      runtime.list({ signal }).catch(() => []),
    ]);
    return { kind: "ollama", baseUrl, ...(version ? { version } : {}), models: models.map((m) => m.name), runtime };
  }
  const runtime = new OpenAICompatibleRuntime({
    kind: print.kind,
    baseUrl,
    ...(target.apiKeyEnv ? { apiKeyEnv: target.apiKeyEnv } : {}),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const base = { kind: print.kind, baseUrl, ...(print.version ? { version: print.version } : {}), runtime };
  if (print.loading)
    return {
      ...base,
      models: [],
      problem: { code: "busy", message: "still loading its model; try again in a moment" },
    };
  if (print.models) return { ...base, models: print.models };
  // It asked for a key: list again with the one from the environment, if there is one.
  try {
    return { ...base, models: (await runtime.list({ signal })).map((m) => m.name) };
  } catch (error) {
    const problem =
      error instanceof SmallLlmError
        ? { code: error.code, message: error.message }
        : { code: "error", message: String(error) };
    return { ...base, models: [], problem };
  }
}

const KIND_NAMES = new Set<string>(["ollama", "llamacpp", "lmstudio", "vllm", "jan", "localai", "openai"]);

/**
 * Extra addresses from `SMALL_LLM_RUNTIMES`: comma- or space-separated base URLs, each optionally
 * prefixed with its kind (`jan=http://127.0.0.1:1338`), for a server on a port of its own.
 * A prefix that names no kind is an error that lists the kinds, not a silent skip.
 */
export function runtimeTargetsFromEnv(value: string | undefined = process.env.SMALL_LLM_RUNTIMES): RuntimeTarget[] {
  const targets: RuntimeTarget[] = [];
  for (const item of (value ?? "").split(/[\s,]+/).filter(Boolean)) {
    const m = /^([a-z]+)=(.+)$/.exec(item);
    if (!m) {
      targets.push({ baseUrl: item });
      continue;
    }
    const [, kind, baseUrl] = m as unknown as [string, string, string];
    if (!KIND_NAMES.has(kind))
      throw new RuntimeTargetError(
        `SMALL_LLM_RUNTIMES: "${kind}" is not a runtime kind; use one of ${[...KIND_NAMES].join(", ")} (e.g. jan=http://127.0.0.1:1338)`,
      );
    targets.push({ baseUrl, kind: kind as ServerKind });
  }
  return targets;
}

/** Whether `status` and other scans probe the default ports (`SMALL_LLM_SCAN_DEFAULT_PORTS=0` turns it off). */
export function scanDefaultPorts(value: string | undefined = process.env.SMALL_LLM_SCAN_DEFAULT_PORTS): boolean {
  return !/^(0|false|no|off)$/i.test((value ?? "").trim());
}
