/**
 * What differs between OpenAI-compatible runtimes, in one table: the name users know, the
 * environment variable each reads its own API key from (so one variable serves both the server
 * and this client), what to do to make a model available, and whether it takes sampling
 * extensions beyond the OpenAI spec. Facts: ../shared/reference/agents-and-runtimes.md §B.
 */
import type { RuntimeKind } from "../runtime.ts";

export type OpenAIKind = Exclude<RuntimeKind, "ollama" | "embedded">;

export interface KindFacts {
  label: string;
  apiKeyEnv: string;
  /** How a user makes a model available on this runtime (for "not installed" messages). */
  loadHint: (model: string) => string;
  /** Accepts top_k, min_p, typical_p, repeat_penalty (cloud endpoints reject unknown parameters). */
  samplingExtensions: boolean;
}

export const KINDS: Record<OpenAIKind, KindFacts> = {
  llamacpp: {
    label: "llama.cpp llama-server",
    apiKeyEnv: "LLAMA_API_KEY",
    loadHint: (m) => `restart llama-server with \`-m <file>\` (or \`--alias ${m}\`), or load it in router mode`,
    samplingExtensions: true,
  },
  lmstudio: {
    label: "LM Studio",
    apiKeyEnv: "LM_API_TOKEN",
    loadHint: (m) => `\`lms get ${m}\` then \`lms load ${m}\` (or download it in LM Studio)`,
    samplingExtensions: true,
  },
  vllm: {
    label: "vLLM",
    apiKeyEnv: "VLLM_API_KEY",
    loadHint: (m) => `restart vLLM with \`vllm serve ${m}\``,
    samplingExtensions: true,
  },
  jan: {
    label: "Jan",
    apiKeyEnv: "JAN_API_KEY",
    loadHint: (m) => `download ${m} in Jan's Hub and start it`,
    samplingExtensions: true,
  },
  localai: {
    label: "LocalAI",
    apiKeyEnv: "LOCALAI_API_KEY",
    loadHint: (m) => `\`local-ai models install ${m}\` (or install it from LocalAI's gallery)`,
    samplingExtensions: true,
  },
  openai: {
    label: "OpenAI-compatible endpoint",
    apiKeyEnv: "OPENAI_API_KEY",
    loadHint: () => "pick a model this endpoint lists (GET /v1/models)",
    samplingExtensions: false,
  },
};
