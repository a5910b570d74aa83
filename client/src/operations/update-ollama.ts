/**
 * Update Ollama itself, as `small-llm update-ollama` does, for every adapter (the dashboard, the
 * HTTP API, MCP): compare with the latest release, and update an install this tool manages in place
 * (verified download, switch, restart, roll back if the new one does not answer). An Ollama this
 * tool did not install is only described, with the official way to update it.
 */
import { z } from "zod";
import { UnsupportedError } from "../errors/index.ts";
import { asPullProgress, type DownloadProgress } from "../provision/download.ts";
import { type UpdateOllamaResult, updateOllama } from "../provision/update-ollama.ts";
import { type CallHooks, type OperationContext, parseInput } from "./context.ts";

export const UpdateOllamaInput = z.strictObject({
  check: z.boolean().optional().describe("Only say whether an update is available; change nothing"),
});
export type UpdateOllamaInput = z.input<typeof UpdateOllamaInput>;

export interface UpdateOllamaHooks extends CallHooks {
  /** Each step, in words (downloading, verifying, restarting). */
  onStep?: ((text: string) => void) | undefined;
}

export async function updateOllamaOperation(
  ctx: OperationContext,
  raw: UpdateOllamaInput,
  hooks: UpdateOllamaHooks = {},
): Promise<UpdateOllamaResult> {
  const input = parseInput(UpdateOllamaInput, raw, ctx);
  if (ctx.runtime.kind !== "ollama")
    throw new UnsupportedError(`this server manages ${ctx.runtime.kind}, not Ollama: there is no Ollama to update`);
  const { onProgress } = hooks;
  return updateOllama({
    host: ctx.runtime.host,
    check: input.check,
    signal: hooks.signal,
    onStep: hooks.onStep,
    ...(onProgress ? { onDownload: (p: DownloadProgress) => onProgress(asPullProgress(p)) } : {}),
  });
}
