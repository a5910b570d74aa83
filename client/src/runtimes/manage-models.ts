/**
 * Install, update, remove and list models by the name a person or a program gives: an index id
 * (its default quant, or the one asked for) or a runtime ref. What the HTTP API, the MCP server and
 * the dashboard do when asked to manage a model; results carry the index id they belong to.
 */
import type { Index } from "../../../schema/index.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { installedRef, resolveRef, withIndexIds } from "./resolve-target.ts";
import type { CallOptions, InstalledModel, ProgressOptions, Runtime, UpdateResult } from "./runtime.ts";

export async function installModel(
  runtime: Runtime,
  index: Index | undefined,
  model: string,
  options: ProgressOptions & { quant?: string | undefined } = {},
): Promise<InstalledModel> {
  const { ref } = resolveRef(model, index, options.quant);
  const installed = await runtime.install(ref, options);
  return withIndexIds(index, [installed])[0] as InstalledModel;
}

/** Re-pull one model (or every installed one with `all`) and say, for each, whether it changed. */
export async function updateModels(
  runtime: Runtime,
  index: Index | undefined,
  target: { model?: string | undefined; all?: boolean | undefined },
  options: ProgressOptions = {},
): Promise<UpdateResult[]> {
  if (target.all) return runtime.updateAll(options);
  if (!target.model) throw new InvalidArgumentError("say which model to update, or ask for all of them");
  const ref = installedRef(target.model, index, await runtime.list(options));
  return [await runtime.update(ref, options)];
}

/** Remove the installed quant of an index id, or a ref; resolves to the ref removed. */
export async function removeModel(
  runtime: Runtime,
  index: Index | undefined,
  model: string,
  options: CallOptions = {},
): Promise<string> {
  const ref = installedRef(model, index, await runtime.list(options));
  return runtime.remove(ref, options);
}

export async function listInstalled(
  runtime: Runtime,
  index: Index | undefined,
  options: CallOptions = {},
): Promise<InstalledModel[]> {
  return withIndexIds(index, await runtime.list(options));
}

/** The ref to run for a name: the asked quant, else whichever quant of an index id is installed, else its default. */
export async function refToRun(
  runtime: Runtime,
  index: Index | undefined,
  model: string,
  options: CallOptions & { quant?: string | undefined } = {},
): Promise<string> {
  if (options.quant) return resolveRef(model, index, options.quant).ref;
  return installedRef(model, index, await runtime.list(options));
}
