/**
 * What is loaded in memory now (`small-llm ps`, Ollama's `/api/ps`) and unloading a model at once
 * (`small-llm stop`, `keep_alive: 0`). A model is named as everywhere else: an index id stands for
 * whichever of its quants is loaded (else installed), a runtime name for itself.
 */
import { z } from "zod";
import { UnsupportedError } from "../errors/index.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import type { InstalledModel, LoadedModel } from "../runtimes/runtime.ts";
import { type OperationContext, parseInput } from "./context.ts";
import { modelName } from "./models.ts";
import { installedTarget } from "./refs.ts";

/** A loaded model, with where it runs and the index entry it belongs to. */
export interface LoadedRow extends LoadedModel {
  /** Ollama's PROCESSOR column: `100% GPU`, `100% CPU`, or `48%/52% CPU/GPU`. */
  processor: string;
  /** True when it stays loaded until unloaded (keep_alive below 0): Ollama reports a date centuries ahead. */
  forever: boolean;
  indexId?: string;
}

/** Ollama's own wording for where a model sits (cmd/cmd.go ListRunningHandler). */
export function processorSplit(sizeBytes: number, vramBytes: number): string {
  if (vramBytes <= 0) return "100% CPU";
  if (vramBytes >= sizeBytes) return "100% GPU";
  const gpu = Math.round((vramBytes / sizeBytes) * 100);
  return `${100 - gpu}%/${gpu}% CPU/GPU`;
}

const FOREVER_MS = 100 * 365 * 24 * 3600_000;

export async function listLoaded(ctx: OperationContext, signal?: AbortSignal): Promise<LoadedRow[]> {
  const runtime = ctx.runtime;
  if (!runtime.loaded)
    throw new UnsupportedError(`${runtime.kind} at ${runtime.host} does not say which models are loaded`);
  const [index, loaded] = await Promise.all([ctx.router.index(signal), runtime.loaded({ signal })]);
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

export async function stopModel(ctx: OperationContext, raw: StopInput, signal?: AbortSignal): Promise<StopResult> {
  const { model } = parseInput(StopInput, raw, ctx);
  const runtime = ctx.runtime;
  if (!runtime.unload || !runtime.loaded)
    throw new UnsupportedError(`${runtime.kind} at ${runtime.host} cannot unload models`);
  const [index, loaded] = await Promise.all([ctx.router.index(signal), runtime.loaded({ signal })]);
  // An index id stands for the quant that is loaded, else the one installed.
  const asInstalled = loaded.map((m) => ({ name: m.name }) as InstalledModel);
  let ref = installedTarget(runtime, model, index, asInstalled);
  if (!loaded.some((m) => sameModel(m.name, ref)))
    ref = installedTarget(runtime, model, index, await ctx.router.installed(runtime, signal));
  const wasLoaded = await runtime.unload(ref, { signal });
  return { model: ref, wasLoaded };
}
