/**
 * One chat turn through llama.cpp: the messages become node-llama-cpp's chat history, rendered by
 * the model's own template (`chatWrapper: "auto"` reads `tokenizer.chat_template`), the last user
 * message is prompted, text streams to `onToken`, and the counts come from the sequence's token
 * meter. Each call gets a fresh sequence, so nothing of an earlier call leaks into this one.
 */
import type { ChatHistoryItem, Llama, LlamaContext, LlamaGrammar } from "node-llama-cpp";
import { CancelledError, InvalidArgumentError } from "../../errors/index.ts";
import type { ChatMessage, RunResult } from "../runtime.ts";
import type { NodeLlamaCpp } from "./engine.ts";
import type { PromptSettings } from "./options.ts";

export interface ChatInput {
  engine: NodeLlamaCpp;
  llama: Llama;
  context: LlamaContext;
  messages: ChatMessage[];
  prompt: PromptSettings;
  format?: "json" | Record<string, unknown> | undefined;
  onToken?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** When the call began (before any load), for latency. */
  startedAt: number;
}

export type ChatOutput = Pick<
  RunResult,
  "text" | "doneReason" | "latencyMs" | "promptTokens" | "outputTokens" | "tokensPerSecond" | "promptTokensPerSecond"
> & { ignored: string[] };

/** History for everything before the last message, which must be the user's turn. */
export function toHistory(messages: ChatMessage[]): { history: ChatHistoryItem[]; prompt: string; ignored: string[] } {
  const last = messages.at(-1);
  if (last?.role !== "user")
    throw new InvalidArgumentError("a chat must end with a user message: that is the turn the model answers");
  const ignored = messages.some((m) => m.images?.length) ? ["images"] : [];
  const history = messages.slice(0, -1).map((m): ChatHistoryItem => {
    if (m.role === "system") return { type: "system", text: m.content };
    if (m.role === "assistant") return { type: "model", response: [m.content] };
    // Tool results have no turn of their own in a chat template without tools: they reach the model as user text.
    return { type: "user", text: m.role === "tool" ? `Tool result:\n${m.content}` : m.content };
  });
  return { history, prompt: last.content, ignored };
}

async function grammarFor(llama: Llama, format: ChatInput["format"]): Promise<LlamaGrammar | undefined> {
  if (!format) return undefined;
  if (format === "json") return llama.getGrammarFor("json");
  try {
    return await llama.createGrammarForJsonSchema(format as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
  } catch (error) {
    throw new InvalidArgumentError(
      `llama.cpp cannot turn this JSON Schema into a grammar (${(error as Error).message}); ` +
        'simplify it (objects, arrays, enums, const, basic types) or pass format "json"',
      { cause: error },
    );
  }
}

export async function chatTurn(input: ChatInput): Promise<ChatOutput> {
  const { engine, context, prompt } = input;
  const { history, prompt: text, ignored } = toHistory(input.messages);
  const grammar = await grammarFor(input.llama, input.format);
  const sequence = context.getSequence();
  const session = new engine.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
  // setChatHistory replaces node-llama-cpp's ~300-character default system prompt with exactly ours.
  session.setChatHistory(history);
  const before = sequence.tokenMeter.getState();
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let answer = "";
  const promptAt = performance.now();
  try {
    const result = await session.promptWithMeta(text, {
      ...prompt,
      ...(grammar ? { grammar } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      // Throw on abort (below it becomes CancelledError) rather than return half an answer as if done.
      stopOnAbortSignal: false,
      onTextChunk: (chunk) => {
        if (!chunk) return;
        lastAt = performance.now();
        firstAt ??= lastAt;
        answer += chunk;
        input.onToken?.(chunk);
      },
    });
    const used = sequence.tokenMeter.diff(before);
    const end = lastAt ?? performance.now();
    const generating = firstAt !== undefined && lastAt !== undefined ? lastAt - firstAt : 0;
    // Prompt speed: the prompt's tokens over the time to the first answer token (that token included).
    const promptMs = (firstAt ?? end) - promptAt;
    return {
      text: result.responseText,
      doneReason: result.stopReason === "maxTokens" ? "length" : "stop",
      latencyMs: Math.round((firstAt ?? end) - input.startedAt),
      promptTokens: used.usedInputTokens,
      outputTokens: used.usedOutputTokens,
      // Decode speed: the tokens after the first over the time between first and last (the first
      // one's time is prompt processing). Fewer than two tokens give no speed.
      ...(used.usedOutputTokens > 1 && generating > 0
        ? { tokensPerSecond: ((used.usedOutputTokens - 1) * 1000) / generating }
        : {}),
      ...(used.usedInputTokens > 0 && promptMs > 0
        ? { promptTokensPerSecond: (used.usedInputTokens * 1000) / promptMs }
        : {}),
      ignored,
    };
  } catch (error) {
    if (input.signal?.aborted)
      throw new CancelledError(`the answer (after ${answer.length} characters)`, { cause: error });
    throw error;
  } finally {
    session.dispose({ disposeSequence: false });
    sequence.dispose();
  }
}
