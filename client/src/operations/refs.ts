/**
 * What to hand the operation's runtime for a name a person gave. Ollama takes the index's refs;
 * the embedded runtime downloads the entry's exact file (`hf.co/{repo}:{file}`, checked against the
 * index's sha256) and takes a `.gguf` path as it is.
 */
import type { Index } from "../../../schema/index.ts";
import { isGgufPath } from "../runtimes/embedded/refs.ts";
import { installedRef, resolveRef } from "../runtimes/resolve-target.ts";
import type { InstalledModel, Runtime } from "../runtimes/runtime.ts";

export { isGgufPath };

/** The ref to install, and the sha256 the download must have when the index knows it. */
export function installTarget(
  runtime: Runtime,
  name: string,
  index: Index | undefined,
  quant?: string,
): { ref: string; sha256?: string } {
  if (runtime.kind === "embedded" && isGgufPath(name)) return { ref: name.trim() };
  const resolved = resolveRef(name, index, quant);
  const target = resolved.target;
  if (runtime.kind === "embedded" && target?.repo && target.file)
    return { ref: `hf.co/${target.repo}:${target.file}`, ...(target.sha256 ? { sha256: target.sha256 } : {}) };
  return { ref: resolved.ref };
}

/** The ref to run or remove: a `.gguf` path as it is, else whichever quant of an index id is installed. */
export function installedTarget(
  runtime: Runtime,
  name: string,
  index: Index | undefined,
  installed: InstalledModel[],
): string {
  if (runtime.kind === "embedded" && isGgufPath(name)) return name.trim();
  return installedRef(name, index, installed);
}

/** Whether the runtime is on this machine (its disk and memory are ours to check). */
export const onThisMachine = (runtime: Runtime) =>
  runtime.kind === "embedded" || /^https?:\/\/(localhost|127\.|\[::1\])/i.test(runtime.host);
