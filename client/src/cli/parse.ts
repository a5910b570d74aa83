/** Argument parsers for commander: every value is checked where it is read, with a message that says what it takes. */
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { UsageError } from "./usage-error.ts";

export function positiveInt(what: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0)
      throw new InvalidArgumentError(`${what} takes a whole number above 0, not "${value}".`);
    return Number(value);
  };
}

export function positiveNumber(what: string) {
  return (value: string): number => {
    if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || Number(value) <= 0)
      throw new InvalidArgumentError(`${what} takes a number above 0, not "${value}".`);
    return Number(value);
  };
}

/** A repeatable option: `--option a=1 --option b=2` collects both. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The task tags the index documents; a value outside them is a typo, not an empty result. */
export { TASK_TAGS as TASKS } from "../catalog/model-filters.ts";

export function oneOf(what: string, values: readonly string[]) {
  return (value: string): string => {
    if (!values.includes(value))
      throw new InvalidArgumentError(`${what} takes one of ${values.join(", ")}, not "${value}".`);
    return value;
  };
}

/** `--format json`, a schema file, or inline JSON Schema. */
export function parseFormat(value: string | undefined): "json" | Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === "json") return "json";
  let text = value;
  if (!value.trim().startsWith("{")) {
    try {
      text = readFileSync(value, "utf8");
    } catch (error) {
      throw new UsageError(
        `--format takes json, a JSON Schema file or inline JSON; cannot read "${value}": ${(error as Error).message}`,
      );
    }
  }
  try {
    const schema = JSON.parse(text);
    if (schema && typeof schema === "object" && !Array.isArray(schema)) return schema;
  } catch {
    // fall through to the usage error
  }
  throw new UsageError(
    `--format takes json, a JSON Schema file or inline JSON Schema; "${value.slice(0, 60)}" is none of these`,
  );
}
