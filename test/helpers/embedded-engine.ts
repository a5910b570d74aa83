/**
 * Whether the real-engine tests can run here. On linux-x64 the workspace installs node-llama-cpp's
 * CPU binary, so there they must run: a failure to load is a failure, not a skip. Elsewhere (no
 * prebuilt binary for the platform) they skip, printing why.
 */
import { createLlama } from "../../client/src/runtimes/embedded/engine.ts";

export const ENGINE_REQUIRED = process.platform === "linux" && process.arch === "x64";

export async function engineSkipReason(): Promise<string | undefined> {
  if (ENGINE_REQUIRED) return undefined;
  try {
    const { llama } = await createLlama({ gpu: false });
    await llama.dispose();
    return undefined;
  } catch (error) {
    const reason = `node-llama-cpp cannot run on ${process.platform}-${process.arch}: ${(error as Error).message}`;
    console.warn(`skipping the real-engine tests: ${reason}`);
    return reason;
  }
}
