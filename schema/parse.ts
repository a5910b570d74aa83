/** zod failures as one error whose message names every bad field by its path. */
import type { z } from "zod";
import { SCHEMA_VERSION } from "./entry.ts";

/** A value that does not satisfy the contract; the message lists each failing field by path. */
export class SchemaValidationError extends Error {
  override readonly name = "SchemaValidationError";
  constructor(
    readonly what: string,
    readonly issues: readonly { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    const shown = issues.slice(0, 10).map((i) => `  ${i.path || "(root)"}: ${i.message}`);
    if (issues.length > 10) shown.push(`  … and ${issues.length - 10} more`);
    super(`${what} does not match schema v${SCHEMA_VERSION}:\n${shown.join("\n")}`, options);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

type Issue = z.core.$ZodIssue;

/** A value that matches no branch of a union is reported by the branch it came closest to (first on a tie). */
function closest(issue: Issue): Issue[] {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
  const best = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
  return best.flatMap((i) => closest({ ...i, path: [...issue.path, ...i.path] } as Issue));
}

/** Parse with zod and turn failures into one error whose message names every bad field. */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues
    .flatMap((i) => closest(i))
    .map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new SchemaValidationError(what, issues, { cause: result.error });
}
