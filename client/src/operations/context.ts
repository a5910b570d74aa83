/**
 * What every operation runs against, whichever adapter calls it (the CLI, the HTTP API, the MCP
 * server, the gateway): the Router (index, hardware, runtimes, cooldowns) and the runtime that
 * manages models (Ollama at OLLAMA_HOST unless the adapter chose another).
 */
import type { z } from "zod";
import type { Router } from "../agent/router.ts";
import type { IndexResult } from "../catalog/get-index.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { isGgufPath } from "../runtimes/embedded/refs.ts";
import type { PullProgress, Runtime } from "../runtimes/runtime.ts";

export interface OperationContext {
  router: Router;
  runtime: Runtime;
  /** How a field is named to the caller in messages (the CLI says `--fits`, the API `fits`). */
  argName?: (field: string) => string;
}

/** A `.gguf` path runs on the embedded runtime, whichever runtime the adapter manages (as the CLI does). */
export function forModel(ctx: OperationContext, model: string | undefined): OperationContext {
  return model !== undefined && ctx.runtime.kind !== "embedded" && isGgufPath(model)
    ? { ...ctx, runtime: ctx.router.embedded() }
    : ctx;
}

/** What one call may be told as it runs, and how it is cancelled. */
export interface CallHooks {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: PullProgress) => void) | undefined;
  onToken?: ((text: string) => void) | undefined;
  /** Something the caller should know that does not stop the call (a retired option, metrics not written). */
  onWarning?: ((text: string) => void) | undefined;
}

/** Which index an answer came from: what `--json`, the API and MCP report beside their results. */
export interface IndexSummary {
  version: string;
  source: IndexResult["source"];
  models: number;
  /** Set when the index is test data, not the catalogue of the real Hub. */
  fixture?: true;
}

export function indexSummary(result: Pick<IndexResult, "index" | "source">): IndexSummary {
  return {
    version: result.index.version,
    source: result.source,
    models: result.index.models.length,
    ...(result.index.fixture ? { fixture: true as const } : {}),
  };
}

export const argName = (ctx: OperationContext, field: string) => (ctx.argName ? ctx.argName(field) : field);

/** The input checked against its schema; a mistake is an InvalidArgumentError naming the field as the caller wrote it. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, ctx?: OperationContext): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidArgumentError(
    parsed.error.issues
      .map(
        (i) => `${i.path.length ? `${ctx ? argName(ctx, String(i.path[0])) : String(i.path[0])}: ` : ""}${i.message}`,
      )
      .join("; "),
  );
}
