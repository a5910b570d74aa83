/**
 * Managing models on the runtime: install (with the disk and memory pre-flight), update one or
 * all, remove, list. A name is an index id (its default quant, or the one asked) or a runtime ref;
 * results carry the index id they belong to.
 */
import { z } from "zod";
import type { Index } from "../../../schema/index.ts";
import { InvalidArgumentError, ModelNotInstalledError } from "../errors/index.ts";
import { EmbeddedRuntime } from "../runtimes/embedded/runtime.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { ownerOf, withIndexIds } from "../runtimes/resolve-target.ts";
import type { InstalledModel, UpdateResult } from "../runtimes/runtime.ts";
import { type CallHooks, forModel, type OperationContext, parseInput } from "./context.ts";
import { checkBeforePull } from "./preflight.ts";
import { installedTarget, installTarget, onThisMachine } from "./refs.ts";

/** The entry whose install target is this repo file (the embedded runtime's refs name the file). */
const ownerOfFile = (index: Index | undefined, ref: string) =>
  index?.models.find((m) => m.install.some((t) => `hf.co/${t.repo}:${t.file}` === ref));

import { withSuggestions } from "./suggest.ts";

export const modelName = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .describe(
    "A Hugging Face id from the index (e.g. `Qwen/Qwen2.5-0.5B-Instruct`) or a runtime's model name (e.g. `hf.co/bartowski/X-GGUF:Q4_K_M`, `llama3.2`)",
  );
const quant = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .optional()
  .describe("A quant label from the model's install list, e.g. `Q8_0`");
const force = z.boolean().optional().describe("Pull even when the disk or memory pre-flight says it will not fit");

/**
 * Throws PreflightError when `ref` is not installed yet and would not fit this machine's disk or
 * memory. Only for sizes the index knows, and only for a runtime on this machine.
 */
export async function preflightPull(
  ctx: OperationContext,
  index: Index | undefined,
  ref: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!onThisMachine(ctx.runtime)) return;
  const model = ownerOf(index, ref) ?? ownerOfFile(index, ref);
  const target = model?.install.find((t) => sameModel(t.ref, ref) || `hf.co/${t.repo}:${t.file}` === ref);
  if (!model || !target) return;
  if ((await ctx.router.installed(ctx.runtime, signal)).some((m) => sameModel(m.name, target.ref))) return;
  const modelsDir = ctx.runtime instanceof EmbeddedRuntime ? ctx.runtime.store.dir : undefined;
  checkBeforePull({ model, target, hardware: await ctx.router.hardware(), index, ...(modelsDir ? { modelsDir } : {}) });
}

export const InstallInput = z.strictObject({ model: modelName, quant, force });
export type InstallInput = z.input<typeof InstallInput>;

export async function installModel(
  adapterCtx: OperationContext,
  raw: InstallInput,
  hooks: CallHooks = {},
): Promise<InstalledModel> {
  const input = parseInput(InstallInput, raw, adapterCtx);
  const ctx = forModel(adapterCtx, input.model);
  const index = await ctx.router.index(hooks.signal);
  const { ref, sha256 } = installTarget(ctx.runtime, input.model, index, input.quant);
  if (!input.force) await preflightPull(ctx, index, ref, hooks.signal);
  const installed = await ctx.runtime
    .install(ref, { onProgress: hooks.onProgress, signal: hooks.signal, ...(sha256 ? { sha256 } : {}) })
    .catch((error) => {
      throw withSuggestions(error, input.model, index);
    });
  ctx.router.forgetInstalled(ctx.runtime);
  return withIndexIds(index, [installed])[0] as InstalledModel;
}

export const UpdateInput = z
  .strictObject({
    model: modelName.optional(),
    all: z.boolean().optional().describe("Update every installed model"),
  })
  .refine((b) => b.model || b.all, "give a model, or all: true");
export type UpdateInput = z.input<typeof UpdateInput>;

/** Re-pull one model (or every installed one with `all`) and say, for each, whether it changed. */
export async function updateModels(
  ctx: OperationContext,
  raw: UpdateInput,
  hooks: CallHooks = {},
): Promise<UpdateResult[]> {
  const input = parseInput(UpdateInput, raw, ctx);
  const options = { onProgress: hooks.onProgress, signal: hooks.signal };
  if (input.all) return ctx.runtime.updateAll(options);
  if (!input.model) throw new InvalidArgumentError("say which model to update, or ask for all of them");
  const index = await ctx.router.index(hooks.signal);
  const ref = installedTarget(ctx.runtime, input.model, index, await ctx.runtime.list({ signal: hooks.signal }));
  return [await ctx.runtime.update(ref, options)];
}

export const RemoveInput = z.strictObject({ model: modelName });
export type RemoveInput = z.input<typeof RemoveInput>;

/** Remove the installed quant of an index id, or a ref; resolves to the ref removed. */
export async function removeModel(
  adapterCtx: OperationContext,
  raw: RemoveInput,
  signal?: AbortSignal,
): Promise<{ removed: string }> {
  const input = parseInput(RemoveInput, raw, adapterCtx);
  const ctx = forModel(adapterCtx, input.model);
  const index = await ctx.router.index(signal);
  try {
    const ref = installedTarget(ctx.runtime, input.model, index, await ctx.runtime.list({ signal }));
    const removed = await ctx.runtime.remove(ref, { signal });
    ctx.router.forgetInstalled(ctx.runtime);
    return { removed };
  } catch (error) {
    // Not there: nothing to remove, and certainly nothing to install.
    if (error instanceof ModelNotInstalledError)
      throw new ModelNotInstalledError(error.model, "", {
        detail: "nothing to remove (`small-llm list` shows what is installed)",
        cause: error,
      });
    throw withSuggestions(error, input.model, index);
  }
}

/**
 * The runtime's installed models; with `andEmbedded`, the GGUFs of the embedded runtime too (each
 * then says which runtime has it), so one list shows everything this machine can run.
 */
export async function listInstalled(
  ctx: OperationContext,
  signal?: AbortSignal,
  options: { andEmbedded?: boolean } = {},
): Promise<InstalledModel[]> {
  const index = await ctx.router.index(signal);
  const own = await ctx.runtime.list({ signal });
  if (!options.andEmbedded || ctx.runtime.kind === "embedded") return withIndexIds(index, own);
  const embedded = await ctx.router.embedded().list();
  if (!embedded.length) return withIndexIds(index, own);
  const tag = (kind: InstalledModel["runtime"]) => (m: InstalledModel) => ({ ...m, runtime: kind });
  return withIndexIds(index, [...own.map(tag(ctx.runtime.kind)), ...embedded.map(tag("embedded"))]);
}
