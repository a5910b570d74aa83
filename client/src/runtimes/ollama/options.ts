/**
 * Ollama's model options, one table for everything that reads or writes them: `run --option`,
 * `ask --option`, `delegate({ options })`, the gateway, config.json, and Modelfile `PARAMETER`
 * lines. Current Ollama reads the `Options` and `Runner` fields of api/types.go; the options its
 * earlier releases knew and it now ignores are marked `retired` — accepted, with a warning, never
 * sent (Ollama would only log "invalid option provided"). Each `help` is the one sentence the
 * validation errors, `small-llm options` and the README use.
 */

export type OptionKind = "integer" | "number" | "boolean" | "string[]";

export interface OptionSpec {
  kind: OptionKind;
  min?: number;
  max?: number;
  /** Ollama's default (api/types.go `DefaultOptions`), when it has one. */
  default?: number | boolean | string;
  /** Changing it reloads the model (Ollama's `Runner` options). */
  load?: boolean;
  /** Known to earlier Ollama releases; current Ollama ignores it. */
  retired?: boolean;
  help: string;
}

export const OLLAMA_OPTIONS = {
  // api/types.go `Options`: sampling, read on every call.
  num_keep: {
    kind: "integer",
    min: -1,
    default: 4,
    help: "Tokens from the start of the prompt kept when the context shifts.",
  },
  seed: {
    kind: "integer",
    default: -1,
    help: "Random seed; the same seed and prompt give the same answer (-1: random).",
  },
  num_predict: {
    kind: "integer",
    min: -2,
    default: -1,
    help: "Most tokens to generate (-1: no limit, -2: fill the context).",
  },
  top_k: { kind: "integer", min: 0, default: 40, help: "Sample only from the k most likely next tokens." },
  top_p: {
    kind: "number",
    min: 0,
    max: 1,
    default: 0.9,
    help: "Nucleus sampling: sample from the smallest set of tokens whose probabilities add up to p.",
  },
  min_p: {
    kind: "number",
    min: 0,
    max: 1,
    default: 0,
    help: "Drop tokens less likely than this fraction of the most likely one.",
  },
  typical_p: { kind: "number", min: 0, max: 1, default: 1, help: "Locally typical sampling (1 turns it off)." },
  repeat_last_n: {
    kind: "integer",
    min: -1,
    default: 64,
    help: "How many recent tokens the repetition penalties look at (-1: the whole context, 0: none).",
  },
  temperature: {
    kind: "number",
    min: 0,
    default: 0.8,
    help: "Randomness of the answer; 0 always picks the most likely token.",
  },
  repeat_penalty: {
    kind: "number",
    min: 0,
    default: 1.1,
    help: "Penalty for tokens that repeat recent ones (1 turns it off).",
  },
  presence_penalty: { kind: "number", default: 0, help: "Penalty for any token already present in the recent tokens." },
  frequency_penalty: { kind: "number", default: 0, help: "Penalty growing with how often a token already appeared." },
  stop: { kind: "string[]", help: "Text that ends the answer when it is generated (repeat for several)." },
  // api/types.go `Runner`: read when the model loads.
  num_ctx: {
    kind: "integer",
    min: 1,
    default: 4096,
    load: true,
    help: "Context window in tokens: prompt plus answer.",
  },
  num_batch: {
    kind: "integer",
    min: 1,
    default: 512,
    load: true,
    help: "How many prompt tokens are processed at once.",
  },
  num_gpu: {
    kind: "integer",
    min: -1,
    default: -1,
    load: true,
    help: "Layers to put on the GPU (-1: as many as fit, 0: CPU only).",
  },
  main_gpu: {
    kind: "integer",
    min: 0,
    default: 0,
    load: true,
    help: "Which GPU holds the small tensors when several are used.",
  },
  use_mmap: { kind: "boolean", load: true, help: "Memory-map the model file instead of reading it into memory." },
  num_thread: {
    kind: "integer",
    min: 0,
    default: 0,
    load: true,
    help: "CPU threads (0: Ollama chooses, usually the physical cores).",
  },
  draft_num_predict: {
    kind: "integer",
    min: 0,
    load: true,
    help: "Tokens a draft model proposes ahead, for speculative decoding.",
  },
  // Known to earlier releases, ignored by current Ollama.
  mirostat: {
    kind: "integer",
    min: 0,
    max: 2,
    default: 0,
    retired: true,
    help: "Mirostat sampling: 0 off, 1 Mirostat, 2 Mirostat 2.0.",
  },
  mirostat_tau: {
    kind: "number",
    min: 0,
    default: 5,
    retired: true,
    help: "Mirostat's target entropy: lower is more focused.",
  },
  mirostat_eta: { kind: "number", min: 0, default: 0.1, retired: true, help: "Mirostat's learning rate." },
  penalize_newline: {
    kind: "boolean",
    default: true,
    retired: true,
    help: "Apply the repetition penalty to newlines too.",
  },
  numa: { kind: "boolean", default: false, retired: true, help: "Optimise memory placement on NUMA machines." },
  low_vram: { kind: "boolean", default: false, retired: true, help: "Use less VRAM at some cost in speed." },
  f16_kv: { kind: "boolean", default: true, retired: true, help: "Keep the KV cache in 16-bit floats." },
  logits_all: {
    kind: "boolean",
    default: false,
    retired: true,
    help: "Return the logits of every token, not only the last.",
  },
  vocab_only: { kind: "boolean", default: false, retired: true, help: "Load only the vocabulary, not the weights." },
  use_mlock: {
    kind: "boolean",
    default: false,
    retired: true,
    help: "Lock the model in memory so it is never swapped out.",
  },
} as const satisfies Record<string, OptionSpec>;

export type OllamaOptionName = keyof typeof OLLAMA_OPTIONS;

export const OPTION_NAMES = Object.keys(OLLAMA_OPTIONS) as OllamaOptionName[];

export const optionSpec = (name: string): OptionSpec | undefined =>
  Object.hasOwn(OLLAMA_OPTIONS, name) ? (OLLAMA_OPTIONS as Record<string, OptionSpec>)[name] : undefined;

/** The options current Ollama ignores, among these. */
export const retiredOptions = (names: Iterable<string>): string[] => [...names].filter((n) => optionSpec(n)?.retired);
