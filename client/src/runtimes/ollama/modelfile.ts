/**
 * Ollama Modelfiles, read the way Ollama's own CLI reads them (parser/parser.go `ParseFile`): the
 * same state machine, so a file Ollama accepts parses the same here and one it rejects is rejected
 * with the same reason and line. Parameters are typed as `api.FormatParams` types them, and a
 * Modelfile exported from `/api/show` is made portable by pointing `FROM` at the model's name.
 */
import { ModelfileError } from "../../errors/index.ts";
import { OPTION_NAMES, optionSpec } from "./options.ts";

export interface ModelfileCommand {
  /** Lower-case instruction; `FROM` is `model`, a `PARAMETER x` is `x` (as in Ollama). */
  name: string;
  args: string;
}

const COMMANDS = [
  "from",
  "license",
  "template",
  "system",
  "adapter",
  "draft",
  "renderer",
  "parser",
  "parameter",
  "message",
  "requires",
];
const ROLES = ["system", "user", "assistant"];
const INVALID_COMMAND = `command must be one of ${COMMANDS.map((c) => `"${c}"`).join(", ")}`;

const isAlpha = (c: string) => /^[A-Za-z]$/.test(c);
const isSpace = (c: string) => c === " " || c === "\t";
const isNewline = (c: string) => c === "\r" || c === "\n";
// Go's strconv.IsPrint, near enough: no control characters.
const isPrint = (c: string) => c !== "" && !/^[\p{Cc}]$/u.test(c);

type State = "nil" | "name" | "value" | "parameter" | "message" | "comment";

/** `"""x"""` or `"x"` → x; an opened quote that is not closed yet → undefined. */
function unquote(s: string): string | undefined {
  if (s.startsWith('"""')) return s.length >= 6 && s.endsWith('"""') ? s.slice(3, -3) : undefined;
  if (s.startsWith('"')) return s.length >= 2 && s.endsWith('"') ? s.slice(1, -1) : undefined;
  return s;
}

function fail(line: number, message: string): never {
  throw new ModelfileError(`Modelfile line ${line}: ${message}`);
}

export function parseModelfile(text: string): ModelfileCommand[] {
  const commands: ModelfileCommand[] = [];
  let state: State = "nil";
  let line = 1;
  let buffer = "";
  let role = "";
  let name = "";
  const source = text.replace(/^\uFEFF/, "");

  const step = (c: string): { next: State; keep: string } => {
    switch (state) {
      case "nil":
        if (c === "#") return { next: "comment", keep: "" };
        if (isSpace(c) || isNewline(c)) return { next: "nil", keep: "" };
        return { next: "name", keep: c };
      case "name":
        if (isAlpha(c)) return { next: "name", keep: c };
        if (isSpace(c)) return { next: "value", keep: "" };
        return fail(line, INVALID_COMMAND);
      case "value":
        return { next: isNewline(c) || isSpace(c) ? "nil" : "value", keep: c };
      case "parameter":
        if (isAlpha(c) || /^[0-9_]$/.test(c)) return { next: "parameter", keep: c };
        if (isSpace(c)) return { next: "value", keep: "" };
        return fail(line, `a parameter name is letters, digits and _ (at "${c}")`);
      case "message":
        if (isAlpha(c)) return { next: "message", keep: c };
        if (isSpace(c)) return { next: "value", keep: "" };
        return fail(line, `a MESSAGE role is followed by a space (at "${c}")`);
      case "comment":
        return { next: isNewline(c) ? "nil" : "comment", keep: "" };
    }
  };

  for (const c of source) {
    if (isNewline(c)) line++;
    let { next, keep } = step(c);
    if (next !== state) {
      if (state === "name") {
        const word = buffer.toLowerCase();
        if (!COMMANDS.includes(word)) fail(line, INVALID_COMMAND);
        if (word === "from") name = "model";
        else if (word === "parameter") next = "parameter";
        else {
          if (word === "message") next = "message";
          name = word;
        }
      } else if (state === "parameter") {
        name = buffer;
      } else if (state === "message") {
        if (!ROLES.includes(buffer)) fail(line, `message role must be one of "system", "user", or "assistant"`);
        role = buffer;
      } else if (state === "value") {
        const value = unquote(buffer.trim());
        if (value === undefined || isSpace(c)) {
          buffer += c; // still inside a quoted value, or a space within an unquoted one
          continue;
        }
        commands.push({ name, args: role ? `${role}: ${value}` : value });
        role = "";
      }
      buffer = "";
      state = next;
    }
    if (isPrint(keep)) buffer += keep;
  }
  if (state === "value") {
    const value = unquote(buffer.trim());
    if (value === undefined) fail(line, `a quoted value is not closed: ${buffer.trim().slice(0, 40)}`);
    commands.push({ name, args: role ? `${role}: ${value}` : value });
  } else if (state !== "nil" && state !== "comment") {
    fail(line, "the Modelfile ends in the middle of an instruction");
  }
  if (!commands.some((c) => c.name === "model")) throw new ModelfileError("the Modelfile has no FROM line");
  return commands;
}

/** Ollama's `quote`: multi-line or space-edged values are quoted, `"""` when they hold a `"`. */
function quote(s: string): string {
  if (s.includes("\n") || s.startsWith(" ") || s.endsWith(" ")) return s.includes('"') ? `"""${s}"""` : `"${s}"`;
  return s;
}

