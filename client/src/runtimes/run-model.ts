/**
 * Run a prompt or a chat on a runtime, installing the model first when it is missing — unless the
 * caller said not to, in which case the error names the exact install command.
 */
import { ModelNotInstalledError } from "../errors/index.ts";
import { sameModel } from "./ollama/refs.ts";
import type { ChatMessage, GenerateOptions, ProgressOptions, RunResult, Runtime } from "./runtime.ts";

export interface RunModelOptions extends GenerateOptions {
  /** Install a missing model first (default true). */
  pull?: boolean | undefined;
  onProgress?: ProgressOptions["onProgress"];
  /** What the user typed (an index id), for the install command an error suggests. */
  asTyped?: string | undefined;
}

export async function runModel(
  runtime: Runtime,
  ref: string,
  input: string | ChatMessage[],
  options: RunModelOptions = {},
): Promise<RunResult> {
  const installed = (await runtime.list({ signal: options.signal })).some((m) => sameModel(m.name, ref));
  if (!installed) {
    if (options.pull === false || !runtime.capabilities.install)
      throw new ModelNotInstalledError(ref, `small-llm install ${options.asTyped ?? ref}`);
    await runtime.install(ref, { onProgress: options.onProgress, signal: options.signal });
  }
  return typeof input === "string" ? runtime.generate(ref, input, options) : runtime.chat(ref, input, options);
}
