/**
 * Ollama's model options, typed and checked before they reach the server. Ollama itself only logs
 * a warning for an unknown key (`invalid option provided`) and fails a wrong type with
 * `option "num_ctx" must be of type integer` (api/types.go `Options.FromMap`), so a typo such as
 * `tempurature` would be silently ignored: here it fails, naming the nearest valid option.
 * Used by `run --option`, `ask --option` and `delegate({ options })`.
 */
import { closest, distance } from "fastest-levenshtein";
import { InvalidOptionError } from "../errors/index.ts";

type Kind = "integer" | "number" | "boolean" | "string" | "string[]";

interface Spec {
  kind: Kind;
  min?: number;
  max?: number;
  /** Changing it reloads the model (Ollama's `Runner` options). */
  load?: boolean;
  help: string;
}

/** Every option of api/types.go `Options` and `Runner` (Ollama v0.33), plus mirostat*, which older servers read. */
export const OLLAMA_OPTIONS = {
  num_keep: { kind: "integer", min: -1, help: "tokens of the prompt kept when the context shifts" },
  seed: { kind: "integer", help: "random seed; the same seed and prompt give the same answer" },
  num_predict: { kind: "integer", min: -2, help: "most tokens to generate (-1 no limit, -2 fill the context)" },
  top_k: { kind: "integer", min: 0, help: "sample from the k most likely tokens" },
  top_p: { kind: "number", min: 0, max: 1, help: "nucleus sampling threshold" },
  min_p: { kind: "number", min: 0, max: 1, help: "minimum probability relative to the most likely token" },
  typical_p: { kind: "number", min: 0, max: 1, help: "locally typical sampling" },
  repeat_last_n: { kind: "integer", min: -1, help: "how far back to look for repetition (-1 the whole context)" },
  temperature: { kind: "number", min: 0, help: "randomness; 0 is deterministic" },
  repeat_penalty: { kind: "number", min: 0, help: "penalty for repeated tokens" },
  presence_penalty: { kind: "number", help: "penalty for tokens already present" },
  frequency_penalty: { kind: "number", help: "penalty by how often a token appeared" },
  stop: { kind: "string[]", help: "stop sequences (repeat `stop=` for several)" },
  mirostat: { kind: "integer", min: 0, max: 2, help: "Mirostat sampling: 0 off, 1, or 2 (older servers)" },
  mirostat_tau: { kind: "number", min: 0, help: "Mirostat target entropy (older servers)" },
  mirostat_eta: { kind: "number", min: 0, help: "Mirostat learning rate (older servers)" },
  num_ctx: { kind: "integer", min: 1, load: true, help: "context window in tokens" },
  num_batch: { kind: "integer", min: 1, load: true, help: "prompt processing batch size" },
  num_gpu: { kind: "integer", min: -1, load: true, help: "layers to offload to the GPU (-1 all that fit)" },
  main_gpu: { kind: "integer", min: 0, load: true, help: "which GPU holds small tensors" },
  use_mmap: { kind: "boolean", load: true, help: "memory-map the model file" },
  num_thread: { kind: "integer", min: 0, load: true, help: "CPU threads (0 lets Ollama choose)" },
  draft_num_predict: { kind: "integer", min: 0, load: true, help: "tokens the draft model predicts ahead" },
} as const satisfies Record<string, Spec>;

export type OllamaOptionName = keyof typeof OLLAMA_OPTIONS;

type ValueOf<K extends Kind> = K extends "integer" | "number"
  ? number
  : K extends "boolean"
    ? boolean
    : K extends "string"
      ? string
      : string[];

/** Options as `delegate` and `run` take them; every field optional, each with its Ollama type. */
export type OllamaOptions = {
  -readonly [K in OllamaOptionName]?: ValueOf<(typeof OLLAMA_OPTIONS)[K]["kind"]>;
};

const NAMES = Object.keys(OLLAMA_OPTIONS) as OllamaOptionName[];

/** `tempurature` → `temperature`, when one name is close enough to be what was meant. */
export function nearestOption(name: string): OllamaOptionName | undefined {
  const lower = name.toLowerCase().replace(/-/g, "_");
  const best = closest(lower, NAMES) as OllamaOptionName;
  return distance(lower, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function unknown(name: string): InvalidOptionError {
  const near = nearestOption(name);
  return new InvalidOptionError(
    `unknown Ollama option "${name}"${near ? ` — did you mean "${near}"?` : ""} ` +
      `Valid options: ${NAMES.join(", ")}.`,
  );
}

function check(name: OllamaOptionName, value: unknown): OllamaOptions[OllamaOptionName] {
  const spec: Spec = OLLAMA_OPTIONS[name];
  const wrong = () =>
    new InvalidOptionError(
      `option "${name}" must be ${article(spec.kind)}, not ${JSON.stringify(value)} (${spec.help})`,
    );
  if (spec.kind === "string[]") {
    const list = typeof value === "string" ? [value] : value;
    if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) throw wrong();
    return list;
  }
  if (spec.kind === "boolean") {
    if (typeof value !== "boolean") throw wrong();
    return value;
  }
  if (spec.kind === "string") {
    if (typeof value !== "string") throw wrong();
    return value as never;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) throw wrong();
  if (spec.kind === "integer" && !Number.isInteger(value)) throw wrong();
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    const range =
      spec.max === undefined
        ? `at least ${spec.min}`
        : spec.min === undefined
          ? `at most ${spec.max}`
          : `${spec.min}–${spec.max}`;
    throw new InvalidOptionError(`option "${name}" must be ${range}, not ${value} (${spec.help})`);
  }
  return value;
}

const article = (kind: Kind) =>
  kind === "string[]" ? "a string or a list of strings" : kind === "integer" ? "an integer" : `a ${kind}`;

/** Check options from code (`delegate({ options })`): unknown names and wrong types throw InvalidOptionError. */
export function validateOptions(options: Record<string, unknown> | undefined): OllamaOptions {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    if (!(name in OLLAMA_OPTIONS)) throw unknown(name);
    out[name] = check(name as OllamaOptionName, value);
  }
  return out as OllamaOptions;
}

/** A CLI string converted to the option's type: `0.2` → 0.2, `true` → true; `stop` collects repeats. */
function convert(name: OllamaOptionName, raw: string): unknown {
  const kind: Kind = OLLAMA_OPTIONS[name].kind;
  const text = raw.trim();
  if (kind === "integer" || kind === "number") {
    const n = Number(text);
    return text !== "" && Number.isFinite(n) ? n : raw; // the raw text, so the error shows what was typed
  }
  if (kind === "boolean") {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
    return raw;
  }
  return raw; // strings (and stop sequences) are taken as typed, spaces and all
}

/** `["temperature=0.2", "stop=###", "stop=END"]` → `{ temperature: 0.2, stop: ["###", "END"] }`, checked. */
export function parseOptionPairs(pairs: readonly string[]): OllamaOptions {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0) throw new InvalidOptionError(`--option takes key=value (e.g. temperature=0.2), not "${pair}"`);
    const name = pair.slice(0, i).trim();
    if (!(name in OLLAMA_OPTIONS)) throw unknown(name);
    const key = name as OllamaOptionName;
    const value = check(key, convert(key, pair.slice(i + 1)));
    out[key] = key === "stop" ? [...((out.stop as string[] | undefined) ?? []), ...(value as string[])] : value;
  }
  return out as OllamaOptions;
}

/** Options that make Ollama reload the model when they change. */
export const isLoadOption = (name: string) => Boolean((OLLAMA_OPTIONS as Record<string, Spec>)[name]?.load);
