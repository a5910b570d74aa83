/**
 * Ollama's model options (the one table: runtimes/ollama/options.ts), typed and checked before they
 * reach the server. Ollama itself only logs a warning for an unknown key (`invalid option
 * provided`) and fails a wrong type with `option "num_ctx" must be of type integer`
 * (api/types.go `Options.FromMap`), so a typo such as `tempurature` would be silently ignored:
 * here it fails, naming the nearest valid option. An option Ollama has retired is accepted and
 * passed on (an older server still reads it); `retiredWarning` says so in one line.
 * Used by `run --option`, `ask --option`, `delegate({ options })` and the gateway.
 */
import { closest, distance } from "fastest-levenshtein";
import { InvalidOptionError } from "../errors/index.ts";
import {
  OLLAMA_OPTIONS,
  type OllamaOptionName,
  OPTION_NAMES,
  type OptionKind,
  type OptionSpec,
  optionSpec,
  retiredOptions,
} from "../runtimes/ollama/options.ts";

type Kind = OptionKind;
type Spec = OptionSpec;

export { OLLAMA_OPTIONS, type OllamaOptionName };

type ValueOf<K extends Kind> = K extends "integer" | "number" ? number : K extends "boolean" ? boolean : string[];

/** Options as `delegate` and `run` take them; every field optional, each with its Ollama type. */
export type OllamaOptions = {
  -readonly [K in OllamaOptionName]?: ValueOf<(typeof OLLAMA_OPTIONS)[K]["kind"]>;
};

const NAMES = OPTION_NAMES;

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
    if (!optionSpec(name)) throw unknown(name);
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
    if (!optionSpec(name)) throw unknown(name);
    const key = name as OllamaOptionName;
    const value = check(key, convert(key, pair.slice(i + 1)));
    out[key] = key === "stop" ? [...((out.stop as string[] | undefined) ?? []), ...(value as string[])] : value;
  }
  return out as OllamaOptions;
}

/** Options that make Ollama reload the model when they change. */
export const isLoadOption = (name: string) => Boolean(optionSpec(name)?.load);

/** One line for the options current Ollama ignores, when any were given (a warning, not an error). */
export function retiredWarning(options: Record<string, unknown> | undefined): string | undefined {
  const retired = retiredOptions(Object.keys(options ?? {}));
  if (!retired.length) return undefined;
  return `current Ollama ignores ${retired.join(", ")} (earlier releases read ${retired.length === 1 ? "it" : "them"}); sent anyway`;
}
