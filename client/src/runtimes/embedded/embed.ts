/**
 * Embeddings through llama.cpp: one vector per input, L2-normalised as Ollama's `/api/embed` and
 * OpenAI's `/v1/embeddings` return them, so cosine similarity is a dot product whichever runtime
 * made them. Works with any GGUF; an embedding model (pooling in its metadata) gives useful ones.
 */
import type { LlamaEmbeddingContext } from "node-llama-cpp";
import { CancelledError, ContextTooLongError } from "../../errors/index.ts";

export interface EmbedResult {
  model: string;
  runtime: "embedded";
  embeddings: number[][];
  /** Tokens of all inputs together. */
  promptTokens: number;
  totalMs: number;
  /** Time this call spent loading the model (0 when it was loaded already). */
  loadMs: number;
}

export function normalize(vector: readonly number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm > 0 ? vector.map((x) => x / norm) : [...vector];
}

export async function embedAll(
  context: LlamaEmbeddingContext,
  inputs: readonly string[],
  name: string,
  contextSize: number,
  signal?: AbortSignal,
): Promise<{ embeddings: number[][]; promptTokens: number }> {
  const embeddings: number[][] = [];
  let promptTokens = 0;
  for (const [i, input] of inputs.entries()) {
    if (signal?.aborted) throw new CancelledError(`embedding with ${name}`, { cause: signal.reason });
    const length = context.calculateInputLength(input);
    if (length > contextSize)
      throw new ContextTooLongError(
        `input ${i} is ${length} tokens, more than the ${contextSize}-token embedding context of ${name} holds: split it, or raise num_ctx`,
      );
    promptTokens += length;
    embeddings.push(normalize((await context.getEmbeddingFor(input)).vector));
  }
  return { embeddings, promptTokens };
}
