/**
 * The helpers the delegation seed names: `quickAnswer`, `quickCode`, `quickAnalysis` — `delegate()`
 * with their task — and `delegateMany()` for a batch, a few at a time (a local runtime answers one
 * or a few requests at once; Ollama queues the rest, and a batch fired all at once only waits in
 * that queue, timing out attempts that never started).
 */
import type { ChatMessage } from "../runtimes/runtime.ts";
import { type DelegateOptions, defaultRouter, type LlmResponse } from "./delegate.ts";
import type { Router } from "./router.ts";

type Prompt = string | ChatMessage[];
type Helper = (prompt: Prompt, options?: Omit<DelegateOptions, "task">) => Promise<LlmResponse>;

/** A short answer, fast: the `quick` chain (the smallest, or measured fastest, chat model). */
export const quickAnswer: Helper = (prompt, options = {}) =>
  defaultRouter().delegate(prompt, { ...options, task: "quick" });

/** Code: the `coding` chain (code-tuned models first). */
export const quickCode: Helper = (prompt, options = {}) =>
  defaultRouter().delegate(prompt, { ...options, task: "coding" });

/** Reading and summarising: the `analysis` chain (the largest chat model that fits). */
export const quickAnalysis: Helper = (prompt, options = {}) =>
  defaultRouter().delegate(prompt, { ...options, task: "analysis" });

export interface DelegateManyOptions extends DelegateOptions {
  /** How many calls run at once (default 2). */
  concurrency?: number;
  /** Told of each response as it arrives, with its place in `prompts`. */
  onResult?: (index: number, response: LlmResponse) => void;
  /** The Router to use (default: the one `delegate()` uses). */
  router?: Router;
}

/**
 * Delegate every prompt, at most `concurrency` at a time, and resolve to the responses in the order
 * of the prompts. Each response is a success or a failure, as from `delegate()`; only misuse (an
 * unknown task or option) or a cancel rejects, and then no further prompt is started.
 */
export async function delegateMany(
  prompts: readonly Prompt[],
  options: DelegateManyOptions = {},
): Promise<LlmResponse[]> {
  const { concurrency = 2, onResult, router = defaultRouter(), ...call } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`delegateMany: concurrency must be a whole number of at least 1, not ${concurrency}`);
  const results: LlmResponse[] = new Array(prompts.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < prompts.length) {
      const i = next++;
      try {
        const response = await router.delegate(prompts[i] as Prompt, call);
        results[i] = response;
        onResult?.(i, response);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, prompts.length) }, worker));
  return results;
}
