/**
 * What is loaded in memory now (`small-llm ps`, Ollama's `/api/ps`) and unloading a model at once
 * (`small-llm stop`, `keep_alive: 0`). A model is named as everywhere else: an index id stands for
 * whichever of its quants is loaded (else installed), a runtime name for itself.
 */
import { z } from "zod";
import { ModelNotInstalledError, UnsupportedError } from "../errors/index.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import type { InstalledModel, LoadedModel } from "../runtimes/runtime.ts";
import { forModel, type OperationContext, parseInput } from "./context.ts";
import { modelName } from "./models.ts";
import { installedTarget } from "./refs.ts";
import { withSuggestions } from "./suggest.ts";

/** A loaded model, with where it runs and the index entry it belongs to. */
export interface LoadedRow extends LoadedModel {
  /** Ollama's PROCESSOR column: `100% GPU`, `100% CPU`, or `48%/52% CPU/GPU`. */
  processor: string;
  /** True when it stays loaded until unloaded (keep_alive below 0): Ollama reports a date centuries ahead. */
  forever: boolean;
  indexId?: string;
  /** Set for a model the embedded runtime holds in this process (beside Ollama's). */
  runtime?: "embedded";
}

/** Ollama's own wording for where a model sits (cmd/cmd.go ListRunningHandler). */
export function processorSplit(sizeBytes: number, vramBytes: number): string {
  if (vramBytes <= 0) return "100% CPU";
  if (vramBytes === sizeBytes) return "100% GPU";
  if (vramBytes > sizeBytes || sizeBytes <= 0) return "Unknown";
  const gpu = Math.round((vramBytes / sizeBytes) * 100);
  return `${100 - gpu}%/${gpu}% CPU/GPU`;
}

const FOREVER_MS = 100 * 365 * 24 * 3600_000;

export async function listLoaded(ctx: OperationContext, signal?: AbortSignal): Promise<LoadedRow[]> {
  const runtime = ctx.runtime;
  if (!runtime.loaded)
    throw new UnsupportedError(`${runtime.kind} at ${runtime.host} does not say which models are loaded`);
  // A long-lived process (serve, mcp) may hold an embedded model beside what Ollama has loaded.
  const embedded = runtime.kind === "embedded" ? [] : await ctx.router.embedded().loaded();
  const [index, own] = await Promise.all([
    ctx.router.index(signal),
    // Ollama down is no reason to hide what this process holds.
    runtime.loaded({ signal }).catch((error: unknown) => {
      if (embedded.length && !signal?.aborted) return [];
      throw error;
    }),
  ]);
  const loaded = [...own, ...embedded.map((m) => ({ ...m, runtime: "embedded" as const }))];
  return loaded.map((m) => {
    const owner = ownerOf(index, m.name);
    const expires = Date.parse(m.expiresAt);
    return {
      ...m,
      processor: processorSplit(m.sizeBytes, m.vramBytes),
      forever: Number.isFinite(expires) && expires - Date.now() > FOREVER_MS,
      ...(owner ? { indexId: owner.id } : {}),
    };
  });
}

export const StopInput = z.strictObject({ model: modelName });
export type StopInput = z.input<typeof StopInput>;

export interface StopResult {
  /** The runtime name that was unloaded. */
  model: string;
  /** False when it was not loaded (nothing to do). */
  wasLoaded: boolean;
}

export async function stopModel(
  adapterCtx: OperationContext,
  raw: StopInput,
  signal?: AbortSignal,
): Promise<StopResult> {
  const { model } = parseInput(StopInput, raw, adapterCtx);
  // The model this process's embedded runtime holds is stopped there, named as it runs or by its index id.
  const embedded = adapterCtx.router.embedded();
  const [index, holding] = await Promise.all([adapterCtx.router.index(signal), embedded.loaded()]);
  const held = holding.some(
    (m) =>
      m.name === model || sameModel(m.name, model) || ownerOf(index, m.name)?.id.toLowerCase() === model.toLowerCase(),
  );
  const ctx = held ? { ...adapterCtx, runtime: embedded } : forModel(adapterCtx, model);
  const runtime = ctx.runtime;
  if (!runtime.unload || !runtime.loaded)
    throw new UnsupportedError(`${runtime.kind} at ${runtime.host} cannot unload models`);
  const loaded = await runtime.loaded({ signal });
  // An index id stands for the quant that is loaded, else the one installed.
  const asInstalled = loaded.map((m) => ({ name: m.name }) as InstalledModel);
  try {
    let ref = installedTarget(runtime, model, index, asInstalled);
    if (!loaded.some((m) => sameModel(m.name, ref)))
      ref = installedTarget(runtime, model, index, await ctx.router.installed(runtime, signal));
    const wasLoaded = await runtime.unload(ref, { signal });
    return { model: ref, wasLoaded };
  } catch (error) {
    // An id the index lacks: "did you mean", as run says. A model not installed is not loaded either:
    // nothing to stop, and installing it is not what was asked.
    const named = withSuggestions(error, model, index);
    if (named instanceof ModelNotInstalledError) return { model, wasLoaded: false };
    throw named;
  }
}
