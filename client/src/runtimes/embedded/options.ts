/**
 * Ollama's option names (what `run --option`, `delegate({ options })` and the gateway carry) in
 * node-llama-cpp's terms (reference §1.12). Some shape the context (size, threads, batch: a change
 * means a new context), the rest go with each prompt. Anything else is not applied and is listed,
 * so the caller can say so instead of pretending it worked.
 */

/** Ollama's defaults, so an answer here samples as `ollama run` would (node-llama-cpp's own default is greedy). */
const OLLAMA_DEFAULTS = { temperature: 0.8, topK: 40, topP: 0.9, repeatPenalty: 1.1, repeatLastN: 64 };
/** Ollama's default context (below 24 GiB of VRAM). */
export const DEFAULT_CONTEXT = 4096;

export interface ContextSettings {
  contextSize: number;
  /** Threads for this context; undefined leaves node-llama-cpp's (capped at the physical cores). */
  threads?: number;
  batchSize?: number;
}

export interface PromptSettings {
  maxTokens?: number;
  temperature: number;
  topK: number;
  topP: number;
  minP?: number;
  seed?: number;
  customStopTriggers?: string[];
  repeatPenalty: { penalty: number; lastTokens: number; presencePenalty?: number; frequencyPenalty?: number };
}

export interface MappedOptions {
  context: ContextSettings;
  prompt: PromptSettings;
  /** Options given but not applied by this runtime. */
  dropped: string[];
}

const CONTEXT_KEYS = new Set(["num_ctx", "num_thread", "num_batch"]);
const PROMPT_KEYS = new Set([
  "num_predict",
  "temperature",
  "top_k",
  "top_p",
  "min_p",
  "seed",
  "stop",
  "repeat_penalty",
  "repeat_last_n",
  "presence_penalty",
  "frequency_penalty",
]);

const number = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Map options; `trainContext` caps the context at what the model was trained for. `num_predict`
 * -1 (no limit) and -2 (fill the context) both mean no cap here: generation ends at the context.
 */
export function mapOptions(
  options: Record<string, unknown> = {},
  trainContext = Number.POSITIVE_INFINITY,
): MappedOptions {
  const o = options;
  const dropped = Object.keys(o).filter((k) => o[k] !== undefined && !CONTEXT_KEYS.has(k) && !PROMPT_KEYS.has(k));
  const numCtx = number(o.num_ctx);
  const threads = number(o.num_thread);
  const batch = number(o.num_batch);
  const context: ContextSettings = {
    contextSize: Math.max(1, Math.min(numCtx ?? DEFAULT_CONTEXT, trainContext)),
    // Ollama's num_thread 0 means "let the runtime choose".
    ...(threads ? { threads } : {}),
    ...(batch ? { batchSize: batch } : {}),
  };
  const predict = number(o.num_predict);
  const stop = Array.isArray(o.stop) ? o.stop.filter((s): s is string => typeof s === "string" && s.length > 0) : [];
  if (typeof o.stop === "string" && o.stop) stop.push(o.stop);
  const prompt: PromptSettings = {
    ...(predict !== undefined && predict > 0 ? { maxTokens: predict } : {}),
    temperature: number(o.temperature) ?? OLLAMA_DEFAULTS.temperature,
    topK: number(o.top_k) ?? OLLAMA_DEFAULTS.topK,
    topP: number(o.top_p) ?? OLLAMA_DEFAULTS.topP,
    ...(number(o.min_p) !== undefined ? { minP: number(o.min_p) } : {}),
    ...(number(o.seed) !== undefined ? { seed: number(o.seed) } : {}),
    ...(stop.length ? { customStopTriggers: stop } : {}),
    repeatPenalty: {
      penalty: number(o.repeat_penalty) ?? OLLAMA_DEFAULTS.repeatPenalty,
      lastTokens: Math.max(0, number(o.repeat_last_n) ?? OLLAMA_DEFAULTS.repeatLastN),
      ...(number(o.presence_penalty) !== undefined ? { presencePenalty: number(o.presence_penalty) } : {}),
      ...(number(o.frequency_penalty) !== undefined ? { frequencyPenalty: number(o.frequency_penalty) } : {}),
    },
  };
  return { context, prompt, dropped };
}

/** Ollama's keep_alive: seconds as a number, or `30s`, `5m`, `1h`; negative keeps the model loaded. Default 5 minutes. */
export function keepAliveMs(value: string | number | undefined, fallbackMs = 5 * 60_000): number {
  if (value === undefined || value === "") return fallbackMs;
  if (typeof value === "number") return value < 0 ? Number.POSITIVE_INFINITY : value * 1000;
  const m = /^(-?\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  if (n < 0) return Number.POSITIVE_INFINITY;
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
}