/** Commands back to text, as Ollama's `Modelfile.String()` writes them. */
export function formatModelfile(commands: ModelfileCommand[]): string {
  return commands
    .map((c) => {
      if (c.name === "model") return `FROM ${c.args}`;
      if (["license", "template", "system", "adapter", "renderer", "parser", "requires", "draft"].includes(c.name))
        return `${c.name.toUpperCase()} ${quote(c.args)}`;
      if (c.name === "message") {
        const i = c.args.indexOf(": ");
        return `MESSAGE ${c.args.slice(0, i)} ${quote(c.args.slice(i + 2))}`;
      }
      return `PARAMETER ${c.name} ${quote(c.args)}`;
    })
    .map((l) => `${l}\n`)
    .join("");
}

/** Parameters Ollama still parses but ignores (it warns, and so do we): the table's retired options. */
export const DEPRECATED_PARAMETERS: readonly string[] = OPTION_NAMES.filter((n) => optionSpec(n)?.retired);

export const KNOWN_PARAMETERS: readonly string[] = OPTION_NAMES.filter((n) => !optionSpec(n)?.retired);

const TYPES = { integer: "int", number: "float", boolean: "bool", "string[]": "strings" } as const;

/** One parameter value, typed as Ollama types it; `stop` values accumulate into a list. */
export function addParameter(params: Record<string, unknown>, key: string, raw: string): void {
  const spec = optionSpec(key);
  const type = spec && !spec.retired ? TYPES[spec.kind] : undefined;
  if (!type) throw new ModelfileError(`unknown parameter '${key}'; Ollama knows ${KNOWN_PARAMETERS.join(", ")}`);
  const value = raw.trim();
  if (type === "strings") {
    params[key] = [...((params[key] as string[] | undefined) ?? []), raw];
  } else if (type === "int") {
    if (!/^[+-]?\d+$/.test(value)) throw new ModelfileError(`invalid int value ${JSON.stringify(raw)} for ${key}`);
    params[key] = Number(value);
  } else if (type === "float") {
    if (value === "" || !Number.isFinite(Number(value)))
      throw new ModelfileError(`invalid float value ${JSON.stringify(raw)} for ${key}`);
    params[key] = Number(value);
  } else {
    const b = /^(1|t|T|TRUE|true|True)$/.test(value) ? true : /^(0|f|F|FALSE|false|False)$/.test(value) ? false : null;
    if (b === null) throw new ModelfileError(`invalid bool value ${JSON.stringify(raw)} for ${key}`);
    params[key] = b;
  }
}

/**
 * A Modelfile from `/api/show`, made shareable: its `FROM /…/blobs/sha256-…` becomes the model's
 * name (Ollama itself suggests this in the comment it writes), and `ADAPTER` blob paths go, because
 * a model built `FROM` that name already carries its adapter.
 */
export function portableModelfile(shown: string, modelName: string): string {
  const suggested = /^# FROM (\S+)\s*$/m.exec(shown)?.[1];
  const name = suggested ?? modelName;
  const out: string[] = [];
  for (const line of shown.split("\n")) {
    if (/^from\s+\S*[\\/]blobs[\\/]sha256[-:][0-9a-f]+\s*$/i.test(line)) out.push(`FROM ${name}`);
    else if (/^adapter\s+\S*[\\/]blobs[\\/]sha256[-:][0-9a-f]+\s*$/i.test(line))
      out.push(`# ADAPTER: already part of ${name}`);
    else out.push(line);
  }
  return out.join("\n");
}

export interface ModelfileOverrides {
  system?: string | undefined;
  template?: string | undefined;
  /** `key=value` pairs; a key given here replaces that parameter from the Modelfile (`stop` may repeat). */
  params?: string[] | undefined;
  /** An adapter path (absolute, or relative to the Modelfile's folder). */
  adapter?: string | undefined;
}

/** Command-line options on top of a Modelfile: each replaces the instruction it names. */
export function withOverrides(commands: ModelfileCommand[], overrides: ModelfileOverrides): ModelfileCommand[] {
  const pairs = (overrides.params ?? []).map((pair) => {
    const i = pair.indexOf("=");
    if (i <= 0) throw new ModelfileError(`--param takes key=value (e.g. temperature=0.7), not "${pair}"`);
    const key = pair.slice(0, i).trim();
    addParameter({}, key, pair.slice(i + 1)); // fail now, with the key's name, on a bad type
    return { name: key, args: pair.slice(i + 1) };
  });
  const replaced = new Set([
    ...pairs.map((p) => p.name),
    ...(overrides.system !== undefined ? ["system"] : []),
    ...(overrides.template !== undefined ? ["template"] : []),
    ...(overrides.adapter !== undefined ? ["adapter"] : []),
  ]);
  return [
    ...commands.filter((c) => !replaced.has(c.name)),
    ...(overrides.template !== undefined ? [{ name: "template", args: overrides.template }] : []),
    ...(overrides.system !== undefined ? [{ name: "system", args: overrides.system }] : []),
    ...(overrides.adapter !== undefined ? [{ name: "adapter", args: overrides.adapter }] : []),
    ...pairs,
  ];
}
