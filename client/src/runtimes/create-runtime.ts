/**
 * A Runtime from a configured address — `{ kind, baseUrl, apiKeyEnv? }`, as a user config or
 * SMALL_LLM_RUNTIMES names one — without probing: Ollama gets the Ollama driver, every other kind
 * the OpenAI-compatible runtime. `detectRuntimes` is for finding what answers; this is for using
 * what the user said is there.
 */
import { RuntimeTargetError } from "../errors/index.ts";
import type { RuntimeTarget } from "./detect.ts";
import { OllamaDriver } from "./ollama/driver.ts";
import { KINDS } from "./openai-compatible/kinds.ts";
import { OpenAICompatibleRuntime } from "./openai-compatible/runtime.ts";
import type { Runtime } from "./runtime.ts";

export function createRuntime(target: RuntimeTarget & { apiKey?: string }): Runtime {
  const kind = target.kind ?? "openai";
  if (kind === "ollama") return new OllamaDriver({ host: target.baseUrl });
  if (!(kind in KINDS))
    throw new RuntimeTargetError(
      `"${kind}" is not a runtime kind; use one of ollama, ${Object.keys(KINDS).join(", ")}`,
    );
  return new OpenAICompatibleRuntime({
    kind,
    baseUrl: target.baseUrl,
    ...(target.apiKeyEnv ? { apiKeyEnv: target.apiKeyEnv } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  });
}
